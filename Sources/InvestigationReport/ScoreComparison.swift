import AnomalyDetect
import SignalGraph

/// The score section of ``AccountExplanation``: an account's credit score
/// (``CreditScore``) counting every signal, beside the score counting only
/// the signals a scan leaves admitted, part by part.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let graph = GraphIndex(set)
///     let report = Scanner.standard.scan(set)
///     let held = report.heldSignals(in: set, graph: graph)
///     let comparison = ScoreComparison(account: 17, set: set, held: held)
///     print(comparison.withHeld.score, comparison.withoutHeld.score)
public struct ScoreComparison: Sendable, Equatable {
  /// The breakdown counting every signal, held ones included.
  public var withHeld: ScoreBreakdown
  /// The breakdown counting admitted signals only.
  public var withoutHeld: ScoreBreakdown
  /// How many of the account's own signals (sent, received or edited) were held.
  public var heldSignals: Int

  /// Pairs two breakdowns of one account.
  public init(withHeld: ScoreBreakdown, withoutHeld: ScoreBreakdown, heldSignals: Int) {
    self.withHeld = withHeld
    self.withoutHeld = withoutHeld
    self.heldSignals = heldSignals
  }

  /// Scores `account` of `set` with every signal and with `held` signals
  /// left out (`held` flags, row for row, the signals to leave out).
  /// - Complexity: O(*n* + *m*): two ``CreditScore`` passes over the set.
  public init(account: Int32, set: SignalSet, held: SignalMask) {
    var admitted = SignalMask(allOf: set)
    var own = 0
    func mark(_ heldRows: [Bool], _ admittedRows: inout [Bool], touches: (Int) -> Bool) {
      for r in heldRows.indices where heldRows[r] {
        admittedRows[r] = false
        if touches(r) { own += 1 }
      }
    }
    let p = set.payments, i = set.interactions, e = set.profileEdits
    mark(held.payments, &admitted.payments) { p.source[$0] == account || p.target[$0] == account }
    mark(held.interactions, &admitted.interactions) { i.source[$0] == account || i.target[$0] == account }
    mark(held.profileEdits, &admitted.profileEdits) { e.account[$0] == account }
    self.init(
      withHeld: CreditScore(set).breakdown(of: account),
      withoutHeld: CreditScore(set, mask: admitted).breakdown(of: account),
      heldSignals: own)
  }

  /// The comparison as indented text lines, the score last.
  var text: String {
    var out = "score breakdown (\(heldSignals) held signal\(heldSignals == 1 ? "" : "s") of its own):\n"
    let rows: [(String, Double, Double)] = [
      ("payment volume", withHeld.paymentVolume, withoutHeld.paymentVolume),
      ("payment counterparties", withHeld.paymentCounterparties, withoutHeld.paymentCounterparties),
      ("months with payments", withHeld.paymentMonths, withoutHeld.paymentMonths),
      ("social standing", withHeld.socialStanding, withoutHeld.socialStanding),
      ("profile completeness", withHeld.profileCompleteness, withoutHeld.profileCompleteness),
      ("account age", withHeld.accountAge, withoutHeld.accountAge),
      ("score (350 + parts)", Double(withHeld.score), Double(withoutHeld.score)),
    ]
    let width = rows.map(\.0.count).max() ?? 0
    for (name, a, b) in rows {
      out += "  " + name + String(repeating: " ", count: width - name.count)
      out += "  with held \(EvidenceText.number((a * 10).rounded() / 10))"
      out += "  without held \(EvidenceText.number((b * 10).rounded() / 10))\n"
    }
    return out
  }
}
