import Foundation
import SignalGraph

/// The answer of `GET /v1/accounts/{id}/score`: the 350–950 score from the
/// account's admitted signals beside the score all its signals (admitted,
/// held and revoked) would have given, each with its breakdown, and the
/// decisions that withheld signals, with their reasons.
///
/// **Bounds.** The pre-filter keeps only a window of state, so the score is
/// computed from the events the service stored (`serve_events`, each linked
/// to the account's previous event): every signal the account took part in, for
/// as long as the state file keeps them, up to the latest
/// ``ServeConfiguration/maxScoreSignals`` (``truncated`` says when more
/// exist). An account's score reads only the signals that name it, so this
/// equals ``CreditScore`` over the whole stream for that account, except
/// that the age is counted from its first stored signal (the stream has no
/// `created_at`) to the latest event time of the stream.
struct AccountScoreReport: Encodable, Sendable {
  var account: String
  /// The score from admitted signals only.
  var score: Int
  /// The score the held and revoked signals would have given too.
  var scoreWithWithheld: Int
  var breakdown: ScoreBreakdown
  var breakdownWithWithheld: ScoreBreakdown
  var admittedSignals: Int
  var heldSignals: Int
  var revokedSignals: Int
  /// The decisions that withheld signals (hold and revoke lines, with reasons), newest first, at most 50.
  var withheld: [Withheld]
  var referenceTime: Int64?
  var truncated: Bool

  /// One withheld signal.
  struct Withheld: Encodable, Sendable {
    var seq: Int
    var decision: String
    var reasons: [String]
  }

  init(account: String, events: [ServeStore.AccountEvent], limit: Int, referenceTime: Int64?) {
    self.account = account
    self.referenceTime = referenceTime
    truncated = events.count >= limit
    var set = SignalSet()
    // A placeholder signal, never counted, so the account exists in the set even without signals.
    set.addInteraction(source: account, target: account, kind: "serve-placeholder", time: referenceTime ?? 0)
    var counted: [(table: Int, index: Int, admitted: Bool)] = []
    var admitted = 0, held = 0, revoked = 0
    var withheld: [Withheld] = []
    for e in events.reversed() {
      guard e.status != .malformed, let event = try? EventParser.parse(line: e.line, seq: e.seq) else { continue }
      let table: Int
      switch event {
      case .payment: table = 0
      case .interaction: table = 1
      case .profileEdit: table = 2
      }
      let index = [set.payments.count, set.interactions.count, set.profileEdits.count][table]
      set.add(event)
      counted.append((table, index, e.status == .admitted))
      switch e.status {
      case .admitted: admitted += 1
      case .held:
        held += 1
        if let first = e.answer.split(separator: 0x0A).first {
          withheld.append(Self.withheld(Array(first), seq: e.seq))
        }
      case .revoked:
        revoked += 1
        if let line = e.revocation { withheld.append(Self.withheld(line, seq: e.seq)) }
      case .malformed: break
      }
    }
    var mask = SignalMask(allOf: set)
    mask.interactions[0] = false
    var all = mask
    for c in counted where !c.admitted {
      switch c.table {
      case 0: mask.payments[c.index] = false
      case 1: mask.interactions[c.index] = false
      default: mask.profileEdits[c.index] = false
      }
    }
    all.interactions[0] = false
    let index = set.accounts.ids.index(of: account) ?? 0
    let withAdmitted = CreditScore(set, mask: mask, referenceTime: referenceTime).breakdown(of: index)
    let withAll = CreditScore(set, mask: all, referenceTime: referenceTime).breakdown(of: index)
    score = withAdmitted.score
    scoreWithWithheld = withAll.score
    breakdown = withAdmitted
    breakdownWithWithheld = withAll
    admittedSignals = admitted
    heldSignals = held
    revokedSignals = revoked
    self.withheld = Array(withheld.reversed().prefix(50))
  }

  /// Reads a stored decision line (`{"seq":..,"decision":..,"reasons":[..]}`).
  private static func withheld(_ line: [UInt8], seq: Int) -> Withheld {
    struct Line: Decodable {
      var decision: String
      var reasons: [String]?
    }
    let decoded = try? JSONDecoder().decode(Line.self, from: Data(line))
    return Withheld(seq: seq, decision: decoded?.decision ?? "hold", reasons: decoded?.reasons ?? [])
  }
}
