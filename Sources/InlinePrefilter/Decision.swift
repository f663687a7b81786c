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
    var line: [UInt8] = []
    appendJSONLine(to: &line)
    return String(decoding: line, as: UTF8.self)
  }

  /// Appends the bytes of ``jsonLine`` to `out`, without building a string
  /// (the service's hot path).
  ///
  ///     var out: [UInt8] = []
  ///     Decision(seq: 3, verdict: .admit).appendJSONLine(to: &out)   // {"seq":3,"decision":"admit"}
  ///
  /// - Complexity: O(length of the line); no allocation for an `admit` but `out`'s growth.
  public func appendJSONLine(to out: inout [UInt8]) {
    out.append(contentsOf: #"{"seq":"#.utf8)
    Self.appendDecimal(seq, to: &out)
    out.append(contentsOf: #","decision":""#.utf8)
    switch verdict {
    case .admit: out.append(contentsOf: "admit".utf8)
    case .hold: out.append(contentsOf: "hold".utf8)
    case .revoke: out.append(contentsOf: "revoke".utf8)
    case .error: out.append(contentsOf: "error".utf8)
    }
    out.append(UInt8(ascii: "\""))
    if !reasons.isEmpty {
      out.append(contentsOf: #","reasons":["#.utf8)
      for (i, r) in reasons.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: JSONString.escaped(Array(r.utf8)))
        out.append(UInt8(ascii: "\""))
      }
      out.append(UInt8(ascii: "]"))
    }
    out.append(UInt8(ascii: "}"))
  }

  /// Appends `value` in decimal.
  private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value < 0 {
      out.append(UInt8(ascii: "-"))
      guard value != .min else {
        out.append(contentsOf: String(value).utf8.dropFirst())
        return
      }
      appendDecimal(-value, to: &out)
      return
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, room for the 19 digits of Int.max
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
        count += 1
      } while rest > 0
      out.append(contentsOf: buffer[(24 - count)...])
    }
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
