import AnomalyDetect
import Foundation
import SignalGraph

/// A plot frame in SVG: the data-to-pixel mapping of linear or log₁₀ axes,
/// the axes with their ticks and labels, and compact point series.
///
/// Points are drawn as zero-length path segments with round caps
/// (`M x yh0`), about 14 bytes a point, so thousands stay small.
struct SVGPlot {
  /// The `id` of the `<svg>` element.
  var id: String
  var width = 370.0
  var height = 300.0
  let left = 58.0, right = 14.0, top = 26.0, bottom = 44.0
  /// The x range, in data units (log₁₀ of them when `logX`).
  var xRange: ClosedRange<Double>
  /// The y range, in data units (log₁₀ of them when `logY`).
  var yRange: ClosedRange<Double>
  var logX = false
  var logY = false

  /// The pixel x of data value `v`.
  func px(_ v: Double) -> Double {
    let t = logX ? log10(v) : v
    let span = xRange.upperBound - xRange.lowerBound
    return left + (span > 0 ? (t - xRange.lowerBound) / span : 0.5) * (width - left - right)
  }

  /// The pixel y of data value `v`.
  func py(_ v: Double) -> Double {
    let t = logY ? log10(v) : v
    let span = yRange.upperBound - yRange.lowerBound
    return height - bottom - (span > 0 ? (t - yRange.lowerBound) / span : 0.5) * (height - top - bottom)
  }

  /// Opens the `<svg>` and draws the title, frame, ticks and axis labels.
  func begin(title: String, xLabel: String, yLabel: String, into out: inout String) {
    out +=
      "<svg id=\"\(id)\" class=\"plot\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
    out += "<title>"
    HTMLEscaping.append(title, to: &out)
    out += "</title><text class=\"ptitle\" x=\"\(Int(left))\" y=\"16\">"
    HTMLEscaping.append(title, to: &out)
    out +=
      "</text><rect class=\"frame\" x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(width - left - right))\" height=\"\(Int(height - top - bottom))\"/>"
    let x0 = left, y1 = height - bottom
    for t in Self.ticks(xRange, log: logX) {
      let x = px(logX ? pow(10, t) : t)
      out += "<path class=\"tick\" d=\"M"
      Self.number(x, into: &out)
      out += " \(Int(y1))v4\"/><text class=\"tl\" x=\""
      Self.number(x, into: &out)
      out += "\" y=\"\(Int(y1) + 15)\" text-anchor=\"middle\">\(Self.tickLabel(t, log: logX))</text>"
    }
    for t in Self.ticks(yRange, log: logY) {
      let y = py(logY ? pow(10, t) : t)
      out += "<path class=\"tick\" d=\"M\(Int(x0) - 4) "
      Self.number(y, into: &out)
      out += "h4\"/><text class=\"tl\" x=\"\(Int(x0) - 6)\" y=\""
      Self.number(y + 3, into: &out)
      out += "\" text-anchor=\"end\">\(Self.tickLabel(t, log: logY))</text>"
    }
    out +=
      "<text class=\"al\" x=\"\(Int((left + width - right) / 2))\" y=\"\(Int(height) - 6)\" text-anchor=\"middle\">"
    HTMLEscaping.append(xLabel, to: &out)
    out +=
      "</text><text class=\"al\" transform=\"translate(13 \(Int((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">"
    HTMLEscaping.append(yLabel, to: &out)
    out += "</text>"
  }

  /// Draws `points` (data units) as dots of CSS class `cls`.
  func dots(_ points: [(x: Double, y: Double)], cls: String, into out: inout String) {
    guard !points.isEmpty else { return }
    out += "<path class=\"dots \(cls)\" d=\""
    for p in points {
      out += "M"
      Self.number(px(p.x), into: &out)
      out += " "
      Self.number(py(p.y), into: &out)
      out += "h0"
    }
    out += "\"/>"
  }

  /// Closes the `<svg>`.
  func end(into out: inout String) { out += "</svg>" }

  /// Writes a centred note inside the frame (e.g. "no data").
  func note(_ text: String, into out: inout String) {
    out +=
      "<text class=\"note\" x=\"\(Int((left + width - right) / 2))\" y=\"\(Int((top + height - bottom) / 2))\" text-anchor=\"middle\">"
    HTMLEscaping.append(text, to: &out)
    out += "</text>"
  }

  /// About five round tick positions in `range` (whole decades when `log`).
  static func ticks(_ range: ClosedRange<Double>, log: Bool) -> [Double] {
    let lo = range.lowerBound, hi = range.upperBound
    guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
    if log { return Array(stride(from: lo.rounded(.up), through: hi, by: max(1, ((hi - lo) / 6).rounded(.up)))) }
    let raw = (hi - lo) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    return Array(stride(from: (lo / step).rounded(.up) * step, through: hi + step * 1e-9, by: step))
  }

  static func tickLabel(_ t: Double, log: Bool) -> String {
    if log {
      let e = Int(t.rounded())
      return e <= 4 ? String(Int(pow(10, Double(e)))) : "1e\(e)"
    }
    let a = abs(t)
    if a < 1e-12 { return "0" }
    return a >= 100 ? String(Int(t.rounded())) : String(format: "%g", (t * 1000).rounded() / 1000)
  }

  /// Appends `x` rounded to a whole pixel (fast, no `String(format:)`; whole
  /// pixels keep 1 000-cluster reports small and look the same on screen).
  static func number(_ x: Double, into out: inout String) {
    guard x.isFinite, abs(x) < 1e9 else {
      out += "0"
      return
    }
    out += String(Int(x.rounded()))
  }

  /// A range around `values` padded by 5 % (a unit range around a single value).
  static func paddedRange(_ values: some Sequence<Double>) -> ClosedRange<Double> {
    var lo = Double.infinity, hi = -Double.infinity
    for v in values where v.isFinite {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    guard lo <= hi else { return 0...1 }
    if hi - lo < 1e-12 { return (lo - 0.5)...(hi + 0.5) }
    let pad = (hi - lo) * 0.05
    return (lo - pad)...(hi + pad)
  }
}
