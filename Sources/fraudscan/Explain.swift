import AnomalyDetect
import ArgumentParser
import Foundation
import InvestigationReport
import SignalGraph

extension Fraudscan {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Say why an account is or is not flagged.",
      discussion: """
        Scans the set and lists every cluster that implicates the account: its rank, kind, \
        detectors, score, reason, the account's role, and each finding's figures; then its \
        credit score part by part, with every signal and without the signals the scan's \
        clusters implicate (held). \
        Exits with status 1 when the account is not in the set.

        Examples:
          fraudscan explain u17 fixtures/like-farm
          fraudscan explain u17 fixtures/like-farm --config settings.toml
        """)

    @Argument(help: "The account id.")
    var account: String

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @OptionGroup var settings: SettingsOptions

    func run() throws {
      let progress = ProgressReporter.terminal()
      let scanner = try Scanner(configuration: settings.configuration())
      let context = ScanContext(try SignalSource(path: source).load(progress: progress), policy: scanner.policy)
      let set = context.set, graph = context.graph
      let report = scanner.scan(context, progress: progress)
      let score = set.accounts.ids.index(of: account).map {
        ScoreComparison(account: $0, set: set, held: report.heldSignals(in: set, graph: graph))
      }
      let explanation = AccountExplanation(account: account, report: report, set: set, graph: graph, score: score)
      Output.write(explanation.text)
      if !explanation.known { throw ExitCode(1) }
    }
  }
}
