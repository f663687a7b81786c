import SplitMix

/// Location and scale estimates that resist outliers, and the z-scores
/// built from them, for flagging accounts whose activity is far from the
/// crowd.
///
///     let counts = [3.0, 4, 4, 5, 5, 6, 250]   // one bot
///     RobustStatistics.median(counts)                   // 5
///     RobustStatistics.medianAbsoluteDeviation(counts)  // 1
///     RobustStatistics.robustZScores(counts).last!      // 0.6745 · 245 ≈ 165.3
///
/// The median and MAD ignore up to half of the data being arbitrarily bad,
/// where the mean and standard deviation are ruined by a single value. The
/// modified z-score 0.6745 · (x − median) / MAD follows Iglewicz and Hoaglin
/// (1993); 0.6745 makes it agree with the ordinary z-score on normal data.
///
/// NaN inputs give unspecified results; filter them first.
public enum RobustStatistics {
  /// The arithmetic mean (not robust; provided for comparison and for
  /// ``covariance(_:)``).
  ///
  /// - Precondition: `values` is not empty.
  /// - Complexity: O(n)
  public static func mean(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "the mean of no values is undefined")
    return values.reduce(0, +) / Double(values.count)
  }

  /// The median: the middle value of an odd count, the average of the two
  /// middle values of an even count.
  ///
  ///     RobustStatistics.median([5, 1, 3])      // 3
  ///     RobustStatistics.median([4, 1, 3, 2])   // 2.5
  ///
  /// Works on a copy by quickselect (Hoare's selection with random pivots),
  /// so `values` is not reordered.
  ///
  /// - Precondition: `values` is not empty.
  /// - Complexity: O(n) expected.
  public static func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "the median of no values is undefined")
    var copy = values
    return copy.withUnsafeMutableBufferPointer { buffer in
      var rng = SplitMix64(seed: UInt64(truncatingIfNeeded: buffer.count))
      let n = buffer.count
      let upper = select(buffer, rank: n / 2, using: &rng)
      if n % 2 == 1 { return upper }
      // After selection everything before n/2 is ≤ upper; its maximum is the
      // lower middle value.
      var lower = buffer[0]
      for i in 1..<(n / 2) where buffer[i] > lower { lower = buffer[i] }
      return lower + (upper - lower) / 2
    }
  }

  /// The median absolute deviation from the median, `median(|x − median(x)|)`,
  /// unscaled (multiply by 1.4826 to estimate a normal standard deviation).
  ///
  ///     RobustStatistics.medianAbsoluteDeviation([1, 2, 3, 4, 100])   // 1
  ///
  /// - Precondition: `values` is not empty.
  /// - Complexity: O(n) expected.
  public static func medianAbsoluteDeviation(_ values: [Double]) -> Double {
    let center = median(values)
    return median(values.map { abs($0 - center) })
  }

  /// Modified z-scores `0.6745 · (x − median) / MAD`, one per value.
  ///
  /// When more than half of the values are equal the MAD is 0; then the
  /// scale falls back to the mean absolute deviation from the median times
  /// 1.2533 (√(π/2), which also matches a normal standard deviation), giving
  /// `(x − median) / (1.2533 · meanAD)`. If that is 0 too, every value equals
  /// the median and all scores are 0. Scores are therefore always finite.
  ///
  ///     RobustStatistics.robustZScores([1, 2, 3, 4, 100])
  ///     // [-1.349, -0.6745, 0, 0.6745, 65.43]
  ///
  /// - Precondition: `values` is not empty.
  /// - Complexity: O(n) expected.
  public static func robustZScores(_ values: [Double]) -> [Double] {
    let center = median(values)
    let deviations = values.map { abs($0 - center) }
    let mad = median(deviations)
    if mad > 0 { return values.map { 0.6745 * ($0 - center) / mad } }
    let meanDeviation = mean(deviations)
    if meanDeviation > 0 { return values.map { ($0 - center) / (1.253314 * meanDeviation) } }
    return [Double](repeating: 0, count: values.count)
  }

  /// The column means of `observations`, whose rows are observations and
  /// columns variables.
  ///
  /// - Precondition: at least one row.
  /// - Complexity: O(rows · columns)
  public static func mean(_ observations: Matrix) -> [Double] {
    precondition(observations.rows > 0, "the mean of no observations is undefined")
    let ones = [Double](repeating: 1, count: observations.rows)
    return BLAS.gemv(observations, ones, transpose: true, alpha: 1 / Double(observations.rows))
  }

  /// The sample covariance matrix (divisor n − 1) of `observations`, whose
  /// rows are observations and columns variables: a `columns × columns`
  /// symmetric matrix.
  ///
  ///     let x = Matrix(rowMajor: [[1, 2], [3, 6], [5, 10]])
  ///     RobustStatistics.covariance(x)   // [[4, 8], [8, 16]]
  ///
  /// - Precondition: at least two rows.
  /// - Complexity: O(rows · columns²), one BLAS `dgemm`.
  public static func covariance(_ observations: Matrix) -> Matrix {
    let n = observations.rows, d = observations.columns
    precondition(n >= 2, "the sample covariance needs at least two observations")
    let mu = mean(observations)
    var centered = observations
    centered.withUnsafeMutableBufferPointer { buffer in
      for j in 0..<d { for i in 0..<n { buffer[i + j * n] -= mu[j] } }
    }
    return BLAS.gemm(centered, centered, transposeA: true, alpha: 1 / Double(n - 1))
  }

  /// Moves the element of rank `k` (0-based, in ascending order) to index
  /// `k`, with smaller-or-equal elements before it and larger-or-equal after.
  static func select(
    _ a: UnsafeMutableBufferPointer<Double>, rank k: Int,
    using rng: inout SplitMix64
  ) -> Double {
    var low = 0, high = a.count - 1
    while low < high {
      let pivot = a[Int.random(in: low...high, using: &rng)]
      // Hoare partition.
      var i = low, j = high
      while i <= j {
        while a[i] < pivot { i += 1 }
        while a[j] > pivot { j -= 1 }
        if i <= j {
          a.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      // Now a[low...j] ≤ pivot ≤ a[i...high], and j < i.
      if k <= j { high = j } else if k >= i { low = i } else { return a[k] }
    }
    return a[k]
  }
}
