import AnomalyDetect
import Foundation
import SignalGraph

extension BenchSuite {
  /// FRAUDAR's greedy peeling alone, over the input's endorsements and over
  /// an in-memory power-law graph of `--peel-edges` edges; then the whole
  /// bought-engagement pass (dense-block, lockstep, spectral) over the input.
  func runEngagement(_ bench: inout BenchRun) throws {
    let (synthetic, build) = Stopwatch.time {
      EngagementBenchmark.powerLawPeeling(edges: bench.peelEdges, seed: 1)
    }
    Output.write(
      "built a power-law endorsement graph of \(synthetic.edges) distinct edges in \(String(format: "%.2f", build)) s\n"
    )
    let (block, peel) = bench.best { synthetic.peeling.densestBlock() }
    bench.record(
      "peeling (one FRAUDAR pass), synthetic power-law graph", size: synthetic.edges, unit: "edges", seconds: peel)
    Output.write(
      "  densest block: \(block.rows.count) rows x \(block.columns.count) columns, density \(String(format: "%.3f", block.density))\n"
    )

    let set = try bench.set()
    guard set.interactions.count > 0 else { return }
    let graph = GraphIndex(set)
    let own = EngagementBenchmark.peeling(of: set, graph: graph)
    let (_, ownPeel) = bench.best { own.peeling.densestBlock() }
    bench.record("peeling (one FRAUDAR pass), input endorsements", size: own.edges, unit: "edges", seconds: ownPeel)
    // Wall time, and the thread's CPU time beside it: on a shared machine
    // the second is the one that stays comparable between runs.
    var total = 0.0, totalCPU = 0.0
    for detector in Scanner.boughtEngagementDetectors {
      var seconds = Double.infinity, cpu = Double.infinity
      var findings: [Finding] = []
      for _ in 0..<bench.repetitions {
        let run = try Stopwatch.timeWithCPU { try detector.findings(in: set, graph: graph) }
        findings = run.0
        seconds = min(seconds, run.wall)
        cpu = min(cpu, run.cpu)
      }
      total += seconds
      totalCPU += cpu
      bench.record(
        "\(detector.name) (\(findings.count) findings), input interactions", size: set.interactions.count,
        unit: "interactions", seconds: seconds)
      Output.write("  CPU \(String(format: "%.3f", cpu)) s\n")
    }
    bench.record(
      "whole bought-engagement pass (sum of the above)", size: set.interactions.count, unit: "interactions",
      seconds: total)
    Output.write("  CPU \(String(format: "%.3f", totalCPU)) s\n")
  }
}
