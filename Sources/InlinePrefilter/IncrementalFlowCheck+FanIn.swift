import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Holds a payment *u* → *v* that completes a fan-in: with it, at least
  /// ``Thresholds/minFanSenders`` distinct senders paid *v* near-equal sums
  /// within ``Thresholds/fanWindowSeconds`` (25 days), each a sum it does
  /// not usually pay. The streaming form of the scan's fan-in seed
  /// (`FanIns` in `structured-flow`; mules paying one collector, AMLSim's
  /// and AMLworld's fan-in), decided when the last sender needed pays.
  ///
  /// Among the *n* payments into *v* read (the payee's fan list, at most
  /// ``Thresholds/fanMaxRead`` within the window: a busier account, a shop,
  /// is not read), the band of amounts holding this one (its top at most
  /// 1 + 2 · ``Thresholds/fanTolerance`` times its bottom) with the most
  /// distinct senders, *k* of them, is judged as the scan judges it (its
  /// payments withheld already among them: a later sender of a fan-in held
  /// joins it; a sender that paid the sum there before the fan list, a
  /// routine pair, does not: ``paysRoutinely(_:_:into:among:)``).
  /// Sender *i* goes along with the others with chance
  ///
  /// ```text
  /// Pᵢ = max(H, ν · max(q, s′) + (1 − ν) · c / m)
  /// ```
  ///
  /// its own habit (``PayerHabits``: *c* of its *m* payments to others in
  /// the band, *ν* its rate of new sums; the payment judged left out, and
  /// sums it first paid once the fan-in began: a fan-out's or a stack's
  /// own payments to others are no habit),
  /// *q* the background's share of the band (not counting the band's own
  /// payments, nor those withheld as parts of structures), *s* the rate at
  /// which the stream's accounts other than *v* received the sum they just
  /// received from another sender (``sharedReceipts``: how often honest
  /// people pay one account one sum, bills split, presents chipped in for)
  /// and *s*′ that rate widened to the band's spread, and *H* *v*'s habit of
  /// receiving the band before its fan list (``receipts``), shrunk towards
  /// max(*q*, *s*′) (``AmountHabit/shrunk(_:of:towards:)``): a club's dues,
  /// a landlord's rents, a shop's price, sums *v* may have set; a receipt
  /// of a sum its sender pays by habit (``PayerHabits/paysByHabit(_:near:)``:
  /// to everyone, as AMLSim's accounts do) counts among *v*'s receipts but
  /// in no band, for its sender set it. The coincidence has chance
  ///
  /// ```text
  /// p = C(n − e, k) · Π Pᵢ · min(1, C(e, j) · R^j)   (over all senders but the least likely)
  /// ```
  ///
  /// *j* of the *e* payments of the window from a sender paying *v* again a
  /// sum differing from its first in the band (``paidAgain(_:counterparts:band:)``;
  /// to the cent, a standing order's, counted in neither) lying in the band,
  /// each with chance *R* = max(the largest *P*ᵢ, *v*′), *v* the stream's
  /// rate of varying what one pays one payee, the senders' own payments
  /// left out (``log10PaidAgain(_:leavingOut:band:chance:)``, as a
  /// fan-out's receivers paid again are weighed): a mule paying its
  /// collector twice is evidence as another mule is where people pay each
  /// payee one sum, and not where friends split bills. The *k* senders'
  /// first payments are chosen among the *n* − *e* others. It
  /// is held, its earlier payments revoked, when fewer than
  /// ``Thresholds/fanAlpha`` such coincidences are expected among the
  /// background's payments. The payment is kept as an anchor, so later
  /// senders of the sum link to it (`IncrementalFlowCheck+Links.swift`).
  ///
  /// Honest money does this rarely once it has a history: members paying
  /// a club or tenants a landlord did so the month before (*H*), and where
  /// people split bills or share prices *s* says so. So a fan-in is held
  /// only when the stream watched for ``Thresholds/fanWarmUpSeconds`` (a
  /// month) before its first payment: until then its payee's habit is
  /// unknown, not absent. One found earlier waits for the month after
  /// (``DeferredFans``), is judged then against the habit that month
  /// shows, and revoked if still unlikely (``judgeDeferredFanIns(at:into:)``);
  /// so does one the live check keeps whose payee was paid fewer than
  /// ``Thresholds/minFanSenders`` times before it (``readsReceipts(of:before:)``:
  /// its habit unknown too) when, that habit at its least (*H* = 0), it
  /// would be held.
  /// Known limits: a new club's first dues, in a
  /// stream where equal sums into one account are rare, look like a
  /// fan-in and are held; so are dues paid less often than the pre-filter
  /// remembers an idle account (quarterly ones, with the defaults), whose
  /// payee and members it forgets between rounds; a collector's mules
  /// paying it the same sum again after the fan list are routine pairs,
  /// left to the links; and *s* keeps the pairs of fan-ins caught before
  /// they left their payee's list.
  ///
  /// - Complexity: O(*r*³) for the *r* ≤ ``Thresholds/fanMaxRead``
  ///   payments into *v* read, plus O(bins) per amount range looked up and
  ///   O(``PayerHabits/slotsPerAccount``) per sender.
  mutating func fanIn(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let list = fanLists.live(into: target)
    guard micros > 0, list.count + 1 >= thresholds.minFanSenders, list.count < thresholds.fanMaxRead else { return }
    let widest = fanBandRatio
    // The payments read (this one among them), and the candidates: those
    // of sums a band holding this one could hold, from other senders enough.
    var read = 1
    var candidates: [FanCandidate] = []
    swap(&candidates, &fanCandidates)
    candidates.removeAll(keepingCapacity: true)
    defer { swap(&candidates, &fanCandidates) }
    var earliest = time
    for i in list.indices where list[i].time.saturatingSubtracting(time).magnitude <= fanWindow.magnitude {
      read += 1
      let p = list[i]
      guard p.micros > 0, Double(p.micros) * widest >= Double(micros), Double(p.micros) <= Double(micros) * widest
      else { continue }
      candidates.append(FanCandidate(micros: p.micros, source: p.source, index: i))
      earliest = min(earliest, p.time)
    }
    guard Self.senders(in: candidates[...], besides: source) + 1 >= thresholds.minFanSenders else { return }
    // The payee's habit is read from what the stream saw of it: a fan-in
    // starting less than a warm-up after the stream began may be its
    // routine of the month before (a club's dues, a shop's price), so it
    // waits for the month after (``DeferredFans``).
    let watched = earliest.saturatingSubtracting(firstPayment) >= fanWarmUp
    candidates.sort { $0.micros < $1.micros }
    // A band first, from the fan list alone; then the senders' habits
    // (memory elsewhere) for the few payments that have one.
    guard bestBand(candidates, holding: micros, from: source) != nil,
      !paysRoutinely(source, micros, into: target, among: candidates[...])
    else { return }
    // Each judged against the whole list, then the routine ones dropped in
    // place (a copy of the list to judge against would leave the scratch
    // buffer shared, and the removal would allocate).
    for i in candidates.indices {
      let c = candidates[i]
      let routine = paysRoutinely(c.source, c.micros, into: target, among: candidates[...])
      candidates[i].routine = routine
    }
    candidates.removeAll(where: \.routine)
    guard let band = bestBand(candidates, holding: micros, from: source) else { return }
    let members = candidates[band]
    var senders = [source]
    for c in members where !senders.contains(c.source) { senders.append(c.source) }
    let low = min(micros, members.first!.micros), high = max(micros, members.last!.micros)
    let first = members.reduce(time) { min($0, list[$1.index].time) }
    let chances = senderChances(
      of: members, band: low...high, paidBy: senders, into: target, from: source, began: first)
    var paid = list.filter { $0.time.saturatingSubtracting(time).magnitude <= fanWindow.magnitude }
      .map { (counterpart: $0.source, micros: $0.micros) }
    paid.append((source, micros))
    let again = Self.paidAgain(paid, counterparts: senders, band: low...high)
    let log10Binomial = Self.log10Binomial(read - again.read, senders.count)
    // The senders paying again, each at the likeliest sender's chance (its
    // habit's, or the payee's, `habit`, at least).
    func log10Again(habit: Double) -> Double {
      let likeliest = max(habit, pow(10, chances.senders.max() ?? 0))
      return log10PaidAgain(again, leavingOut: senders, band: low...high, chance: likeliest)
    }
    let log10E =
      log10(Double(max(background.total, 1))) + log10Binomial
      + Self.log10Coincidence(chances.senders, habit: chances.habit) + log10Again(habit: chances.habit)
    // A payee paid too few times before may yet show a habit (a new club's
    // dues): a fan-in the live check keeps waits for it when, that habit at
    // its least, it would be held; so does one of the stream's first month.
    let alpha = log10(thresholds.fanAlpha)
    let thin =
      log10E > alpha && !readsReceipts(of: target, before: first)
      && log10(Double(max(background.total, 1))) + log10Binomial + Self.log10Coincidence(chances.senders, habit: 0)
        + log10Again(habit: 0) <= alpha
    let waits = (!watched && log10E <= alpha) || thin
    guard log10E <= alpha || waits else { return }

    let days = String(format: "%.1f", Double(time - first) / 86_400)
    let named = senders.reversed().map { names[$0] }
    let who =
      named.count <= 5
      ? named.joined(separator: ", ") : named.prefix(4).joined(separator: ", ") + " and \(named.count - 4) more"
    let what =
      "\(senders.count) senders (\(who)) paid \(names[target]) \(Self.format(low))–\(Self.format(high)) within \(days) days\(again.phrase(gathering: true)), a sum none of them pays by habit"
    guard !waits else {
      // One waits per payee: a fan-in of another band and fewer senders does not replace it.
      if let waiting = deferredFanIns.waiting[target], waiting.high < low || waiting.low > high,
        waiting.counterparts > senders.count
      {
        return
      }
      var payments = members.map {
        let p = list[$0.index]
        return DeferredFans.Payment(
          seq: p.seq, counterpart: p.source, micros: p.micros, time: p.time, fate: .inList)
      }
      payments.append(.init(seq: seq, counterpart: source, micros: micros, time: time, fate: .inList))
      deferredFanIns.keep(
        .init(
          hub: target, low: low, high: high,
          due: payments.reduce(time) { max($0, $1.time) }.saturatingAdding(fanWarmUp), floor: chances.floor,
          log10Binomial: log10Binomial, senderChances: chances.senders, payments: payments,
          counterparts: senders.count, description: what, paidAgain: again))
      return
    }
    let reason =
      "fan-in: \(what) (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    revokeFanIn(members.map(\.index), into: target, reason: reason, outcome: &outcome)
    let amounts = (members.map(\.micros) + [micros]).sorted()
    let median = amounts[amounts.count / 2]
    let spread = Double(max(high - median, median - low)) / Double(max(median, 1))
    keepAnchor(from: source, to: target, payments: 1, micros: median, spread: spread, time: time)
  }

  /// The most a fan-in's band's top may be of its bottom: 1 + 2 · ``Thresholds/fanTolerance``.
  var fanBandRatio: Double { 1 + 2 * thresholds.fanTolerance }

  /// A payment into a fan-in's payee (or out of a fan-out's payer) whose
  /// sum a band with the payment decided could hold.
  struct FanCandidate {
    /// Its sum, in micro-units.
    var micros: Int64
    /// Its counterpart: the payer of a payment in, the payee of one out.
    var source: Int32
    /// Whether a fan-in leaves it out as its payer's routine (``IncrementalFlowCheck/paysRoutinely(_:_:into:among:)``).
    var routine = false
    /// Its index in the list read (the payee's fan list, the payer's payouts).
    var index: Int
  }

  /// Whether `sender`, paying `micros` into `payee`, pays it there by
  /// routine: its habit (``PayerHabits/repeats(of:to:near:)``) counts more
  /// payments of that sum to `payee` alone than `candidates` (the fan
  /// list's) hold: it paid it there before the list. A member paying a
  /// club's dues, a tenant its rent, the month before: the scan's routine
  /// pair, which joins no fan-in.
  func paysRoutinely(_ sender: Int32, _ micros: Int64, into payee: Int32, among candidates: ArraySlice<FanCandidate>)
    -> Bool
  {
    let repeats = habits.repeats(of: sender, to: payee, near: micros)
    guard repeats > 0 else { return false }
    let kept = candidates.reduce(0) { $0 + ($1.source == sender && AmountHabit.same($1.micros, micros) ? 1 : 0) }
    return repeats > kept
  }

  /// The distinct payers of `candidates` other than `source`.
  static func senders(in candidates: ArraySlice<FanCandidate>, besides source: Int32) -> Int {
    var count = 0
    for i in candidates.indices where candidates[i].source != source {
      if !candidates[candidates.startIndex..<i].contains(where: { $0.source == candidates[i].source }) { count += 1 }
    }
    return count
  }

  /// The band of `candidates` (ascending) that holds `micros`, its top at
  /// most 1 + 2 · ``Thresholds/fanTolerance`` times its bottom, with the
  /// most distinct senders, `source` (the payment's) among them, if at
  /// least ``Thresholds/minFanSenders``: the range of the candidates it holds.
  func bestBand(_ candidates: [FanCandidate], holding micros: Int64, from source: Int32) -> Range<Int>? {
    let widest = fanBandRatio
    var best: Range<Int>?
    var most = thresholds.minFanSenders - 2
    var high = 0
    // Each candidate at or below `micros` (and `micros` itself) as the bottom.
    for low in 0...candidates.count {
      let bottom = low < candidates.count ? candidates[low].micros : micros
      guard bottom <= micros || low == candidates.count else { continue }
      guard Double(micros) <= Double(bottom) * widest else { continue }
      let first = low < candidates.count ? low : candidates.firstIndex { $0.micros >= micros } ?? candidates.count
      high = max(high, first)
      while high < candidates.count, Double(candidates[high].micros) <= Double(bottom) * widest { high += 1 }
      let others = Self.senders(in: candidates[first..<high], besides: source)
      if others > most { (best, most) = (first..<high, others) }
    }
    return best
  }

  /// The chances of a fan-in into `target` of the `members` (earlier
  /// payments, indices into its fan list) and the payment from `source`,
  /// of amounts in `band`, paid by `senders`, the first of them at `began`
  /// (see ``fanIn(seq:source:target:micros:time:names:into:)``): max(*q*, *s*′) (`floor`),
  /// *H* (`habit`), and log₁₀ of each sender's own chance, from its habits
  /// before the fan-in began (`senders`).
  func senderChances(
    of members: ArraySlice<FanCandidate>, band: ClosedRange<Int64>, paidBy senders: [Int32], into target: Int32,
    from source: Int32, began: Int64
  ) -> (floor: Double, habit: Double, senders: [Double]) {
    let list = fanLists.lists[Int(target)]
    // The background's share, not counting the band's own earlier payments
    // (those the withheld amounts count are not counted already).
    let q = share(of: band, excluding: members.reduce(0) { $0 + (list[$1.index].counted ? 0 : 1) })
    let (floor, habit) = receiptChances(into: target, band: band, share: q)
    let chances = senders.map { sender in
      let judged = sender == source ? nil : members.first { $0.source == sender }.map { list[$0.index].micros }
      let own = habits.share(
        of: sender, to: target, from: band.lowerBound, to: band.upperBound, background: floor, passedOn: judged,
        since: began)
      return log10(max(own, .leastNormalMagnitude))
    }
    return (floor, habit, chances)
  }

  /// log₁₀ *p* of a fan-in into `target` of the `members` and the payment
  /// from `source`, of amounts in `band`, paid by `senders` among `read`
  /// payments, the first of them at `began` (see ``senderChances(of:band:paidBy:into:from:began:)``).
  func log10Chance(
    of members: ArraySlice<FanCandidate>, band: ClosedRange<Int64>,
    paidBy senders: [Int32], read: Int, into target: Int32, from source: Int32, began: Int64
  ) -> Double {
    let chances = senderChances(of: members, band: band, paidBy: senders, into: target, from: source, began: began)
    return Self.log10Binomial(read, senders.count) + Self.log10Coincidence(chances.senders, habit: chances.habit)
  }

  /// log₁₀ of Π *P*ᵢ over all senders but the least likely, *P*ᵢ the
  /// larger of `habit` and sender *i*'s own chance (`senders`, log₁₀).
  static func log10Coincidence(_ senders: [Double], habit: Double) -> Double {
    let floor = log10(max(habit, .leastNormalMagnitude))
    var sum = 0.0, least = 0.0
    for own in senders {
      let chance = max(floor, own)
      sum += chance
      least = min(least, chance)
    }
    return sum - least
  }

  /// max(*q*, *s*′) and *H* of a fan-in's (see ``fanIn(seq:source:target:micros:time:names:into:)``)
  /// into `target`, `q` the background's share of `band`: the least chance
  /// that a sender's payment into `target` lies in the band (`floor`), and
  /// `target`'s habit of receiving the band before its fan list, shrunk
  /// towards it (`habit`).
  func receiptChances(into target: Int32, band: ClosedRange<Int64>, share q: Double) -> (floor: Double, habit: Double) {
    // `s` counts sums within 1 %; a band spread wider is that much likelier.
    let floor = max(
      q, AmountHabit.widened(sharedReceiptRate(leavingOut: target), toSpread: AmountHabit.spread(of: band)))
    let before = receipts.count(of: target, from: band.lowerBound, to: band.upperBound)
    return (floor, AmountHabit.shrunk(before.inRange, of: before.all, towards: floor))
  }

  /// Whether `payee`'s habit before a fan-in that began at `began` can be
  /// read: it was paid at least ``Thresholds/minFanSenders`` times before,
  /// before its fan list (``receipts``) or in it, those withheld not
  /// counted (the payee's counterpart of ``readsHabit(of:before:)``).
  func readsReceipts(of payee: Int32, before began: Int64) -> Bool {
    var seen = receipts.count(of: payee, from: 1, to: .max).all
    for p in fanLists.live(into: payee) where p.time < began && !p.withheld { seen += 1 }
    return seen >= thresholds.minFanSenders
  }

  /// The background's share of `band` (of exactly its one sum when it has
  /// one), not counting `own` of its payments nor those withheld as parts
  /// of structures (those the withheld amounts count are not in `own`).
  func share(of band: ClosedRange<Int64>, excluding own: Int) -> Double {
    band.lowerBound == band.upperBound
      ? background.share(exactly: band.lowerBound, besides: withheld, excluding: own)
      : background.share(from: band.lowerBound, to: band.upperBound, besides: withheld, excluding: own)
  }

  /// *s* for judging a fan-in into `account`: of the consecutive payments
  /// into one account the stream counted (``consecutiveReceipts``), the
  /// share where the later, from another sender, repeated the earlier's sum
  /// (``sharedReceipts``), leaving out those `account`'s fan list still
  /// holds (its own coincidences never excuse it), add-one smoothed.
  func sharedReceiptRate(leavingOut account: Int32) -> Double {
    let kept = fanLists.live(into: account)
    var (pairs, shared) = (0, 0)
    for (earlier, later) in zip(kept, kept.dropFirst()) {
      pairs += 1
      if Self.repeatsSum(earlier, later.source, later.micros, held: later.withheld) { shared += 1 }
    }
    let totalPairs = max(consecutiveReceipts - pairs, 0)
    let totalShared = min(max(sharedReceipts - shared, 0), totalPairs)
    return (Double(totalShared) + 1) / (Double(totalPairs) + 2)
  }

  /// Whether a payment from `source` of `micros` (withheld or not: `held`)
  /// into the account `earlier` went into repeats its sum from another
  /// sender, neither withheld: what ``sharedReceipts`` counts.
  static func repeatsSum(_ earlier: RecentPayments.Payment, _ source: Int32, _ micros: Int64, held: Bool) -> Bool {
    earlier.source != source && !earlier.withheld && !held && AmountHabit.same(earlier.micros, micros)
  }

  /// Notes payment `seq` of `micros` from `source` into `target` at `time`,
  /// decided (`held`, and `counted` in the withheld amounts), in the
  /// payee's fan list, its habit as a payee, and the shared-sum counts.
  mutating func noteReceipt(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, held: Bool, counted: Bool
  ) {
    if let earlier = fanLists.live(into: target).last {
      consecutiveReceipts += 1
      if Self.repeatsSum(earlier, source, micros, held: held) { sharedReceipts += 1 }
    }
    fanLists.append(
      RecentPayments.Payment(source: source, time: time, micros: micros, seq: seq, withheld: held, counted: counted),
      to: target, now: time)
    noteDroppedReceipts()
  }

  /// Moves the payments that left the fan lists into their payees'
  /// habits, but those withheld: a scheme's own payments never make its
  /// payee look habitual. A sum its sender pays by habit counts among the
  /// payee's receipts but in no band: the sender's, not a sum the payee
  /// set (a price, dues), however often it lands there by chance (the
  /// scan's `FanIns` reads its hub's habit so too). A fan-in waiting notes what became of its own
  /// (``DeferredFans/noteLeft(_:from:)``).
  mutating func noteDroppedReceipts() {
    for (account, payment) in fanLists.dropped {
      deferredFanIns.noteLeft(payment, from: account)
      if !payment.withheld {
        receipts.record(
          payment.micros, into: account, banded: !habits.paysByHabit(payment.source, near: payment.micros))
      }
    }
    fanLists.dropped.removeAll(keepingCapacity: true)
  }
}
