import AnomalyDetect
import Foundation
import SignalGraph

extension BenchSuite {
  /// The whole scan of the input, as `fraudscan scan` runs it, with each
  /// detector's start and end on the scan's clock, its CPU seconds and the
  /// resident memory when it ends, then the scan's wall time and peak.
  func runScan(_ bench: inout BenchRun) throws {
    let set = try bench.set()
    let (context, indexing) = Stopwatch.time { ScanContext(set) }
    Output.write("graph index: \(String(format: "%.2f", indexing)) s\n")
    let start = Stopwatch.now()
    var began: [String: (wall: Double, cpu: Double)] = [:]
    let (report, seconds) = Stopwatch.time {
      AnomalyDetect.Scanner.standard.scan(context, progress: .silent, releasingIndexes: true) { detector, findings in
        let now = Stopwatch.now() - start, cpu = Stopwatch.threadCPU()
        guard let findings else {
          began[detector] = (now, cpu)
          return
        }
        let from = began[detector] ?? (now, cpu)
        let span = "\(String(format: "%.2f", from.wall)) to \(String(format: "%.2f", now)) s"
        let used = "CPU \(String(format: "%.2f", cpu - from.cpu)) s"
        Output.write(
          "  \(detector) (\(findings) findings): \(span), \(used), resident \(Stopwatch.residentBytes() / 1_048_576) MiB\n"
        )
      }
    }
    bench.record(
      "whole scan (\(report.clusters.count) clusters), input signals", size: set.signalCount, unit: "signals",
      seconds: seconds)
  }
}
