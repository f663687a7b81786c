import AnomalyDetect
import Foundation
import InvestigationReport
import SignalGraph

extension BenchSuite {
  /// The investigator's report: the rank-3 spectrum it plots, then writing
  /// the HTML of the input's own scan, of its clusters cycled to 1 000, and
  /// of a synthetic 1 000-cluster report over the input (each cluster an
  /// endorsed account and its endorsers).
  func runReport(_ bench: inout BenchRun) throws {
    let set = try bench.set()
    let graph = GraphIndex(set)
    let (spectrum, spectral) = bench.best { HTMLReport.spectrum(of: set) }
    bench.record(
      "rank-3 endorsement spectrum for the scatter plots", size: set.interactions.count, unit: "interactions",
      seconds: spectral)
    let scan = Scanner.standard.scan(set)
    let (own, ownSeconds) = bench.best { HTMLReport(report: scan).render(set: set, graph: graph, spectrum: spectrum) }
    bench.record(
      "HTML of the input's scan (\(own.utf8.count / 1024) KiB)", size: scan.clusters.count, unit: "clusters",
      seconds: ownSeconds)
    let synthetic = InvestigationBenchmark.syntheticReport(clusters: 1000, over: set, graph: graph)
    let (html, seconds) = bench.best {
      HTMLReport(report: synthetic).render(set: set, graph: graph, spectrum: spectrum)
    }
    let cycled = InvestigationBenchmark.repeated(scan, to: 1000)
    let (big, bigSeconds) = bench.best { HTMLReport(report: cycled).render(set: set, graph: graph, spectrum: spectrum) }
    bench.record(
      "HTML of the scan's clusters cycled to \(cycled.clusters.count) (\(big.utf8.count / 1024) KiB)",
      size: cycled.clusters.count,
      unit: "clusters", seconds: bigSeconds)
    bench.record(
      "HTML of \(synthetic.clusters.count) synthetic clusters (\(html.utf8.count / 1024) KiB)",
      size: synthetic.clusters.count,
      unit: "clusters", seconds: seconds)
  }
}
