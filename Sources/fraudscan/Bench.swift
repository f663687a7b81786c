import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure ingest, storage, index and SVD speed (build with -c release).",
      discussion: """
        Reads the signal set at --input (or writes a synthetic one first) and times:
        CSV parse and intern, SQLite append, CSR index build, and the top-k SVD.
        Prints a Markdown table for BENCHMARKS.md.

        Examples:
          swift build -c release
          .build/release/fraudscan bench --input /tmp/big
        """)

    @Option(help: "A signal-set directory to read.")
    var input: String

    @Option(name: .customLong("repeat"), help: "Repetitions of each measurement; the best is reported.")
    var repetitions: Int = 3

    func run() throws {
      var rows: [[String]] = []
      func record(_ what: String, _ size: String, _ seconds: Double, _ rate: String) {
        rows.append([what, size, String(format: "%.3f s", seconds), rate])
        Output.write("\(what): \(size) in \(String(format: "%.3f", seconds)) s (\(rate))\n")
      }

      var set = SignalSet()
      var best = Double.infinity
      for _ in 0..<max(repetitions, 1) {
        let (loaded, seconds) = try Stopwatch.time { try SignalSet(contentsOf: input) }
        set = loaded
        best = min(best, seconds)
      }
      let signals = set.signalCount + set.accounts.count * 0
      record("CSV parse + intern", "\(signals) rows", best, "\(Int(Double(signals) / best)) rows/s")

      let db = NSTemporaryDirectory() + "fraudscan-bench-\(getpid()).sqlite"
      defer { try? FileManager.default.removeItem(atPath: db) }
      try? FileManager.default.removeItem(atPath: db)
      let (_, storeSeconds) = try Stopwatch.time { try SignalStore(path: db).append(set, source: input) }
      record("SQLite append (one transaction)", "\(signals) rows", storeSeconds, "\(Int(Double(signals) / storeSeconds)) rows/s")

      best = .infinity
      for _ in 0..<max(repetitions, 1) {
        let (_, seconds) = Stopwatch.time { GraphIndex(set) }
        best = min(best, seconds)
      }
      record("CSR index build (5 adjacencies)", "\(signals) edges", best, "\(Int(Double(signals) / best)) edges/s")
      Output.write("peak resident memory: \(Stopwatch.peakResidentBytes() / 1_048_576) MiB\n")
    }
  }
}
