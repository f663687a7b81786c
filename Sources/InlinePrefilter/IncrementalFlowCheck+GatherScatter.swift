import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Holds a payment *h* → *d* that completes a **gather-scatter**: money
  /// gathered at *h* from several senders in near-equal sums, paid straight
  /// on to several other receivers in near-equal sums, the sum paid out
  /// within [1 − skim, 1] of the sum gathered. The streaming form of the
  /// scan's gathering hubs (`GatheringHubs` in `structured-flow`; AMLworld's
  /// gather-scatter, Altman et al., NeurIPS 2023), decided at the payment out
  /// that brings the sums into agreement.
  ///
  /// - **Out.** *h*'s payments out within the relay window up to this one
  ///   (``payouts``; at most ``Thresholds/fanMaxRead`` of them: a busier
  ///   payer, a payroll, is not read), *n*ₒ of them: the band of amounts
  ///   holding this one (its top at most 1 + 2 · ``Thresholds/fanTolerance``
  ///   times its bottom) with the most distinct receivers, *m* ≥
  ///   ``Thresholds/minFanSenders``. A sum *h* paid before the window
  ///   (``PayerHabits/paid(_:near:before:)``: a rent, a wage, its own price)
  ///   is its business and joins no band.
  /// - **In.** *h*'s payments in (its fan list, at most
  ///   ``Thresholds/fanMaxRead`` within the fan window: a busier payee is not
  ///   read) from a relay window before the first of those to a split's
  ///   span (a day) after it, *n*ᵢ of them,
  ///   from senders that are not receivers: the band with the most distinct
  ///   senders, *k* ≥ ``Thresholds/minFanSenders``, none paying *h* by
  ///   routine (``paysRoutinely(_:_:into:among:)``).
  ///
  /// One payment per counterpart, the sum out must lie within
  /// [1 − ``Thresholds/skim``, 1] of the sum in. The coincidence has chance
  ///
  /// ```text
  /// p = [C(nᵢ, k) · Π Pᵢ] · [C(nₒ, m) · Pₕ] · A
  /// ```
  ///
  /// the first bracket a fan-in's (``log10Chance(of:band:paidBy:read:into:from:began:)``:
  /// each sender's habit, the stream's rate of shared sums, *h*'s habit of
  /// receiving the band), the second the chance that *h* paid *m* − 1 more
  /// of its receivers the first one's sum (``log10Repeats(of:count:uncounted:from:to:before:)``),
  /// read as the scan reads it, *q*ₒ the background's share of the out
  /// band at least:
  ///
  /// - *h* paid three or more times before the relay window ending now:
  ///   its own share of those in the band, per repeat;
  /// - once or twice, none in the band: it takes the sum up, the first
  ///   repeat at the stream's rate of repeating a sum new to the payer
  ///   (``PayerHabits/newSumRepeatRate``), the later ones at its rate of
  ///   repeating any sum (1 − ``PayerHabits/populationRate``);
  /// - otherwise every repeat at that last rate: where every payer keeps
  ///   one sum for life, an account with no history paying one sum to
  ///   several is no evidence;
  /// - in the last two, a repeat whose sum differs from all paid before
  ///   (not to the cent) at that rate times the share of the stream's
  ///   repeats not to the cent (``PayerHabits/variedRepeatShare``): a
  ///   payer keeping to one sum pays it exactly, where people do, and
  ///   near-equal sums that all differ are a structure's.
  ///
  /// *A* is the chance that the sums agree (``agreement(of:outBand:with:)``):
  /// the background's share of the unit that *m* payments need to make the
  /// sum (the scan sums it over the counts it could have read, and takes
  /// the skim itself where the hub paid that sum to two receivers before
  /// the window). Where every sum is drawn
  /// from one narrow range, sums of as many payments agree by themselves,
  /// and *A* says so. The payment is held, and the structure's earlier
  /// payments in and out revoked, when *p* · *T* ≤ ``Thresholds/fanAlpha``,
  /// *T* the windows read per background span at the stream's own rate
  /// (``windowsInBackground(at:)``; a window read is a payment out of a hub
  /// with three payments out and three in kept, once per hub and relay
  /// window): the scan's bound over every window read, over the background.
  ///
  /// Honest money does this rarely: an employer pays near-equal salaries
  /// out of takings that are not near-equal, a club collects equal dues and
  /// pays bills of any amount, a household pays its shared rent on as one
  /// sum, a savings circle pays its pot to one member. Not told apart (as in
  /// the scan): an agent collecting one rent from several tenants and paying
  /// it to several owners, in the first month the stream sees it; the months
  /// after are routine. The pre-filter reads the rest of the structure from
  /// what it keeps: the hub's history as far as its four remembered sums tell.
  ///
  /// - Complexity: O(*r*³) for the *r* ≤ ``Thresholds/fanMaxRead`` payments
  ///   out of *h* and into *h* read (a band's distinct counterparts counted per bottom), plus O(bins) per amount range looked up
  ///   and O(``PayerHabits/slotsPerAccount``) per sender.
  mutating func gatherScatter(
    source h: Int32, target d: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    // Its own sum, paid before the window, is the hub's business, not the structure's.
    let windowStart = time.saturatingSubtracting(relayWindow)
    guard a > 0, !habits.paid(h, near: a, before: windowStart) else { return }
    let out = payouts.live(into: h)
    // The payouts keep a fan window; a hub's are those of the relay window
    // (all kept, unless it paid out more than the list holds: a busier payer).
    let kept = out.reduce(0) { $0 + ($1.time >= windowStart ? 1 : 0) }
    guard kept + 1 >= thresholds.minFanSenders, kept < thresholds.fanMaxRead,
      fanLists.live(into: h).count >= thresholds.minFanSenders
    else { return }
    countWindow(of: h, at: time)
    // The payments out read (this one among them), and those a band holding it could hold.
    var candidates: [FanCandidate] = []
    let readOut = payoutCandidates(of: h, holding: a, from: windowStart, to: time, into: &candidates)
    candidates.sort { $0.micros < $1.micros }
    guard let band = bestBand(candidates, holding: a, from: d) else { return }
    let paidOut = Self.onePerCounterpart(candidates[band], besides: d)
    let firstOut = paidOut.reduce(time) { min($0, out[$1.index].time) }
    let sumOut = paidOut.reduce(Double(a)) { $0 + Double($1.micros) }
    let outLow = min(a, candidates[band].first!.micros), outHigh = max(a, candidates[band].last!.micros)
    let receivers = [d] + paidOut.map(\.source)

    guard let gathered = gathered(into: h, before: firstOut, until: time, besides: receivers) else { return }
    guard RelayBand.sumPassesOn(sumOut, gathered.sum, skim: thresholds.skim) else { return }
    let log10In = log10Chance(
      of: gathered.members[...], band: gathered.band, paidBy: gathered.senders, read: gathered.read, into: h,
      from: -1, began: gathered.first)
    let log10Out =
      Self.log10Binomial(readOut, receivers.count)
      + log10Repeats(
        of: h, sums: paidOut.sorted { $0.index < $1.index }.map(\.micros) + [a],
        uncounted: paidOut.reduce(0) { $0 + (out[$1.index].counted ? 0 : 1) }, from: outLow, to: outHigh,
        before: windowStart)
    let log10E =
      log10(windowsInBackground(at: time)) + log10In + log10Out
      + log10(agreement(of: receivers.count, outBand: outLow...outHigh, with: gathered.sum))
    guard log10E <= log10(thresholds.fanAlpha) else { return }

    let reason =
      "gather-scatter: \(gathered.senders.count) senders (\(Self.list(gathered.senders, names))) paid \(names[h]) \(Self.format(gathered.band.lowerBound))–\(Self.format(gathered.band.upperBound)), and \(names[h]) paid \(receivers.count) others (\(Self.list(receivers.reversed(), names))) \(Self.format(outLow))–\(Self.format(outHigh)), \(Int((100 * sumOut / gathered.sum).rounded())) % of it, within \(String(format: "%.1f", Double(time - gathered.first) / 86_400)) days (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    revokeFanIn(gathered.members.map(\.index), into: h, reason: reason, outcome: &outcome)
    for p in paidOut { revokeSeq(out[p.index].seq, from: h, to: p.source, reason: reason, outcome: &outcome) }
  }

  /// The money gathered at a hub before it paid out: a band of near-equal
  /// payments from distinct senders.
  struct Gathered {
    /// One payment per sender (indices into the hub's fan list).
    var members: [FanCandidate]
    /// Their senders.
    var senders: [Int32]
    /// The band of their amounts, and their sum.
    var band: ClosedRange<Int64>
    var sum: Double
    /// The payments into the hub read, and when the first member was paid.
    var read: Int
    var first: Int64
  }

  /// The band of payments into `h` from a relay window before `firstOut`
  /// to a split's span after it (and no later than `until`), from senders
  /// not in `receivers` nor paying it by routine, with the most distinct
  /// senders, if at least ``Thresholds/minFanSenders``.
  func gathered(into h: Int32, before firstOut: Int64, until: Int64, besides receivers: [Int32]) -> Gathered? {
    let list = fanLists.live(into: h)
    guard list.count >= thresholds.minFanSenders, list.count < thresholds.fanMaxRead else { return nil }
    // Within the fan window of now: the fan list keeps no more (trimmed lazily).
    let from = max(firstOut.saturatingSubtracting(relayWindow), until.saturatingSubtracting(fanWindow))
    let to = min(until, firstOut.saturatingAdding(thresholds.bucketSeconds))
    var read = 0
    var candidates: [FanCandidate] = []
    for i in list.indices where list[i].time >= from && list[i].time <= to {
      read += 1
      let p = list[i]
      guard p.micros > 0, p.source != h, !receivers.contains(p.source) else { continue }
      candidates.append(FanCandidate(micros: p.micros, source: p.source, index: i))
    }
    let all = candidates
    candidates.removeAll { paysRoutinely($0.source, $0.micros, into: h, among: all[...]) }
    candidates.sort { $0.micros < $1.micros }
    // The band (a sliding window over the sorted sums) with the most distinct senders.
    var best: Range<Int>?
    var most = thresholds.minFanSenders - 1
    var high = 0
    for low in candidates.indices {
      high = max(high, low)
      while high < candidates.count, Double(candidates[high].micros) <= Double(candidates[low].micros) * fanBandRatio {
        high += 1
      }
      let senders = Self.senders(in: candidates[low..<high], besides: -1)
      if senders > most { (best, most) = (low..<high, senders) }
    }
    guard let best else { return nil }
    let members = Self.onePerCounterpart(candidates[best], besides: -1)
    return Gathered(
      members: members, senders: members.map(\.source),
      band: candidates[best].first!.micros...candidates[best].last!.micros,
      sum: members.reduce(0) { $0 + Double($1.micros) }, read: read,
      first: members.reduce(Int64.max) { min($0, list[$1.index].time) })
  }

  /// log₁₀ of the chance that `h`, paying its receivers `sums` in
  /// `low...high` (in the order paid), paid the band again after the
  /// first, its history its payments out before the relay window that
  /// holds them, `before` (see ``gatherScatter(source:target:micros:time:names:into:)``);
  /// `uncounted` of the later payments are in the background, not yet
  /// withheld as parts of a structure.
  func log10Repeats(of h: Int32, sums: [Int64], uncounted: Int, from low: Int64, to high: Int64, before: Int64)
    -> Double
  {
    let count = sums.count - 1
    guard count > 0 else { return 0 }
    let q = background.share(from: low, to: high, besides: withheld, excluding: uncounted)
    // Its payments out since the window began, in the band or not, are no
    // history; those of a sum it paid before the window are, but for these.
    var inWindow = 0, habitualInWindow = 0
    for p in payouts.live(into: h) where p.time >= before {
      inWindow += 1
      if p.micros >= low, p.micros <= high, habits.paid(h, near: p.micros, before: before) { habitualInWindow += 1 }
    }
    let history = habits.history(of: h, from: low, to: high, before: before)
    let earlier = max(history.payments - inWindow, 0)
    let habitual = min(max(history.inRange - habitualInWindow, 0), earlier)
    if earlier >= thresholds.minFanSenders {
      return Double(count) * log10(max(q, Double(habitual) / Double(earlier)))
    }
    // Too little history: the band may be its only sum, repeated. A repeat
    // of a sum paid before to the cent has the stream's rate of repeating a
    // sum (the first, of a sum new to a hub that paid another before, the
    // rate of repeating a new sum); one whose sum differs from all before
    // that rate times the share of the stream's repeats not to the cent
    // (``PayerHabits/variedRepeatShare``): a hub keeping to one sum pays it
    // exactly, where people do, as a waiting fan-out's payer is read
    // (``log10ChanceWithoutHabit(of:sums:receivers:band:share:)``).
    let repeatRate = 1 - habits.populationRate, varied = habits.variedRepeatShare
    var log10p = 0.0
    for i in 1..<sums.count {
      let rate = i == 1 && earlier > 0 && habitual == 0 ? habits.newSumRepeatRate : repeatRate
      let differs = !sums[..<i].contains(sums[i])
      log10p += log10(max(q, differs ? rate * varied : rate))
    }
    return log10p
  }

  /// The chance that `receivers` payments out, of amounts in `outBand`,
  /// agree with the sum gathered by chance: that the band lies where its
  /// like make [1 − ``Thresholds/skim``, 1] of the sum, the unit *u* =
  /// sum / *m*: the background's share of [(1 − skim) · *u*, *u*], widened
  /// by the band's relative spread either side. Where every sum is drawn
  /// from a narrow range, sums of as many payments agree by themselves.
  func agreement(of receivers: Int, outBand: ClosedRange<Int64>, with sum: Double) -> Double {
    let unit = sum / Double(max(receivers, 1))
    let spread = AmountHabit.spread(of: outBand)
    return background.share(
      from: Self.micros(unit * (1 - thresholds.skim) * (1 - spread)), to: Self.micros(unit * (1 + spread)),
      besides: withheld)
  }

  /// *T*: the gather-scatter windows read per background span
  /// (``Thresholds/backgroundDays``), at the stream's rate from a relay
  /// window after its start to `time`, at least one. Until the rate has
  /// been watched for two relay windows, every payment of the background
  /// counts as a window (the fan-in's multiplicity): windows still forming
  /// are rarer than they will be, and a rate of rare windows read over a
  /// few days is noise.
  func windowsInBackground(at time: Int64) -> Double {
    let watched = time.saturatingSubtracting(firstPayment.saturatingAdding(relayWindow))
    guard watched >= 2 * relayWindow else { return Double(max(background.total, 1)) }
    return max(1, Double(gatherWindows) * Double(backgroundSpan) / Double(watched))
  }

  /// Counts a window read of hub `h` at `time` (a payment out with enough
  /// payments out and in kept to be read), once per hub and relay window:
  /// the windows of one hub within a relay window overlap, one test. Counted
  /// once the stream has run a relay window, so that a window had the time
  /// to form.
  mutating func countWindow(of h: Int32, at time: Int64) {
    guard time.saturatingSubtracting(firstPayment) >= relayWindow,
      time.saturatingSubtracting(windowCounted[Int(h)]) >= relayWindow
    else { return }
    windowCounted[Int(h)] = time
    gatherWindows += 1
  }

  /// The first candidate of each counterpart in `candidates`, leaving out `besides`.
  static func onePerCounterpart(_ candidates: ArraySlice<FanCandidate>, besides: Int32) -> [FanCandidate] {
    var kept: [FanCandidate] = []
    for c in candidates where c.source != besides && !kept.contains(where: { $0.source == c.source }) {
      kept.append(c)
    }
    return kept
  }

  /// Up to five accounts' names, and how many more.
  static func list(_ accounts: [Int32], _ names: WindowedInterner) -> String {
    let named = accounts.map { names[$0] }
    return named.count <= 5
      ? named.joined(separator: ", ") : named.prefix(4).joined(separator: ", ") + " and \(named.count - 4) more"
  }
}
