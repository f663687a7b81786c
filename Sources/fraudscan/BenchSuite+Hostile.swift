import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph
import SignalSynthesis

extension BenchSuite {
  /// Valid but hostile inputs (`HostileSignalSet`): complete bipartite
  /// follow graphs of 1 000² and 2 000², one account paying itself a
  /// million times, 200 000 accounts sharing one profile value, one account
  /// following a million and one followed by a million. Each is written as
  /// CSV to a temporary directory, loaded and scanned by every detector (as
  /// `fraudscan scan DIR` does), then its events are decided by the
  /// pre-filter (generated in memory, not parsed). Prints the time of each
  /// step and the peak resident memory of the scan and of the pre-filter
  /// (the peak is reset before each). A detector that is not near-linear in
  /// the signals stalls here.
  func runHostile(_ bench: inout BenchRun) throws {
    let cases: [HostileSignalSet] = [
      .completeBipartite(side: 1_000), .completeBipartite(side: 2_000),
      .selfPayments(count: 1_000_000), .sharedValue(accounts: 200_000),
      .followsEveryone(count: 1_000_000), .celebrity(followers: 1_000_000),
    ]
    for hostile in cases {
      Output.write("\(hostile): \(hostile.signals) signals\n")
      let directory = URL(fileURLWithPath: NSTemporaryDirectory() + "fraudscan-hostile-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: directory) }
      try hostile.write(to: directory)
      Stopwatch.resetPeakResident()
      let (set, load) = try Stopwatch.time { try SignalSet(contentsOf: directory.path) }
      let (report, scan) = bench.best { Scanner.standard.scan(set) }
      bench.record("  load (CSV parse, intern)", size: hostile.signals, unit: "signals", seconds: load)
      bench.record(
        "  scan, every detector (\(report.clusters.count) clusters)", size: hostile.signals, unit: "signals",
        seconds: scan)
      for warning in report.warnings { Output.write("  warning: \(warning)\n") }
      Output.write(
        "  peak resident memory, load and scan: \(Stopwatch.peakResidentBytes(sinceReset: true) / 1_048_576) MiB\n")
      Stopwatch.resetPeakResident()
      var held = 0
      let (_, decide) = Stopwatch.time {
        var filter = Prefilter()
        hostile.forEachEvent { if filter.decide($0).verdict == .hold { held += 1 } }
      }
      bench.record("  pre-filter (\(held) held)", size: hostile.signals, unit: "events", seconds: decide)
      Output.write(
        "  peak resident memory, pre-filter: \(Stopwatch.peakResidentBytes(sinceReset: true) / 1_048_576) MiB\n")
    }
  }
}
