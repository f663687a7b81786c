import AnomalyDetect
import ArgumentParser
import Foundation
import InvestigationReport
import SignalGraph

extension Fraudscan {
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Scan a signal set and write the investigator's report: one self-contained HTML file.",
      discussion: """
        The file has a summary, the ranked cluster table, one section per cluster (members \
        by role, evidence, a drawing of its subgraph, a timeline of its signals) and the \
        spectral scatter and degree-distribution plots. It loads nothing from the network.

        Examples:
          fraudscan report fixtures/like-farm --out report.html
          fraudscan report signals.sqlite --out report.html --top 100
          fraudscan report signals.sqlite --out report.html --config settings.toml
        """)

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @Option(help: "The HTML file to write.")
    var out: String

    @Option(help: "Keep only the N most suspicious clusters.")
    var top: Int?

    @OptionGroup var settings: SettingsOptions

    func validate() throws {
      if let top, top < 1 {
        throw ValidationError("--top must be at least 1 (it keeps the N most suspicious clusters), not \(top)")
      }
    }

    func run() throws {
      let progress = ProgressReporter.terminal()
      let scanner = try Scanner(configuration: settings.configuration())
      let context = ScanContext(try SignalSource(path: source).load(progress: progress), policy: scanner.policy)
      let set = context.set
      var report = scanner.scan(context, progress: progress)
      let found = report.clusters.count
      if let top { report = report.top(top) }
      progress.show("report: spectrum")
      let spectrum = HTMLReport.spectrum(of: context)  // the scan's own, when it has three vectors
      progress.show("report: writing")
      var parameters: [(name: String, value: String)] = [
        ("source", source), ("fraudscan", Fraudscan.configuration.version),
      ]
      parameters.append(("clusters found", String(found)))
      if let top { parameters.append(("--top", String(top))) }
      if let config = settings.config { parameters.append(("--config", config)) }
      let html = HTMLReport(report: report, parameters: parameters)
        .render(set: set, graph: context.graph, spectrum: spectrum)
      progress.finish()
      try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
      Output.write("wrote \(out): \(report.clusters.count) clusters, \(html.utf8.count / 1024) KiB\n")
    }
  }
}
