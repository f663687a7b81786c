import Foundation
import SignalGraph

/// Near-equal sums paid into one account within a few weeks by several
/// senders, each a sum its sender does not usually pay: the fan-in of AML
/// practice (mules paying one collector; Altman et al., NeurIPS 2023), which
/// needs nothing passed on to give it away. A seed of
/// ``StructuredFlowDetector``.
///
/// For each account *h* and each of its transfers in, the transfers into
/// *h* within the window of ``hubs`` are grouped as ``GatheringHubs`` groups
/// them: the band of units holding the most distinct senders, none of them a
/// routine pair (paying on occasions more than the window apart: rent, dues,
/// a standing order) nor paying its own habitual sum. With *k* ≥
/// ``minSenders`` senders among the *n* transfers read, sender *i* goes
/// along with the others with chance
///
/// ```text
/// Pᵢ = max(H, ν · max(q, s′) + (1 − ν) · c / m)
/// ```
///
/// its own habit (``AmountHabit``: *c* of its *m* transfers to others in the
/// band, *ν* its rate of new sums, the transfer judged left out), *q* the
/// background's share of the band, *s* the rate at which the set's other
/// accounts receive the sum they just received from someone else, beyond
/// the chance the background's amounts give two senders' sums of meeting
/// (``sharedUnits(_:units:amounts:)``: how often honest people pay one
/// account one sum; the crowding of a band is *q*'s), *s*′ that rate widened to the group's spread, and *H* the hub's
/// habit of receiving the band: the share in the band of its transfers in
/// outside the window from senders who do not pay that sum by habit (a
/// shop's customers pay its price, a sum new to them; a sender paying the
/// hub the sum it pays everyone chose it itself), shrunk towards *s*′. A
/// hub that has received little is thus taken to set its senders' sums (a
/// shop's price) as often as the set's accounts receive one sum from
/// several senders beyond chance, not as often as the band's share *q*:
/// that a sender's sum lands in the band is the sender's doing, which its
/// own *Pᵢ* reads. The coincidence has chance
///
/// ```text
/// p = C(n − e, k) · Π Pᵢ · min(1, C(e, j) · R^j)   (Π over all senders but the least likely: the band is the group's own)
/// ```
///
/// where *j* of the *e* transfers in the window from a sender paying the
/// hub again a sum that differs from its first (to the cent, a standing
/// order's, counted in neither; ``GatheringHubs/paidAgain(_:in:gathering:)``)
/// land in the band too (widened to hold them), each with chance *R*, the
/// largest *Pᵢ* or the set's rate of varying what one pays one payee
/// (``PayerAmounts/payeeRepeats``) widened to the group's spread, as for
/// ``FanOuts``: a mule paying the collector twice near-equal sums that
/// differ weighs as another mule does, where people pay each payee one sum.
/// The *k* senders' first transfers are chosen among the *n* − *e* others
/// of the window's *n*, for the *e* are weighed apart. It is a seed when
/// *p* · *T* ≤ `alpha`, *T* the windows read (a Bonferroni bound over every
/// start). Only the strongest window of each account is kept.
///
/// Honest money does this rarely. A shop's customers pay its prices, but
/// so did those before the window (its habit); members paying a club's dues
/// or tenants their rent are routine pairs; friends splitting a bill each
/// pay a new sum, but where people split bills *s* says so, and people who
/// pay new sums all the time (*ν* near 1) give no more than *s* each. Where
/// people keep to their sums, as AMLSim's accounts do, several of them
/// paying one stranger the same new sum is rare. Known limits: such
/// sum-keepers chipping in for a stranger's present are flagged too, and a
/// fan-in whose senders each paid the collector once before, over a window
/// earlier, reads as routine pairs.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     let amounts = AmountDistribution(set.payments.amountMicros)
///     let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
///     var memo = GatheringHubs.Habits(accounts: set.accounts.count)
///     let fanIns = FanIns(hubs: hubs, habits: PayerAmounts(transfers)).seeds(habits: &memo)
///
/// - Complexity: O(*t* · *w* log *w*) for *t* transfers and windows of at
///   most *w* = ``GatheringHubs/maxWindow`` transfers, grouped only for
///   the accounts whose windows hold such a band at all
///   (``mayGather(covering:units:habits:)``, O(*d* log *d*) for *d*
///   transfers in, and O(*w* log *w*) for each distinct sender's habitual
///   sum), plus O(log *m* + ``PayerAmounts/maxRead``) for each sender's
///   chance; 17 bytes per transfer, and 8 per account, while it runs.
struct FanIns {
  /// The grouping of transfers by amount, its window and its alpha.
  let hubs: GatheringHubs
  /// The senders' own habits.
  let habits: PayerAmounts
  /// The fewest distinct senders of a fan-in.
  var minSenders = StructuredFlowDefaults.minFanSenders

  /// The fan-ins too unlikely for the honest background: each the
  /// transfers gathered, and −log₁₀(*p* · *T*). `memo` keeps the
  /// accounts' habitual sums across the seeds that ask for them.
  func seeds(habits memo: inout GatheringHubs.Habits) -> [GatheringHubs.Hub] {
    let transfers = hubs.transfers, incoming = transfers.incoming
    // In the incoming order, each transfer's bucket (as `PaymentTransfers`
    // keeps it) and unit (0 where its pair is routine, so that no group takes
    // it; gathered here once), so that the windows read contiguous memory.
    let routine = (0..<transfers.count).map { hubs.isRoutine($0) }
    let days = transfers.incomingBucket
    let units = incoming.edges.map { routine[Int($0)] ? 0 : max(transfers.unitMicros[Int($0)], 0) }
    let shared = Self.sharedUnits(transfers, units: units, amounts: hubs.amounts)
    var found: [(transfers: [Int], log10p: Double)] = []
    var tests = 0
    for h in 0..<Int32(incoming.nodeCount) {
      let run = incoming.offsets[Int(h)]..<incoming.offsets[Int(h) + 1]
      guard run.count >= minSenders else { continue }
      // Every window is counted among the tests, its groups read or not.
      let read = windows(days[run])
      tests += read.count
      guard !read.isEmpty, mayGather(covering: read, units: units, habits: &memo) else { continue }
      let banded = read.filter { holdsBand(units[$0]) }
      if let best = strongestWindow(of: h, among: banded, shared: shared.rate(leavingOut: h), habits: &memo) {
        found.append(best)
      }
    }
    return hubs.significant(found, tests: tests)
  }

  /// The windows of one account's transfers in, falling on `days`
  /// (ascending): from each transfer, those within the window of it, when
  /// they are at least ``minSenders`` and at most
  /// ``GatheringHubs/maxWindow`` (a busy shop's traffic is not read). A
  /// window ending where the one before ended holds less of the same: it is
  /// read only when the one before was too busy.
  func windows(_ days: ArraySlice<Int64>) -> [Range<Int>] {
    var read: [Range<Int>] = []
    var end = days.startIndex, previousEnd = -1
    var retry = false
    for start in days.indices {
      end = max(end, start)
      while end < days.endIndex, days[end] <= days[start] + hubs.window { end += 1 }
      guard end != previousEnd || retry else { continue }
      (previousEnd, retry) = (end, false)
      guard end - start >= minSenders else { continue }
      guard end - start <= hubs.maxWindow else {
        retry = true
        continue
      }
      read.append(start..<end)
    }
    return read
  }

  /// The most unlikely fan-in into account `h` among its windows `read`
  /// (ranges of its transfers in): its transfers, and log₁₀ *p*.
  func strongestWindow(
    of h: Int32, among read: [Range<Int>], shared: Double, habits memo: inout GatheringHubs.Habits
  ) -> (transfers: [Int], log10p: Double)? {
    let transfers = hubs.transfers
    let into = transfers.incoming.edges(of: h)
    let units = into.map { transfers.unitMicros[Int($0)] }.sorted()
    var best: (transfers: [Int], log10p: Double)?
    for window in read {
      var group = hubs.group(into, window, units: units, gathering: true, excluding: [], habits: &memo)
      guard group.members.count >= minSenders else { continue }
      let again = hubs.paidAgain(&group, in: into[window], gathering: true)
      // Counting every receipt outside the window, habitual or not, reads
      // the hub's habit at its least: a window that even then is neither
      // the strongest nor significant is not read further (most are not,
      // and their senders' habits need not be worked out).
      var receipts = receiptsOfTheBand(into, outside: window, band: group.band, countingAll: false, habits: &memo)
      var log10p = log10Chance(
        of: group, paidAgain: again, read: window.count, into: h, receiving: receipts, shared: shared)
      guard log10p < min(best?.log10p ?? 0, log10(hubs.alpha)) else { continue }
      receipts = receiptsOfTheBand(into, outside: window, band: group.band, countingAll: true, habits: &memo)
      log10p = log10Chance(
        of: group, paidAgain: again, read: window.count, into: h, receiving: receipts, shared: shared)
      if log10p < best?.log10p ?? 0 { best = (group.members + again.inBand, log10p) }
    }
    return best
  }

  /// A hub's transfers in (`into`) outside `window` whose sender does not
  /// pay that sum by habit (``GatheringHubs/isHabitual(_:sender:_:)``), and
  /// how many of them lie in `band`: the receipts whose sums the hub may
  /// have set (a shop's customers pay its price, a sum new to them). A
  /// sender paying the hub the sum it pays everyone chose that sum itself,
  /// and says nothing of the hub's. Unless `countingAll`, `all` counts
  /// every transfer outside the window, habitual or not, and only those in
  /// the band have their senders' habits read: a lower bound on the share.
  func receiptsOfTheBand(
    _ into: ArraySlice<Int32>, outside window: Range<Int>, band: ClosedRange<Int64>, countingAll: Bool,
    habits memo: inout GatheringHubs.Habits
  ) -> (inBand: Int, all: Int) {
    var (inBand, all) = (0, 0)
    for i in into.indices where !window.contains(i) {
      let t = Int(into[i])
      let inside = band.contains(hubs.transfers.unitMicros[t])
      guard inside || countingAll else {
        all += 1
        continue
      }
      guard !hubs.isHabitual(t, sender: true, &memo) else { continue }
      all += 1
      if inside { inBand += 1 }
    }
    return (inBand, all)
  }

  /// Whether any band of the `units` (in the incoming order; 0 for none to
  /// read) of the transfers in the windows `read` of one account, its top
  /// at most 1 + 2 · tolerance times its bottom, holds ``minSenders``
  /// transfers from as many distinct senders, none paying its habitual
  /// sum: the quick test that spares most accounts the windows' groups.
  func mayGather(covering read: [Range<Int>], units: [Int64], habits memo: inout GatheringHubs.Habits) -> Bool {
    // The transfers in any window read (windows start in order, and end in order).
    var covered: [Int] = []
    for window in read { covered += max(window.lowerBound, (covered.last ?? -1) + 1)..<window.upperBound }
    // The units alone first, which most accounts fail.
    guard holdsBand(covered.map { units[$0] }[...]) else { return false }
    // Then the senders, and then (worked out only now, for few accounts)
    // their habits.
    let edges = hubs.transfers.incoming.edges
    var sent = covered.filter { units[$0] > 0 }
      .map { (unit: units[$0], sender: hubs.transfers.incoming.neighbors[$0], transfer: Int(edges[$0])) }
    sent.sort { $0.unit < $1.unit }
    guard holdsBand(sent) else { return false }
    sent.removeAll { hubs.isHabitual($0.transfer, sender: true, &memo) }
    return holdsBand(sent)
  }

  /// Whether some band of `units` (0 for none to read) holds ``minSenders``
  /// of them: the quick test of one window before its group is read.
  func holdsBand(_ units: ArraySlice<Int64>) -> Bool {
    var sorted: [Int64] = []
    sorted.reserveCapacity(units.count)
    for u in units where u > 0 { sorted.append(u) }
    guard sorted.count >= minSenders else { return false }
    sorted.sort()
    let widest = 1 + 2 * hubs.tolerance
    var low = 0
    for high in sorted.indices {
      while Double(sorted[high]) > Double(sorted[low]) * widest { low += 1 }
      if high + 1 - low >= minSenders { return true }
    }
    return false
  }

  /// Whether some band of the `sent` units (ascending) holds ``minSenders`` distinct senders.
  func holdsBand(_ sent: [(unit: Int64, sender: Int32, transfer: Int)]) -> Bool {
    let widest = 1 + 2 * hubs.tolerance
    var low = 0
    for high in sent.indices {
      while Double(sent[high].unit) > Double(sent[low].unit) * widest { low += 1 }
      guard high + 1 - low >= minSenders else { continue }
      var senders: [Int32] = []
      for s in sent[low...high].reversed() where !senders.contains(s.sender) {
        senders.append(s.sender)
        if senders.count >= minSenders { return true }
      }
    }
    return false
  }

  /// log₁₀ *p* of `group`, gathered into `hub` among `n` transfers read:
  /// C(*n* − *e*, *k*) times each sender's chance of going along with the others
  /// (``PayerAmounts``, its new-sum rate leaving the transfer judged out),
  /// the band's share floored at `shared` widened to the group's spread,
  /// but the least likely one's (the band is the group's own). Each chance
  /// is at least the hub's habit of the band: the share of its `receipts`
  /// outside the window whose sums it may have set that lie in the band
  /// (``receiptsOfTheBand(_:outside:band:countingAll:habits:)``), shrunk towards
  /// `shared` widened by a prior worth ``AmountHabit/priorWeight`` transfers.
  /// Senders paying again in the band a sum that differs, `again`
  /// (``GatheringHubs/paidAgain(_:in:gathering:)``), weigh each at the
  /// largest of those chances and the set's rate of varying what one pays
  /// one payee (``PayerAmounts/payeeRepeats``, widened to the group's spread).
  func log10Chance(
    of group: GatheringHubs.Group, paidAgain again: (paid: Int, inBand: [Int]), read n: Int,
    into hub: Int32, receiving receipts: (inBand: Int, all: Int), shared: Double
  ) -> Double {
    let transfers = hubs.transfers
    // `shared` counts sums within 1 %; a group spread wider is that much likelier.
    let spread = AmountHabit.spread(of: group.band)
    let sharedWidened = AmountHabit.widened(shared, toSpread: spread)
    let floor = max(group.background, sharedWidened)
    let hubHabit = AmountHabit.shrunk(receipts.inBand, of: receipts.all, towards: sharedWidened)
    let chances = group.members.map { t in
      let own = habits.share(
        of: transfers.source[t], to: hub, pairTransfers: transfers.pairRun(of: t).count, in: group.band,
        background: floor, leavingOutOne: true)
      return max(hubHabit, own)
    }
    let k = chances.count
    let varied = AmountHabit.widened(habits.payeeRepeats.rate(leavingOut: hub), toSpread: spread)
    return StructuredFlowDetector.log10Choose(Double(n - again.paid), Double(k))
      + chances.sorted().dropFirst().reduce(0) { $0 + log10(max($1, .leastNormalMagnitude)) }
      + AmountHabit.log10PaidAgain(
        read: again.paid, inBand: again.inBand.count, chance: max(chances.max() ?? 1, varied))
  }

  /// How often, over the set's consecutive transfers into one account with
  /// a positive unit in `units` (each transfer in's, at its position in
  /// ``PaymentTransfers/incoming``; 0 for a routine pair's), the later is from
  /// another sender and carries the unit of the earlier (``AmountHabit/same(_:_:)``): the
  /// chance that an account receives a sum it just received from someone
  /// else. Near 0 where people keep to sums of their own and pay different
  /// people (AMLSim); higher where shares are split equally. Counted per
  /// account, so that each hub is judged against the others' rate
  /// (``SharedUnits/rate(leavingOut:)``): eleven collectors must not
  /// excuse each other. The rate is what sharing exceeds the chance that
  /// `amounts` give two senders' sums of being one: where everyone's sums
  /// crowd one band, sums meet there by chance, which the band's share
  /// already counts.
  static func sharedUnits(_ transfers: PaymentTransfers, units: [Int64], amounts: AmountDistribution) -> SharedUnits {
    let incoming = transfers.incoming
    var counts = SharedUnits(pairs: [Int32](repeating: 0, count: incoming.nodeCount), shared: [])
    counts.shared = counts.pairs
    var chance = ChanceSample(amounts: amounts, candidates: transfers.count)
    for a in 0..<incoming.nodeCount {
      var previous = -1
      for e in incoming.offsets[a]..<incoming.offsets[a + 1] where units[e] > 0 {
        if previous >= 0 {
          counts.pairs[a] += 1
          if incoming.neighbors[previous] != incoming.neighbors[e] {
            chance.add(units[previous])
            if AmountHabit.same(units[previous], units[e]) { counts.shared[a] += 1 }
          }
        }
        previous = e
      }
    }
    counts.total(chance: chance)
    return counts
  }

  /// Per account, its consecutive transfers in counted by
  /// ``sharedUnits(_:units:amounts:)``, and those sharing a unit across senders.
  struct SharedUnits {
    var pairs: [Int32], shared: [Int32]
    var totalPairs = 0, totalShared = 0
    /// The share of pairs that the background's amounts alone would have
    /// shared: per pair counted, the mean share of payments within
    /// ``AmountHabit/tolerance`` of each earlier sum that a later one could
    /// have shared (``ChanceSample``).
    var chance = 0.0

    /// *s* for judging account `hub`: the rate over every other account
    /// (add-one smoothed), so that a hub's own coincidences never excuse it,
    /// less ``chance``, and never below the smoothing's floor.
    func rate(leavingOut hub: Int32) -> Double {
      let h = Int(hub)
      let pairs = Double(totalPairs - Int(self.pairs[h])) + 2
      return max((Double(totalShared - Int(shared[h])) + 1) / pairs - chance, 1 / pairs)
    }

    /// Sums the counts, and ``chance`` from `sample`.
    mutating func total(chance sample: ChanceSample) {
      totalPairs = pairs.reduce(0) { $0 + Int($1) }
      totalShared = shared.reduce(0) { $0 + Int($1) }
      chance = totalPairs > 0 ? sample.sum / Double(totalPairs) : 0
    }

    /// These counts without those of the accounts `explained` (true for
    /// each left out; empty for none): the background's rate, once the
    /// structures found are known, is not inflated by their own sums.
    func leavingOut(_ explained: [Bool]) -> SharedUnits {
      var kept = self
      for a in explained.indices where explained[a] {
        (kept.pairs[a], kept.shared[a]) = (0, 0)
      }
      kept.totalPairs = kept.pairs.reduce(0) { $0 + Int($1) }
      kept.totalShared = kept.shared.reduce(0) { $0 + Int($1) }
      return kept  // `chance`, a mean per pair, is kept: the structures' pairs are a few among many
    }
  }
}
