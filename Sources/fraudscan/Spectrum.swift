import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Spectrum: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the top singular values of the endorsement graph and the accounts on each vector.",
      discussion: """
        Decomposes the binary endorser x endorsed adjacency of all interactions with a \
        randomized truncated SVD. A farm of a fakes all endorsing b customers shows up as \
        a singular value near sqrt(a*b) whose vectors single out its members.

        Examples:
          fraudscan spectrum fixtures/like-farm --k 3
          fraudscan spectrum signals.sqlite --k 10 --top 5 --format json
        """)

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @Option(help: "How many singular values.")
    var k: Int = 10

    @Option(help: "How many accounts to show per singular vector.")
    var top: Int = 8

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func validate() throws {
      guard k > 0 else { throw ValidationError("--k must be positive") }
      guard top > 0 else { throw ValidationError("--top must be positive") }
    }

    func run() throws {
      let set = try SignalSource(path: source).load(progress: .terminal())
      guard set.interactions.count > 0 else {
        throw ValidationError("\(source) has no interactions: there is no endorsement graph to decompose")
      }
      let spectrum = try EndorsementSpectrum(set, rank: k, top: top)
      let ids = set.accounts.ids
      switch format {
      case .json:
        let components: [[String: Any]] = spectrum.components.enumerated().map { i, c in
          [
            "index": i + 1, "singular_value": c.singularValue,
            "endorsers": c.endorsers.map { ["account": ids[$0.account], "component": $0.weight] },
            "endorsed": c.endorsed.map { ["account": ids[$0.account], "component": $0.weight] },
          ]
        }
        let object: [String: Any] = [
          "accounts": set.accounts.count, "nonzeros": spectrum.adjacency.nonzeroCount, "components": components,
        ]
        Output.write(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]))
        Output.write("\n")
      case .table:
        Output.write(
          "endorsement adjacency: \(set.accounts.count) x \(set.accounts.count), "
            + "\(spectrum.adjacency.nonzeroCount) distinct endorser-endorsed pairs\n\n")
        for (i, c) in spectrum.components.enumerated() {
          Output.write("σ\(i + 1) = \(String(format: "%.4f", c.singularValue))\n")
          let shown = { (list: [(account: Int32, weight: Double)]) in
            list.map { "\(ids[$0.account]) (\(String(format: "%+.3f", $0.weight)))" }.joined(separator: ", ")
          }
          Output.write("  endorsers: \(shown(c.endorsers))\n  endorsed:  \(shown(c.endorsed))\n")
        }
      }
    }
  }
}
