import SignalGraph

/// What the pre-filter says about one event of the stream, plus the earlier
/// admits it now revokes.
///
/// ``jsonLines`` renders it exactly as the contract's decision lines: the
/// event's own line, then one `revoke` line per revocation, each ending in a
/// newline:
///
/// ```json
/// {"seq":17,"decision":"hold","reasons":["dense-block: ..."]}
/// {"seq":9,"decision":"revoke","reasons":["dense-block: ..."]}
/// ```
public struct Decision: Sendable, Equatable {
  /// The contract's decision values.
  public enum Verdict: String, Sendable {
    /// The signal may raise a score.
    case admit
    /// The signal is withheld from scoring.
    case hold
    /// An earlier admitted signal is withdrawn.
    case revoke
    /// The input line is not an event.
    case error
  }

  /// The 0-based position of the event the line is about.
  public var seq: Int
  /// The verdict.
  public var verdict: Verdict
  /// Why, for `hold`, `revoke` and `error`; empty for `admit`.
  public var reasons: [String]
  /// Earlier admits withdrawn because of this event (each with verdict `revoke`), by seq.
  public var revocations: [Decision]

  /// Creates a decision.
  public init(seq: Int, verdict: Verdict, reasons: [String] = [], revocations: [Decision] = []) {
    self.seq = seq
    self.verdict = verdict
    self.reasons = reasons
    self.revocations = revocations
  }

  /// `true` for `hold` (the event itself is withheld).
  public var isHeld: Bool { verdict == .hold }

  /// The decision line of the event alone, without a newline.
  public var jsonLine: String {
    var line = "{\"seq\":\(seq),\"decision\":\"\(verdict.rawValue)\""
    if !reasons.isEmpty {
      line += ",\"reasons\":["
      for (i, r) in reasons.enumerated() {
        if i > 0 { line += "," }
        line += JSONString.quoted(r)
      }
      line += "]"
    }
    return line + "}"
  }

  /// The event's line and its revocation lines, each ending in a newline.
  ///
  /// - Complexity: O(total length of the reasons).
  public var jsonLines: String {
    var out = jsonLine + "\n"
    for r in revocations { out += r.jsonLine + "\n" }
    return out
  }
}
