import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print counts, degree distributions and time spans per kind of signal.",
      discussion: """
        Degree percentiles count only accounts with at least one signal of the kind. \
        For profile edits, "in" is the number of edits per distinct value.

        Examples:
          fraudscan stats fixtures/honest-only
          fraudscan stats signals.sqlite --format json
        """)

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() throws {
      let set = try SignalSource(path: source).load(progress: .terminal())
      let stats = SignalStatistics(set)
      switch format {
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        Output.write(try encoder.encode(stats))
        Output.write("\n")
      case .table:
        Output.write("accounts: \(stats.accounts) (\(stats.accountsWithCreationTime) with a creation time)\n\n")
        var table = TextTable(
          header: [
            "kind", "count", "first", "last", "out max", "p50", "p90", "p99", "in max", "p50", "p90", "p99",
            "total amount",
          ],
          rightAligned: Set(1...12).subtracting([2, 3]))
        for k in stats.kinds {
          let o = k.outDegree, i = k.inDegree
          table.rows.append(
            [k.name, String(k.count), Self.date(k.firstTime), Self.date(k.lastTime)]
              + [o.max, o.p50, o.p90, o.p99, i.max, i.p50, i.p90, i.p99].map(String.init) + [k.totalAmount ?? ""])
        }
        Output.write(table.render())
      }
    }

    static func date(_ seconds: Int64?) -> String {
      guard let seconds else { return "-" }
      let formatter = ISO8601DateFormatter()
      return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
  }
}
