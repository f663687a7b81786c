import SignalGraph
import SplitMix

/// Draws ranks `0..<count` with probability proportional to `1 / (rank + 1)`
/// (Zipf's law with exponent 1): rank 0 is drawn about `count / ln(count)`
/// times as often as the median rank.
///
///     let zipf = ZipfSampler(count: 10_000)
///     var rng = SplitMix64(seed: 1)
///     let rank = zipf.sample(&rng)   // usually small
///
/// - Complexity: O(*n*) to build, O(log *n*) per sample.
struct ZipfSampler {
  private let cumulative: [Double]

  /// Creates a sampler over `count` ranks; `count` must be positive.
  init(count: Int) {
    precondition(count > 0, "a Zipf sampler needs at least one rank")
    var sums = [Double](repeating: 0, count: count)
    var total = 0.0
    for r in 0..<count {
      total += 1 / Double(r + 1)
      sums[r] = total
    }
    cumulative = sums
  }

  /// The number of ranks.
  var count: Int { cumulative.count }

  /// A rank drawn from the distribution.
  func sample(_ rng: inout SplitMix64) -> Int {
    let u = rng.unit() * cumulative[cumulative.count - 1]
    var lo = 0
    var hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) >> 1
      if cumulative[mid] <= u { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
