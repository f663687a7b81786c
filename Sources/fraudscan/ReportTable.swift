import AnomalyDetect

/// The scan report as a table for a terminal.
enum ReportTable {
  static func render(_ report: ScanReport) -> String {
    guard !report.clusters.isEmpty else {
      let ran =
        report.detectors.isEmpty
        ? "no detector is enabled yet" : "detectors: \(report.detectors.joined(separator: ", "))"
      return "No suspicious cluster among \(report.signals) signals (\(ran)).\n" + warnings(report)
    }
    var table = TextTable(header: ["rank", "kind", "detector", "score", "size", "accounts"], rightAligned: [0, 3, 4])
    for c in report.clusters {
      let shown = c.accounts.prefix(6).joined(separator: " ") + (c.accounts.count > 6 ? " …" : "")
      table.rows.append([
        String(c.rank), c.kind.rawValue, c.detector, String(format: "%.2f", c.score), String(c.accounts.count), shown,
      ])
    }
    return table.render() + warnings(report)
  }

  /// One `warning:` line per detector that could not search, or nothing.
  static func warnings(_ report: ScanReport) -> String {
    report.warnings.map { "warning: \($0)\n" }.joined()
  }
}
