import AnomalyDetect
import SignalGraph

extension BenchSuite {
  /// The whole fake-profile pass: every fake-profile detector of
  /// `Scanner.standard` over the input's profile edits, on one thread.
  func runProfiles(_ bench: inout BenchRun) throws {
    let set = try bench.set()
    let graph = GraphIndex(set)
    let edits = set.profileEdits.count
    let detectors = Scanner.fakeProfileDetectors
    for detector in detectors {
      let (found, seconds) = try bench.best { try detector.findings(in: set, graph: graph).count }
      bench.record("\(detector.name) (\(found) findings)", size: edits, unit: "edits", seconds: seconds)
    }
    let (clusters, seconds) = bench.best {
      Scanner(detectors: detectors).scan(set).clusters.count
    }
    bench.record(
      "fake-profile pass, index build included (\(clusters) clusters)", size: edits, unit: "edits",
      seconds: seconds)
  }
}
