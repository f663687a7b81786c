import AnomalyDetect
import SignalGraph

/// The "eigenspokes" scatter: each account's components on two left singular
/// vectors of the endorsement graph (u₁ vs u₂, u₂ vs u₃). Members of a dense
/// block line up along an axis, away from the mass at the origin
/// [Prakash et al. 2010, see ``EndorsementSpectrum``].
///
/// Every flagged account is drawn (highlighted); of the others at most
/// `maxPoints` minus the flagged ones, half the farthest from the origin and
/// half evenly spread over the rest, so the plot stays small.
struct SpectralScatter {
  var maxPoints = 5000

  /// Appends the scatter of vectors `a` and `b` (0-based) as `<svg id="id">`;
  /// without a spectrum, a frame saying why (`missing`).
  func draw(
    id: String, spectrum: EndorsementSpectrum?, missing: String, a: Int, b: Int, flagged: [Bool], into out: inout String
  ) {
    let title = "spectral scatter: u\(a + 1) vs u\(b + 1)"
    guard let spectrum, spectrum.components.count > b else {
      let plot = SVGPlot(id: id, xRange: -1...1, yRange: -1...1)
      plot.begin(title: title, xLabel: "u\(a + 1)", yLabel: "u\(b + 1)", into: &out)
      plot.note(spectrum == nil ? missing : "fewer than \(b + 1) singular vectors", into: &out)
      plot.end(into: &out)
      return
    }
    let x = spectrum.svd.u.column(a), y = spectrum.svd.u.column(b)
    var highlighted: [(x: Double, y: Double)] = [], others: [Int] = []
    for i in x.indices {
      if i < flagged.count, flagged[i] {
        highlighted.append((x[i], y[i]))
      } else if x[i] != 0 || y[i] != 0 {
        others.append(i)
      }
    }
    let budget = max(maxPoints - highlighted.count, 0)
    var chosen: [Int]
    if others.count <= budget {
      chosen = others
    } else {
      let magnitude = { (i: Int) in max(abs(x[i]), abs(y[i])) }
      let far = others.sorted { magnitude($0) > magnitude($1) }
      chosen = Array(far.prefix(budget / 2))
      let rest = far.dropFirst(budget / 2)
      let step = Double(rest.count) / Double(max(budget - chosen.count, 1))
      var at = 0.0
      while Int(at) < rest.count, chosen.count < budget {
        chosen.append(rest[rest.startIndex + Int(at)])
        at += step
      }
    }
    let points = chosen.map { (x: x[$0], y: y[$0]) }
    let plot = SVGPlot(
      id: id, xRange: SVGPlot.paddedRange(points.map(\.x) + highlighted.map(\.x)),
      yRange: SVGPlot.paddedRange(points.map(\.y) + highlighted.map(\.y)))
    plot.begin(
      title: title, xLabel: "u\(a + 1) component (σ\(a + 1) = \(Int(spectrum.components[a].singularValue.rounded())))",
      yLabel: "u\(b + 1) component", into: &out)
    plot.dots(points, cls: "all", into: &out)
    plot.dots(highlighted, cls: "flag", into: &out)
    if others.count > chosen.count {
      out +=
        "<text class=\"note\" x=\"\(Int(plot.left) + 6)\" y=\"\(Int(plot.top) + 14)\">\(chosen.count) of \(others.count) unflagged accounts drawn</text>"
    }
    plot.end(into: &out)
  }
}
