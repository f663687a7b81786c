import AnomalyDetect
import Foundation
import SignalGraph
import SignalSynthesis

extension BenchSuite {
  /// Temporal cycle enumeration (issue 4): builds the enumerator (strongly
  /// connected components and time-ordered rows) and counts every cycle of up
  /// to 8 hops within 72 hours, on the input set's payments or, with
  /// `--payments N`, on a synthetic payment multigraph generated in memory;
  /// on an input set, also every circular-payment detector (issue 12: all
  /// payment typologies), each timed alone.
  func runCycles(_ bench: inout BenchRun) throws {
    let graph: PaymentColumns
    if let count = bench.syntheticPayments {
      let (generated, seconds) = Stopwatch.time { PaymentColumns.synthetic(payments: count, seed: bench.seed) }
      graph = generated
      Output.write(
        "generated \(graph.source.count) payments among \(graph.accountCount) accounts in memory "
          + "in \(String(format: "%.2f", seconds)) s\n")
    } else {
      graph = PaymentColumns(try bench.set())
    }
    if let path = bench.cyclesCSV {
      try graph.writeCSV(to: path)
      Output.write("wrote the payments to \(path) (src,dst,ts)\n")
    }
    let m = graph.source.count
    let (enumerator, build) = try bench.best {
      try TemporalCycleEnumerator(
        source: graph.source, target: graph.target, time: graph.time, accountCount: graph.accountCount)
    }
    Output.write("payments inside strongly connected components: \(enumerator.candidatePaymentCount) of \(m)\n")
    bench.record("cycle index build (SCC + time-ordered rows)", size: m, unit: "payments", seconds: build)
    let (cycles, enumerate) = bench.best { enumerator.count() }
    bench.record("temporal cycles, L 8, W 72 h (\(cycles) cycles)", size: m, unit: "payments", seconds: enumerate)
    bench.record("build + enumerate", size: m, unit: "payments", seconds: build + enumerate)
    if bench.syntheticPayments == nil {
      let set = try bench.set()
      let graphIndex = GraphIndex(set)
      var total = 0.0
      for detector in Scanner.circularPaymentDetectors {
        let (findings, detect) = try bench.best { try detector.findings(in: set, graph: graphIndex) }
        bench.record(
          "\(detector.name) detector (\(findings.count) findings)", size: m, unit: "payments", seconds: detect)
        total += detect
      }
      bench.record("the payment detectors one by one", size: m, unit: "payments", seconds: total)
      // As a scan runs them: one context, so the cycle index is built once for both cycle detectors.
      let (_, together) = try bench.best {
        let context = ScanContext(set, graph: graphIndex)
        return try Scanner.circularPaymentDetectors.map { try $0.findings(in: context) }
      }
      bench.record(
        "every payment typology, as a scan runs them (shared cycle index)", size: m, unit: "payments", seconds: together
      )
    }
    Output.write("peak resident memory after cycles: \(Stopwatch.peakResidentBytes() / 1_048_576) MiB\n")
  }
}
