import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// The most fan windows a fan-out waits after its last payment for its
  /// payer's habit to show (four: about a hundred days with the defaults).
  static let fanOutWindowsRead = 4

  /// The fewest other payments of its payer a waiting fan-out reads as
  /// its habit (two: its habit, however thin, weighed by the stream's rate
  /// of new sums, ``AmountHabit/newAmountRate(newAmounts:later:populationRate:)``;
  /// with one, its only other sum may as well be a scheme's as its own,
  /// and it is judged as a payer with no habit is,
  /// ``log10ChanceWithoutHabit(of:sums:receivers:band:share:)``).
  static let minPayoutsRead = 2

  /// Keeps a fan-out that ``fanOut(seq:source:target:micros:time:names:into:)``
  /// could not judge, its payer's habit unread (``readsHabit(of:before:)``),
  /// to wait for it (``deferredFanOuts``): `members` (indices into `h`'s
  /// payouts) and the payment `seq` to `d`, of amounts in `band`, reaching
  /// `receivers` among `read` payments, the first at `began`. It replaces
  /// the one the payer had waiting when their bands meet (the same fan-out,
  /// grown) or it reaches at least as many receivers; one of another band
  /// and more receivers waits on, and this one is its history.
  ///
  /// Kept only when the habit to come could make it unlikely enough: with
  /// *P* at its least, *s*′, fewer than ``Thresholds/fanAlpha`` such
  /// coincidences expected (a fan of three or four receivers rarely is).
  /// The payer's other payments so far, not withheld nor a standing
  /// order's, are the first of its habit read: its own business before and
  /// beside the fan-out (too few for the live check to judge by, they may
  /// be enough with those that come after); those gone from its payouts as
  /// far as its slots tell (``PayerHabits/unlistedHistory(of:listed:listedWithheld:before:)``).
  mutating func deferFanOut(
    seq: Int, of h: Int32, to d: Int32, micros a: Int64, time: Int64, members: ArraySlice<FanCandidate>,
    band: ClosedRange<Int64>, receivers: [Int32], read: Int, began: Int64, paidAgain: DeferredFans.PaidAgain,
    names: WindowedInterner
  ) {
    guard !readsHabit(of: h, before: began) else { return }
    // One waits per payer: a fan of another band and fewer receivers (its
    // own sum taken up since, perhaps) is its history; so is one of a sum
    // paid to the cent beside a fan waiting whose sums differ (a kept sum).
    let out = payouts.live(into: h)
    if let waiting = deferredFanOuts.waiting[h], waiting.high < band.lowerBound || waiting.low > band.upperBound,
      waiting.counterparts > receivers.count
        || (waiting.low < waiting.high && members.allSatisfy { out[$0.index].micros == a })
    {
      return
    }
    let q = share(of: band, excluding: members.reduce(0) { $0 + (out[$1.index].counted ? 0 : 1) })
    let shared = AmountHabit.widened(handOnRate(leavingOut: h), toSpread: AmountHabit.spread(of: band))
    let log10Binomial = Self.log10Binomial(read - paidAgain.read, receivers.count)
    let log10Least =
      log10(Double(max(background.total, 1))) + log10Binomial
      + Double(receivers.count - 1) * log10(max(shared, .leastNormalMagnitude))
      + log10PaidAgain(paidAgain, leavingOut: [h], band: band, chance: shared)
    guard log10Least <= log10(thresholds.fanAlpha) else { return }
    var payments = members.map {
      let p = out[$0.index]
      return DeferredFans.Payment(
        seq: p.seq, counterpart: p.source, micros: p.micros, time: p.time, fate: p.withheld ? .withheld : .inList)
    }
    payments.append(.init(seq: seq, counterpart: d, micros: a, time: time, fate: .inList))
    let beside = history(of: h, band: band, besides: payments, at: time)
    let last = payments.reduce(time) { max($0, $1.time) }
    let days = String(format: "%.1f", Double(last - began) / 86_400)
    let what =
      "\(names[h]) paid \(receivers.count) receivers (\(Self.list(receivers.reversed(), names))) \(Self.format(band.lowerBound))–\(Self.format(band.upperBound)) within \(days) days\(paidAgain.phrase(gathering: false))"
    deferredFanOuts.keep(
      .init(
        hub: h, low: band.lowerBound, high: band.upperBound, due: last.saturatingAdding(fanWindow),
        floor: max(q, shared), log10Binomial: log10Binomial, senderChances: [], payments: payments,
        counterparts: receivers.count, description: what, read: beside, paidAgain: paidAgain))
  }

  /// Judges the fan-outs due at `time` that waited for their payer's habit
  /// (``DeferredFans``), and revokes the payments of those unlikely under it.
  ///
  /// Each due one, its payer's history before it read when it was found,
  /// reads the payments its payer made since it last read,
  /// a fan window ago (its payments out, ``payouts``, keep that much), all
  /// but the fan-out's own, those withheld and a standing order's (a sum
  /// paid more than once to one payee alone, which says nothing of how the
  /// payer pays anyone else, as in ``AmountHabit``): *c* of the *m* read lie in
  /// the band, and *ν* is the share of sums new to the payer among them
  /// (as its slots tell, ``PayerHabits/paid(_:near:before:)``), shrunk
  /// towards the stream's rate as a payer's rate is
  /// (``AmountHabit/newAmountRate(newAmounts:later:populationRate:)``). Once
  /// a warm-up (a month: a monthly wage or rent recurs within it) has
  /// passed since the fan-out's last payment, and at least
  /// ``minPayoutsRead`` payments are read, each of its payments after the
  /// first lies in the band by chance with
  ///
  /// ```text
  /// P = max(ν · max(q, o) + (1 − ν) · c / m,  s′)
  /// ```
  ///
  /// as for a fan-out held when it happens (``fanOut(seq:source:target:micros:time:names:into:)``),
  /// *o* from the payments read (``ownShare(_:of:band:)``), *q* and *s*′
  /// the larger of when it was found and now; with fewer read, the payer
  /// shows no habit, and the band may be its only sum: *P*^(*k*−1) is then
  /// what ``log10ChanceWithoutHabit(of:sums:receivers:band:share:)`` says (a
  /// sum repeated to the cent as likely as the stream's repeats, near-equal
  /// sums that differ as rare as its varied ones). It is revoked when
  ///
  /// ```text
  /// E = L · N · C(n, k) · P^(k−1) · min(1, C(e, j) · R^j)
  /// ```
  ///
  /// (its receivers paid again, as when found, ``log10PaidAgain(_:by:band:chance:)``:
  /// *R* at least *P*, or, with no habit, the chance of a sum that differs)
  /// is below ``Thresholds/fanAlpha``, *L* the times it was judged so far,
  /// this one among them (a Bonferroni bound over the looks at a growing
  /// history). Until then it reads again a fan window later, or when the
  /// warm-up after its last payment ends if that is sooner
  /// (``nextLook(after:last:)``), for at most ``fanOutWindowsRead`` windows
  /// after its last payment, and is dropped unjudged after that.
  ///
  /// A payer that took up another sum since and paid it to as many
  /// receivers as the fan-out's within a window read (``DeferredFans/PayoutsRead/takenUpReceivers``)
  /// is not judged: of two sums each spread over several people, which one
  /// is its habit and which the anomaly the stream cannot tell (an honest
  /// account paying its one sum round, then made a mule fanning out
  /// another; a mule fanning out, then paying its own sum round), unless
  /// the sum taken up is paid to the cent each time and the fan-out's sums
  /// differ: a kept sum is paid exactly, a structure's near-equal sums vary. Nor is a
  /// payer that pays the band again to the fan-out's own receivers after it
  /// (``DeferredFans/PayoutsRead/recurring``): a fan that recurs is a
  /// routine (a payroll, a family's allowances), not money moved once.
  ///
  /// Known limits: what the payer paid in the fan window after its last
  /// payment is read only where events keep coming (a window is read when
  /// the stream's clock passes its end; payments older than a window by
  /// then are gone from its payouts); a fan-out in the stream's last
  /// months is never judged; its payments stay in the background and its
  /// payer's habits as they were decided.
  ///
  /// - Complexity: O(*r* · *f*) per fan-out due, for the *r* ≤
  ///   ``Thresholds/fanMaxRead`` payments out of its payer read and the *f*
  ///   payments of the fan-out, plus O(*t*²) for the *t* of a sum taken
  ///   up since among them, and O(log *w*) for each of the *w* fans waiting.
  mutating func judgeDeferredFanOuts(at time: Int64, into outcome: inout CheckOutcome) {
    let payers = deferredFanOuts.popDue(at: time)
    guard !payers.isEmpty else { return }
    let structureBefore = structure.count
    defer { structure.removeSubrange(structureBefore...) }
    for h in payers {
      guard var fan = deferredFanOuts.take(h) else { continue }
      let band = fan.low...fan.high
      let last = fan.payments.reduce(Int64.min) { max($0, $1.time) }
      payouts.trim(Int(h), now: time)
      readPayouts(of: h, band: band, besides: fan.payments, since: last, into: &fan.read, at: time)
      let receivers = fan.counterparts
      let read = fan.read
      // Read again a fan window later (or when the warm-up ends, if sooner), while it may wait.
      func readAgain() {
        guard time.saturatingSubtracting(last) < Int64(Self.fanOutWindowsRead) * fanWindow else { return }
        fan.due = nextLook(after: time, last: last)
        deferredFanOuts.keep(fan)
      }
      guard time.saturatingSubtracting(last) >= fanWarmUp else {
        readAgain()
        continue
      }
      guard read.takenUpReceivers < receivers, read.recurring == 0 else { continue }
      fan.read.looks += 1
      let log10Chance: Double
      if read.payments >= Self.minPayoutsRead {
        let chance = chance(of: h, reading: read, band: band, floor: fan.floor)
        log10Chance =
          Double(receivers - 1) * log10(max(chance, .leastNormalMagnitude))
          + log10PaidAgain(fan.paidAgain, leavingOut: [h], band: band, chance: chance)
      } else {
        let q = max(fan.floor, share(of: band, excluding: 0))
        log10Chance =
          log10ChanceWithoutHabit(
            of: h, sums: fan.payments.map(\.micros), receivers: receivers, band: band, share: q)
          + log10PaidAgain(
            fan.paidAgain, leavingOut: [h], band: band,
            chance: variedChanceWithoutHabit(of: h, band: band, share: q))
      }
      // Each look at a growing history is another chance for a coincidence.
      let log10E =
        log10(Double(max(background.total, 1))) + fan.log10Binomial + log10(Double(fan.read.looks)) + log10Chance
      guard log10E <= log10(thresholds.fanAlpha) else {
        readAgain()
        continue
      }
      let days = (time - last) / 86_400
      let history =
        read.payments == 0
        ? "and it paid nothing else, neither before it nor in the \(days) days after"
        : "and paid in \(read.inBand) of its \(read.payments) other payments, before it and of the \(days) days after"
      let reason =
        "fan-out: \(fan.description), a sum it did not pay before \(history) (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
      for p in fan.payments where p.fate != .withheld {
        revokeWaiting(p, from: h, to: p.counterpart, reason: reason, outcome: &outcome)
      }
    }
  }

  /// When a structure waiting for its payers' habits, read at `time`, is
  /// read next: at the next whole fan window after its last payment, at
  /// `last` (its payers' payouts keep a window), or sooner, when the
  /// warm-up after `last` ends before that and it may be judged then (its
  /// first look, a window after its last payment, comes before the
  /// warm-up's end).
  func nextLook(after time: Int64, last: Int64) -> Int64 {
    let step = max(fanWindow, 1), windows = max(time.saturatingSubtracting(last), 0) / step + 1
    let window = windows > Int64.max / step ? Int64.max : last.saturatingAdding(windows * step)
    let warm = last.saturatingAdding(fanWarmUp)
    return warm > time ? min(warm, window) : window
  }

  /// *P* of a payer `h` whose history `read` shows, of paying `band` by
  /// chance: max(*ν* · max(*q*, *o*) + (1 − *ν*) · *c* / *m*, *s*′), *q* the
  /// larger of `floor` and the background's share now (see
  /// ``judgeDeferredFanOuts(at:into:)``).
  func chance(of h: Int32, reading read: DeferredFans.PayoutsRead, band: ClosedRange<Int64>, floor: Double) -> Double {
    let nu = AmountHabit.newAmountRate(
      newAmounts: read.newSums, later: read.payments, populationRate: habits.populationRate)
    let own = ownShare(read.nearBand, of: read.payments - read.inBand, band: band)
    let q = max(floor, share(of: band, excluding: 0))
    let shared = AmountHabit.widened(handOnRate(leavingOut: h), toSpread: AmountHabit.spread(of: band))
    // A payer that paid nothing else (a bipartite block's) hands its sum on as the stream does.
    guard read.payments > 0 else { return max(q, shared) }
    return max(nu * max(q, own) + (1 - nu) * Double(read.inBand) / Double(read.payments), shared)
  }

  /// log₁₀ of the chance that `h`, a payer whose habit a waiting fan-out
  /// could not read (it paid fewer than ``minPayoutsRead`` other payments),
  /// paid its `receivers` the `sums` of `band` (`q` the background's share
  /// of it), the first free: the band may be its only sum, repeated. Each
  /// later receiver lies in the band with *P* = max(*q*, *s*′, 1 − *r*) (as
  /// ``repeatChance(of:to:band:share:began:)`` has it for a payer with no
  /// habit, *r* the stream's rate of new sums) while its sum repeats one paid
  /// before to the cent, and with max(*q*, *s*′, (1 − *r*) · *v*) once the
  /// sums differ, *v* the share of the stream's repeated sums not paid to
  /// the cent (``PayerHabits/variedRepeatShare``; ``AmountHabit/log10OnlySum(_:receivers:repeated:varied:)``):
  /// a payer keeping to one sum pays it exactly, where people do (a price, a rent, an allowance),
  /// and near-equal sums that all differ are a structure's, not a habit's.
  /// Where the stream's payers vary the sums they repeat (a wage with
  /// overtime), *v* says so, and they are no rarer than a sum repeated.
  func log10ChanceWithoutHabit(
    of h: Int32, sums: [Int64], receivers: Int, band: ClosedRange<Int64>, share q: Double
  ) -> Double {
    let shared = AmountHabit.widened(handOnRate(leavingOut: h), toSpread: AmountHabit.spread(of: band))
    return AmountHabit.log10OnlySum(
      sums, receivers: receivers, repeated: max(q, shared, 1 - habits.populationRate),
      varied: variedChanceWithoutHabit(of: h, band: band, share: q))
  }

  /// The chance that a payer with no habit pays a sum of `band` that
  /// differs from those it paid before to the cent: max(*q*, *s*′, (1 − *r*) · *v*)
  /// (see ``log10ChanceWithoutHabit(of:sums:receivers:band:share:)``).
  func variedChanceWithoutHabit(of h: Int32, band: ClosedRange<Int64>, share q: Double) -> Double {
    let shared = AmountHabit.widened(handOnRate(leavingOut: h), toSpread: AmountHabit.spread(of: band))
    return max(q, shared, (1 - habits.populationRate) * habits.variedRepeatShare)
  }

  /// What `h` paid up to `time` besides a structure's payments `own` (of
  /// sums in `band`), as ``note(_:of:band:into:)`` counts them: those its
  /// payouts list keeps, and older ones as its slots tell
  /// (``PayerHabits/unlistedHistory(of:listed:listedWithheld:before:)``).
  func history(
    of h: Int32, band: ClosedRange<Int64>, besides own: [DeferredFans.Payment], at time: Int64
  ) -> DeferredFans.PayoutsRead {
    let out = payouts.live(into: h)
    var read = DeferredFans.PayoutsRead()
    for p in out where !own.contains(where: { $0.seq == p.seq }) {
      note(p, of: h, band: band, into: &read)
    }
    // Older payments, gone from its payouts: none of the band (the checks
    // that wait read no payer that paid it before the window).
    let older = habits.unlistedHistory(
      of: h, listed: out.count, listedWithheld: out.reduce(0) { $0 + ($1.withheld ? 1 : 0) },
      before: out.first?.time ?? time)
    read.payments += older.payments
    read.newSums += older.sums
    read.readUpTo = time
    return read
  }

  /// Adds to `read` the payments out of `h` after `read.readUpTo` up to
  /// `time` that are not withheld nor among a structure's payments `own`,
  /// and the most distinct receivers of one band of sums among those of
  /// them first paid after `last`, the structure's last payment (not
  /// counting a sum paid to the cent to two receivers or more where
  /// `own`'s sums differ: a kept sum, the payer's habit, beside near-equal
  /// sums that vary as a structure's do).
  func readPayouts(
    of h: Int32, band: ClosedRange<Int64>, besides own: [DeferredFans.Payment], since last: Int64,
    into read: inout DeferredFans.PayoutsRead, at time: Int64
  ) {
    var takenUp: [(micros: Int64, receiver: Int32)] = []
    for p in payouts.live(into: h) where p.time > read.readUpTo && p.time <= time {
      guard !own.contains(where: { $0.seq == p.seq }) else { continue }
      if p.time > last, !p.withheld, band.contains(p.micros), own.contains(where: { $0.counterpart == p.source }) {
        read.recurring += 1
      }
      guard note(p, of: h, band: band, into: &read) else { continue }
      if !habits.paid(h, near: p.micros, before: last.saturatingAdding(1)) { takenUp.append((p.micros, p.source)) }
    }
    read.readUpTo = max(read.readUpTo, time)
    takenUp.sort { $0.micros < $1.micros }
    // A sum taken up and paid to the cent to two receivers or more is kept,
    // where the structure's own sums differ: the payer's habit, no rival fan.
    if own.contains(where: { $0.micros != own.first?.micros }) { Self.dropKeptSums(&takenUp) }
    for i in takenUp.indices {
      var receivers: [Int32] = []
      for t in takenUp[i...] where Double(t.micros) <= Double(takenUp[i].micros) * fanBandRatio {
        if !receivers.contains(t.receiver) { receivers.append(t.receiver) }
      }
      read.takenUpReceivers = max(read.takenUpReceivers, receivers.count)
    }
  }

  /// Removes from `paid` (sorted by sum) every payment of a sum paid to
  /// the cent to two receivers or more: a sum its payer keeps to.
  static func dropKeptSums(_ paid: inout [(micros: Int64, receiver: Int32)]) {
    var rest: [(micros: Int64, receiver: Int32)] = []
    var start = paid.startIndex
    while start < paid.endIndex {
      var end = start + 1
      while end < paid.endIndex, paid[end].micros == paid[start].micros { end += 1 }
      if !paid[start..<end].contains(where: { $0.receiver != paid[start].receiver }) {
        rest.append(contentsOf: paid[start..<end])
      }
      start = end
    }
    paid = rest
  }

  /// Counts payment `p` out of `h` in `read`, unless it is withheld, of no
  /// amount, or a standing order's: whether it was counted.
  @discardableResult
  func note(
    _ p: RecentPayments.Payment, of h: Int32, band: ClosedRange<Int64>, into read: inout DeferredFans.PayoutsRead
  ) -> Bool {
    // A sum only its payee was paid, and more than once, is a standing order:
    // it says nothing of how the payer pays anyone else (``AmountHabit``).
    guard !p.withheld, p.micros > 0, habits.repeats(of: h, to: p.source, near: p.micros) < 2 else { return false }
    read.payments += 1
    if band.contains(p.micros) {
      read.inBand += 1
    } else if Self.isNear(p.micros, band) {
      read.nearBand += 1
    }
    if !habits.paid(h, near: p.micros, before: p.time) { read.newSums += 1 }
    return true
  }
}
