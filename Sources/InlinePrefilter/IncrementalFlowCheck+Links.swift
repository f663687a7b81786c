import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// How a payment *u* → *v* shares an account with a held transfer it
  /// links to.
  enum LinkRole {
    /// Into the held transfer's payee *v*, from another payer: a fan-in.
    case fanIn
    /// Out of the held transfer's payee *u*, to another account: money
    /// passed on.
    case passedOn
    /// Into the held transfer's payer *v*, from another account: money
    /// come back.
    case cameBack
  }

  /// Checks whether a payment *u* → *v* of amount *a* joins a flow already
  /// caught: a transfer held within the link window
  /// (``Thresholds/linkWindowSeconds``, weeks) of an amount within
  /// ``Thresholds/linkTolerance`` of *a*, that shares an account with it
  /// (``LinkRole``):
  /// - **fan-in**: held into *v* from another sender, before or after;
  ///   launderers' fan-ins (AMLSim's; Altman et al., NeurIPS 2023) send one
  ///   amount from several senders over weeks, some of them splitting it;
  /// - **passed on**: held into *u* before, from another account than *v*:
  ///   a layer of a stack paying on what it was paid, days or weeks later;
  /// - **came back**: held from *v* before, to another account than *u*,
  ///   when *u* is in a caught flow itself (holds an anchor) or splits the
  ///   payment: a ring closing, or money returning to its origin, weeks
  ///   later. An honest friend paying back a share of a held purchase does
  ///   neither.
  ///
  /// Neither of the last two links money paid back along a held transfer,
  /// *v* → *u* (a refund, a repaid loan). These are the scan's
  /// `structured-flow` links (`gathered`, `relayed`, `returned`) in the
  /// order a stream sees them. Each link is held on as an anchor itself
  /// (``keepAnchor(from:to:payments:counted:micros:spread:time:)``), so a flow keeps
  /// being linked while its payments come less than the window apart.
  /// Payments admitted before the first anchor are not revoked by it; when a
  /// structure is held, those of its accounts' still kept are read back
  /// (``linkBack(at:names:into:)``). When either transfer is a split of unequal
  /// parts, the tolerance widens to its spread (the parts' largest relative
  /// distance from their median, at most ``maxLinkTolerance``), and the
  /// payment's amount is its split's median.
  ///
  /// The chance of such a match is *c* · *k* · *q*:
  /// - *c* the held transfers looked at, over the three roles (the tests
  ///   made);
  /// - *k* the payments that could have matched over the link window (the
  ///   relay window's, scaled): those into *v* for a fan-in or money come
  ///   back, those out of *u* for money passed on (a busy account moves
  ///   many amounts);
  /// - *q* the share of the amount (exactly *a* when the two are equal,
  ///   else anywhere within the tolerance of the held one, as the scan's
  ///   links) among the recent payments that neither the withheld amounts
  ///   (``withheld``) nor the anchors looked at count: a scheme does not
  ///   hide in its own amounts, nor in those of schemes caught beside it
  ///   (the pair's own transfers withheld before count back). For the
  ///   ``routineReads`` anchors where that is least, *q* is raised to the
  ///   accounts' own
  ///   routine, their share among the payments kept (the relay window's)
  ///   that were not withheld:
  ///   - *v*'s from senders other than *u*: an account whose money mostly
  ///     comes as one price (club dues, one rent, a ticket) receives it by
  ///     routine, even after one of its payers split it;
  ///   - for money passed on, *u*'s too, from others than the held
  ///     transfer's payer: a shop selling at that price refunds it.
  ///
  /// When the payment is a part of a transfer split within a day that was
  /// not held on its own (`transfer`), the chance is multiplied by the
  /// split's (its *q* the larger of the background's and *v*'s own share of
  /// its amounts, at most 1): a split is a second coincidence, and the
  /// transfer's earlier parts are revoked with it.
  ///
  /// The payment is held when the chance is at most
  /// ``Thresholds/linkAlpha`` (the scan's bar for a link: the held transfer
  /// has passed the bar of a finding already).
  ///
  /// - Complexity: O(*h* (log *h* + *b*)) for the *h* ≤ 6 ·
  ///   ``Thresholds/fanLimit`` transfers kept held to or from *u* and *v*,
  ///   *b* ≤ 110 the background's bins within ``maxLinkTolerance``, plus at
  ///   most (2 · ``routineReads`` + 1) · ``Thresholds/budget`` payments read
  ///   for the routine shares.
  mutating func link(
    source u: Int32, target v: Int32, micros a: Int64, transfer: Split?, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    guard let (best, log10Chance) = strongestLink(source: u, target: v, micros: a, transfer: transfer, time: time)
    else { return }
    let reason = linkReason(
      best.role, anchor: best.anchor, source: u, target: v, micros: a, transfer: transfer, time: time,
      log10Chance: log10Chance, names: names)
    outcome.holdReasons.append(reason)
    if let transfer { revoke(transfer.parts.map { (v, $0) }, reason: reason, into: &outcome) }
    let unit = transfer?.unit ?? a
    keepAnchor(
      from: u, to: v, payments: Int32(clamping: transfer?.payments ?? 1), micros: unit,
      spread: min(transfer?.spread ?? 0, 1), time: time)
  }

  /// The likeliest link of a payment *u* → *v* of `a` at `time` (a part of
  /// `transfer`, when it is one) to the held transfers, with log₁₀ of its
  /// chance, when that is at most ``Thresholds/linkAlpha``: see
  /// ``link(source:target:micros:transfer:time:names:into:)``.
  func strongestLink(
    source u: Int32, target v: Int32, micros a: Int64, transfer: Split?, time: Int64
  ) -> (match: Match, log10Chance: Double)? {
    let fanIn = heldInto.live(at: v, now: time, besides: u)
    let intoPayer = heldInto.live(at: u, now: time, besides: -1)
    let fromPayer = heldFrom.live(at: u, now: time, besides: -1)
    // Money paid back along a held transfer (a refund, a repaid loan) is
    // not passed on or come back; money come back needs a payer already in
    // a caught flow, or a split of its own (a second coincidence).
    let paidBack = intoPayer.contains { $0.counterpart == v }
    let inFlow = !intoPayer.isEmpty || !fromPayer.isEmpty || transfer != nil
    let roles: [(role: LinkRole, anchors: [HeldTransfers.Transfer])] = [
      (.fanIn, fanIn),
      (.passedOn, paidBack ? [] : intoPayer.filter { $0.time <= time }),
      (
        .cameBack,
        paidBack || !inFlow
          ? [] : heldFrom.live(at: v, now: time, besides: u).filter { $0.time <= time }
      ),
    ]
    let tests = roles.reduce(0) { $0 + $1.anchors.count }
    // The transfer's amount: the payment's, or its split's median.
    let unit = transfer?.unit ?? a
    let spread = min(transfer?.spread ?? 0, 1)
    guard tests > 0, unit > 0 else { return nil }
    let own = HeldAmounts(roles.flatMap(\.anchors), near: time, within: backgroundSpan)
    let scale = Double(linkWindow) / Double(max(relayWindow, 1))
    let paymentsIn = Double(max(1, recent.live(into: v).count)) * scale
    let paymentsOut = Double(max(1, recent.outgoing[Int(u)])) * scale
    // The matches by the background's share; the accounts' own routine
    // (which can only raise the chance) is read for the likeliest few alone.
    var matches: [Match] = []
    for (role, anchors) in roles {
      let k = Double(tests) * (role == .passedOn ? paymentsOut : paymentsIn)
      for anchor in anchors where anchor.micros > 0 {
        let tolerance = max(thresholds.linkTolerance, min(max(anchor.spread, spread), Self.maxLinkTolerance))
        let distance = abs(Double(unit) - Double(anchor.micros)) / Double(max(unit, anchor.micros))
        guard distance <= tolerance else { continue }
        let exact = distance == 0 && anchor.spread == 0 && spread == 0
        let low = exact ? unit : Self.micros(Double(anchor.micros) * (1 - tolerance))
        let high = exact ? unit : Self.micros(Double(anchor.micros) * (1 + tolerance))
        // Not counting the anchors' payments (held on their own: not
        // withheld amounts yet); the pair's own transfers withheld count back.
        let excluding =
          own.payments(from: low, to: high) - pairWithheld(from: u, to: v, low: low, high: high, before: time)
        let q =
          exact
          ? background.share(exactly: unit, besides: withheld, excluding: excluding)
          : background.share(from: low, to: high, besides: withheld, excluding: excluding)
        matches.append(Match(role: role, anchor: anchor, low: low, high: high, chance: k * q))
      }
    }
    matches.sort { $0.chance < $1.chance }
    for i in matches.indices.prefix(Self.routineReads) {
      let m = matches[i]
      var routine = localShare(into: v, from: m.low, to: m.high, besides: u)
      if m.role == .passedOn {
        // An account that receives such amounts by routine (a shop) pays them back by routine.
        routine = max(routine, localShare(into: u, from: m.low, to: m.high, besides: m.anchor.counterpart))
      }
      let k = Double(tests) * (m.role == .passedOn ? paymentsOut : paymentsIn)
      matches[i].chance = max(m.chance, k * routine)
    }
    guard let best = matches.prefix(Self.routineReads).min(by: { $0.chance < $1.chance }) else { return nil }
    var log10Chance = log10(max(best.chance, .leastNormalMagnitude))
    if let transfer {
      let q = max(transfer.share, localShare(into: v, from: transfer.low, to: transfer.high, besides: u))
      log10Chance += min(0, self.log10Chance(of: transfer, share: q))
    }
    guard log10Chance <= log10(thresholds.linkAlpha) else { return nil }
    return (best, log10Chance)
  }

  /// A held transfer an amount matched, and the chance of the match.
  struct Match {
    var role: LinkRole
    var anchor: HeldTransfers.Transfer
    /// The band matched.
    var low: Int64, high: Int64
    /// *c* · *k* · *q*.
    var chance: Double
  }

  /// The likeliest matches whose accounts' routine is read (each reads up
  /// to ``Thresholds/budget`` payments, twice for money passed on).
  static let routineReads = 4

  /// The widest a split's spread widens the link tolerance, however
  /// unequal its parts: bounds the background bins a link reads.
  static let maxLinkTolerance = 0.5

  /// The reason a person reads for a payment linked to `anchor` in `role`.
  func linkReason(
    _ role: LinkRole, anchor: HeldTransfers.Transfer, source u: Int32, target v: Int32, micros a: Int64,
    transfer: Split?, time: Int64, log10Chance: Double, names: WindowedInterner
  ) -> String {
    let days = String(format: "%.1f", Double(time.saturatingSubtracting(anchor.time).magnitude) / 86_400)
    let paid =
      "\(names[u]) paid \(names[v]) \(Self.format(a))"
      + (transfer.map { " in \($0.payments) payments within one day" } ?? "")
    let held = "\(Self.format(anchor.micros))\(anchor.spread > 0 ? " (median)" : "")"
    let what =
      switch role {
      case .fanIn: "fan-in: \(paid), as \(names[anchor.counterpart]) did in a transfer held \(days) days apart"
      case .passedOn:
        "passed on: \(paid), \(days) days after a transfer of \(held) from \(names[anchor.counterpart]) into \(names[u]) was held"
      case .cameBack:
        "came back: \(paid), \(days) days after a transfer of \(held) from \(names[v]) to \(names[anchor.counterpart]) was held"
      }
    return
      "\(what) (chance ≈ 10^\(Int(log10Chance.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
  }

  /// The share of the payments into `v` kept (the relay window's), not
  /// withheld and not from `besides`, between `low` and `high`: how often
  /// the account receives such an amount by routine. Reads at most
  /// ``Thresholds/budget`` payments, the latest.
  private func localShare(into v: Int32, from low: Int64, to high: Int64, besides: Int32) -> Double {
    let list = recent.live(into: v)
    var read = 0, matching = 0
    for p in list.reversed().prefix(thresholds.budget) {
      read += 1
      if !p.withheld, p.source != besides, p.micros >= low, p.micros <= high { matching += 1 }
    }
    return read == 0 ? 0 : Double(matching) / Double(read)
  }
}
