import AnomalyDetect
import SignalGraph

/// How the investigator's report marks each kind: a coloured badge. The
/// colour is an exhaustive `switch`, so a new kind does not compile until
/// it has one.
extension ManipulationKind {
  /// The badge's background colour, a CSS colour.
  var colour: String {
    switch self {
    case .boughtEngagement: "#c0392b"
    case .fakeProfile: "#7d3c98"
    case .circularPayment: "#1f6fb2"
    }
  }

  /// The CSS class of the kind's badge: `k-` and the raw value (letters and
  /// underscores only, so safe in a class name).
  var badgeClass: String { "k-\(rawValue)" }

  /// The kind's badge: its name on its colour.
  var badge: String { "<span class=\"k \(badgeClass)\">\(rawValue)</span>" }

  /// One CSS rule per kind giving its badge its colour.
  static var badgeStyle: String {
    allCases.map { ".\($0.badgeClass){background:\($0.colour)}" }.joined()
  }
}
