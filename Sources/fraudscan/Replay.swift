import AnomalyDetect
import ArgumentParser
import Foundation

extension Fraudscan {
  struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Scan known fraud fixtures and fail if a detector falls short of them.",
      discussion: """
        Each fixture is a directory with a signal set, labels.csv and expected.json.
        Exits with status 1 if any fixture misses its expected precision or recall,
        or flags more unlabelled accounts than it allows.

        Example:
          fraudscan replay fixtures/
        """)

    @Argument(help: "A fixture directory, or a directory of fixtures.")
    var path: String = "fixtures"

    @Flag(help: "Also print each fixture's ranked clusters.")
    var showClusters = false

    func run() throws {
      let replay = FixtureReplay(scanner: .standard)
      var results: [FixtureEvaluation] = []
      for fixture in try FixtureReplay.fixtures(under: path) {
        let (evaluation, report) = try replay.evaluate(fixture)
        results.append(evaluation)
        if showClusters {
          Output.write("== \(evaluation.name)\n" + ReportTable.render(report) + "\n")
        }
      }
      var table = TextTable(
        header: ["fixture", "kind", "labelled", "flagged", "precision", "recall", "minimum", "status"],
        rightAligned: [2, 3, 4, 5])
      for result in results {
        for k in result.kinds where k.labelled > 0 || k.flagged > 0 || k.minimum != nil {
          let minimum = k.minimum.map { "p≥\($0.minPrecision) r≥\($0.minRecall)" } ?? "-"
          let status = k.minimum?.pending.map { "pending (\($0))" } ?? (k.passed ? "ok" : "FAIL")
          table.rows.append([
            result.name, k.kind.rawValue, String(k.labelled), String(k.flagged),
            String(format: "%.3f", k.precision), String(format: "%.3f", k.recall), minimum, status,
          ])
        }
        let unlabelledStatus = result.unlabelledFlagged > result.maxUnlabelledFlagged ? "FAIL" : "ok"
        table.rows.append([
          result.name, "unlabelled flagged", "-", String(result.unlabelledFlagged), "-", "-",
          "≤\(result.maxUnlabelledFlagged)", unlabelledStatus,
        ])
      }
      Output.write(table.render())
      let failed = results.filter { !$0.passed }
      if failed.isEmpty {
        Output.write("\nreplay: \(results.count) fixture(s), all met their expectations\n")
      } else {
        for f in failed { Output.write("\n\(f.name): " + f.shortfalls.joined(separator: "; ")) }
        Output.write("\nreplay: \(failed.count) of \(results.count) fixture(s) fell short\n")
        throw ExitCode.failure
      }
    }
  }
}
