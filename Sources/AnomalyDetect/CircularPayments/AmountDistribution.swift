/// The honest background's amounts: how often a payment of a signal set
/// carries an amount near a given one.
///
/// It is the chance a randomly drawn payment's amount falls within a
/// relative band of `amount`, read off the sorted amounts of every payment
/// in the set, less those set aside (``excluding(_:)``: the payments a
/// detector already found to be no chance, so that a scheme does not hide in
/// its own amounts). A band never counts fewer than one payment, so no
/// coincidence is ever called impossible.
///
///     let amounts = AmountDistribution([100_000_000, 100_000_000, 250_000_000])
///     amounts.share(near: 100_000_000, tolerance: 0.1)   // 2/3
///     amounts.share(exactly: 250_000_000)                 // 1/3
///     amounts.excluding([250_000_000]).share(exactly: 250_000_000)   // 1/2: never 0
///
/// - Complexity: O(*n*) to build (a radix sort of the amounts); O(log *n*)
///   per question.
struct AmountDistribution {
  private let sorted: [Int64]
  private var removed: [Int64] = []

  /// The distribution of `amounts` (micro-units, not negative).
  init<Amounts: Sequence<Int64>>(_ amounts: Amounts) { sorted = Self.radixSorted(Array(amounts)) }

  /// The distribution without the payments of `amounts` (each one taken out once).
  func excluding<Amounts: Sequence<Int64>>(_ amounts: Amounts) -> AmountDistribution {
    var copy = self
    copy.removed = (removed + amounts).sorted()
    return copy
  }

  /// The share of payments whose amount lies within `tolerance` (relative)
  /// of `amount`: in `amount·(1 − tolerance) … amount·(1 + tolerance)`.
  func share(near amount: Int64, tolerance: Double) -> Double {
    share(in: Self.band(near: amount, tolerance: tolerance))
  }

  /// The amounts within `tolerance` (relative) of `amount`, widened outward to whole micros.
  static func band(near amount: Int64, tolerance: Double) -> ClosedRange<Int64> {
    // Amounts near Int64.max widen past it: the band stops there.
    func clamped(_ bound: Double) -> Int64 { bound < Double(Int64.max) ? Int64(bound) : .max }
    return clamped(
      (Double(amount) * (1 - tolerance)).rounded(.down))...clamped((Double(amount) * (1 + tolerance)).rounded(.up))
  }

  /// The share of payments whose amount lies in `low...high`.
  func share(in range: ClosedRange<Int64>) -> Double { fraction(inRange: range.lowerBound, range.upperBound) }

  /// The share of payments of exactly `amount`.
  func share(exactly amount: Int64) -> Double { fraction(inRange: amount, amount) }

  private func fraction(inRange low: Int64, _ high: Int64) -> Double {
    let total = sorted.count - removed.count
    guard total > 0 else { return 1 }
    let n = Self.count(sorted, low, high) - Self.count(removed, low, high)
    return Double(max(n, 1)) / Double(total)
  }

  /// How many of `values` (sorted) lie in `low...high`.
  private static func count(_ values: [Int64], _ low: Int64, _ high: Int64) -> Int {
    firstIndex(in: values) { $0 > high } - firstIndex(in: values) { $0 >= low }
  }

  /// The first index of `values` (sorted) where `isAfter` holds.
  private static func firstIndex(in values: [Int64], where isAfter: (Int64) -> Bool) -> Int {
    var low = 0, high = values.count
    while low < high {
      let mid = (low + high) / 2
      if isAfter(values[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }

  /// `values` sorted by a least-significant-byte radix sort, skipping the
  /// bytes every value shares (amounts rarely use more than five).
  private static func radixSorted(_ values: [Int64]) -> [Int64] {
    var keys = values.map { UInt64(bitPattern: $0) ^ (1 << 63) }  // order-preserving for negatives too
    var buffer = keys
    let differing = keys.reduce(0) { $0 | ($1 ^ keys[0]) }
    for byte in 0..<8 where (differing >> (8 * byte)) & 0xFF != 0 {
      let shift = UInt64(8 * byte)
      var starts = [Int](repeating: 0, count: 257)
      for k in keys { starts[Int((k >> shift) & 0xFF) + 1] += 1 }
      for b in 0..<256 { starts[b + 1] += starts[b] }
      for k in keys {
        let b = Int((k >> shift) & 0xFF)
        buffer[starts[b]] = k
        starts[b] += 1
      }
      swap(&keys, &buffer)
    }
    return keys.map { Int64(bitPattern: $0 ^ (1 << 63)) }
  }
}
