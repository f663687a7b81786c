import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Revokes the payments a structure just caught had made before it was
  /// caught: those that a later payment would have linked to it.
  ///
  /// A structure is held at the payment that completes it, days after its
  /// first payments; until then, its other payments went through. A stack
  /// (layers of accounts, each paying every one of the next, AMLworld's
  /// "stack") is caught at a hub or a scatter-gather of one layer, while
  /// the other payers of that layer, and the layer it pays, were admitted.
  /// For each of the structure's accounts (those of the payments withheld
  /// by the check, ``structure``), its latest payments in and out within
  /// the relay window (at most ``Thresholds/fanMaxRead`` each way) not
  /// withheld are read twice, the structure's payments standing as held
  /// transfers meanwhile:
  ///
  /// - **linked back**: each is weighed by the link check's chance
  ///   (``link(source:target:micros:transfer:time:names:into:)``,
  ///   *c* · *k* · *q* ≤ ``Thresholds/linkAlpha``) at its own time, with the
  ///   counts and shares of now, as a payment on its own (no split's
  ///   chance); money passed on or come back needs a held transfer before
  ///   it, so payments before the structure's link mostly as fan-ins;
  /// - **joined**: an outside account *x* whose payments to (or from) the
  ///   structure's accounts hold a band (top at most 1 + 2 ·
  ///   ``Thresholds/fanTolerance`` times bottom) reaching *j* ≥ 2 distinct
  ///   accounts, one of which holds a transfer within
  ///   ``Thresholds/linkTolerance`` of the band's middle. A stack's other
  ///   payers of a layer caught, and the payee its layer pays on to. The
  ///   chance of such a band is
  ///
  ///   ```text
  ///   E = N · C(n − 1, j − 1) · Π Pᵢ   (over the j accounts but the likeliest)
  ///   ```
  ///
  ///   *N* the outside accounts read, *n* *x*'s payments kept (out when it
  ///   pays, in when it is paid), *P*ᵢ the chance of a payment in the band:
  ///   *x*'s habit (``PayerHabits/share(of:to:from:to:background:passedOn:since:)``,
  ///   the sums first paid in the band since the first of these left out,
  ///   its rate of new sums times the background's share of the band)
  ///   when *x* pays, the paying account's habit of paying *x* when it is
  ///   paid. Withheld when *E* ≤ ``Thresholds/linkAlpha``, as a link.
  ///
  /// Honest accounts beside a structure keep their payments: a tenant
  /// paying a landlord in it pays its rent by habit (a large *P*), a shop's
  /// customers pay many sums, and a payment of another sum joins nothing.
  /// One level only: what this revokes is not read again. The structure's
  /// payments stand as held transfers for this reading alone, not for
  /// later payments' links: a pair repeating its sum a month on (a rent
  /// agent's second month after a first one held) is no link to the
  /// structure, as before.
  ///
  /// Only the structure's own payments count as withheld: a split held on
  /// its own, or a payment linked alone, reads nothing back.
  ///
  /// - Complexity: O(*s* · *r* · *l*) for the *s* accounts of the
  ///   structure, the *r* ≤ 2 · ``Thresholds/fanMaxRead`` payments read for
  ///   each, and a link's cost *l*
  ///   (``link(source:target:micros:transfer:time:names:into:)``); the
  ///   joined bands, O(*r*² · *j*) per outside account for the *j* accounts
  ///   its band reaches.
  mutating func linkBack(at now: Int64, names: WindowedInterner, into outcome: inout CheckOutcome) {
    var members = structure.flatMap { [$0.payer, $0.payee] }
    members.sort()
    members.removeDuplicatesFromSorted()
    let saved = (into: heldInto.lists(of: members), from: heldFrom.lists(of: members))
    defer {
      heldInto.restore(saved.into)
      heldFrom.restore(saved.from)
    }
    for p in structure {
      keepAnchor(from: p.payer, to: p.payee, payments: 1, micros: p.micros, spread: 0, time: p.time)
    }
    var outsiders: [Outsider] = []
    let since = now.saturatingSubtracting(relayWindow)
    for a in members {
      for p in recent.live(into: a).suffix(thresholds.fanMaxRead) where !p.withheld && p.time >= since {
        guard let i = recent.index(of: p.seq, into: a) else { continue }
        linkBack(source: p.source, target: a, index: i, names: names, into: &outcome)
        if !recent.lists[Int(a)][i].withheld, !members.containsSorted(p.source) {
          outsiders.append(Outsider(account: p.source, pays: true))
        }
      }
      for p in payouts.live(into: a) where !p.withheld && p.time >= since {
        guard let i = recent.index(of: p.seq, into: p.source) else { continue }
        linkBack(source: a, target: p.source, index: i, names: names, into: &outcome)
        if !recent.lists[Int(p.source)][i].withheld, !members.containsSorted(p.source) {
          outsiders.append(Outsider(account: p.source, pays: false))
        }
      }
    }
    outsiders.sort()
    outsiders.removeDuplicatesFromSorted()
    for x in outsiders {
      join(x, to: members, among: outsiders.count, at: now, names: names, into: &outcome)
    }
  }

  /// A payment withheld as a part of a structure.
  struct StructurePayment {
    var payer: Int32, payee: Int32
    var micros: Int64
    var time: Int64
  }

  /// An account outside a structure that pays one of its accounts, or is paid by one.
  struct Outsider: Comparable {
    var account: Int32
    /// Whether it pays (else it is paid).
    var pays: Bool

    static func < (a: Self, b: Self) -> Bool { (a.account, a.pays ? 1 : 0) < (b.account, b.pays ? 1 : 0) }
  }

  /// Withholds the payment at `index` of `v`'s list, from `u`, when it
  /// links to a transfer held, weighed at its own time.
  private mutating func linkBack(
    source u: Int32, target v: Int32, index: Int, names: WindowedInterner, into outcome: inout CheckOutcome
  ) {
    let p = recent.lists[Int(v)][index]
    guard !p.withheld, p.micros > 0,
      let (best, log10Chance) = strongestLink(source: u, target: v, micros: p.micros, transfer: nil, time: p.time)
    else { return }
    let reason = linkReason(
      best.role, anchor: best.anchor, source: u, target: v, micros: p.micros, transfer: nil, time: p.time,
      log10Chance: log10Chance, names: names)
    revoke([(v, index)], reason: reason, into: &outcome)
  }

  /// A payment between an outside account and a structure's account.
  private struct Joining {
    var micros: Int64
    /// The structure's account.
    var member: Int32
    /// The payment's place: its payee, and its index in the payee's list.
    var payee: Int32
    var index: Int
    var time: Int64
  }

  /// Withholds `x`'s payments to (or from) the structure's accounts
  /// `members` (ascending) in its band reaching most of them, when the band
  /// is the structure's and its chance, among `outsiders` accounts read,
  /// is at most ``Thresholds/linkAlpha``: see ``linkBack(at:names:into:)``.
  /// Reads `x`'s payments within the relay window before `now`: out, its
  /// list of payments out; in, its latest ``Thresholds/fanMaxRead``
  /// payments in. *n* counts all it kept.
  private mutating func join(
    _ x: Outsider, to members: [Int32], among outsiders: Int, at now: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let since = now.saturatingSubtracting(relayWindow)
    var joining: [Joining] = []
    let kept: Int
    if x.pays {
      kept = Int(recent.outgoing[Int(x.account)])
      for p in payouts.live(into: x.account) {
        guard !p.withheld, p.micros > 0, p.time >= since, members.containsSorted(p.source),
          let i = recent.index(of: p.seq, into: p.source)
        else { continue }
        joining.append(Joining(micros: p.micros, member: p.source, payee: p.source, index: i, time: p.time))
      }
    } else {
      let list = recent.live(into: x.account)
      kept = list.count
      for i in list.indices.suffix(thresholds.fanMaxRead) {
        let p = list[i]
        guard !p.withheld, p.micros > 0, p.time >= since, members.containsSorted(p.source) else { continue }
        joining.append(Joining(micros: p.micros, member: p.source, payee: x.account, index: i, time: p.time))
      }
    }
    guard joining.count >= 2 else { return }
    joining.sort { $0.micros < $1.micros }
    guard let band = Self.widestBand(joining, ratio: fanBandRatio) else { return }
    let accounts = Self.members(of: joining[band])
    let low = joining[band.first!].micros, high = joining[band.last!].micros
    let middle = joining[(band.lowerBound + band.upperBound) / 2].micros
    // The band is the structure's: one of its accounts holds a transfer near it.
    let tolerance = thresholds.linkTolerance * Double(middle)
    func near(_ t: HeldTransfers.Transfer) -> Bool { abs(Double(t.micros) - Double(middle)) <= tolerance }
    let anchored = accounts.contains { member in
      heldInto.live(at: member, now: now, besides: x.account).contains(where: near)
        || heldFrom.live(at: member, now: now, besides: x.account).contains(where: near)
    }
    guard anchored else { return }
    let q = background.share(from: low, to: high, besides: withheld)
    let first = joining[band].reduce(Int64.max) { min($0, $1.time) }
    var chances = accounts.map { member in
      let chance =
        x.pays
        ? habits.share(of: x.account, to: member, from: low, to: high, background: q, since: first)
        : habits.share(of: member, to: x.account, from: low, to: high, background: q, since: first)
      return log10(max(chance, .leastNormalMagnitude))
    }
    chances.sort()
    let log10E =
      log10(Double(max(outsiders, 1))) + Self.log10Binomial(max(kept, accounts.count) - 1, accounts.count - 1)
      + chances.dropLast().reduce(0, +)
    guard log10E <= log10(thresholds.linkAlpha) else { return }
    let named = accounts.map { names[$0] }.joined(separator: ", ")
    let what =
      x.pays
      ? "\(names[x.account]) paid \(accounts.count) accounts of a structure held (\(named))"
      : "\(accounts.count) accounts of a structure held (\(named)) paid \(names[x.account])"
    let reason =
      "joined: \(what) \(Self.format(low))–\(Self.format(high)) within \(String(format: "%.1f", Double(joining[band].reduce(first) { max($0, $1.time) } - first) / 86_400)) days (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    revoke(joining[band].map { ($0.payee, $0.index) }, reason: reason, into: &outcome)
  }

  /// The band of `joining` (ascending by amount), its top at most `ratio`
  /// times its bottom, reaching the most distinct members, if two or more.
  private static func widestBand(_ joining: [Joining], ratio: Double) -> Range<Int>? {
    var best: Range<Int>?
    var most = 1
    var high = 0
    for low in joining.indices {
      high = max(high, low)
      while high < joining.count, Double(joining[high].micros) <= Double(joining[low].micros) * ratio { high += 1 }
      let reached = members(of: joining[low..<high]).count
      if reached > most { (best, most) = (low..<high, reached) }
    }
    return best
  }

  /// The distinct members `joining` reaches, in order of first appearance.
  private static func members(of joining: ArraySlice<Joining>) -> [Int32] {
    var reached: [Int32] = []
    for j in joining where !reached.contains(j.member) { reached.append(j.member) }
    return reached
  }
}

extension Array where Element: Comparable {
  /// Keeps the first of each run of equal elements (the array ascending).
  fileprivate mutating func removeDuplicatesFromSorted() {
    guard count > 1 else { return }
    var kept = 1
    for i in 1..<count where self[i] != self[kept - 1] {
      self[kept] = self[i]
      kept += 1
    }
    removeLast(count - kept)
  }

  /// Whether the ascending array holds `element` (a binary search).
  fileprivate func containsSorted(_ element: Element) -> Bool {
    var (low, high) = (0, count)
    while low < high {
      let middle = (low + high) / 2
      if self[middle] < element { low = middle + 1 } else { high = middle }
    }
    return low < count && self[low] == element
  }
}
