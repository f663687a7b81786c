import Foundation
import SignalGraph

/// Money gathered at one account from several senders in near-equal
/// amounts and paid straight on to several other receivers, again in
/// near-equal amounts, the sums agreeing but for a skim: the gather-scatter
/// of AML practice (Altman et al., NeurIPS 2023), which no split payment and
/// no relay of one amount gives away. A seed of ``StructuredFlowDetector``.
///
/// For each account *h* and each of its transfers in, the transfers into *h*
/// within ``window`` buckets from it, and the transfers out of *h* from the
/// first of those on to ``window`` buckets after the last, are grouped by
/// amount (a window of more than ``maxWindow`` transfers either way, the
/// traffic of a busy shop, is skipped). A group is the largest set of
/// distinct counterparts whose units lie within a band whose top is at most
/// 1 + 2 · ``tolerance`` times its bottom (about ± ``tolerance`` around its
/// middle), one transfer each; in, from senders; out, to receivers that are
/// not senders, paid no earlier than the first transfer gathered, and not
/// of a sum the hub pays as its own (paid before the window, or long after:
/// ``ownSums(_:around:)``; a band stretched over it would read what it
/// passes on as its habit). A pair
/// that pays on occasions more than ``window`` apart (a tenant's rent, a
/// member's dues, an agent's remittance to an owner) is routine and joins
/// no group (``isRoutine(_:)``), nor does a counterpart paying (or paid)
/// its habitual sum (``isHabitual(_:sender:_:)``). With *k* ≥ ``minParts`` transfers in and
/// *m* ≥ ``minParts`` out, and the sum paid out within [1 − ``skim``, 1]
/// of the sum paid in, the chance of the coincidence is
///
/// ```text
/// p = C(nᵢ, k) · qᵢ^(k−1) · C(nₒ, m) · qₒ^(m−1) · a
/// ```
///
/// *n*ᵢ and *n*ₒ the transfers in and out read, and *q* the larger of
/// the share of all payments within the group's own relative spread (at
/// least 1 %) of its median unit and the account's habit: the share of its
/// own transfers in (or out) outside the window that lie there (an account
/// that always pays one sum pays it again by habit) or, when it has fewer
/// than ``minParts`` of those, that share plus the set's rate of one
/// account's consecutive transfers out (or in) repeating a unit within 1 %
/// more often than the background's amounts make it by chance
/// (``excessRepeatRate(_:_:amounts:sampled:varied:)``: where every payer always
/// pays one sum, equal payments out are no evidence; where people pay what
/// things cost, a repeat of a sum nobody pays is). A hub paying out that
/// has one or two such transfers, at least one of them before the window and none in the band, takes the
/// sum up in the window: its first repeat has the set's chance of a sum
/// new to the payer being paid again next (``newSumRepeatRate(_:_:)``),
/// and the later ones the habit above, the sum then being its own
/// (*q*ₒ^(*m*−1) becomes *q*ₙ · *q*ₒ^(*m*−2)). Where people keep one sum
/// for life, as AMLSim's do, a sum they take up is seldom paid again. A
/// hub with fewer than ``minParts`` transfers out outside the window pays
/// a receiver whose sum differs to the cent from all before it at the
/// set's excess rate of repeats that vary instead, if smaller
/// (``log10ChanceOut(of:read:habits:)``): where payers keep their sums to
/// the cent, near-equal sums that all differ are no habit's.
/// *a* is the chance that the two sums agree: the sum paid out is a draw
/// from the background, and *a* is the background's share of the
/// sums that, paid a few times, would add up to what came in but for the
/// skim (``agreement(with:read:spread:)``), at most ``skim``: where nobody
/// pays sums of that size, sums adding up is no chance, even from a hub
/// with no history. A hub that paid the sum it pays on to two receivers
/// before the window (``paysByHabit(_:band:)``) pays its own habit, which
/// the money gathered does not explain: each side must be evidence on its
/// own, and such a window is at most a fan-in (``FanIns``). It is a seed when *p* · *T* ≤ ``alpha``, *T* the
/// windows read (a Bonferroni bound over every start). Only the strongest
/// window of each account is kept.
///
/// Honest money does this rarely: an employer pays near-equal salaries out
/// of takings that are not near-equal; a club collects equal dues and pays
/// bills of any amount; a household collects its members' shares of the rent
/// and pays it on as one sum (one receiver, not several). Known limit: an
/// honest pass-through with no history of its own, in sums far above what
/// people pay (a letting agent's first month of rents paid on to owners,
/// less its fee), reads as one.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     let amounts = AmountDistribution(set.payments.amountMicros)
///     let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 14, skim: 0.1, alpha: 0.01)
///     var habits = GatheringHubs.Habits(accounts: set.accounts.count)
///     let seeds = hubs.seeds(habits: &habits)   // each: the transfers in and out, and its surprise
///
/// - Complexity: O(*t* · *w* log *w*) for *t* transfers and windows of at
///   most *w* = ``maxWindow`` transfers, plus O(*w*²) once for each
///   counterpart whose habit is asked (its bands' counterparts compared),
///   and O(*w* log *n*) per group for the sums' agreement.
struct GatheringHubs {
  /// The transfers searched.
  let transfers: PaymentTransfers
  /// The amounts of the honest background.
  let amounts: AmountDistribution
  /// The most buckets over which money is gathered, and after the last
  /// transfer in, over which it is paid on.
  let window: Int64
  /// The largest share of what came in that the hub may keep.
  let skim: Double
  /// The chance, after correction for the windows read, below which a hub is a seed.
  let alpha: Double
  /// Half the widest relative band of a group's units: the top at most
  /// 1 + 2 · `tolerance` times the bottom.
  var tolerance = StructuredFlowDefaults.fanBandTolerance
  /// The fewest transfers in, and out, of a gathering hub.
  var minParts = 3
  /// The most transfers in (or out) of a window read; busier windows are skipped.
  var maxWindow = StructuredFlowDefaults.fanMaxRead

  /// One hub's strongest window: its transfers in then out, and −log₁₀(*p* · *T*).
  struct Hub {
    var transfers: [Int]
    var surprise: Double
  }

  /// The gathering hubs too unlikely for the honest background. `habits`
  /// keeps the accounts' habitual sums across the seeds that ask for them.
  func seeds(habits: inout Habits) -> [Hub] {
    var found: [(transfers: [Int], log10p: Double)] = []
    var windows = 0
    for h in 0..<Int32(transfers.incoming.offsets.count - 1) {
      if let best = strongestWindow(of: h, habits: &habits, windows: &windows) {
        found.append(best)
      }
    }
    return significant(found, tests: windows)
  }

  /// The strongest windows `found` (each its transfers and log₁₀ *p*) whose
  /// expected count among the `tests` windows read, *p* · *T*, is at most
  /// ``alpha``, with their surprise −log₁₀(*p* · *T*): the Bonferroni bound
  /// the hubs, fan-ins and fan-outs share.
  func significant(_ found: [(transfers: [Int], log10p: Double)], tests: Int) -> [Hub] {
    let correction = log10(Double(max(tests, 1)))
    return found.compactMap { window in
      let surprise = -(window.log10p + correction)
      return surprise >= -log10(alpha) ? Hub(transfers: window.transfers, surprise: surprise) : nil
    }
  }

  /// The most unlikely window of account `h` that gathers and scatters
  /// (its transfers in then out, and log₁₀ *p*), adding the windows read to
  /// `windows`.
  func strongestWindow(of h: Int32, habits: inout Habits, windows: inout Int)
    -> (transfers: [Int], log10p: Double)?
  {
    let into = transfers.incoming.edges(of: h), out = transfers.outgoing.edges(of: h)
    guard into.count >= minParts, out.count >= minParts else { return nil }
    var best: (transfers: [Int], log10p: Double)?
    var end = into.startIndex, outStart = out.startIndex, outEnd = out.startIndex
    var unitsIn: [Int64] = [], unitsOut: [Int64] = []
    // A window ending where the one before ended holds less of the same:
    // it is read again only when the one before failed for holding too
    // much (too many transfers, or sums that do not agree).
    var previousEnd = -1
    var retry = false
    for start in into.indices {
      let first = transfers.incomingBucket[start]
      end = max(end, start)
      while end < into.endIndex, transfers.incomingBucket[end] <= first + window { end += 1 }
      guard end != previousEnd || retry else { continue }
      (previousEnd, retry) = (end, false)
      guard end - start >= minParts else { continue }
      guard end - start <= maxWindow else {
        retry = true
        continue
      }
      let last = transfers.incomingBucket[end - 1]
      while outStart < out.endIndex, transfers.bucket[Int(out[outStart])] < first { outStart += 1 }
      outEnd = max(outEnd, outStart)
      while outEnd < out.endIndex, transfers.bucket[Int(out[outEnd])] <= last + window { outEnd += 1 }
      guard outEnd - outStart >= minParts else { continue }
      guard outEnd - outStart <= maxWindow else {
        retry = true
        continue
      }
      windows += 1
      if unitsIn.isEmpty {
        unitsIn = into.map { transfers.unitMicros[Int($0)] }.sorted()
        unitsOut = out.map { transfers.unitMicros[Int($0)] }.sorted()
      }
      let gathered = group(
        into, start..<end, units: unitsIn, gathering: true, excluding: [], habits: &habits)
      guard gathered.members.count >= minParts else { continue }
      let senders = Set(gathered.members.map { transfers.source[$0] })
      // Paid on from the first transfer gathered on.
      let gatheredFrom = gathered.members.map { transfers.bucket[$0] }.min()!
      var from = outStart
      while from < outEnd, transfers.bucket[Int(out[from])] < gatheredFrom { from += 1 }
      guard from < outEnd else { continue }
      // Its own sums (paid before, or long after) are no part of what it
      // passes on: left out once a group forms at all (leaving transfers
      // out never lets one form).
      var scattered = group(out, from..<outEnd, units: unitsOut, gathering: false, excluding: senders, habits: &habits)
      guard scattered.members.count >= minParts else { continue }
      scattered = group(
        out, from..<outEnd, units: unitsOut, gathering: false, excluding: senders,
        ownSums: ownSums(out, around: from..<outEnd), habits: &habits)
      guard scattered.members.count >= minParts else { continue }
      let sumIn = gathered.members.reduce(0.0) { $0 + Double(transfers.totalMicros[$1]) }
      let sumOut = scattered.members.reduce(0.0) { $0 + Double(transfers.totalMicros[$1]) }
      guard RelayBand.sumPassesOn(sumOut, sumIn, skim: skim) else {
        retry = true
        continue
      }
      // A payout in the hub's own habitual sum is explained without the
      // money gathered: at most a fan-in (``FanIns``), no gather-scatter.
      guard !paysByHabit(out[..<outStart], band: scattered.band) else { continue }
      let log10p =
        gathered.log10Chance(read: end - start) + log10ChanceOut(of: scattered, read: outEnd - from, habits: &habits)
        + log10(agreement(with: sumIn, read: outEnd - from, spread: AmountHabit.spread(of: scattered.band)))
      if log10p < best?.log10p ?? 0 { best = (gathered.members + scattered.members, log10p) }
    }
    return best
  }

  /// log₁₀ of the hub's side out, `group` among `n` transfers read
  /// (``Group/log10Chance(read:)``), but where the hub has fewer than
  /// ``minParts`` transfers outside the window, no habit of its own: the
  /// band may then be its only sum, and a transfer whose sum differs to the
  /// cent from all the group's before it has, in place of its repeat's
  /// chance, the set's excess rate of repeats that vary (within 1 %, not to
  /// the cent) if smaller (``excessVariedRepeatRate(_:)``; as ``FanOuts``
  /// reads a payer with no habit): a hub keeping to one sum pays it
  /// exactly, where people do, and near-equal sums that all differ are a
  /// structure's, unless the set's payers vary what they repeat.
  func log10ChanceOut(of group: Group, read n: Int, habits: inout Habits) -> Double {
    guard group.outside < minParts, group.members.count >= 2 else { return group.log10Chance(read: n) }
    let varied = max(group.background, min(1, group.background + excessVariedRepeatRate(&habits)))
    let bucket = transfers.bucket, unitMicros = transfers.unitMicros
    let members = group.members.sorted { (bucket[$0], $0) < (bucket[$1], $1) }
    var log10p = StructuredFlowDetector.log10Choose(Double(n), Double(members.count))
    for i in 1..<members.count {
      let chance = i == 1 ? max(group.background, group.firstRepeat) : group.share
      let differs = !members[..<i].contains { unitMicros[$0] == unitMicros[members[i]] }
      log10p += log10(differs ? min(chance, varied) : chance)
    }
    return log10p
  }

  /// The chance that near-equal sums paid out by chance add up to `sumIn`
  /// but for the skim: the sum paid out is the payer's own, as likely as
  /// the background makes it, so for each count *m* of the `read` transfers
  /// out that could make the group (``minParts`` to `read`), the
  /// background's share of [1 − ``skim``, 1] · `sumIn` / *m* (at least 1 %
  /// wide), widened by the group's relative `spread` either side (its
  /// first payment may lie anywhere in it) and rounded outwards, so that
  /// each count holds at least the share's floor of one payment; summed
  /// (where the counts' bands overlap, past 1 / ``skim`` payments, a
  /// payment counts twice: the bound is generous), and at most ``skim``.
  /// Where nobody pays sums of that size, sums adding up is no chance.
  func agreement(with sumIn: Double, read: Int, spread: Double) -> Double {
    let width = max(skim, 0.01)
    guard read >= minParts else { return width }
    let largest = Double(Int64.max / 2)
    var chance = 0.0
    for m in minParts...read {
      let top = min(sumIn / Double(m), largest)
      let low = Int64(((1 - width) * (1 - spread) * top).rounded(.down))
      let high = Int64(min((top * (1 + spread)).rounded(.up), largest))
      chance += amounts.share(in: low...max(low, high))
    }
    return min(chance, width)
  }

  /// The transfers of one payer's (`out`, in time order) whose sums are
  /// its own beside `window`: the last ``FanOuts/lookBack`` before it (as
  /// ``FanOuts/newSums(_:lookBack:)`` reads), and the first ``FanOuts/lookBack`` more than
  /// the hubs' window after it: a sum it took up in the window and kept
  /// paying long after (a wage, a rent, its price) is its own too, where a
  /// fan-out's own payments end within a window of its start.
  func ownSums(_ out: ArraySlice<Int32>, around window: Range<Int>) -> (
    before: ArraySlice<Int32>, after: ArraySlice<Int32>
  ) {
    let bucket = transfers.bucket
    let last = bucket[Int(out[window.upperBound - 1])]
    var later = window.upperBound
    while later < out.endIndex, bucket[Int(out[later])] <= last + self.window { later += 1 }
    return (
      out[max(out.startIndex, window.lowerBound - FanOuts.lookBack)..<window.lowerBound],
      out[later..<min(out.endIndex, later + FanOuts.lookBack)]
    )
  }

  /// Whether the transfers `earlier` (a hub's, out, before the window)
  /// pay sums in `band` to two receivers at least: the sum the hub pays on
  /// is then its habit, which the money gathered does not explain, and the
  /// window is no gather-scatter.
  func paysByHabit(_ earlier: ArraySlice<Int32>, band: ClosedRange<Int64>) -> Bool {
    var first: Int32?
    for e in earlier where band.contains(transfers.unitMicros[Int(e)]) {
      let receiver = transfers.target[Int(e)]
      guard let known = first else {
        first = receiver
        continue
      }
      if known != receiver { return true }
    }
    return false
  }

  /// A group of transfers with near-equal units.
  struct Group {
    var members: [Int]
    /// The units within the members' spread (at least 1 %) of their median.
    var band: ClosedRange<Int64> = 0...0
    /// The background's share of ``band``.
    var background = 1.0
    /// The account's own habit of ``band``: the share of its transfers
    /// outside the window there, or ``background`` plus the set's excess
    /// repeat rate.
    var habit = 1.0
    /// The chance of the group's first repeat, where the account takes its
    /// sum up in the window (the set's rate of repeating a new sum), else
    /// ``habit``.
    var firstRepeat = 1.0
    /// The account's transfers outside the window (``habit`` is the share
    /// of them in ``band`` when they are ``minParts`` or more, else the
    /// set's excess repeat rate and the background's share).
    var outside = 0
    /// The chance that a transfer lies in the group's band: the larger of
    /// the background's share there and the account's habit.
    var share: Double { max(background, habit) }

    /// log₁₀ of C(*n*, *k*) · *q*₁ · *q*^(*k*−2) for the group of *k* among
    /// *n* transfers read, *q*₁ the chance of its first repeat: C(*n*, *k*)
    /// · *q*^(*k*−1), to the last bit, where that is *q*.
    func log10Chance(read n: Int) -> Double {
      let k = Double(members.count)
      guard k >= 2 else { return StructuredFlowDetector.log10Choose(Double(n), k) }
      let first = max(background, firstRepeat)
      guard first != share else {
        return StructuredFlowDetector.log10Choose(Double(n), k) + (k - 1) * log10(share)
      }
      return StructuredFlowDetector.log10Choose(Double(n), k) + log10(first) + (k - 2) * log10(share)
    }
  }

  /// The group among the transfers `window` of `all` (one account's
  /// transfers in when `gathering`, else out; `units` their units, sorted):
  /// the band of units (top at most 1 + 2 · ``tolerance`` times bottom)
  /// holding the most distinct counterparts (senders when `gathering`, else
  /// receivers), none in `excluding`, routine or paying its habitual sum,
  /// one transfer each, leaving out those of a unit ``AmountHabit/same(_:_:)``
  /// as one of the transfers `ownSums` (the account's outside the window:
  /// a fan-out's payer's own wage, rent or price) and those of a unit in
  /// `keptSums` to the cent (a sum it keeps to within the window,
  /// ``FanOuts/keptSums(_:transfers:)``). Its share is the larger of the
  /// background's and the account's own habit: the share of its transfers
  /// outside the window in the band, or, with fewer than ``minParts`` of
  /// those, the background's share plus the set's excess repeat rate
  /// (``excessRepeatRate(sender:_:)``). A payer with
  /// one or two, one at least before the window and none in the band,
  /// takes the sum up in the window: its first repeat has the set's chance
  /// of repeating a new sum (``newSumRepeatRate(_:)``).
  func group(
    _ all: ArraySlice<Int32>, _ window: Range<Int>, units: [Int64], gathering: Bool, excluding: Set<Int32>,
    ownSums: (before: ArraySlice<Int32>, after: ArraySlice<Int32>) = ([], []), keptSums: [Int64] = [],
    habits: inout Habits
  ) -> Group {
    // Loops, and closures over local arrays only: a closure over `self`
    // would copy the transfers' every array reference per call.
    let counterpart = gathering ? transfers.source : transfers.target
    let unitMicros = transfers.unitMicros
    func isOwnSum(_ unit: Int64, among sums: ArraySlice<Int32>) -> Bool {
      sums.contains { AmountHabit.same(unitMicros[Int($0)], unit) }
    }
    var sorted: [Int] = []
    sorted.reserveCapacity(window.count)
    for i in window {
      let t = Int(all[i])
      guard unitMicros[t] > 0, !excluding.contains(counterpart[t]), !isRoutine(t),
        !isOwnSum(unitMicros[t], among: ownSums.before), !isOwnSum(unitMicros[t], among: ownSums.after),
        !keptSums.contains(unitMicros[t])
      else { continue }
      if !isHabitual(t, sender: gathering, &habits) { sorted.append(t) }
    }
    sorted.sort { unitMicros[$0] < unitMicros[$1] }
    // The band holding the most distinct counterparts (a sliding window
    // over the sorted units; `inBand` counts each counterpart's transfers
    // in it: a window holds at most ``maxWindow``, so a list is enough).
    var inBand: [(counterpart: Int32, count: Int)] = []
    var best = 0..<0, bestCount = 0
    var low = 0
    for high in sorted.indices {
      let added = counterpart[sorted[high]]
      if let i = inBand.firstIndex(where: { $0.counterpart == added }) {
        inBand[i].count += 1
      } else {
        inBand.append((added, 1))
      }
      let lowest = Double(transfers.unitMicros[sorted[high]]) / (1 + 2 * tolerance)
      while Double(transfers.unitMicros[sorted[low]]) < lowest {
        let i = inBand.firstIndex { $0.counterpart == counterpart[sorted[low]] }!
        inBand[i].count -= 1
        if inBand[i].count == 0 { inBand.remove(at: i) }
        low += 1
      }
      if inBand.count > bestCount { (best, bestCount) = (low..<(high + 1), inBand.count) }
    }
    var seen: Set<Int32> = []
    let members = sorted[best].filter { seen.insert(counterpart[$0]).inserted }
    guard !members.isEmpty else { return Group(members: []) }
    let median = transfers.unitMicros[members[members.count / 2]]
    let spread = members.map { abs(Double(transfers.unitMicros[$0] - median)) / Double(median) }.max() ?? 0
    let band = min(max(spread, 0.01), 1)
    let floor = Int64((Double(median) * (1 - band)).rounded(.up))
    let ceiling = Int64(min((Double(median) * (1 + band)).rounded(.down), Double(Int64.max / 2)))
    // The account's transfers in the band (`units` sorted), less the window's.
    var habitual = Self.count(units, atMost: ceiling) - Self.count(units, atMost: floor - 1)
    for i in window where (floor...ceiling).contains(transfers.unitMicros[Int(all[i])]) { habitual -= 1 }
    let (near, background) = self.band(around: median, spread: spread)
    // The account's own habit where it has a history outside the window, else the set's.
    let others = all.count - window.count
    let habit =
      others >= minParts
      ? Double(habitual) / Double(others) : min(1, excessRepeatRate(sender: !gathering, &habits) + background)
    let before = window.lowerBound - all.startIndex
    let takenUp = !gathering && others < minParts && before > 0 && habitual == 0
    return Group(
      members: members, band: near, background: background, habit: habit,
      firstRepeat: takenUp ? newSumRepeatRate(&habits) : habit, outside: others)
  }

  /// The transfers of `window` between a counterpart of `group` (its
  /// senders when `gathering`, else its receivers; one transfer each) and
  /// the account again, a sum that differs from the member's: how many, and
  /// those whose sums lie with the members' in one band (top at most 1 + 2
  /// · ``tolerance`` times bottom), `group`'s band widened to hold them. A
  /// mule paid twice, or paying twice, near-equal sums that differ is no
  /// more a payer's habit than a new counterpart is, where payers pay each
  /// payee one sum; a sum repeated to the cent is a standing order's,
  /// counted in neither (for ``AmountHabit/log10PaidAgain(read:inBand:chance:)``).
  func paidAgain(_ group: inout Group, in window: ArraySlice<Int32>, gathering: Bool) -> (paid: Int, inBand: [Int]) {
    let counterpart = gathering ? transfers.source : transfers.target
    let unitMicros = transfers.unitMicros, members = group.members
    let sums = members.map { unitMicros[$0] }
    var (low, high) = (sums.min() ?? 0, sums.max() ?? 0)
    var paid = 0
    var inBand: [Int] = []
    for e in window {
      let t = Int(e), unit = unitMicros[t]
      guard let member = members.first(where: { counterpart[$0] == counterpart[t] }), member != t,
        unitMicros[member] != unit
      else { continue }
      paid += 1
      if Double(max(high, unit)) <= Double(min(low, unit)) * (1 + 2 * tolerance) {
        inBand.append(t)
        (low, high) = (min(low, unit), max(high, unit))
      }
    }
    if !group.band.contains(low) || !group.band.contains(high) {
      let median = sums.sorted()[sums.count / 2]
      let spread = Double(max(median - low, high - median)) / Double(max(median, 1))
      (group.band, group.background) = band(around: median, spread: spread)
    }
    return (paid, inBand)
  }

  /// The units within `spread` (relative, at least 1 %) of `median`: a
  /// group's band, and the background's share of it.
  func band(around median: Int64, spread: Double) -> (band: ClosedRange<Int64>, background: Double) {
    let near = AmountDistribution.band(near: median, tolerance: min(max(spread, 0.01), 1))
    return (near, amounts.share(in: near))
  }

  /// Whether transfer `t`'s pair pays on occasions more than ``window``
  /// buckets apart: a tenant's rent, a member's dues, an agent's remittance
  /// to an owner recur, which money passed through a hub once does not.
  func isRoutine(_ t: Int) -> Bool {
    let run = transfers.pairRun(of: t)
    return transfers.bucket[run.upperBound - 1] - transfers.bucket[run.lowerBound] > window
  }

  /// Each account's habitual sum out and in, and the set's repeat rates,
  /// worked out when first asked (only for the windows read).
  struct Habits {
    /// Per account, its habitual sum out and in: −1 until worked out, 0 for none.
    var out: [Int64], into: [Int64]
    /// ``excessRepeatRate(_:_:amounts:sampled:varied:)`` out and in, and out
    /// of varied repeats, once worked out.
    var excessOut: Double?, excessIn: Double?, excessVariedOut: Double?
    /// ``newSumRepeatRate(_:_:)`` of transfers out, once worked out.
    var newSumRepeatOut: Double?
    /// ``habitualUnit(_:counterparts:sorting:)``'s buffer, kept between
    /// accounts so that working out a habit allocates nothing.
    var paid: [(unit: Int64, with: Int32)] = []

    init(accounts: Int) {
      out = Array(repeating: -1, count: accounts)
      into = out
    }
  }

  /// Whether transfer `t`'s counterpart (its `sender`, for a transfer
  /// gathered; else its receiver) pays (or is paid) it as its habitual sum
  /// (``habitualUnit(_:counterparts:sorting:)``): a sender paying what it pays everyone, as every
  /// account in AMLSim does, matches a hub's other senders by chance, not
  /// by design.
  func isHabitual(_ t: Int, sender: Bool, _ habits: inout Habits) -> Bool {
    let account = sender ? transfers.source[t] : transfers.target[t]
    var habit = sender ? habits.out[Int(account)] : habits.into[Int(account)]
    if habit < 0 {
      habit =
        sender
        ? habitualUnit(transfers.outgoing.edges(of: account), counterparts: transfers.target, sorting: &habits.paid)
        : habitualUnit(transfers.incoming.edges(of: account), counterparts: transfers.source, sorting: &habits.paid)
      if sender { habits.out[Int(account)] = habit } else { habits.into[Int(account)] = habit }
    }
    return habit > 0 && abs(Double(transfers.unitMicros[t] - habit)) <= 0.01 * Double(habit)
  }

  /// The set's excess repeat rate of transfers out (`sender`) or in, worked out once.
  func excessRepeatRate(sender: Bool, _ habits: inout Habits) -> Double {
    if let known = sender ? habits.excessOut : habits.excessIn { return known }
    let rate = Self.excessRepeatRate(sender ? transfers.outgoing : transfers.incoming, transfers, amounts: amounts)
    if sender { habits.excessOut = rate } else { habits.excessIn = rate }
    return rate
  }

  /// The set's excess rate of varied repeats out (within 1 %, not to the
  /// cent), worked out once.
  func excessVariedRepeatRate(_ habits: inout Habits) -> Double {
    if let known = habits.excessVariedOut { return known }
    let rate = Self.excessRepeatRate(transfers.outgoing, transfers, amounts: amounts, varied: true)
    habits.excessVariedOut = rate
    return rate
  }

  /// The set's repeat rate of a sum new to the payer, worked out once.
  func newSumRepeatRate(_ habits: inout Habits) -> Double {
    if let known = habits.newSumRepeatOut { return known }
    let rate = Self.newSumRepeatRate(transfers.outgoing, transfers)
    habits.newSumRepeatOut = rate
    return rate
  }

  /// The sum paid on at least half of the transfers `run` (one account's,
  /// out or in) and on two at least, to (or from) two `counterparts` at
  /// least, within 1 % (the middle of the fullest such band among its first
  /// ``maxWindow``), or 0: the account's habit. One match among a busy
  /// person's many payments is chance, and one payee paid a sum twice is
  /// that pair's business, not a habit: a mule paid twice by the fan-out it
  /// serves (or paying the fan-in it feeds twice) would otherwise seem to
  /// keep to that very sum, and leave the group. `paid` is a buffer the
  /// transfers are sorted in (its contents are replaced).
  func habitualUnit(_ run: ArraySlice<Int32>, counterparts: [Int32], sorting paid: inout [(unit: Int64, with: Int32)])
    -> Int64
  {
    paid.removeAll(keepingCapacity: true)
    for t in run.prefix(maxWindow) { paid.append((transfers.unitMicros[Int(t)], counterparts[Int(t)])) }
    paid.sort { $0.unit < $1.unit }
    guard paid.count >= 2 else { return 0 }
    var low = 0
    var fullest = 0..<0
    for high in paid.indices {
      while Double(paid[high].unit) > Double(paid[low].unit) * 1.02 { low += 1 }
      guard high + 1 - low > fullest.count else { continue }
      let band = low..<(high + 1)
      if paid[band].contains(where: { $0.with != paid[high].with }) { fullest = band }
    }
    guard fullest.count >= 2 && 2 * fullest.count >= paid.count else { return 0 }
    return paid[(fullest.lowerBound + fullest.upperBound - 1) / 2].unit
  }

  /// How many of the sorted `units` are at most `bound` (a binary search).
  static func count(_ units: [Int64], atMost bound: Int64) -> Int {
    var low = 0, high = units.count
    while low < high {
      let middle = (low + high) / 2
      if units[middle] <= bound { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// How often, over the set's consecutive pairs of one account's
  /// transfers out (or in, for `incoming`), the later carries the unit of
  /// the earlier, within 1 % (with `varied`, within 1 % but not to the
  /// cent): the chance that a payer repeats itself, which a group of
  /// near-equal transfers of one account needs to beat. Where every account pays one habitual sum
  /// (AMLSim's normal accounts), it is near 1 and such a group is no
  /// evidence; where people pay what each purchase costs, it is small.
  /// Varied repeats are rare where people pay a price or a rent exactly,
  /// common where a wage or a bill varies a little each time.
  static func repeatRate(_ adjacency: Adjacency, _ transfers: PaymentTransfers, varied: Bool = false) -> Double {
    var pairs = 0, repeats = 0
    for a in 0..<adjacency.offsets.count - 1 {
      let run = adjacency.edges[adjacency.offsets[a]..<adjacency.offsets[a + 1]]
      for (earlier, later) in zip(run, run.dropFirst()) {
        pairs += 1
        let (first, next) = (transfers.unitMicros[Int(earlier)], transfers.unitMicros[Int(later)])
        if AmountHabit.same(first, next), !varied || first != next { repeats += 1 }
      }
    }
    return pairs > 0 ? Double(repeats) / Double(pairs) : 0
  }

  /// How much more often than `amounts` make it by chance, over the set's
  /// consecutive pairs of one account's transfers out (or in, for
  /// `incoming`), the later carries the unit of the earlier within 1 %
  /// (with `varied`, not to the cent; chance matches to the cent are few):
  /// the ``repeatRate(_:_:varied:)`` less the mean background share within 1 % of
  /// each earlier unit, at least 0. A habit of repeating counts whatever the
  /// sum; a repeat the background makes likely (a common price) is already
  /// its share. Where payees pay what each purchase costs, near 0; where
  /// every payer keeps one sum, near 1.
  ///
  /// - Complexity: O(*t*) for the repeats of *t* transfers, and O(log *n*)
  ///   for each of at most `sampled` pairs (evenly spread, ``ChanceSample``)
  ///   whose earlier unit's share is read.
  static func excessRepeatRate(
    _ adjacency: Adjacency, _ transfers: PaymentTransfers, amounts: AmountDistribution, sampled: Int = 4_096,
    varied: Bool = false
  ) -> Double {
    let offsets = adjacency.offsets
    var all = 0
    for a in 0..<offsets.count - 1 { all += max(offsets[a + 1] - offsets[a] - 1, 0) }
    guard all > 0 else { return 0 }
    // Each pair's earlier unit, in the order the accounts' runs give them.
    var chance = ChanceSample(amounts: amounts, candidates: all, sampled: sampled)
    for a in 0..<offsets.count - 1 where offsets[a + 1] - offsets[a] > 1 {
      for earlier in adjacency.edges[offsets[a]..<offsets[a + 1] - 1] {
        chance.add(transfers.unitMicros[Int(earlier)])
      }
    }
    return max(0, repeatRate(adjacency, transfers, varied: varied) - chance.mean)
  }

  /// How often, over the set's consecutive pairs of one account's
  /// transfers out whose earlier is a sum new to the account (it had
  /// transfers before, and none of the last `lookBack` of them is
  /// ``AmountHabit/same(_:_:)`` as it), the later carries that sum again;
  /// add-one smoothed. The chance that a payer repeats a sum it has just
  /// taken up, once: after that the sum is its habit, which the band's
  /// share and ``excessRepeatRate(_:_:amounts:sampled:varied:)`` weigh. The repeat rate is near 1 where every
  /// account pays one sum for life (AMLSim's normal accounts); there, a sum taken up is
  /// rare and seldom repeated (0.14 on AMLSim's published sample, whose new
  /// sums are its laundering's). Where people pay what each purchase
  /// costs, both are small. See ``newSumRepeats(_:_:lookBack:perAccount:enough:passes:)``
  /// for what is read.
  static func newSumRepeatRate(_ adjacency: Adjacency, _ transfers: PaymentTransfers) -> Double {
    let counted = newSumRepeats(adjacency, transfers)
    return (Double(counted.repeats) + 1) / (Double(counted.pairs) + 2)
  }

  /// The pairs ``newSumRepeatRate(_:_:)`` counts, and their repeats.
  ///
  /// Each account gives at most `perAccount` pairs, so that no busy payer
  /// sets the rate for everyone. The accounts are read in up to `passes`
  /// passes, each over every `passes`-th account from the next, and reading
  /// stops after the pass that brings the pairs to `enough`: where new sums
  /// are common, an interleaved sample of the accounts gives the rate.
  ///
  /// - Complexity: O(*t* · `lookBack`) for *t* transfers at most, O(*t*)
  ///   where accounts repeat their sums; where new sums are common, the
  ///   accounts of the passes read. Three raw buffers: the loop may run
  ///   over every transfer of a large set (where new sums are rare).
  static func newSumRepeats(
    _ adjacency: Adjacency, _ transfers: PaymentTransfers, lookBack: Int = 32, perAccount: Int = 32,
    enough: Int = 10_000, passes: Int = 64
  ) -> (repeats: Int, pairs: Int) {
    var pairs = 0, repeats = 0
    transfers.unitMicros.withUnsafeBufferPointer { unitMicros in
      adjacency.edges.withUnsafeBufferPointer { edges in
        adjacency.offsets.withUnsafeBufferPointer { offsets in
          for pass in 0..<passes where pairs < enough {
            for a in stride(from: pass, to: offsets.count - 1, by: passes) {
              let run = offsets[a]..<offsets[a + 1]
              guard run.count >= 3 else { continue }
              var counted = 0
              for i in (run.lowerBound + 1)..<(run.upperBound - 1) where counted < perAccount {
                let unit = unitMicros[Int(edges[i])]
                var taken = false
                for j in stride(from: i - 1, through: max(run.lowerBound, i - lookBack), by: -1)
                where AmountHabit.same(unitMicros[Int(edges[j])], unit) {
                  taken = true
                  break
                }
                guard !taken else { continue }
                counted += 1
                if AmountHabit.same(unitMicros[Int(edges[i + 1])], unit) { repeats += 1 }
              }
              pairs += counted
            }
          }
        }
      }
    }
    return (repeats, pairs)
  }
}
