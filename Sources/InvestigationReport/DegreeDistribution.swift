import AnomalyDetect
import Foundation
import SignalGraph

/// The in-degree distribution of the endorsement graph on log-log axes: how
/// many accounts received *k* endorsements, for every *k* ≥ 1, with the same
/// count over flagged accounts only drawn on top. Honest graphs fall on a
/// rough power law; bought endorsements make flagged accounts stand off it.
struct DegreeDistribution {
  /// Appends the plot as `<svg id="id">`.
  func draw(id: String, graph: GraphIndex, flagged: [Bool], into out: inout String) {
    var all: [Int: Int] = [:], marked: [Int: Int] = [:]
    let inDegree = graph.interactionsIn
    for v in 0..<inDegree.nodeCount {
      let d = inDegree.degree(of: Int32(v))
      guard d > 0 else { continue }
      all[d, default: 0] += 1
      if v < flagged.count, flagged[v] { marked[d, default: 0] += 1 }
    }
    let title = "in-degree distribution (endorsements received)"
    guard let maxDegree = all.keys.max(), let maxCount = all.values.max() else {
      let plot = SVGPlot(id: id, xRange: 0...1, yRange: 0...1, logX: true, logY: true)
      plot.begin(title: title, xLabel: "in-degree", yLabel: "accounts", into: &out)
      plot.note("no endorsement in the set", into: &out)
      plot.end(into: &out)
      return
    }
    let plot = SVGPlot(
      id: id, xRange: -0.1...(log10(Double(maxDegree)) + 0.15),
      yRange: -0.1...(log10(Double(maxCount)) + 0.15), logX: true, logY: true)
    plot.begin(title: title, xLabel: "in-degree k (log)", yLabel: "accounts with in-degree k (log)", into: &out)
    let points = all.sorted { $0.key < $1.key }.map { (x: Double($0.key), y: Double($0.value)) }
    plot.dots(points, cls: "all big", into: &out)
    plot.dots(
      marked.sorted { $0.key < $1.key }.map { (x: Double($0.key), y: Double($0.value)) }, cls: "flag", into: &out)
    out +=
      "<text class=\"note\" x=\"\(Int(plot.width - plot.right) - 6)\" y=\"\(Int(plot.top) + 14)\" text-anchor=\"end\">grey: all accounts; red: flagged</text>"
    plot.end(into: &out)
  }
}
