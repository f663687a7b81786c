import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Judges the fan-ins of the stream's first month that are due at `time`
  /// (``DeferredFanIns``), now that their payee's habit has shown, and
  /// revokes the payments of those still unlikely.
  ///
  /// A fan-in found in the first month waited with its chance but for the
  /// payee's habit *H* (see ``fanIn(seq:source:target:micros:time:names:into:)``).
  /// *H* is now read from what came in outside the fan-in: the payee's
  /// receipts in the band (``receipts``, its habit, and its fan list still
  /// kept), those of the fan-in itself left out, shrunk towards max(*q*, *s*′)
  /// as before it (``AmountHabit/shrunk(_:of:towards:)``). A club whose
  /// members pay their dues again, a shop paid its price by new customers,
  /// the month after, has that habit; a collector paid once by its mules
  /// has none. The fan-in is revoked when
  ///
  /// ```text
  /// E = N · C(n, k) · Π Pᵢ,   Pᵢ = max(H, senderᵢ's own chance)
  /// ```
  ///
  /// (over all senders but the least likely, *N* the background's payments
  /// now: a month and more of them, where the first month's were fewer
  /// chances for a coincidence than a stream has) is still below
  /// ``Thresholds/fanAlpha``. Its payments withheld meanwhile (by a
  /// gather-scatter, a link) are not revoked again.
  ///
  /// - Complexity: O(*p* · *r*) for the *p* payments of the fan-ins due
  ///   and the *r* ≤ ``Thresholds/fanMaxRead`` their payees' fan lists
  ///   keep, and O(log *w*) for each of the *w* fan-ins waiting once it falls due.
  mutating func judgeDeferredFanIns(at time: Int64, into outcome: inout CheckOutcome) {
    let payees = deferredFanIns.popDue(at: time)
    guard !payees.isEmpty else { return }
    // Their payments past the fan window go into the habit (or are noted
    // withheld) first, while the fan-ins still wait to be told.
    for payee in payees { fanLists.trim(Int(payee), now: time) }
    noteDroppedReceipts()
    for payee in payees {
      guard let fanIn = deferredFanIns.take(payee) else { continue }
      let habit = habitAfter(fanIn)
      let log10E =
        log10(Double(max(background.total, 1))) + fanIn.log10Binomial
        + Self.log10Coincidence(fanIn.senderChances, habit: habit)
      guard log10E <= log10(thresholds.fanAlpha) else { continue }
      let reason =
        "fan-in in the stream's first month: \(fanIn.description), nor one its payee was paid by others in the month after (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
      for payment in fanIn.payments where payment.fate != DeferredFanIns.Payment.withheld {
        if fanLists.index(of: payment.seq, into: fanIn.payee) != nil {
          revokeSeq(payment.seq, from: payment.source, to: fanIn.payee, reason: reason, outcome: &outcome)
        } else if payment.fate == DeferredFanIns.Payment.inHabit {
          revokeUnlisted(payment.seq, micros: payment.micros, time: payment.time, reason: reason, outcome: &outcome)
        }
      }
    }
  }

  /// *H* of a fan-in waiting, read after it: the payee's receipts in the
  /// fan-in's band and all its receipts, the fan-in's own payments left
  /// out, shrunk towards its max(*q*, *s*′).
  func habitAfter(_ fanIn: DeferredFanIns.FanIn) -> Double {
    let counted = receipts.count(of: fanIn.payee, from: fanIn.low, to: fanIn.high)
    let own = fanIn.payments.reduce(0) { $0 + ($1.fate == DeferredFanIns.Payment.inHabit ? 1 : 0) }
    var (inRange, all) = (max(counted.inRange - own, 0), max(counted.all - own, 0))
    for p in fanLists.live(into: fanIn.payee) where !p.withheld {
      guard !fanIn.payments.contains(where: { $0.seq == p.seq }) else { continue }
      all += 1
      if p.micros >= fanIn.low, p.micros <= fanIn.high { inRange += 1 }
    }
    return AmountHabit.shrunk(inRange, of: all, towards: fanIn.floor)
  }
}
