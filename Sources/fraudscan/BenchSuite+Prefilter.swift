import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph

#if canImport(Glibc)
  import Glibc
  import InlinePrefilter
#endif

extension BenchSuite {
  /// The inline pre-filter: `Prefilter.decide(line:)` (parse and decide) over
  /// the input's `events.ndjson` on one thread, read in 4 MiB chunks; reports
  /// events per second and the per-event latency distribution (p50, p99,
  /// p99.9, max) from a log-bucketed histogram. Memory is bounded by the
  /// pre-filter's window (`--window-days`), not the stream.
  func runPrefilter(_ bench: inout BenchRun) throws {
    let path = (bench.input as NSString).appendingPathComponent("events.ndjson")
    guard let file = fopen(path, "r") else {
      Output.write("no events.ndjson in \(bench.input): write one with `fraudscan synth --stream`\n")
      return
    }
    defer { fclose(file) }
    var configuration = PrefilterConfiguration()
    configuration.windowDays = bench.windowDays
    var filter = Prefilter(configuration: configuration)
    var histogram = LatencyHistogram()
    var held = 0, revoked = 0, errors = 0
    var chunk = [UInt8](repeating: 0, count: 4 << 20)
    var lines = LineSplitter()
    var busy = 0.0
    let start = Stopwatch.now()
    func decide(_ line: [UInt8]) {
      let t0 = Stopwatch.now()
      let d = filter.decide(line: line)
      let t1 = Stopwatch.now()
      busy += t1 - t0
      histogram.record(nanoseconds: UInt64(max(0, (t1 - t0) * 1e9)))
      if d.verdict == .hold { held += 1 } else if d.verdict == .error { errors += 1 }
      revoked += d.revocations.count
    }
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      if n == 0 { break }
      chunk.withUnsafeBytes { lines.split(UnsafeRawBufferPointer(rebasing: $0[..<n])) { decide($0) } }
    }
    if let last = lines.finish() { decide(last) }
    let wall = Stopwatch.now() - start
    // What `filter --state` pays for each checkpoint, and a restart for restoring it.
    let (saved, saveSeconds) = Stopwatch.time { filter.checkpoint() }
    let (restored, restoreSeconds) = try Stopwatch.time {
      try Prefilter(configuration: configuration, checkpoint: saved)
    }
    guard restored.footprint == filter.footprint else {
      throw ValidationError("the checkpoint did not restore the same state")
    }
    let events = Int(histogram.total)
    func us(_ ns: UInt64) -> String { String(format: "%.1f µs", Double(ns) / 1_000) }
    bench.record("prefilter decide (parse + decide), in-process", size: events, unit: "events", seconds: busy)
    Output.write(
      """
        \(events) events (\(held) held, \(revoked) revoked, \(errors) errors), window \(bench.windowDays) days
        wall clock incl. file reading: \(String(format: "%.2f", wall)) s = \(Int(Double(events) / wall)) events/s
        latency p50 \(us(histogram.percentile(50))), p99 \(us(histogram.percentile(99))), p99.9 \(us(histogram.percentile(99.9))), max \(us(histogram.maximum))
        state at the end: \(filter.footprint)
        checkpoint of that state: \(saved.count / 1_048_576) MiB written in \(String(format: "%.2f", saveSeconds)) s, restored in \(String(format: "%.2f", restoreSeconds)) s

      """)
  }
}
