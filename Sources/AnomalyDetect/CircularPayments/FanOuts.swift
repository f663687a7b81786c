import Foundation
import SignalGraph

/// Near-equal sums paid out of one account within a few weeks to several
/// receivers, a sum its payer does not usually pay: the fan-out of AML
/// practice (one account spreading money over mules; Altman et al.,
/// NeurIPS 2023), which needs nothing passed on to give it away. A seed of
/// ``StructuredFlowDetector``, the mirror of ``FanIns``.
///
/// For each account *h* and each of its transfers out, the transfers out of
/// *h* within the window of ``hubs``, when one of them pays a sum new to *h*
/// (``newSums(_:lookBack:)``: a window of sums it paid before is its habit),
/// are grouped as ``GatheringHubs`` groups them: the band of units holding the most distinct receivers, none of them
/// a routine pair (paid on occasions more than the window apart: a wage, an
/// allowance, a standing order) nor paid its own habitual sum, leaving out
/// the sums *h* paid before the window or more than a window after it
/// (``GatheringHubs/ownSums(_:around:)``: its own, a wage, a rent, its price; a band
/// stretched over them would read the fan-out as *h*'s habit). With *k* ≥
/// ``minReceivers`` receivers among the *n* transfers read, each payment
/// after the first lands in the band with chance
///
/// ```text
/// P = max(ν · q + (1 − ν) · c / m,  s′,  h′)
/// ```
///
/// the payer's own habit (``AmountHabit``) read from its *m* transfers on
/// days outside the window's (a payroll paid on one day has no history,
/// however many windows that day holds), leaving out the transfers of the
/// structures the other seeds found (`schemes` of ``seeds(habits:schemes:explained:)``:
/// a scheme's sums are no habit of its payer's, and a stack's few sums
/// would make its payer's own wage look off-habit): *c* of them in the band, and *ν*
/// its rate of new sums among them (a standing order's repeats to one payee
/// not counted; shrunk towards the set's rate, ``PayerAmounts``); *q* is the
/// background's share of the band. *s* is the rate, per transfer, at which
/// the set's other payers pay a sum new to them and the next the same to
/// someone else (``sharedNewSums(_:new:)``: how often honest people hand
/// one new sum round, whether or not they keep to their sums otherwise;
/// read again without the accounts of the structures found,
/// ``seeds(habits:schemes:explained:)``);
/// *h* is the payer's own such rate on those days, shrunk towards *s*, where
/// it hands sums on more often than *s* makes likely (``handsOnByHabit(_:of:setRate:)``:
/// a treasurer refunding members does it by habit; one coincidence is
/// none), else *s*; *s*′ and *h*′ are widened
/// to the group's spread. A payer with fewer than ``GatheringHubs/minParts``
/// transfers on those days has no habit to read there: *P* is then at least
/// the band's background share plus the set's rate of one payer's
/// consecutive transfers repeating a unit more often than the background
/// makes it (``GatheringHubs/excessRepeatRate(_:_:amounts:sampled:varied:)``), for
/// the band may be its only sum, repeated; that for a transfer repeating
/// an earlier one of the group to the cent. One whose sum differs from
/// them all has the set's excess rate of repeats that vary (within 1 %,
/// not to the cent) in its place (``AmountHabit/log10OnlySum(_:receivers:repeated:varied:)``):
/// a payer keeping to one sum pays it exactly, where people do, and
/// near-equal sums that all differ are no habit's unless the set's payers
/// vary their repeats (a wage with overtime). It is not when the payer keeps to another
/// sum meanwhile (``keepsOneSum(_:transfers:)``: one sum to the cent, on
/// half its transfers outside the band at least, to two receivers): *P* is
/// then read as above from all but the window's transfers in the band. So
/// a mule paying its honest sum beside a scheme's burst of near-equal sums
/// has the burst read against its sum, and not its sum against the burst.
/// The coincidence has chance
///
/// ```text
/// p = C(n − e, k) · P^(k−1) · min(1, C(e, j) · R^j)   (the first payment is free: the band is the group's own)
/// ```
///
/// where *j* of the *e* transfers in the window that pay a receiver again
/// a sum differing from its first (``GatheringHubs/paidAgain(_:in:gathering:)``; one
/// repeated to the cent is a standing order's, counted in neither) land in
/// the band too, each with chance *R* = max(*P*, *v*′), *v* the set's rate
/// of paying a payee paid before a sum within ``AmountHabit/tolerance`` of
/// the last but not to the cent (``PayerAmounts/variedPayeeRepeats(_:)``: near 0 where
/// people pay each payee one sum, as AMLSim's accounts do; higher where
/// friends split bills), *v*′ widened to the group's spread. A mule paid
/// twice is evidence as a new receiver is, where honest payers do not vary
/// what they pay one payee; the *k* receivers' first transfers are chosen
/// among the *n* − *e* others of the window's *n*. The fan-out is a seed
/// when *p* · *T* ≤ `alpha`, *T* the windows read (a Bonferroni bound over every start); its
/// transfers are the *k* and the *j*. Only the strongest window of each
/// account is kept.
///
/// Honest money does this rarely where people keep to their sums, as
/// AMLSim's accounts do: there an honest account pays several receivers one
/// sum only when that sum is the one it always pays (its habit). An employer
/// paying its staff one wage pays it monthly (routine pairs) and paid it
/// before (its habit); a new employer has no history and gets the band's
/// share plus the set's excess repeat rate (its varied rate, for wages that
/// differ). Where people pay new sums all the time (*ν* near 1) and hand
/// the same sum to several people (refunds, gifts, shares of a prize), *q*
/// and *s* say so. Known limits: a sum-keeper paying a new sum to several
/// people once (presents for a family's children) is flagged, and so is a
/// new employer that otherwise pays varied sums paying one equal wage on its
/// first payday where equal sums are rare, a new employer paying wages that
/// differ a little where the set's payers repeat their sums to the cent, and
/// sum-keepers each handing a new sum to five friends even where many do
/// (*s* per transfer stays small); a fan-out at the payer's habitual sum is not.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     let amounts = AmountDistribution(set.payments.amountMicros)
///     let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
///     var memo = GatheringHubs.Habits(accounts: set.accounts.count)
///     let fanOuts = FanOuts(hubs: hubs, habits: PayerAmounts(transfers)).seeds(habits: &memo)
///
/// - Complexity: O(*t* · *w* log *w*) for *t* transfers and windows of at
///   most *w* = ``GatheringHubs/maxWindow`` transfers, grouped only where a
///   window's units hold such a band at all, and O(*m*) for the payer's
///   history outside it; O(*t* · 32) at most to mark the sums new to their
///   payers (``newSums(_:lookBack:)``, at `init`), O(*t*) where payers
///   keep to their sums; 1 byte per transfer and 8 per account (``new``,
///   ``handOns``) as long as the reading lives, and 16 per transfer more
///   while ``seeds(habits:schemes:explained:)`` runs.
struct FanOuts {
  /// The grouping of transfers by amount, its window and its alpha.
  let hubs: GatheringHubs
  /// The payers' own habits.
  let habits: PayerAmounts
  /// The fewest distinct receivers of a fan-out.
  let minReceivers: Int
  /// Per transfer out (in the outgoing order), whether it pays a sum new
  /// to its payer (``newSums(_:lookBack:)``).
  let new: [Bool]
  /// Per account, its hand-ons of a new sum (``sharedNewSums(_:new:)``):
  /// *s* before the structures found are left out. ``BipartiteBlocks``
  /// reads its payers' *s* here too.
  let handOns: FanIns.SharedUnits
  /// The fan-outs of the transfers `hubs` groups, against the payers'
  /// `habits`; the sums new to their payers and the set's hand-ons are
  /// worked out here, once.
  init(hubs: GatheringHubs, habits: PayerAmounts, minReceivers: Int = StructuredFlowDefaults.minFanSenders) {
    (self.hubs, self.habits, self.minReceivers) = (hubs, habits, minReceivers)
    new = Self.newSums(hubs.transfers)
    handOns = Self.sharedNewSums(hubs.transfers, new: new)
  }

  /// The fan-outs too unlikely for the honest background: each the
  /// transfers paid out, and −log₁₀(*p* · *T*). `memo` keeps the accounts'
  /// habitual sums across the seeds that ask for them; `schemes` marks the
  /// transfers of structures found before (an empty array for none), which
  /// no payer's history counts.
  ///
  /// *s* is read twice when `explained` asks: first from every payer, then,
  /// once the structures are known, without the accounts `explained` marks
  /// (given these fan-outs; an empty array for none). A scheme's own fan-outs
  /// and bursts hand their new sums on too, and must not excuse the rest of
  /// it: one step of trimming the background. It mostly lowers *s* (the
  /// schemes' hand-ons go), but may raise it (schemes that paid many sums
  /// and handed none on go too): either way the better reading of the
  /// honest background. The groups do not depend on *s*, so the second
  /// reading groups again only the windows that held one.
  func seeds(
    habits memo: inout GatheringHubs.Habits, schemes: [Bool] = [],
    explained: (_ found: [GatheringHubs.Hub]) -> [Bool] = { _ in [] }
  ) -> [GatheringHubs.Hub] {
    let transfers = hubs.transfers, outgoing = transfers.outgoing
    // In the outgoing order, each transfer's bucket and unit (0 where its
    // pair is routine, so that no group takes it).
    let days = outgoing.edges.map { transfers.bucket[Int($0)] }
    let units = outgoing.edges.map { hubs.isRoutine(Int($0)) ? 0 : max(transfers.unitMicros[Int($0)], 0) }
    // The windows are a fan-in's, read over transfers out.
    let fans = FanIns(hubs: hubs, habits: habits, minSenders: minReceivers)
    var candidates: [(payer: Int32, windows: [Range<Int>])] = []
    var tests = 0
    for h in 0..<Int32(outgoing.nodeCount) {
      let run = outgoing.offsets[Int(h)]..<outgoing.offsets[Int(h) + 1]
      guard run.count >= minReceivers else { continue }
      let read = fans.windows(days[run])
      tests += read.count
      // A fan-out pays a sum new to its payer: a window of sums it paid
      // before (all of them, where people keep to their sums) is no group.
      let banded = read.filter { window in window.contains { new[$0] } && fans.holdsBand(units[window]) }
      if !banded.isEmpty { candidates.append((h, banded)) }
    }
    // Judges the candidates against `shared`, keeping for another reading
    // only the windows that hold a group (*s* does not change the groups).
    func judged(against shared: FanIns.SharedUnits, _ repeats: FanIns.SharedUnits) -> [GatheringHubs.Hub] {
      var found: [(transfers: [Int], log10p: Double)] = []
      for i in candidates.indices {
        let (payer, windows) = candidates[i]
        let read = strongestWindow(
          of: payer, among: windows, shared: shared.rate(leavingOut: payer),
          payeeRepeats: repeats.rate(leavingOut: payer), schemes: schemes, habits: &memo)
        if let best = read.best { found.append(best) }
        candidates[i].windows = read.grouped
      }
      candidates.removeAll { $0.windows.isEmpty }
      return hubs.significant(found, tests: tests)
    }
    let first = judged(against: handOns, habits.payeeRepeats)
    let leftOut = explained(first)
    guard leftOut.contains(true) else { return first }
    return judged(against: handOns.leavingOut(leftOut), habits.payeeRepeats.leavingOut(leftOut))
  }

  /// The most unlikely fan-out from account `h` among its windows `read`
  /// (ranges of its transfers out): its transfers, and log₁₀ *p*; and the
  /// windows that held a group of ``minReceivers`` at all.
  func strongestWindow(
    of h: Int32, among read: [Range<Int>], shared: Double, payeeRepeats: Double, schemes: [Bool] = [],
    habits memo: inout GatheringHubs.Habits
  ) -> (best: (transfers: [Int], log10p: Double)?, grouped: [Range<Int>]) {
    let out = hubs.transfers.outgoing.edges(of: h)
    guard !read.isEmpty else { return (nil, []) }
    let units = out.map { hubs.transfers.unitMicros[Int($0)] }.sorted()
    var best: (transfers: [Int], log10p: Double)?
    var grouped: [Range<Int>] = []
    for window in read {
      let own = hubs.ownSums(out, around: window)
      var group = hubs.group(out, window, units: units, gathering: false, excluding: [], ownSums: own, habits: &memo)
      let kept = Self.keptSums(group.members, transfers: hubs.transfers)
      if !kept.isEmpty {
        group = hubs.group(
          out, window, units: units, gathering: false, excluding: [], ownSums: own, keptSums: kept, habits: &memo)
      }
      guard group.members.count >= minReceivers else { continue }
      grouped.append(window)
      let again = hubs.paidAgain(&group, in: out[window], gathering: false)
      let log10p = log10Chance(
        of: group, paidAgain: again, in: out, window, shared: shared, payeeRepeats: payeeRepeats, schemes: schemes,
        habits: &memo)
      if log10p < best?.log10p ?? 0 { best = (group.members + again.inBand, log10p) }
    }
    return (best, grouped)
  }

  /// log₁₀ *p* of `group`, read in the window `window` of one payer's
  /// transfers `out`: C(*n* − *e*, *k*) · *P*^(*k*−1), *P* the payer's chance of
  /// paying the band (its habit on the days outside the window's), floored
  /// at its own and the set's (`shared`) rate of handing a new sum on; times,
  /// for the *j* of the *e* transfers `again` that land in the band again,
  /// C(*e*, *j*) · *R*^*j* (at most 1), *R* the larger of *P* and the set's
  /// rate of varying a sum paid to one payee (`payeeRepeats`, widened to the
  /// group's spread).
  func log10Chance(
    of group: GatheringHubs.Group, paidAgain again: (paid: Int, inBand: [Int]), in out: ArraySlice<Int32>,
    _ window: Range<Int>, shared: Double, payeeRepeats: Double, schemes: [Bool] = [],
    habits memo: inout GatheringHubs.Habits
  ) -> Double {
    let transfers = hubs.transfers
    let days = transfers.bucket[Int(out[window.lowerBound])]...transfers.bucket[Int(out[window.upperBound - 1])]
    let repeats = log10Repeats(
      group.members, band: group.band, background: group.background, of: out, on: days, shared: shared,
      schemes: schemes, habits: &memo)
    let chanceAgain = max(
      repeats.again, AmountHabit.widened(payeeRepeats, toSpread: AmountHabit.spread(of: group.band)))
    return StructuredFlowDetector.log10Choose(Double(window.count - again.paid), Double(group.members.count))
      + repeats.log10
      + AmountHabit.log10PaidAgain(read: again.paid, inBand: again.inBand.count, chance: chanceAgain)
  }

  /// log₁₀ of *P*^(*k*−1): the chance that a payer whose transfers out are
  /// `out`, paying the *k* transfers `members` in `band` (of background
  /// share `background`) on `days`, paid the band again after the first
  /// (the formula of the type's summary, without C(*n*, *k*)), its history
  /// read without the transfers `schemes` marks. A
  /// ``BipartiteBlocks`` payer's chance is read by it too.
  func log10Repeats(
    _ members: [Int], band: ClosedRange<Int64>, background: Double, of out: ArraySlice<Int32>,
    on days: ClosedRange<Int64>, shared: Double, schemes: [Bool] = [], habits memo: inout GatheringHubs.Habits
  ) -> (log10: Double, again: Double) {
    let k = members.count
    let spread = AmountHabit.spread(of: band)
    let sharedWidened = AmountHabit.widened(shared, toSpread: spread)
    let transfers = hubs.transfers
    // A scheme's transfers are no habit of their payer's.
    let out = schemes.isEmpty ? out : out.filter { !schemes[Int($0)] }[...]
    var own = Self.history(of: out, outside: days, band: band, transfers: transfers)
    // Too little on other days to read a habit from; but a payer keeping a
    // sum of its own beside the band in the window has not the band for its
    // only sum: its history is then all but the window's transfers in the band.
    var keepsAnotherSum = false
    if own.transfers < hubs.minParts {
      let beside = out.filter { t in
        !(days.contains(transfers.bucket[Int(t)]) && band.contains(transfers.unitMicros[Int(t)]))
      }
      if Self.keepsOneSum(beside, transfers: transfers) {
        own = Self.history(of: out, outside: days, band: band, transfers: transfers, besideTheBand: true)
        keepsAnotherSum = true
      }
    }
    guard own.transfers >= hubs.minParts || keepsAnotherSum else {
      // The band may be its only sum: repeated to the cent, or varied as the set's repeats vary.
      let repeated = max(sharedWidened, min(1, background + hubs.excessRepeatRate(sender: true, &memo)))
      let varied = max(sharedWidened, min(1, background + hubs.excessVariedRepeatRate(&memo)))
      let sums = members.map { transfers.unitMicros[$0] }
      return (AmountHabit.log10OnlySum(sums, receivers: k, repeated: repeated, varied: varied), varied)
    }
    let rate = AmountHabit.newAmountRate(newAmounts: own.newAmounts, later: own.later, populationRate: habits.setRate)
    // A payer that hands its new sums round by habit does so again.
    let pairs = max(own.transfers - 1, 0)
    let handing =
      Self.handsOnByHabit(own.handedOn, of: pairs, setRate: shared)
      ? AmountHabit.shrunk(own.handedOn, of: pairs, towards: shared) : shared
    let chance = max(
      AmountHabit.chance(rate: rate, inRange: own.inBand, others: own.transfers, background: background),
      sharedWidened, AmountHabit.widened(handing, toSpread: spread))
    return (Double(k - 1) * log10(max(chance, .leastNormalMagnitude)), chance)
  }

  /// The fewest receivers of one sum to the cent that make it a sum kept
  /// (``keptSums(_:transfers:)``).
  static let minKeptReceivers = 3

  /// The units of a group's `members` (one transfer per receiver) paid to
  /// the cent to ``minKeptReceivers`` receivers or more, where two of its
  /// other units at least differ. A structure's near-equal sums vary, as a
  /// launderer splitting money by hand or a generator drawing amounts does;
  /// a payer's own sum (a price, a rent, an allowance) is paid to the cent,
  /// and inside such a band it is the payer's business, its receivers no
  /// mules. Twice is not enough: a scheme drawing its sums from a few round
  /// figures repeats one now and then. None where the group's sums are one,
  /// or all repeat: a fan-out of one sum is judged as one.
  static func keptSums(_ members: [Int], transfers: PaymentTransfers) -> [Int64] {
    let units = members.map { transfers.unitMicros[$0] }.sorted()
    var kept: [Int64] = [], varying = 0
    var start = units.startIndex
    while start < units.endIndex {
      var end = start + 1
      while end < units.endIndex, units[end] == units[start] { end += 1 }
      if end - start >= minKeptReceivers { kept.append(units[start]) } else { varying += 1 }
      start = end
    }
    return varying >= 2 ? kept : []
  }

  /// Whether one sum, to the cent, is paid on at least half of the
  /// transfers `run` and on two at least, to two receivers at least: a
  /// sum its payer keeps to (a price, a rent, an allowance). Near-equal
  /// sums that differ are a burst's, not a habit's.
  static func keepsOneSum(_ run: [Int32], transfers: PaymentTransfers) -> Bool {
    guard run.count >= 2 else { return false }
    let paid = run.map { (unit: transfers.unitMicros[Int($0)], to: transfers.target[Int($0)]) }
      .sorted { $0.unit < $1.unit }
    var start = 0
    while start < paid.count {
      var end = start + 1
      var receivers = false
      while end < paid.count, paid[end].unit == paid[start].unit {
        if paid[end].to != paid[start].to { receivers = true }
        end += 1
      }
      if receivers && 2 * (end - start) >= paid.count { return true }
      start = end
    }
    return false
  }

  /// The chance below which a payer's hand-ons are its habit rather than
  /// the set's rate at work (``handsOnByHabit(_:of:setRate:)``).
  static let handOnSignificance = 0.05

  /// Whether a payer that handed a new sum on `handedOn` times among its
  /// `pairs` consecutive transfers does so by habit: that many or more
  /// would happen with less than ``handOnSignificance`` chance at the set's
  /// rate `setRate` (a binomial tail). One coincidence among twenty
  /// transfers is no habit where the set's rate is a few in a thousand;
  /// a treasurer refunding members one sum each time is.
  static func handsOnByHabit(_ handedOn: Int, of pairs: Int, setRate: Double) -> Bool {
    guard handedOn > 0, pairs >= handedOn, setRate > 0 else { return handedOn > 0 && setRate <= 0 }
    guard setRate < 1 else { return false }
    var fewer = 0.0  // P(fewer than `handedOn` hand-ons at the set's rate)
    for i in 0..<handedOn {
      fewer += exp(
        lgamma(Double(pairs + 1)) - lgamma(Double(i + 1)) - lgamma(Double(pairs - i + 1)) + Double(i) * log(setRate)
          + Double(pairs - i) * log1p(-setRate))
    }
    return 1 - fewer < handOnSignificance
  }

  /// One payer's transfers `run` (in time order) on days outside `days`
  /// (with `besideTheBand`, on those days too where outside `band`):
  /// how many, how many in `band`, and, after its first, how many count
  /// for its rate of new sums (*m* − 1 of ``AmountHabit``: not a repeat of
  /// a sum only its payee received before, a standing order) and how many of
  /// those pay a sum new to it (none of the 32 counted before it is
  /// ``AmountHabit/same(_:_:)`` as it); and how many new sums the next
  /// transfer, on a day outside the window too, carries on to another
  /// receiver (the payer's own *h*).
  static func history(
    of run: ArraySlice<Int32>, outside days: ClosedRange<Int64>, band: ClosedRange<Int64>,
    transfers: PaymentTransfers, besideTheBand: Bool = false
  ) -> (transfers: Int, inBand: Int, later: Int, newAmounts: Int, handedOn: Int) {
    // Sums seen, each with its sole payee, or −1 once paid to two.
    var seen: [(unit: Int64, payee: Int32)] = []
    var count = 0, inBand = 0, later = 0, newAmounts = 0, handedOn = 0
    var previous: (unit: Int64, payee: Int32, new: Bool)?
    for e in run {
      let t = Int(e), unit = transfers.unitMicros[t], payee = transfers.target[t]
      guard !days.contains(transfers.bucket[t]) || (besideTheBand && !band.contains(unit)) else {
        previous = nil  // the transfers either side of the window are not consecutive
        continue
      }
      count += 1
      if band.contains(unit) { inBand += 1 }
      if let previous, previous.new, previous.payee != payee, AmountHabit.same(previous.unit, unit) {
        handedOn += 1
      }
      let recent = max(seen.count - 32, 0)
      var new = !seen.isEmpty
      if let i = seen[recent...].firstIndex(where: { AmountHabit.same($0.unit, unit) }) {
        new = false
        if seen[i].payee == payee {
          previous = (unit, payee, false)
          continue  // a standing order to one payee: not counted
        }
        seen[i].payee = -1
      } else {
        seen.append((unit, payee))
      }
      if count > 1 { later += 1 }
      if new { newAmounts += 1 }
      previous = (unit, payee, new)
    }
    return (count, inBand, later, newAmounts, handedOn)
  }

  /// How many of a payer's transfers are read for the sums it pays by
  /// habit: before a transfer (``newSums(_:lookBack:)``), and either side
  /// of a window (``GatheringHubs/ownSums(_:around:)``).
  static let lookBack = 32

  /// Per transfer out (in the outgoing order), whether it pays a sum new
  /// to its payer: none of the payer's `lookBack` transfers before it is
  /// ``AmountHabit/same(_:_:)`` as it (a payer's first transfer is new).
  ///
  /// - Complexity: O(*t* · `lookBack`) at most, O(*t*) where payers keep to
  ///   their sums (the transfer before matches).
  static func newSums(_ transfers: PaymentTransfers, lookBack: Int = lookBack) -> [Bool] {
    let outgoing = transfers.outgoing
    var new = [Bool](repeating: true, count: outgoing.edges.count)
    transfers.unitMicros.withUnsafeBufferPointer { unitMicros in
      outgoing.edges.withUnsafeBufferPointer { edges in
        for a in 0..<outgoing.nodeCount {
          let run = outgoing.offsets[a]..<outgoing.offsets[a + 1]
          for i in run.dropFirst() {
            let unit = unitMicros[Int(edges[i])]
            for j in stride(from: i - 1, through: max(run.lowerBound, i - lookBack), by: -1)
            where AmountHabit.same(unitMicros[Int(edges[j])], unit) {
              new[i] = false
              break
            }
          }
        }
      }
    }
    return new
  }

  /// *s* per account: over its consecutive pairs of transfers out (the
  /// first ``AmountHabit/maxRead``), how often the earlier pays a sum `new`
  /// to it (``newSums(_:lookBack:)``; not its first transfer, whose sum is
  /// new to everyone) and the later carries that sum on to another
  /// receiver: the chance, per transfer, that a payer hands a sum it just
  /// took up to someone else. Judged leaving the account out
  /// (``FanIns/SharedUnits/rate(leavingOut:)``): near 0 where people keep
  /// to their sums (AMLSim, whose honest accounts never pay a new sum),
  /// higher where people hand one sum round.
  static func sharedNewSums(_ transfers: PaymentTransfers, new: [Bool]) -> FanIns.SharedUnits {
    let outgoing = transfers.outgoing
    var counts = FanIns.SharedUnits(pairs: [Int32](repeating: 0, count: outgoing.nodeCount), shared: [])
    counts.shared = counts.pairs
    for a in 0..<outgoing.nodeCount {
      let run = outgoing.offsets[a]..<min(outgoing.offsets[a + 1], outgoing.offsets[a] + AmountHabit.maxRead + 1)
      guard run.count >= 2 else { continue }
      counts.pairs[a] = Int32(run.count - 1)
      for i in run.dropFirst().dropLast() where new[i] {
        let t = Int(outgoing.edges[i]), next = Int(outgoing.edges[i + 1])
        if transfers.target[next] != transfers.target[t],
          AmountHabit.same(transfers.unitMicros[next], transfers.unitMicros[t])
        {
          counts.shared[a] += 1
        }
      }
    }
    counts.totalPairs = counts.pairs.reduce(0) { $0 + Int($1) }
    counts.totalShared = counts.shared.reduce(0) { $0 + Int($1) }
    return counts
  }
}
