/// The score section of ``AccountExplanation``: an account's score with and
/// without the signals the pre-filter held.
///
/// Extension point for issue 6: this type only carries and prints numbers;
/// computing them belongs to the credit score (`CreditScore`, issue 6), which
/// builds one of these and passes it to ``AccountExplanation/init(account:report:set:graph:score:)``.
public struct ScoreBreakdown: Sendable, Equatable {
  /// One component of the score.
  public struct Line: Sendable, Equatable {
    /// What the component measures, e.g. `payment history`.
    public var component: String
    /// Its value counting every signal, held ones included.
    public var withHeld: Double
    /// Its value counting admitted signals only.
    public var withoutHeld: Double

    /// Creates a line.
    public init(component: String, withHeld: Double, withoutHeld: Double) {
      self.component = component
      self.withHeld = withHeld
      self.withoutHeld = withoutHeld
    }
  }

  /// The components, in the order to print.
  public var lines: [Line]
  /// How many of the account's signals were held.
  public var heldSignals: Int

  /// Creates a breakdown.
  public init(lines: [Line], heldSignals: Int) {
    self.lines = lines
    self.heldSignals = heldSignals
  }

  /// The breakdown as indented text lines, a total last.
  var text: String {
    var out = "score breakdown (\(heldSignals) held signal\(heldSignals == 1 ? "" : "s")):\n"
    let width = max(lines.map(\.component.count).max() ?? 0, 5)
    func row(_ name: String, _ a: Double, _ b: Double) {
      out += "  " + name + String(repeating: " ", count: width - name.count)
      out += "  with held \(EvidenceText.number(a))  without held \(EvidenceText.number(b))\n"
    }
    for line in lines { row(line.component, line.withHeld, line.withoutHeld) }
    row("total", lines.reduce(0) { $0 + $1.withHeld }, lines.reduce(0) { $0 + $1.withoutHeld })
    return out
  }
}
