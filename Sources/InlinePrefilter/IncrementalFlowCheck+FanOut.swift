import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Holds a payment *h* → *d* that completes a fan-out: with it, *h* paid
  /// at least ``Thresholds/minFanSenders`` distinct receivers near-equal sums
  /// within ``Thresholds/fanWindowSeconds`` (25 days), a sum it had not paid
  /// before the window. The streaming form of the scan's fan-out seed
  /// (`FanOuts` in `structured-flow`; one account spreading money over
  /// mules, AMLSim's and AMLworld's fan-out), decided when the last
  /// receiver needed is paid; it needs nothing passed on.
  ///
  /// Among the *n* payments out of *h* read (``payouts``, at most
  /// ``Thresholds/fanMaxRead`` within the window: a busier payer, a
  /// payroll, is not read), the band of amounts holding this one (its top
  /// at most 1 + 2 · ``Thresholds/fanTolerance`` times its bottom) with the
  /// most distinct receivers, *k* of them, is judged, leaving out a sum *h*
  /// paid before the window (``PayerHabits/paid(_:near:before:)``: its
  /// wage, its rent, an allowance, its own price; a routine pair's sum is
  /// among them). Each payment after the first lands in the band with chance
  ///
  /// ```text
  /// P = max(ν · max(q, o) + (1 − ν) · c / m,  s′)
  /// ```
  ///
  /// *h*'s own habit (``PayerHabits/share(of:to:from:to:background:passedOn:since:)``:
  /// *c* of its *m* payments in the band, *ν* its rate of new sums, the
  /// band's sums first paid in the window left out: the fan-out's own),
  /// *q* the background's share of the band (not counting the band's own
  /// payments, nor those withheld as parts of structures), *o* *h*'s own
  /// payments' share near the band (``ownShare(of:band:before:)``: a payer of
  /// ever-new sums draws them from its own range), and *s* the rate,
  /// per payment, at which the stream's other payers paid a sum new to them
  /// and their next payment the same to someone else (``handOnRate(leavingOut:)``:
  /// how often honest people hand one new sum round, gifts, refunds, shares
  /// of a prize), *s*′ widened to the band's spread. A payer with fewer than
  /// ``Thresholds/minFanSenders`` payments before the window (its payments
  /// withheld as parts of structures not counted), or first seen less than
  /// ``Thresholds/fanWarmUpSeconds`` before it (``PayerHabits/firstPaid``:
  /// a month, to have seen its monthly habits once), has no habit to read
  /// (``readsHabit(of:before:)``): *P* is then max(*q*, *s*′, 1 −
  /// ``PayerHabits/populationRate``), the last the stream's rate of
  /// repeating a sum, for the band may be its only sum. The coincidence has chance
  ///
  /// ```text
  /// p = C(n − e, k) · P^(k−1) · min(1, C(e, j) · R^j)   (the first payment is free: the band is its own)
  /// ```
  ///
  /// *j* of the *e* payments in the window that pay a receiver again a sum
  /// differing from its first in the band (``paidAgain(by:receivers:band:from:to:micros:)``;
  /// to the cent, a standing order's, counted in neither) lying in the band,
  /// each with chance *R* = max(*P*, *v*′), *v* the stream's rate of varying
  /// the sum paid to a payee paid within a window (``variedPayeeRepeatRate(leavingOut:)``;
  /// the scan's `FanOuts` reads it over the set), widened to the band's
  /// spread: a mule paid twice weighs as a new receiver does where people
  /// pay each payee one sum, and not where friends split bills. The *k*
  /// receivers' first payments are chosen among the *n* − *e* payments
  /// that pay no receiver again, for the *e* are weighed apart.
  /// It is held, its earlier payments revoked, when fewer than
  /// ``Thresholds/fanAlpha`` such coincidences are expected among the
  /// background's payments. The payment is kept as an anchor, so that money
  /// its receivers pass on links to it (`IncrementalFlowCheck+Links.swift`).
  ///
  /// Honest money does this rarely where people keep to their sums: an
  /// employer pays its wage monthly (routine pairs, a sum paid before), a
  /// subscriber its fee. A fan-out whose payer's habit cannot be read yet
  /// (in the stream's first month too: until then every habit is unknown,
  /// not absent) is not held; when it could be held against some habit (at
  /// *P* = *s*′), it waits for the habit its payer shows in the months
  /// after (``DeferredFans``, ``judgeDeferredFanOuts(at:into:)``).
  /// Known limits (the scan's, and one more): a sum-keeper paying several
  /// people a new sum once (presents for a family's children) is held where
  /// few payers hand sums round; so is a new employer's first equal wage; a
  /// payer that hands new sums round by habit (a treasurer's refunds) is
  /// judged by the stream's rate, not its own, for the pre-filter keeps no
  /// history of that; a fan-out slower than the window is not seen.
  ///
  /// - Complexity: O(*r*³) for the *r* ≤ ``Thresholds/fanMaxRead``
  ///   payments out of *h* read (a band's distinct receivers counted per
  ///   bottom), plus O(bins) per amount range looked up.
  mutating func fanOut(
    seq: Int, source h: Int32, target d: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let windowStart = time.saturatingSubtracting(fanWindow)
    let out = payouts.live(into: h)
    guard a > 0, out.count + 1 >= thresholds.minFanSenders, out.count < thresholds.fanMaxRead,
      !habits.paid(h, near: a, before: windowStart)
    else { return }
    var candidates: [FanCandidate] = []
    swap(&candidates, &fanCandidates)
    candidates.removeAll(keepingCapacity: true)
    defer { swap(&candidates, &fanCandidates) }
    let read = payoutCandidates(of: h, holding: a, from: windowStart, to: time, into: &candidates)
    guard Self.senders(in: candidates[...], besides: d) + 1 >= thresholds.minFanSenders else { return }
    candidates.sort { $0.micros < $1.micros }
    guard let band = bestBand(candidates, holding: a, from: d) else { return }
    let members = candidates[band]
    let first = members.reduce(time) { min($0, out[$1.index].time) }
    var receivers = [d]
    for c in members where !receivers.contains(c.source) { receivers.append(c.source) }
    let low = min(a, members.first!.micros), high = max(a, members.last!.micros)
    let again = paidAgain(by: h, receivers: receivers, band: low...high, from: windowStart, to: d, micros: a)
    // In the stream's first month no payer's habit is known yet: it waits (below).
    let log10E =
      first.saturatingSubtracting(firstPayment) < fanWarmUp
      ? .infinity
      : log10(Double(max(background.total, 1)))
        + log10Chance(
          fanOutOf: h, to: d, members: members, band: low...high, receivers: receivers.count, read: read,
          began: first, paidAgain: again)
    guard log10E <= log10(thresholds.fanAlpha) else {
      deferFanOut(
        seq: seq, of: h, to: d, micros: a, time: time, members: members, band: low...high, receivers: receivers,
        read: read, began: first, paidAgain: again, names: names)
      return
    }
    // Held now: a fan of this band waiting has nothing left to wait for; one
    // of another band (the payer's own sum to friends) waits on.
    if let waiting = deferredFanOuts.waiting[h], waiting.low <= high, waiting.high >= low {
      _ = deferredFanOuts.take(h)
    }

    let reason =
      "fan-out: \(names[h]) paid \(receivers.count) receivers (\(Self.list(receivers.reversed(), names))) \(Self.format(low))–\(Self.format(high)) within \(String(format: "%.1f", Double(time - first) / 86_400)) days\(again.phrase(gathering: false)), a sum it did not pay before (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    for c in members { revokeSeq(out[c.index].seq, from: h, to: c.source, reason: reason, outcome: &outcome) }
    let amounts = (members.map(\.micros) + [a]).sorted()
    let median = amounts[amounts.count / 2]
    let spread = Double(max(high - median, median - low)) / Double(max(median, 1))
    keepAnchor(from: h, to: d, payments: 1, micros: median, spread: spread, time: time)
  }

  /// Fills `candidates` with `h`'s payouts from `start` to `time` of sums
  /// a band holding `micros` could hold, but sums `h` paid before `start`
  /// (its own business: a wage, a rent, its price); returns the payouts
  /// read there, the payment decided among them.
  func payoutCandidates(
    of h: Int32, holding micros: Int64, from start: Int64, to time: Int64, into candidates: inout [FanCandidate]
  ) -> Int {
    let out = payouts.live(into: h)
    let widest = fanBandRatio
    var read = 1
    for i in out.indices where out[i].time >= start && out[i].time <= time {
      read += 1
      let p = out[i]
      guard p.micros > 0, Double(p.micros) * widest >= Double(micros), Double(p.micros) <= Double(micros) * widest,
        !habits.paid(h, near: p.micros, before: start)
      else { continue }
      candidates.append(FanCandidate(micros: p.micros, source: p.source, index: i))
    }
    return read
  }

  /// log₁₀ *p* of a fan-out of `h`'s: the `members` (earlier payments,
  /// indices into its payouts, the first of them at `began`) and the
  /// payment to `d`, of amounts in `band`, reaching `receivers` among
  /// `read` payments: see ``fanOut(source:target:micros:time:names:into:)``.
  func log10Chance(
    fanOutOf h: Int32, to d: Int32, members: ArraySlice<FanCandidate>, band: ClosedRange<Int64>, receivers: Int,
    read: Int, began: Int64, paidAgain again: DeferredFans.PaidAgain
  ) -> Double {
    let out = payouts.live(into: h)
    let q = share(of: band, excluding: members.reduce(0) { $0 + (out[$1.index].counted ? 0 : 1) })
    let chance = repeatChance(of: h, to: d, band: band, share: q, began: began)
    return Self.log10Binomial(read - again.read, receivers)
      + Double(receivers - 1) * log10(max(chance, .leastNormalMagnitude))
      + log10PaidAgain(again, leavingOut: [h], band: band, chance: chance)
  }

  /// log₁₀ of the chance that a fan-out's receivers were paid `again` in
  /// `band` by chance, or a fan-in's senders paid its payee again
  /// (``AmountHabit/log10PaidAgain(read:inBand:chance:)``): each at *R* =
  /// max(*P*, *v*′), *P* the `chance` of the band (the payer's, or the
  /// likeliest sender's), *v*′ the stream's rate of varying what one pays
  /// one payee, the payouts of `accounts` (the fan's payers) left out
  /// (``variedPayeeRepeatRate(leavingOut:)``), widened to the band's spread.
  func log10PaidAgain(
    _ again: DeferredFans.PaidAgain, leavingOut accounts: [Int32], band: ClosedRange<Int64>, chance: Double
  ) -> Double {
    guard again.inBand > 0 else { return 0 }
    let varied = AmountHabit.widened(
      variedPayeeRepeatRate(leavingOut: accounts), toSpread: AmountHabit.spread(of: band))
    return AmountHabit.log10PaidAgain(read: again.read, inBand: again.inBand, chance: max(chance, varied))
  }

  /// *P* of a fan-out's (see ``fanOut(source:target:micros:time:names:into:)``):
  /// the chance that `h`'s payment to `d` lies in `band` again, by chance,
  /// once its payments in the band began, at `began`, `q` the background's
  /// share of the band: what `h`'s habit before then says, or where it
  /// has none, the stream's rates.
  func repeatChance(of h: Int32, to d: Int32, band: ClosedRange<Int64>, share q: Double, began: Int64) -> Double {
    // `s` counts sums within 1 %; a band spread wider is that much likelier.
    let shared = AmountHabit.widened(handOnRate(leavingOut: h), toSpread: AmountHabit.spread(of: band))
    guard readsHabit(of: h, before: began) else { return max(q, shared, 1 - habits.populationRate) }
    return max(
      habits.share(
        of: h, to: d, from: band.lowerBound, to: band.upperBound,
        background: max(q, ownShare(of: h, band: band, before: began)), since: began),
      shared)
  }

  /// The share of `band` that `h`'s own new sums take, read from its
  /// payouts kept outside the band and not withheld: the part of them
  /// within a factor of two either side of the band, spread evenly over
  /// that stretch's logarithm. A payer of ever-new sums draws them from its
  /// own range (a payroll's salaries, a shopper's prices), not the world's.
  /// Those paid before the fan-out, `before`, are read when there are at
  /// least ``Thresholds/minFanSenders`` (what it pays alongside the fan-out
  /// must not excuse it); else all kept (a fan-out spread over the whole
  /// window leaves none before it: padding the window with payments near
  /// the band then excuses it, a known limit). 0 with fewer than that to read.
  func ownShare(of h: Int32, band: ClosedRange<Int64>, before: Int64) -> Double {
    func read(before: Int64) -> (others: Int, near: Int) {
      var (others, near) = (0, 0)
      for p in payouts.live(into: h) where p.time < before && !p.withheld && p.micros > 0 && !band.contains(p.micros) {
        others += 1
        if Self.isNear(p.micros, band) { near += 1 }
      }
      return (others, near)
    }
    var kept = read(before: before)
    if kept.others < thresholds.minFanSenders { kept = read(before: .max) }
    return ownShare(kept.near, of: kept.others, band: band)
  }

  /// The share of `band` a payer's own new sums take when `near` of its
  /// `others` payments outside the band lie near it (``isNear(_:_:)``):
  /// see ``ownShare(of:band:before:)``. 0 with fewer than
  /// ``Thresholds/minFanSenders`` to read.
  func ownShare(_ near: Int, of others: Int, band: ClosedRange<Int64>) -> Double {
    guard others >= thresholds.minFanSenders else { return 0 }
    let low = Double(max(band.lowerBound, 1)), high = Double(max(band.upperBound, 1))
    let width = max(log(high / low), 2 * AmountHabit.tolerance)
    return min(1, Double(near) / Double(others) * width / (2 * log(2.0) + width))
  }

  /// Whether `micros` lies within a factor of two either side of `band`.
  static func isNear(_ micros: Int64, _ band: ClosedRange<Int64>) -> Bool {
    Double(micros) >= Double(max(band.lowerBound, 1)) / 2 && Double(micros) <= 2 * Double(max(band.upperBound, 1))
  }

  /// Whether `h`'s habit before a fan-out that began at `began` can be
  /// read: it paid at least ``Thresholds/minFanSenders`` times before (its
  /// payments withheld as parts of structures not counted, those gone from
  /// its payouts list too, ``PayerHabits/withheld``: a stack's layer is no
  /// habit, and a mule's own sum is not new against its laundering), and
  /// was first seen at least ``Thresholds/fanWarmUpSeconds`` before (a
  /// payer seen for less shows no monthly habit yet).
  func readsHabit(of h: Int32, before began: Int64) -> Bool {
    let notHistory = payouts.live(into: h).reduce(0) { $0 + ($1.time >= began && !$1.withheld ? 1 : 0) }
    let earlier = Int(habits.payments[Int(h)]) - Int(habits.withheld[Int(h)])
    let watched = began.saturatingSubtracting(habits.firstPaid[Int(h)]) >= fanWarmUp
    return earlier - notHistory >= thresholds.minFanSenders && watched
  }

  /// *s* for judging a fan-out of `account`'s: of the payments that
  /// followed their payer's last payment to someone else within the fan
  /// window (``payoutPairs``), the share that repeated a sum new to it
  /// (``handedOn``), leaving out those of `account`'s payouts still kept
  /// (its own coincidences of the last 25 days never excuse it; withheld
  /// pairs too, which may leave out a little more than it put in),
  /// add-one smoothed: a rate per payment, as the ν-term's is.
  func handOnRate(leavingOut account: Int32) -> Double {
    // A payer past ``AmountHabit/maxRead`` counted no more pairs.
    let kept = habits.counts(account) ? payouts.live(into: account) : []
    var (pairs, shared) = (0, 0)
    for (earlier, later) in zip(kept, kept.dropFirst()) where later.source != earlier.source {
      pairs += 1
      // Withheld or not (what the counts hold of its own pairs, and more,
      // goes); new to the payer as far as its slots tell.
      if AmountHabit.same(earlier.micros, later.micros),
        !habits.paid(account, near: earlier.micros, before: earlier.time)
      {
        shared += 1
      }
    }
    let totalPairs = max(payoutPairs - pairs, 0)
    let totalShared = min(max(handedOn - shared, 0), totalPairs)
    return (Double(totalShared) + 1) / (Double(totalPairs) + 2)
  }

  /// *v* for judging a fan of `accounts`' payments (a fan-out's payer, a
  /// fan-in's senders): of the payments to a payee paid before within a
  /// window (``payeeRepeats``), the share that varied the sum paid it last
  /// (``AmountHabit/varies(_:_:)``), leaving out those of the `accounts`'
  /// payouts still kept, add-one smoothed, as ``handOnRate(leavingOut:)``
  /// does: near 0 where people pay each payee one sum, higher where friends
  /// split bills.
  func variedPayeeRepeatRate(leavingOut accounts: [Int32]) -> Double {
    var (repeats, varied) = (0, 0)
    for account in accounts where habits.counts(account) {
      let kept = payouts.live(into: account)
      for i in kept.indices where !kept[i].withheld {
        guard let before = kept[..<i].last(where: { $0.source == kept[i].source }), !before.withheld else {
          continue
        }
        repeats += 1
        if AmountHabit.varies(before.micros, kept[i].micros) { varied += 1 }
      }
    }
    let total = max(payeeRepeats - repeats, 0)
    return (Double(min(max(variedPayeeRepeats - varied, 0), total)) + 1) / (Double(total) + 2)
  }

  /// What `h`'s fan-out to `receivers` in `band` paid them again: among
  /// its payouts from `start` (and the payment of `micros` to `d` deciding
  /// it), see ``paidAgain(_:counterparts:band:)``.
  func paidAgain(
    by h: Int32, receivers: [Int32], band: ClosedRange<Int64>, from start: Int64, to d: Int32, micros: Int64
  ) -> DeferredFans.PaidAgain {
    var paid = payouts.live(into: h).filter { $0.time >= start }.map { (counterpart: $0.source, micros: $0.micros) }
    paid.append((d, micros))
    return Self.paidAgain(paid, counterparts: receivers, band: band)
  }

  /// Among a fan's payments `paid`, in order (a fan-out's payer's to its
  /// receivers, a fan-in's senders' to its payee), those of each of the
  /// `counterparts` beside its first in `band` with a sum that differs from
  /// it (to the cent, a standing order's, counted in neither), and how many
  /// of those lie in the band (for ``AmountHabit/log10PaidAgain(read:inBand:chance:)``).
  static func paidAgain(
    _ paid: [(counterpart: Int32, micros: Int64)], counterparts: [Int32], band: ClosedRange<Int64>
  ) -> DeferredFans.PaidAgain {
    var again = DeferredFans.PaidAgain()
    for r in counterparts {
      guard let first = paid.first(where: { $0.counterpart == r && band.contains($0.micros) }) else { continue }
      for p in paid where p.counterpart == r && p.micros != first.micros {
        again.read += 1
        if band.contains(p.micros) { again.inBand += 1 }
      }
    }
    return again
  }

  /// Notes, for *s* of a fan-out, a payment of `micros` from `source` to
  /// `target` (`held` or not) about to join `source`'s payouts, when the
  /// payer's rates count it (``PayerHabits/counts(_:)``): whether it
  /// followed its payer's last payment to someone else still kept, and
  /// repeated that one's sum when the sum was new to the payer
  /// (``PayerHabits/lastNew``), neither withheld. A fan-out's own second
  /// payment counts as handing on before the fan-out is held, and stays
  /// counted: over a stream, a handful among many.
  /// And whether it pays a payee paid before among those payouts, neither
  /// withheld, varying the sum paid it last (*v*).
  mutating func notePayout(source: Int32, target: Int32, micros: Int64, held: Bool) {
    guard habits.counts(source) else { return }
    let out = payouts.live(into: source)
    if !held, let before = out.last(where: { $0.source == target }), !before.withheld {
      payeeRepeats += 1
      if AmountHabit.varies(before.micros, micros) { variedPayeeRepeats += 1 }
    }
    guard let last = out.last, last.source != target else { return }
    payoutPairs += 1
    let newSum = habits.lastNew[Int(source)]
    if newSum != 0, !last.withheld, !held, AmountHabit.same(newSum, micros) { handedOn += 1 }
  }
}
