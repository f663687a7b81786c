import AnomalyDetect
import ArgumentParser
import Evaluation
import Foundation

extension Fraudscan {
  struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Scan known fraud fixtures and fail if a detector falls short of them.",
      discussion: """
        Each fixture is a directory with a signal set, labels.csv and expected.json, \
        or an expectation .json file whose "data" names a signal set kept elsewhere \
        (a path relative to the file, e.g. fixtures/realdata/bitcoin-otc.json reads \
        ../shared/realdata/bitcoin-otc in place; a missing set is an error). Per kind \
        it reports precision (on labelled accounts when the labels are partial), \
        recall, F1, precision at 10 and 50 and average precision of the account \
        ranking, and the honest accounts in its top 50. \
        Exits with status 1 if any fixture misses one of its minimums, flags more \
        unlabelled accounts than it allows, makes a detector fail (a warning in its \
        report), or, for fixtures with an event stream, if the pre-filter misses its \
        targets (≥ 90 % of fraud withheld, ≤ 1 % of honest signals withheld, ≥ 90 % \
        of the buyers' inflation cut).

        Example:
          fraudscan replay fixtures/
          fraudscan replay fixtures/realdata/bitcoin-otc.json
        """)

    @Argument(help: "A fixture directory, an expectation .json file, or a directory of fixtures.")
    var path: String = "fixtures"

    @Flag(help: "Also print each fixture's ranked clusters.")
    var showClusters = false

    @OptionGroup var settings: SettingsOptions

    func run() throws {
      let replay = FixtureReplay(scanner: try Scanner(configuration: settings.configuration()))
      var verdicts: [FixtureVerdict] = []
      for fixture in try FixtureReplay.fixtures(under: path) {
        let verdict = try replay.verdict(fixture)
        verdicts.append(verdict)
        if showClusters {
          Output.write("== \(verdict.name)\n" + ReportTable.render(verdict.report) + "\n")
        }
      }
      var table = TextTable(
        header: [
          "fixture", "kind", "labelled", "flagged", "precision", "recall", "F1", "P@10", "P@50", "AP", "honest@50",
          "minimum", "status",
        ],
        rightAligned: [2, 3, 4, 5, 6, 7, 8, 9, 10])
      for result in verdicts.map(\.evaluation) {
        for k in result.kinds where k.labelled > 0 || k.flagged > 0 || k.minimum != nil {
          let status = k.minimum?.pending.map { "pending (\($0))" } ?? (k.passed ? "ok" : "FAIL")
          let f = { (x: Double) in String(format: "%.3f", x) }
          table.rows.append([
            result.name, k.kind.rawValue, String(k.labelled), String(k.flagged), f(k.precision), f(k.recall),
            f(k.f1), f(k.precisionAt10), f(k.precisionAt50), f(k.averagePrecision), String(k.honestInTop50),
            k.minimum.map(Self.describe) ?? "-", status,
          ])
        }
        if result.labels == .partial {
          table.rows.append([
            result.name, "unlabelled flagged", "-", String(result.unlabelledFlagged), "-", "-", "-", "-", "-", "-",
            "-", "unknown (partial labels)", "ok",
          ])
        } else {
          let unlabelledStatus = result.unlabelledFlagged > result.maxUnlabelledFlagged ? "FAIL" : "ok"
          table.rows.append([
            result.name, "unlabelled flagged", "-", String(result.unlabelledFlagged), "-", "-", "-", "-", "-", "-",
            "-", "≤\(result.maxUnlabelledFlagged)", unlabelledStatus,
          ])
        }
      }
      Output.write(table.render())
      let warnings = verdicts.flatMap { verdict in verdict.report.warnings.map { "\(verdict.name): warning: \($0)\n" } }
      if !warnings.isEmpty { Output.write("\n" + warnings.joined()) }
      Self.printPrefilterTable(verdicts)
      let failed = verdicts.filter { !$0.passed }
      if failed.isEmpty {
        Output.write("\nreplay: \(verdicts.count) fixture(s), all met their expectations\n")
      } else {
        for verdict in failed.sorted(by: { $0.name < $1.name }) {
          Output.write("\n\(verdict.name): " + verdict.shortfalls.map(\.description).joined(separator: "; "))
        }
        Output.write("\nreplay: \(failed.count) of \(verdicts.count) fixture(s) fell short\n")
        throw ExitCode.failure
      }
    }

    /// `p≥0.9 r≥0.5 honest@50≤0`: the minimums a fixture sets for a kind.
    private static func describe(_ m: FixtureExpectation.Minimum) -> String {
      var parts = ["p≥\(m.minPrecision)", "r≥\(m.minRecall)"]
      if let x = m.minF1 { parts.append("F1≥\(x)") }
      if let x = m.minPrecisionAt10 { parts.append("P@10≥\(x)") }
      if let x = m.minPrecisionAt50 { parts.append("P@50≥\(x)") }
      if let x = m.minAveragePrecision { parts.append("AP≥\(x)") }
      if let x = m.maxHonestInTop50 { parts.append("honest@50≤\(x)") }
      return parts.joined(separator: " ")
    }

    /// Prints the pre-filter's quality on the fixtures that carry an event
    /// stream (events.ndjson with events_truth.csv), or ask for their
    /// payments streamed (real data).
    private static func printPrefilterTable(_ verdicts: [FixtureVerdict]) {
      let streams = verdicts.compactMap { verdict in verdict.prefilter.map { (verdict.name, $0) } }
      guard !streams.isEmpty else { return }
      var table = TextTable(
        header: ["fixture", "events", "errors", "fraud withheld", "honest withheld", "inflation cut", "targets"],
        rightAligned: [1, 2, 3, 4, 5])
      for (name, q) in streams {
        table.rows.append([
          name, String(q.events), String(q.errors),
          String(format: "%.1f %% (%d/%d)", 100 * q.fraudWithheldShare, q.fraudWithheld, q.fraud),
          String(format: "%.2f %% (%d/%d)", 100 * q.honestWithheldShare, q.honestWithheld, q.honest),
          String(format: "%.1f %% (%d → %d)", 100 * q.inflationCut, q.inflationWithout, q.inflationWith),
          q.meetsTargets ? "met (\(q.targets.summary))" : "missed (\(q.targets.summary))",
        ])
      }
      Output.write("\npre-filter (fixtures with an event stream, or their payments streamed)\n" + table.render())
    }
  }
}
