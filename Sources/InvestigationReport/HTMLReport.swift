import AnomalyDetect
import SignalGraph

/// The investigator's view of a scan: one self-contained HTML file (inline
/// CSS and SVG only; no script, font, image or other network resource).
///
/// It holds a summary (signals and clusters by kind, accounts implicated, the
/// run's parameters), the ranked cluster table linking to one section per
/// cluster (members by role, evidence in words, a drawing of its subgraph and
/// a timeline of its signals), and graph-wide plots: the spectral scatter of
/// u₁ vs u₂ and u₂ vs u₃ and the log-log in-degree distribution, flagged
/// accounts highlighted. The output is XHTML-compatible (every element
/// closed, every user-supplied string escaped), so XML parsers read it.
///
///     let context = ScanContext(try SignalSource(path: "fixtures/like-farm").load())
///     let report = Scanner.standard.scan(context)
///     let html = HTMLReport(report: report).render(
///       set: context.set, graph: context.graph, spectrum: HTMLReport.spectrum(of: context))
///
/// Drawings are capped (60 accounts, 300 edges and 200 timeline ticks per
/// cluster; 30, 120 and 100 past 250 clusters; 5 000 scatter points) and
/// evidence text is cut at 400 characters and 25 list items (240 and 10 past
/// 250 clusters), so 1 000 clusters stay under 10 MB.
public struct HTMLReport: Sendable {
  /// The scan report to show.
  public var report: ScanReport
  /// The run's parameters as shown in the summary, e.g. `("source", "/tmp/s7")`.
  public var parameters: [(name: String, value: String)]

  var drawing = ClusterDrawing()
  var timeline = ClusterTimeline()
  var scatter = SpectralScatter()

  /// Creates the view of `report`, listing `parameters` in its summary.
  public init(report: ScanReport, parameters: [(name: String, value: String)] = []) {
    self.report = report
    self.parameters = parameters
  }

  /// The HTML document for `set` (the scanned set), whose index is `graph`;
  /// `spectrum` is what the scatter plots draw, or why they cannot
  /// (`spectrum(of:)`).
  public func render(set: SignalSet, graph: GraphIndex, spectrum: Spectrum) -> String {
    var drawing = self.drawing, timeline = self.timeline, evidence = (items: 25, text: 400)
    if report.clusters.count > 250 {  // many clusters: smaller drawings and evidence, so 1 000 stay under 10 MB
      drawing.maxNodes = min(drawing.maxNodes, 30)
      drawing.maxEdges = min(drawing.maxEdges, 120)
      timeline.maxMarks = min(timeline.maxMarks, 100)
      evidence = (10, 240)
    }
    var out = ""
    out.reserveCapacity(8_192 + report.clusters.count * 6_144)
    var flagged = [Bool](repeating: false, count: set.accounts.count)
    var implicated = Set<String>()
    for cluster in report.clusters {
      for id in cluster.accounts {
        implicated.insert(id)
        if let i = set.accounts.ids.index(of: id) { flagged[Int(i)] = true }
      }
    }
    out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>fraudscan investigator's report</title><style>"
    out += Self.style
    out += "</style></head><body><h1>fraudscan: investigator's report</h1>"
    summary(set, implicated: implicated.count, into: &out)
    plots(set, graph: graph, spectrum: spectrum, flagged: flagged, into: &out)
    table(into: &out)
    var scratch = [Bool](repeating: false, count: set.accounts.count)
    for cluster in report.clusters {
      let signals = ClusterSignals(cluster, set: set, graph: graph, scratch: &scratch)
      section(cluster, signals, set, drawing: drawing, timeline: timeline, evidence: evidence, into: &out)
    }
    out +=
      "<footer>Written by fraudscan. Every account id and value above is data from the signal set, shown as text.</footer></body></html>\n"
    return out
  }

  static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#1d2430;padding:0 16px}\
    h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;border-bottom:2px solid #d8dde6;padding-bottom:4px;margin-top:28px}\
    h3{font-size:16px;margin:0 0 6px}h4{font-size:13px;margin:10px 0 4px;color:#4a5568;text-transform:uppercase;letter-spacing:.04em}\
    table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #e2e6ee;padding:3px 8px;text-align:left;vertical-align:top}\
    th{background:#f1f4f9}td.n{text-align:right;font-variant-numeric:tabular-nums}.grid{display:flex;flex-wrap:wrap;gap:18px}\
    .cluster{border:1px solid #d8dde6;border-radius:6px;padding:12px 14px;margin:18px 0;background:#fff}\
    .reason{background:#fff8e6;border-left:3px solid #e0a100;padding:4px 8px;margin:4px 0 8px}\
    .k{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;color:#fff}\
    .a{font-family:ui-monospace,monospace;font-size:12px;background:#eef1f6;border-radius:3px;padding:0 4px;margin:1px;display:inline-block}\
    ul.ids{list-style:none;padding:0;margin:0}ul.ids li{font-family:ui-monospace,monospace;font-size:12px;background:#eef1f6;border-radius:3px;padding:0 4px;margin:1px 2px;display:inline-block}\
    .members{flex:1 1 380px;min-width:300px}.pic{flex:0 0 auto}dl.ev{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:1px 10px}\
    dl.ev dt{color:#4a5568}dl.ev dd{margin:0}ol.ev{margin:0;padding-left:18px}.finding{margin:6px 0}\
    svg{background:#fbfcfe;border:1px solid #e2e6ee;border-radius:4px}svg text{font:11px system-ui,sans-serif;fill:#1d2430}\
    .ptitle{font-weight:600}.frame{fill:none;stroke:#b8c0cc}.tick,.lane{stroke:#b8c0cc}.tl{fill:#4a5568}.al{fill:#4a5568}.note{fill:#6b7380;font-style:italic}\
    .dots{fill:none;stroke-linecap:round}.dots.all{stroke:#8d97a5;stroke-width:3;stroke-opacity:.55}.dots.big{stroke-width:5}\
    .dots.flag{stroke:#d62d20;stroke-width:5}.edges{fill:none;stroke:#7a8696;stroke-opacity:.5;stroke-width:1}.arrows{fill:#1f6fb2}\
    .n{stroke:#fff;stroke-width:1}.n.e{fill:#c0392b}.n.b{fill:#e67e22}.n.r{fill:#1f6fb2}.n.m{fill:#8d97a5}.n.s{fill:#7d3c98}\
    .graph text{font-size:10px}rect.v{fill:#f3e9f8;stroke:#7d3c98}.vl{font-size:11px}\
    .marks{fill:none;stroke-width:1.5}.ti{stroke:#c0392b}.tp{stroke:#1f6fb2}.te{stroke:#7d3c98}\
    footer{margin-top:30px;color:#6b7380;font-size:12px}a{color:#1f5fa8}\
    .warn{background:#fdecea;border-left:3px solid #d62d20;padding:4px 10px;margin:10px 0}.warn ul{margin:0;padding-left:18px}\
    .cc{font-family:ui-monospace,monospace;color:#b00020;background:#fde8ec;border:1px dashed #d62d20;border-radius:2px}
    """ + ManipulationKind.badgeStyle

  private func summary(_ set: SignalSet, implicated: Int, into out: inout String) {
    out +=
      "<section id=\"summary\"><h2>Summary</h2><div class=\"grid\"><div><h4>Signals by kind</h4><table><tr><th>kind</th><th>count</th></tr>"
    func row(_ name: String, _ count: Int) {
      out += "<tr><td>"
      HTMLEscaping.append(name, to: &out)
      out += "</td><td class=\"n\">\(count)</td></tr>"
    }
    row("payments", set.payments.count)
    var byKind = [Int](repeating: 0, count: set.interactions.kinds.count)
    for k in set.interactions.kind { byKind[Int(k)] += 1 }
    for (k, count) in byKind.enumerated() where count > 0 {
      row("interactions: \(set.interactions.kinds[Int32(k)])", count)
    }
    row("profile edits", set.profileEdits.count)
    row("all signals", set.signalCount)
    out += "</table></div><div><h4>Clusters by kind</h4><table><tr><th>kind</th><th>clusters</th><th>accounts</th></tr>"
    for kind in ManipulationKind.allCases {
      let clusters = report.clusters.filter { $0.kind == kind }
      out +=
        "<tr><td>\(kind.badge)</td><td class=\"n\">\(clusters.count)</td><td class=\"n\">\(report.flaggedAccounts(of: kind).count)</td></tr>"
    }
    out +=
      "<tr><td>all kinds</td><td class=\"n\">\(report.clusters.count)</td><td class=\"n\">\(implicated)</td></tr></table>"
    out += "<p>\(implicated) of \(set.accounts.count) accounts implicated.</p></div><div><h4>Parameters</h4><table>"
    let shown =
      parameters + [
        ("detectors", report.detectors.isEmpty ? "none" : report.detectors.joined(separator: ", ")),
        ("signals scanned", String(report.signals)), ("clusters shown", String(report.clusters.count)),
      ]
    for (name, value) in shown {
      out += "<tr><th>"
      HTMLEscaping.append(name, to: &out)
      out += "</th><td>"
      HTMLEscaping.append(value, to: &out)
      out += "</td></tr>"
    }
    out += "</table></div></div>"
    if !report.warnings.isEmpty {
      out +=
        "<div class=\"warn\" id=\"warnings\"><h4>Warnings: detectors that could not search, whose findings are missing</h4><ul>"
      for warning in report.warnings {
        out += "<li>"
        HTMLEscaping.append(warning, to: &out)
        out += "</li>"
      }
      out += "</ul></div>"
    }
    out += "</section>"
  }

  private func plots(_ set: SignalSet, graph: GraphIndex, spectrum: Spectrum, flagged: [Bool], into out: inout String) {
    out += "<section id=\"plots\"><h2>The whole endorsement graph</h2>"
    let missing: String
    switch spectrum {
    case .computed: missing = ""
    case .noEndorsementGraph: missing = "no endorsement graph to decompose"
    case let .failed(error):
      missing = "the endorsement spectrum could not be computed"
      // The plots' frames are too narrow for the reason: it goes above them, in full.
      out += "<div class=\"warn\" id=\"spectrum-failure\">No scatter plot: "
      HTMLEscaping.append(error.description, to: &out)
      out += ".</div>"
    }
    out += "<div class=\"grid\">"
    scatter.draw(
      id: "plot-spectral-u1-u2", spectrum: spectrum.computed, missing: missing, a: 0, b: 1, flagged: flagged, into: &out
    )
    scatter.draw(
      id: "plot-spectral-u2-u3", spectrum: spectrum.computed, missing: missing, a: 1, b: 2, flagged: flagged, into: &out
    )
    DegreeDistribution().draw(id: "plot-degree", graph: graph, flagged: flagged, into: &out)
    out +=
      "</div><p class=\"note\">Red: accounts in a cluster of this report. In the scatter plots a dense block of endorsers lines up along an axis (an \"eigenspoke\").</p></section>"
  }

  private func table(into out: inout String) {
    out += "<section id=\"clusters\"><h2>Ranked clusters</h2>"
    guard !report.clusters.isEmpty else {
      out += "<p>No suspicious cluster among \(report.signals) signals.</p></section>"
      return
    }
    out += "<table><tr><th>rank</th><th>kind</th><th>detectors</th><th>score</th><th>size</th><th>reason</th></tr>"
    for c in report.clusters {
      out += "<tr><td class=\"n\"><a href=\"#cluster-\(c.rank)\">\(c.rank)</a></td><td>\(c.kind.badge)</td><td>"
      HTMLEscaping.append(c.detector, to: &out)
      out +=
        "</td><td class=\"n\">\(EvidenceText.number((c.score * 100).rounded() / 100))</td><td class=\"n\">\(c.accounts.count)</td><td>"
      HTMLEscaping.append(HTMLEscaping.truncated(EvidenceText.reason(of: c), 180), to: &out)
      out += "</td></tr>"
    }
    out += "</table></section>"
  }

  private func accounts(_ title: String, _ list: [String], into out: inout String) {
    guard !list.isEmpty else { return }
    out += "<h4>\(title) (\(list.count))</h4><ul class=\"ids\">"
    for id in list {
      out += "<li>"
      HTMLEscaping.appendIsolated(id, to: &out)
      out += "</li>"
    }
    out += "</ul>"
  }

  private func section(
    _ c: Cluster, _ signals: ClusterSignals, _ set: SignalSet, drawing: ClusterDrawing, timeline: ClusterTimeline,
    evidence: (items: Int, text: Int), into out: inout String
  ) {
    let reason = EvidenceText.reason(of: c)
    let ids = set.accounts.ids
    out +=
      "<section class=\"cluster\" id=\"cluster-\(c.rank)\"><h3>#\(c.rank) \(c.kind.badge) score \(EvidenceText.number((c.score * 100).rounded() / 100)) · "
    HTMLEscaping.append(c.detector, to: &out)
    out += " · \(c.accounts.count) accounts <a href=\"#clusters\">↑ table</a></h3><p class=\"reason\">"
    HTMLEscaping.append(reason, to: &out)
    out += "</p><div class=\"grid\"><div class=\"members\">"
    switch c.kind {
    case .boughtEngagement:
      accounts("Endorsers", signals.endorsers.map { ids[$0] }, into: &out)
      accounts("Beneficiaries", signals.beneficiaries.map { ids[$0] }, into: &out)
      accounts(
        "Members without an endorsement inside the cluster", signals.withoutEndorsements.map { ids[$0] }, into: &out)
    case .circularPayment:
      let order = signals.ringOrder(set)
      let isRing = signals.isSingleRing(order, set)
      out +=
        isRing
        ? "<h4>Ring order (\(order.count))</h4><p>"
        : "<h4>Members, following the money (\(order.count))</h4><p class=\"note\">Several rings or paths share these accounts; the evidence lists each.</p><p>"
      for (i, a) in order.enumerated() {
        if i > 0 { out += " → " }
        out += "<span class=\"a\">"
        HTMLEscaping.appendIsolated(ids[a], to: &out)
        out += "</span>"
      }
      if isRing, let first = order.first { out += " → (" + HTMLEscaping.isolated(ids[first]) + ")" }
      out += "</p>"
    case .fakeProfile:
      accounts("Members", signals.members.map { ids[$0] }, into: &out)
      let shared = signals.sharedValues(set)
      if !shared.isEmpty {
        out +=
          "<h4>Shared profile values (\(shared.count))</h4><table><tr><th>field</th><th>value</th><th>members</th></tr>"
        for v in shared.prefix(30) {
          out += "<tr><td>"
          HTMLEscaping.appendIsolated(set.profileEdits.fields[v.field], to: &out)
          out += "</td><td>"
          HTMLEscaping.appendIsolated(HTMLEscaping.truncated(set.profileEdits.values[v.value], 120), to: &out)
          out += "</td><td class=\"n\">\(v.members.count)</td></tr>"
        }
        out += "</table>"
        if shared.count > 30 { out += "<p class=\"note\">… and \(shared.count - 30) more</p>" }
      }
    }
    accounts("Not in the signal set", signals.missing, into: &out)
    out +=
      "<h4>Signals among the members</h4><p>\(signals.interactions.count) endorsements, \(signals.payments.count) payments, \(signals.edits.count) profile edits</p>"
    out += "<h4>Evidence</h4>"
    for f in EvidenceText.findings(of: c) {
      out += "<div class=\"finding\"><b>"
      HTMLEscaping.append(f.detector, to: &out)
      out += "</b> (score \(EvidenceText.number((f.score * 100).rounded() / 100)))"
      // The reason shown at the top of the section is not repeated.
      var shownReason = false
      if case let .object(o) = f.evidence, case let .string(r)? = o["reason"], r == reason { shownReason = true }
      EvidenceText.appendHTML(
        f.evidence, skippingReason: shownReason, maxItems: evidence.items, maxText: evidence.text, into: &out)
      out += "</div>"
    }
    out += "</div><div class=\"pic\">"
    drawing.draw(id: "cluster-\(c.rank)-graph", cluster: c, signals: signals, set: set, into: &out)
    out += "<h4>Timeline</h4>"
    timeline.draw(id: "cluster-\(c.rank)-timeline", signals: signals, set: set, into: &out)
    out += "</div></div></section>"
  }
}
