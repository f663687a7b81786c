import AnomalyDetect
import SignalGraph

/// Inputs for timing ``HTMLReport`` at scale (`fraudscan bench --suite report`)
/// and for testing its size bound: a report of many clusters over a real set.
package enum InvestigationBenchmark {
  /// A report of `count` clusters over `set`, kinds in turn: each cluster is
  /// an endorsed account and up to 15 of its endorsers, so drawings and
  /// timelines have real signals. Deterministic; fewer clusters when the set
  /// has fewer endorsed accounts.
  package static func syntheticReport(clusters count: Int, over set: SignalSet, graph: GraphIndex) -> ScanReport {
    let ids = set.accounts.ids
    var clusters: [Cluster] = []
    clusters.reserveCapacity(count)
    var v: Int32 = 0
    while clusters.count < count, Int(v) < set.accounts.count {
      defer { v += 1 }
      let endorsers = graph.interactionsIn.neighbors(of: v)
      guard endorsers.count >= 2 else { continue }
      let members = Set(endorsers.prefix(15)).union([v]).map { ids[$0] }.sorted()
      let kind = ManipulationKind.allCases[clusters.count % ManipulationKind.allCases.count]
      clusters.append(
        Cluster(
          rank: clusters.count + 1, kind: kind, detector: "bench", score: Double(count - clusters.count),
          accounts: members,
          evidence: [
            "reason": .string("\(members.count - 1) accounts endorsed \(ids[v])"),
            "endorsers": .integer(members.count - 1),
          ]))
    }
    return ScanReport(clusters: clusters, detectors: ["bench"], signals: set.signalCount)
  }

  /// `report`'s clusters repeated in turn until there are `count`, ranked
  /// anew: real clusters at the size of a big scan, for the size bound.
  package static func repeated(_ report: ScanReport, to count: Int) -> ScanReport {
    guard !report.clusters.isEmpty else { return report }
    let clusters = (0..<count).map { i in
      var c = report.clusters[i % report.clusters.count]
      c.rank = i + 1
      return c
    }
    return ScanReport(clusters: clusters, detectors: report.detectors, signals: report.signals)
  }
}
