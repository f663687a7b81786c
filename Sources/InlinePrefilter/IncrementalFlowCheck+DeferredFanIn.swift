import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Judges the fan-ins that waited for their payee's habit and are due at
  /// `time` (``DeferredFans``), now that it has shown, and revokes the
  /// payments of those still unlikely.
  ///
  /// A fan-in found in the stream's first month, or into a payee paid too
  /// few times before it, waited with its chance but for the payee's habit
  /// *H* (see ``fanIn(seq:source:target:micros:time:names:into:)``).
  /// *H* is now read from the payee's other payments in the fan window
  /// before (its fan list, the fan-in's own and those withheld left out:
  /// exact counts, where its habit's are bounds): those in the band among
  /// all, shrunk towards max(*q*, *s*′) as before a fan-in
  /// (``AmountHabit/shrunk(_:of:towards:)``), *q* and *s*′ read now, as is
  /// each sender's own chance (``senderChances(after:floor:)``): a month
  /// and more of the stream, where the first month's counts were few (two
  /// fan-ins planted in AMLSim's sample: the floor 0.025 and 0.038 when
  /// found, 0.018 and 0.026 a month on, the senders' own chances 3 to 30
  /// times smaller). A
  /// club whose members pay their dues again, a shop paid its price by new
  /// customers, the month after, has that habit; a collector paid once by
  /// its mules has none. The fan-in is revoked when
  ///
  /// ```text
  /// E = N · C(n − e, k) · Π Pᵢ · min(1, C(e, j) · R^j),   Pᵢ = max(H, senderᵢ's own chance)
  /// ```
  ///
  /// (its senders' payments again as when found, *R* read now; over all
  /// senders but the least likely, *N* the background's payments
  /// now: a month and more of them, where the first month's were fewer
  /// chances for a coincidence than a stream has) is still below
  /// ``Thresholds/fanAlpha``; its payments withheld meanwhile are not
  /// revoked again, and start no link-back (the payment decided now is
  /// none of theirs).
  ///
  /// Known limits: a sender released since (forgotten as idle) leaves the
  /// senders' chances those of when it was found; mules paying their
  /// collector the same sum again the month after read as a club's members
  /// (as they would after the first month, where the
  /// second round is a routine pair's); dues paid less often than monthly,
  /// and one-off collections (a present, a trip), in the stream's first
  /// month are judged as a fan-in after it would be; a fan-in still waiting
  /// when the stream ends is never judged; its payments went into the
  /// payee's habit as they left its fan list, revoked or not (as a fan-in's
  /// before it was held), so a later fan-in into a collector revoked so
  /// finds it a little more habitual.
  ///
  /// - Complexity: O(*p* · *r*) for the *p* payments of the fan-ins due
  ///   and the *r* ≤ ``Thresholds/fanMaxRead`` their payees' fan lists
  ///   keep, and O(log *w*) for each of the *w* fan-ins waiting once it falls due.
  mutating func judgeDeferredFanIns(at time: Int64, into outcome: inout CheckOutcome) {
    let payees = deferredFanIns.popDue(at: time)
    guard !payees.isEmpty else { return }
    // Their payments past the fan window leave it first (noted), while the fan-ins still wait to be told.
    for payee in payees { fanLists.trim(Int(payee), now: time) }
    noteDroppedReceipts()
    let structureBefore = structure.count
    defer { structure.removeSubrange(structureBefore...) }
    for payee in payees {
      guard let fanIn = deferredFanIns.take(payee) else { continue }
      let band = fanIn.low...fanIn.high
      // A month and more of the stream read now: the background's share of
      // the band and its shared receipts, and each sender's habit.
      let floor = receiptChances(into: payee, band: band, share: share(of: band, excluding: 0)).floor
      let habit = habitAfter(fanIn, towards: floor)
      let chances = senderChances(after: fanIn, floor: floor) ?? fanIn.senderChances
      let senders = fanIn.payments.reduce(into: [Int32]()) {
        if $1.counterpart >= 0, !$0.contains($1.counterpart) { $0.append($1.counterpart) }
      }
      let log10E =
        log10(Double(max(background.total, 1))) + fanIn.log10Binomial
        + Self.log10Coincidence(chances, habit: habit)
        + log10PaidAgain(
          fanIn.paidAgain, leavingOut: senders, band: band, chance: max(habit, pow(10, chances.max() ?? 0)))
      guard log10E <= log10(thresholds.fanAlpha) else { continue }
      let began = fanIn.payments.reduce(Int64.max) { min($0, $1.time) }
      let when =
        began.saturatingSubtracting(firstPayment) < fanWarmUp
        ? "in the stream's first month" : "into a payee paid too few times before"
      let reason =
        "fan-in \(when): \(fanIn.description), nor one its payee was paid in its other payments of the month after (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
      for p in fanIn.payments where p.fate != .withheld {
        revokeWaiting(p, from: p.counterpart, to: payee, reason: reason, outcome: &outcome)
      }
    }
  }

  /// log₁₀ of each sender's own chance of paying a fan-in waiting's band
  /// into its payee, read now (``PayerHabits/share(of:to:from:to:background:passedOn:since:)``,
  /// its payment left out, sums first paid since the fan-in began its own,
  /// `floor` the background): the habits of a month and more, where those
  /// of the first month were thin. `nil` when a sender was released since
  /// (forgotten as idle): its habit is gone.
  func senderChances(after fanIn: DeferredFans.Fan, floor: Double) -> [Double]? {
    var senders: [(account: Int32, paid: Int64)] = []
    for p in fanIn.payments where !senders.contains(where: { $0.account == p.counterpart }) {
      guard p.counterpart >= 0 else { return nil }
      senders.append((p.counterpart, p.micros))
    }
    let began = fanIn.payments.reduce(Int64.max) { min($0, $1.time) }
    return senders.map {
      let own = habits.share(
        of: $0.account, to: fanIn.hub, from: fanIn.low, to: fanIn.high, background: floor, passedOn: $0.paid,
        since: began)
      return log10(max(own, .leastNormalMagnitude))
    }
  }

  /// *H* of a fan-in waiting, read after it: of the payee's other
  /// payments in its fan list (not the fan-in's own, nor those withheld),
  /// those in the fan-in's band among all, shrunk towards `floor`.
  func habitAfter(_ fanIn: DeferredFans.Fan, towards floor: Double) -> Double {
    var (inRange, all) = (0, 0)
    for p in fanLists.live(into: fanIn.hub) where !p.withheld {
      guard !fanIn.payments.contains(where: { $0.seq == p.seq }) else { continue }
      all += 1
      if p.micros >= fanIn.low, p.micros <= fanIn.high { inRange += 1 }
    }
    return AmountHabit.shrunk(inRange, of: all, towards: floor)
  }
}
