import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Scan a signal set and print ranked suspicious clusters.",
      discussion: """
        Examples:
          fraudscan scan fixtures/like-farm
          fraudscan scan signals.sqlite --format table --top 20
          fraudscan scan signals.sqlite --format csv > clusters.csv
          fraudscan scan signals.sqlite --format accounts > ranking.csv
          fraudscan scan signals.sqlite --config settings.toml

        A detector that could not search the set is named in a warning: a line of the \
        table, the "warnings" key of the JSON report (left out when there is none), and \
        standard error for json and csv.
        """)

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @Option(
      help:
        "Output format: json (the contract's report), table, csv (one row per cluster and account), or accounts (the account ranking: account,kind,score,cluster_rank)."
    )
    var format: ScanFormat = .json

    @Option(
      help:
        "Interaction kinds that endorse, comma-separated (default follow,like, or the settings file's); a negative rating never endorses."
    )
    var endorsements: String?

    @OptionGroup var settings: SettingsOptions

    @Option(help: "Keep only the N most suspicious clusters.")
    var top: Int?

    func validate() throws {
      if let top, top < 1 {
        throw ValidationError("--top must be at least 1 (it keeps the N most suspicious clusters), not \(top)")
      }
    }

    func run() throws {
      let progress = ProgressReporter.terminal()
      let scanner = try Scanner(configuration: settings.configuration(endorsements: endorsements))
      let set = try SignalSource(path: source).load(progress: progress)
      var report = scanner.scan(set, progress: progress)
      if let top { report = report.top(top) }
      switch format {
      case .json:
        try Output.write(report.jsonData())
        Output.write("\n")
        Output.warn(ReportTable.warnings(report))
      case .table:
        Output.write(ReportTable.render(report))
      case .csv:
        Output.write(report.csv())
        Output.warn(ReportTable.warnings(report))
      case .accounts:
        Output.write(report.accountsCSV())
        Output.warn(ReportTable.warnings(report))
      }
    }
  }
}
