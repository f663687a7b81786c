import AnomalyDetect
import SignalGraph

/// A timeline of one cluster's signals as inline SVG: one lane per kind of
/// signal (endorsements, payments, profile edits), one tick per signal on a
/// shared time axis, at most `maxMarks` ticks in all (evenly thinned, and
/// said so).
struct ClusterTimeline {
  var maxMarks = 200

  /// Appends the `<svg id="id">` timeline of `signals` to `out`.
  func draw(id: String, signals: ClusterSignals, set: SignalSet, into out: inout String) {
    let lanes: [(name: String, rows: [Int32], time: [Int64], cls: String)] = [
      ("endorsements", signals.interactions, set.interactions.time, "ti"),
      ("payments", signals.payments, set.payments.time, "tp"),
      ("profile edits", signals.edits, set.profileEdits.time, "te"),
    ].filter { !$0.rows.isEmpty }
    let total = lanes.reduce(0) { $0 + $1.rows.count }
    let width = 560.0, left = 130.0, right = 16.0, laneHeight = 22.0
    let height = 30 + Double(max(lanes.count, 1)) * laneHeight + 32
    out +=
      "<svg id=\"\(id)\" class=\"timeline\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
    out += "<title>timeline of the cluster's signals</title>"
    guard total > 0 else {
      out += "<text class=\"note\" x=\"8\" y=\"24\">no signal among the cluster's members in the set</text></svg>"
      return
    }
    var first = Int64.max, last = Int64.min
    for lane in lanes {
      first = min(first, lane.time[Int(lane.rows.first!)])
      last = max(last, lane.time[Int(lane.rows.last!)])
    }
    let span = Double(max(last.saturatingSubtracting(first), 1))
    func x(_ t: Int64) -> Double { left + Double(t.saturatingSubtracting(first)) / span * (width - left - right) }
    let stride = max(1, (total + maxMarks - 1) / maxMarks)
    for (i, lane) in lanes.enumerated() {
      let y = 20 + Double(i) * laneHeight
      out += "<text class=\"tl\" x=\"\(Int(left) - 8)\" y=\""
      SVGPlot.number(y + 11, into: &out)
      out += "\" text-anchor=\"end\">\(lane.name) (\(lane.rows.count))</text><path class=\"lane\" d=\"M\(Int(left)) "
      SVGPlot.number(y + 16, into: &out)
      out += "H\(Int(width - right))\"/><path class=\"marks \(lane.cls)\" d=\""
      var k = 0
      while k < lane.rows.count {
        out += "M"
        SVGPlot.number(x(lane.time[Int(lane.rows[k])]), into: &out)
        out += " "
        SVGPlot.number(y + 2, into: &out)
        out += "v14"
        k += stride
      }
      out += "\"/>"
    }
    let axisY = 20 + Double(lanes.count) * laneHeight + 10
    out += "<text class=\"tl\" x=\"\(Int(left))\" y=\"\(Int(axisY))\">\(Self.date(first))</text>"
    out +=
      "<text class=\"tl\" x=\"\(Int(width - right))\" y=\"\(Int(axisY))\" text-anchor=\"end\">\(Self.date(last))</text>"
    out +=
      "<text class=\"tl\" x=\"\(Int((left + width - right) / 2))\" y=\"\(Int(axisY) + 14)\" text-anchor=\"middle\">span \(Self.duration(last.saturatingSubtracting(first)))"
    if stride > 1 { out += ", every \(stride)th of \(total) signals drawn" }
    out += "</text></svg>"
  }

  /// `seconds` since 1970 as `YYYY-MM-DD hh:mm` UTC.
  static func date(_ seconds: Int64) -> String {
    String(Timestamp.iso8601Minutes(seconds).dropLast().map { $0 == "T" ? " " : $0 })
  }

  /// A duration in the largest fitting unit: `40 min`, `3.5 h`, `12 days`.
  static func duration(_ seconds: Int64) -> String {
    if seconds < 120 { return "\(seconds) s" }
    if seconds < 7200 { return "\(seconds / 60) min" }
    if seconds < 172_800 { return "\(Double(seconds / 360) / 10) h" }
    return "\(seconds / 86_400) days"
  }
}
