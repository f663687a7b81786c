/// A log-bucketed latency histogram in the manner of HdrHistogram: values in
/// nanoseconds fall into power-of-two ranges split into 128 linear
/// sub-buckets each, so any percentile is reported within 1/128 (< 0.8 %)
/// of the true value, with a fixed 64 KiB of counters (8 192) and O(1)
/// recording.
///
/// Written here rather than depending on hdrhistogram-swift: the bench needs
/// only record and percentile, and a dependency for that would add a third
/// third-party package to ArgumentParser and TOMLKit. Package access:
/// only `fraudscan bench` (the pre-filter's decision latency) uses it.
///
///     var h = LatencyHistogram()
///     h.record(nanoseconds: 1_250)
///     h.percentile(99)   // ≈ 1_250
package struct LatencyHistogram: Sendable {
  private static let subBits = 7
  private static let subCount = 1 << subBits
  private var counts = [UInt64](repeating: 0, count: 64 * subCount)
  /// Values recorded.
  package private(set) var total: UInt64 = 0
  /// The largest value recorded.
  package private(set) var maximum: UInt64 = 0

  /// An empty histogram.
  package init() {}

  /// Records one value.
  @inline(__always)
  package mutating func record(nanoseconds v: UInt64) {
    counts[Self.index(v)] &+= 1
    total &+= 1
    if v > maximum { maximum = v }
  }

  /// The bucket of `v`.
  @inline(__always)
  static func index(_ v: UInt64) -> Int {
    if v < UInt64(subCount) { return Int(v) }
    let magnitude = 63 - v.leadingZeroBitCount  // ≥ subBits
    let shift = magnitude - subBits
    let sub = Int(v >> UInt64(shift)) - subCount  // 0 ..< subCount
    return (shift + 1) * subCount + sub
  }

  /// The smallest value of a bucket's range.
  static func value(at index: Int) -> UInt64 {
    if index < subCount { return UInt64(index) }
    let shift = index / subCount - 1
    return UInt64(subCount + index % subCount) << UInt64(shift)
  }

  /// The largest value of a bucket's range (the last bucket's ends at
  /// `UInt64.max`, where the next one's start would overflow).
  static func upperBound(at index: Int) -> UInt64 {
    index >= Self.index(.max) ? .max : value(at: index + 1) - 1
  }

  /// The value at or below which `p` percent of the recorded values lie (bucket upper bound).
  /// `p` is clamped to 0 … 100; with nothing recorded, the answer is 0.
  package func percentile(_ p: Double) -> UInt64 {
    precondition(!p.isNaN, "a percentile must be a number")
    guard total > 0 else { return 0 }
    let share = min(max(p, 0), 100) / 100
    let rank = min(UInt64((share * Double(total)).rounded(.up)), total)
    var seen: UInt64 = 0
    for (i, c) in counts.enumerated() where c > 0 {
      seen += c
      if seen >= max(rank, 1) { return min(Self.upperBound(at: i), maximum) }
    }
    return maximum
  }
}
