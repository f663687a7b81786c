/// A log-bucketed latency histogram in the manner of HdrHistogram: values in
/// nanoseconds fall into power-of-two ranges split into 128 linear
/// sub-buckets each, so any percentile is reported within 1/128 (< 0.8 %)
/// of the true value, with a fixed 8 KiB of counters and O(1) recording.
///
/// Written here rather than depending on hdrhistogram-swift: the bench needs
/// only record and percentile, and a dependency for that would be the only
/// third-party package besides ArgumentParser.
///
///     var h = LatencyHistogram()
///     h.record(nanoseconds: 1_250)
///     h.percentile(99)   // ≈ 1_250
struct LatencyHistogram {
  private static let subBits = 7
  private static let subCount = 1 << subBits
  private var counts = [UInt64](repeating: 0, count: 64 * subCount)
  /// Values recorded.
  private(set) var total: UInt64 = 0
  /// The largest value recorded.
  private(set) var maximum: UInt64 = 0

  /// Records one value.
  @inline(__always)
  mutating func record(nanoseconds v: UInt64) {
    counts[Self.index(v)] &+= 1
    total &+= 1
    if v > maximum { maximum = v }
  }

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

  /// The value at or below which `p` percent of the recorded values lie (bucket upper bound).
  func percentile(_ p: Double) -> UInt64 {
    guard total > 0 else { return 0 }
    let rank = UInt64((p / 100 * Double(total)).rounded(.up))
    var seen: UInt64 = 0
    for (i, c) in counts.enumerated() where c > 0 {
      seen += c
      if seen >= max(rank, 1) { return min(Self.value(at: i + 1) - 1, maximum) }
    }
    return maximum
  }
}
