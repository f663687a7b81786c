import AnomalyDetect
import Foundation
import SignalGraph

/// A drawing of one cluster's subgraph as inline SVG, with a deterministic
/// layout chosen by what its internal signals are:
///
/// - endorsements (bought engagement): two columns, endorsers on the left and
///   the accounts they endorse on the right, most active first;
/// - payments (circular payments): a circle in ring order, with arrows;
/// - profile values (fake profiles): the shared values as boxes on the left,
///   each tied to the members that set it;
/// - no internal signal: the members on a circle.
///
/// At most `maxNodes` accounts and `maxEdges` distinct edges are drawn; the
/// drawing says how many more there are.
struct ClusterDrawing {
  var maxNodes = 60
  var maxEdges = 300
  var maxGroups = 12

  private struct Canvas {
    var nodes = ""
    var edges = ""
    var arrows = ""
    var notes: [String] = []
    var width = 560.0
    var height = 200.0
  }

  /// How a cluster is drawn; the raw value names it in the SVG's class.
  enum Layout: String {
    case bipartite, groups, ring, circle
  }

  /// The layout of a cluster of `kind`: the kind's own when the cluster has
  /// the signals it draws; else its payments in ring order, if any, for
  /// the kinds whose evidence payments can be (not fake profiles, whose
  /// evidence is values); else the members on a circle.
  static func layout(of kind: ManipulationKind, _ signals: ClusterSignals, _ set: SignalSet) -> Layout {
    let ring: Layout = signals.payments.isEmpty ? .circle : .ring
    switch kind {
    case .boughtEngagement: return signals.interactions.isEmpty ? ring : .bipartite
    case .fakeProfile: return signals.sharedValues(set).isEmpty ? .circle : .groups
    case .circularPayment: return ring
    }
  }

  /// Appends the `<svg id="id">` drawing of `cluster` to `out`.
  func draw(id: String, cluster: Cluster, signals: ClusterSignals, set: SignalSet, into out: inout String) {
    var canvas = Canvas()
    let layout = Self.layout(of: cluster.kind, signals, set)
    switch layout {
    case .bipartite: bipartite(signals, set, &canvas)
    case .groups: groups(signals, set, &canvas)
    case .ring: circle(signals.ringOrder(set), signals, set, withPayments: true, &canvas)
    case .circle: circle(signals.members, signals, set, withPayments: false, &canvas)
    }
    if !signals.missing.isEmpty { canvas.notes.append("\(signals.missing.count) account(s) not in the signal set") }
    let height = canvas.height + Double(canvas.notes.count) * 14
    out +=
      "<svg id=\"\(id)\" class=\"graph \(layout.rawValue)\" role=\"img\" width=\"\(Int(canvas.width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(canvas.width)) \(Int(height))\">"
    out += "<title>subgraph of cluster \(cluster.rank) (\(layout.rawValue) layout)</title>"
    if !canvas.edges.isEmpty { out += "<path class=\"edges\" d=\"\(canvas.edges)\"/>" }
    if !canvas.arrows.isEmpty { out += "<path class=\"arrows\" d=\"\(canvas.arrows)\"/>" }
    out += canvas.nodes
    for (i, note) in canvas.notes.enumerated() {
      out += "<text class=\"note\" x=\"8\" y=\"\(Int(canvas.height) + 10 + i * 14)\">"
      HTMLEscaping.append(note, to: &out)
      out += "</text>"
    }
    out += "</svg>"
  }

  private func node(
    _ label: String, x: Double, y: Double, cls: String, anchor: String, dx: Double, dy: Double = 3.5,
    _ canvas: inout Canvas
  ) {
    canvas.nodes += "<circle class=\"n \(cls)\" cx=\""
    SVGPlot.number(x, into: &canvas.nodes)
    canvas.nodes += "\" cy=\""
    SVGPlot.number(y, into: &canvas.nodes)
    canvas.nodes += "\" r=\"4\"/><text x=\""
    SVGPlot.number(x + dx, into: &canvas.nodes)
    canvas.nodes += "\" y=\""
    SVGPlot.number(y + dy, into: &canvas.nodes)
    canvas.nodes += anchor == "start" ? "\">" : "\" text-anchor=\"\(anchor)\">"
    Self.appendLabel(label, limit: 26, to: &canvas.nodes)
    canvas.nodes += "</text>"
  }

  /// Appends the text of a label, escaped and cut to `limit` characters; a
  /// label that was cut carries the whole of it as a `<title>` tooltip.
  private static func appendLabel(_ label: String, limit: Int, to out: inout String) {
    let short = HTMLEscaping.truncated(label, limit)
    if short != label {
      out += "<title>"
      HTMLEscaping.append(label, to: &out)
      out += "</title>"
    }
    HTMLEscaping.append(short, to: &out)
  }

  private func segment(_ a: (Double, Double), _ b: (Double, Double), _ path: inout String) {
    path += "M"
    SVGPlot.number(a.0, into: &path)
    path += " "
    SVGPlot.number(a.1, into: &path)
    path += "L"
    SVGPlot.number(b.0, into: &path)
    path += " "
    SVGPlot.number(b.1, into: &path)
  }

  private func bipartite(_ signals: ClusterSignals, _ set: SignalSet, _ canvas: inout Canvas) {
    let left = signals.endorsers, right = signals.beneficiaries
    let rightShown = min(right.count, max(maxNodes / 3, maxNodes - left.count))
    let leftShown = min(left.count, maxNodes - rightShown)
    let rows = max(leftShown, rightShown), step = 14.0, top = 16.0
    let xL = 210.0, xR = 350.0
    canvas.height = top * 2 + Double(max(rows - 1, 0)) * step
    var position: [Int32: (Double, Double)] = [:]
    let ids = set.accounts.ids
    for (i, a) in left.prefix(leftShown).enumerated() {
      let y = top + (Double(rows - leftShown) / 2 + Double(i)) * step
      position[a] = (xL, y)
      node(ids[a], x: xL, y: y, cls: "e", anchor: "end", dx: -8, &canvas)
    }
    for (i, a) in right.prefix(rightShown).enumerated() {
      let y = top + (Double(rows - rightShown) / 2 + Double(i)) * step
      position[a] = (xR, y)
      node(ids[a], x: xR, y: y, cls: "b", anchor: "start", dx: 8, &canvas)
    }
    var seen = Set<Int64>(), drawn = 0, hidden = 0
    for row in signals.interactions {
      let s = set.interactions.source[Int(row)], t = set.interactions.target[Int(row)]
      guard seen.insert(Int64(s) << 32 | Int64(t)).inserted else { continue }
      guard let a = position[s], let b = position[t], drawn < maxEdges else {
        hidden += 1
        continue
      }
      drawn += 1
      if a.0 == b.0 {  // an endorser endorsing another: a bow beside the column
        canvas.edges += "M"
        SVGPlot.number(a.0, into: &canvas.edges)
        canvas.edges += " "
        SVGPlot.number(a.1, into: &canvas.edges)
        canvas.edges += "Q"
        SVGPlot.number(a.0 + 40, into: &canvas.edges)
        canvas.edges += " "
        SVGPlot.number((a.1 + b.1) / 2, into: &canvas.edges)
        canvas.edges += " "
        SVGPlot.number(b.0, into: &canvas.edges)
        canvas.edges += " "
        SVGPlot.number(b.1, into: &canvas.edges)
      } else {
        segment(a, b, &canvas.edges)
      }
    }
    if left.count > leftShown { canvas.notes.append("… and \(left.count - leftShown) more endorsers not drawn") }
    if right.count > rightShown {
      canvas.notes.append("… and \(right.count - rightShown) more beneficiaries not drawn")
    }
    if hidden > 0 { canvas.notes.append("… and \(hidden) more endorsement pairs not drawn") }
    let idle = signals.withoutEndorsements.count
    if idle > 0 { canvas.notes.append("\(idle) member(s) without an endorsement inside the cluster not drawn") }
  }

  private func circle(
    _ order: [Int32], _ signals: ClusterSignals, _ set: SignalSet, withPayments: Bool, _ canvas: inout Canvas
  ) {
    let shown = Array(order.prefix(maxNodes)), n = shown.count
    let r = max(60, min(230, Double(n) * 8)), margin = 150.0
    canvas.width = 2 * r + 2 * margin
    canvas.height = 2 * r + 40
    let cx = r + margin, cy = r + 20
    var position: [Int32: (Double, Double)] = [:]
    let ids = set.accounts.ids
    for (i, a) in shown.enumerated() {
      let theta = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(max(n, 1))
      let x = cx + r * cos(theta), y = cy + r * sin(theta)
      position[a] = (x, y)
      let c = cos(theta)
      let anchor = c > 0.2 ? "start" : c < -0.2 ? "end" : "middle"
      let dx = c > 0.2 ? 8.0 : c < -0.2 ? -8.0 : 0
      let cls = withPayments ? (signals.paymentsTouching[a] != nil ? "r" : "m") : "m"
      // Labels of the top and bottom nodes sit above and below them, clear of the circle.
      let dy = anchor == "middle" ? (sin(theta) < 0 ? -8.0 : 15.0) : 3.5
      node(ids[a], x: x, y: y, cls: cls, anchor: anchor, dx: dx, dy: dy, &canvas)
    }
    if n < order.count { canvas.notes.append("… and \(order.count - n) more members not drawn") }
    guard withPayments else { return }
    var seen = Set<Int64>(), drawn = 0, hidden = 0
    for row in signals.payments {
      let s = set.payments.source[Int(row)], t = set.payments.target[Int(row)]
      guard s != t, seen.insert(Int64(s) << 32 | Int64(t)).inserted else { continue }
      guard let a = position[s], let b = position[t], drawn < maxEdges else {
        hidden += 1
        continue
      }
      drawn += 1
      let dx = b.0 - a.0, dy = b.1 - a.1, length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
      let ux = dx / length, uy = dy / length
      let tip = (b.0 - 6 * ux, b.1 - 6 * uy)
      segment((a.0 + 5 * ux, a.1 + 5 * uy), tip, &canvas.edges)
      let base = (tip.0 - 8 * ux, tip.1 - 8 * uy)
      canvas.arrows += "M"
      SVGPlot.number(tip.0, into: &canvas.arrows)
      canvas.arrows += " "
      SVGPlot.number(tip.1, into: &canvas.arrows)
      canvas.arrows += "L"
      SVGPlot.number(base.0 - 3.5 * uy, into: &canvas.arrows)
      canvas.arrows += " "
      SVGPlot.number(base.1 + 3.5 * ux, into: &canvas.arrows)
      canvas.arrows += "L"
      SVGPlot.number(base.0 + 3.5 * uy, into: &canvas.arrows)
      canvas.arrows += " "
      SVGPlot.number(base.1 - 3.5 * ux, into: &canvas.arrows)
      canvas.arrows += "Z"
    }
    if hidden > 0 { canvas.notes.append("… and \(hidden) more payment pairs not drawn") }
  }

  private func groups(_ signals: ClusterSignals, _ set: SignalSet, _ canvas: inout Canvas) {
    let shared = signals.sharedValues(set)
    let values = shared.prefix(maxGroups)
    var sharing = Set<Int32>()
    for v in values { sharing.formUnion(v.members) }
    let ordered = signals.members.filter { sharing.contains($0) } + signals.members.filter { !sharing.contains($0) }
    let shown = Array(ordered.prefix(maxNodes))
    let boxStep = 26.0, step = 14.0, top = 16.0
    let xBox = 12.0, boxWidth = 250.0, xM = 420.0
    let heightBoxes = Double(values.count) * boxStep, heightMembers = Double(max(shown.count - 1, 0)) * step + 2 * top
    canvas.width = 600
    canvas.height = max(heightBoxes + 2 * top, heightMembers)
    var position: [Int32: Double] = [:]
    let ids = set.accounts.ids, e = set.profileEdits
    for (i, a) in shown.enumerated() {
      let y = top + (canvas.height - heightMembers) / 2 + Double(i) * step
      position[a] = y
      node(ids[a], x: xM, y: y, cls: sharing.contains(a) ? "s" : "m", anchor: "start", dx: 8, &canvas)
    }
    var drawn = 0, hidden = 0
    for (i, v) in values.enumerated() {
      let y = top + (canvas.height - 2 * top - heightBoxes) / 2 + Double(i) * boxStep
      let label = "\(e.fields[v.field]): \(e.values[v.value]) (\(v.members.count))"
      canvas.nodes += "<rect class=\"v\" x=\"\(Int(xBox))\" y=\""
      SVGPlot.number(y - 2, into: &canvas.nodes)
      canvas.nodes +=
        "\" width=\"\(Int(boxWidth))\" height=\"19\" rx=\"4\"/><text class=\"vl\" x=\"\(Int(xBox) + 6)\" y=\""
      SVGPlot.number(y + 11.5, into: &canvas.nodes)
      canvas.nodes += "\">"
      Self.appendLabel(label, limit: 40, to: &canvas.nodes)
      canvas.nodes += "</text>"
      for m in v.members {
        guard let ym = position[m], drawn < maxEdges else {
          hidden += 1
          continue
        }
        drawn += 1
        segment((xBox + boxWidth, y + 7.5), (xM - 4, ym), &canvas.edges)
      }
    }
    if shared.count > values.count {
      canvas.notes.append("… and \(shared.count - values.count) more shared values not drawn")
    }
    if ordered.count > shown.count {
      canvas.notes.append("… and \(ordered.count - shown.count) more members not drawn")
    }
    if hidden > 0 { canvas.notes.append("… and \(hidden) more member–value ties not drawn") }
  }
}
