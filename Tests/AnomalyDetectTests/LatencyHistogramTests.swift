import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter

/// The bench's latency histogram: exact below 128 ns, within 1/128 above,
/// and sensible at the edges (nothing recorded, one value, huge values,
/// percentiles outside 0 … 100).
@Suite struct LatencyHistogramTests {
  @Test func nothingRecordedGivesZero() {
    let h = LatencyHistogram()
    #expect(h.total == 0)
    #expect(h.maximum == 0)
    #expect(h.percentile(50) == 0)
    #expect(h.percentile(100) == 0)
  }

  @Test func smallValuesAreExact() {
    var h = LatencyHistogram()
    for v in 1...100 as ClosedRange<UInt64> { h.record(nanoseconds: v) }
    #expect(h.total == 100)
    #expect(h.maximum == 100)
    #expect(h.percentile(50) == 50)
    #expect(h.percentile(99) == 99)
    #expect(h.percentile(100) == 100)
    #expect(h.percentile(0) == 1)  // the smallest value
    #expect(h.percentile(0.5) == 1)  // rank ⌈0.5⌉ = 1
    #expect(h.percentile(1.5) == 2)
  }

  @Test func oneValueIsEveryPercentile() {
    var h = LatencyHistogram()
    h.record(nanoseconds: 1_250)
    for p in [0.0, 1, 50, 99, 99.9, 100] {
      #expect(h.percentile(p) == 1_250, "p\(p)")  // the bucket's bound, capped at the maximum
    }
  }

  /// Uniform values from 1 µs to 1 ms: each percentile within 1/128 above the true one.
  @Test func largeValuesAreWithinOneBucket() {
    var h = LatencyHistogram()
    let values = (1...1_000).map { UInt64($0) * 1_000 }
    for v in values.reversed() { h.record(nanoseconds: v) }
    for p in [1.0, 10, 50, 90, 99, 99.9] {
      let truth = values[Int((p / 100 * Double(values.count)).rounded(.up)) - 1]
      let reported = h.percentile(p)
      #expect(reported >= truth && Double(reported - truth) <= Double(truth) / 128, "p\(p): \(reported) for \(truth)")
    }
    #expect(h.percentile(100) == 1_000_000)
  }

  @Test func bucketsTileTheWholeRange() {
    // Each value falls in the bucket whose range holds it, up to UInt64.max
    // (whose bucket's end used to overflow and trap).
    for v: UInt64 in [0, 1, 127, 128, 129, 255, 256, 1_000, 123_456_789, 1 << 40, UInt64.max - 1, UInt64.max] {
      let i = LatencyHistogram.index(v)
      #expect(LatencyHistogram.value(at: i) <= v, "\(v)")
      #expect(LatencyHistogram.upperBound(at: i) >= v, "\(v)")
      #expect(i == 0 || LatencyHistogram.upperBound(at: i - 1) < v, "\(v)")
    }
    var h = LatencyHistogram()
    h.record(nanoseconds: .max)
    h.record(nanoseconds: 0)
    #expect(h.percentile(100) == .max)
    #expect(h.percentile(50) == 0)
  }

  @Test func percentilesOutsideZeroToHundredAreClamped() {
    var h = LatencyHistogram()
    for v: UInt64 in [10, 20, 30] { h.record(nanoseconds: v) }
    #expect(h.percentile(-50) == h.percentile(0))
    #expect(h.percentile(250) == h.percentile(100))
    #expect(h.percentile(250) == 30)
  }
}
