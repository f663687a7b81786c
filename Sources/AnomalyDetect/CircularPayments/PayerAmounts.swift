import Foundation
import SignalGraph

/// What each payer's own transfers say about the amount of its next one,
/// beside the background's share (``AmountHabit``, the formula the
/// pre-filter shares): its transfers' units, and its rate of paying a new
/// one, shrunk towards the set's rate. A transfer is new when no earlier
/// transfer of its payer is the same amount (``AmountHabit/same(_:_:)``).
/// A payer's
/// transfers to the payee at hand are left out of its history: that pair's
/// own repeats are the structure judged, or its routine, which
/// ``PairRoutine`` weighs. It also counts how often payers vary the sum
/// they pay a payee paid before (``payeeRepeats``: *v* of fan-outs and
/// fan-ins).
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     let habits = PayerAmounts(transfers)
///     let p = habits.share(of: 0, to: 1, pairTransfers: 1, in: 100_000_000...103_000_000, background: 0.02)
///
/// - Complexity: O(*t* log *t* + *t* · *d*) to build for *t* transfers, *d*
///   a payer's payees, with *t* units and payees and four counts per
///   account of memory;
///   ``share(of:to:pairTransfers:in:background:leavingOutOne:)`` O(log *n*) plus the
///   payer's transfers in the range (at most ``maxRead``).
struct PayerAmounts {
  /// The most transfers of one payer in an amount range read to leave out its pair's (lenient beyond).
  static let maxRead = 256

  /// *r*: the share of transfers counted after a payer's first that pay a new amount (``AmountHabit``).
  let setRate: Double
  /// Per payer, its new amounts among its transfers read after the first, and those transfers.
  private let newAmounts: [Int32], later: [Int32]
  /// Per payer, where its units start in ``units`` (the transfers' outgoing offsets).
  private let offsets: [Int]
  /// Every payer's transfer units, ascending within each payer's run.
  private let units: [Int64]
  /// The payee of each of ``units``.
  private let payees: [Int32]

  /// Per payer, its transfers to a payee it paid before and those that
  /// varied the sum (``variedPayeeRepeats(_:)``): *v* of ``FanOuts`` and ``FanIns``.
  let payeeRepeats: FanIns.SharedUnits

  /// Reads each payer's transfers in `transfers`.
  init(_ transfers: PaymentTransfers) {
    let out = transfers.outgoing
    offsets = out.offsets
    var units = [Int64](repeating: 0, count: out.edges.count)
    var payees = [Int32](repeating: 0, count: out.edges.count)
    var byUnit: [(unit: Int64, payee: Int32)] = []
    var newAmounts = [Int32](repeating: 0, count: out.nodeCount)
    var later = [Int32](repeating: 0, count: out.nodeCount)
    var seen: [Int64] = [], seenBy: [Int32] = []  // units ascending, and each one's sole payee or −1
    for payer in 0..<out.nodeCount {
      let run = out.offsets[payer]..<out.offsets[payer + 1]
      guard !run.isEmpty else { continue }
      seen.removeAll(keepingCapacity: true)
      seenBy.removeAll(keepingCapacity: true)
      for (i, e) in run.enumerated() {
        let unit = transfers.unitMicros[Int(out.edges[e])], payee = transfers.target[Int(out.edges[e])]
        units[e] = unit
        guard later[payer] < AmountHabit.maxRead else { continue }
        // Bucket order is time order: is this unit near one seen before?
        let at = Self.firstIndex(in: seen[...]) { Double($0) >= Double(unit) * (1 - AmountHabit.tolerance) }
        if at < seen.count, AmountHabit.same(seen[at], unit) {
          guard seenBy[at] != payee else { continue }  // a pair's own repeat: not counted
          seenBy[at] = -1
          if i > 0 { later[payer] += 1 }
          continue
        }
        if i > 0 { (later[payer], newAmounts[payer]) = (later[payer] + 1, newAmounts[payer] + 1) }
        seen.insert(unit, at: at)
        seenBy.insert(payee, at: at)
      }
      byUnit.removeAll(keepingCapacity: true)  // one buffer for every payer: no allocation per payer
      for e in run { byUnit.append((units[e], transfers.target[Int(out.edges[e])])) }
      byUnit.sort { $0.unit < $1.unit }
      for (i, e) in run.enumerated() { (units[e], payees[e]) = byUnit[i] }
    }
    (self.units, self.payees) = (units, payees)
    (self.newAmounts, self.later) = (newAmounts, later)
    setRate = AmountHabit.populationRate(
      newAmounts: newAmounts.reduce(0) { $0 + Int($1) }, later: later.reduce(0) { $0 + Int($1) })
    payeeRepeats = Self.variedPayeeRepeats(transfers)
  }

  /// Per account, over its first ``AmountHabit/maxRead`` transfers out,
  /// those to a payee it paid before, and how many of them pay a sum
  /// ``AmountHabit/same(_:_:)`` as the one it paid that payee last but not
  /// to the cent: the set's rate of varying the sum one pays one payee
  /// (``FanIns/SharedUnits/rate(leavingOut:)``). Near 0 where people pay a
  /// payee one sum each time (AMLSim's accounts, a rent), higher where
  /// they pay a friend about the same each time (shared bills).
  ///
  /// - Complexity: O(*t* · *d*), *d* the payees of a payer's first
  ///   ``AmountHabit/maxRead`` transfers.
  static func variedPayeeRepeats(_ transfers: PaymentTransfers) -> FanIns.SharedUnits {
    let outgoing = transfers.outgoing
    var counts = FanIns.SharedUnits(pairs: [Int32](repeating: 0, count: outgoing.nodeCount), shared: [])
    counts.shared = counts.pairs
    var last: [(payee: Int32, unit: Int64)] = []
    for a in 0..<outgoing.nodeCount {
      last.removeAll(keepingCapacity: true)
      let run = outgoing.offsets[a]..<min(outgoing.offsets[a + 1], outgoing.offsets[a] + AmountHabit.maxRead)
      for i in run {
        let t = Int(outgoing.edges[i]), payee = transfers.target[t], unit = transfers.unitMicros[t]
        guard let j = last.firstIndex(where: { $0.payee == payee }) else {
          last.append((payee, unit))
          continue
        }
        counts.pairs[a] += 1
        if AmountHabit.varies(last[j].unit, unit) { counts.shared[a] += 1 }
        last[j].unit = unit
      }
    }
    counts.totalPairs = counts.pairs.reduce(0) { $0 + Int($1) }
    counts.totalShared = counts.shared.reduce(0) { $0 + Int($1) }
    return counts
  }

  /// *ν*: the chance that `payer`'s next transfer is of a new amount.
  func newAmountRate(of payer: Int32) -> Double {
    let p = Int(payer)
    return AmountHabit.newAmountRate(newAmounts: Int(newAmounts[p]), later: Int(later[p]), populationRate: setRate)
  }

  /// *ν* with the transfer judged left out of `payer`'s history: one
  /// transfer fewer, and one new amount fewer when it was `new` (no other
  /// transfer of the payer to someone else lies near it).
  func newAmountRate(of payer: Int32, leavingOutOneThatWas new: Bool) -> Double {
    let p = Int(payer)
    return AmountHabit.newAmountRate(
      newAmounts: max(Int(newAmounts[p]) - (new ? 1 : 0), 0), later: max(Int(later[p]) - 1, 0),
      populationRate: setRate)
  }

  /// The chance that `payer`'s transfer to `payee` lies in `range`, given
  /// the background's share of the range and `payer`'s transfers to others
  /// (`pairTransfers` of its transfers go to `payee`); with
  /// `leavingOutOne`, its rate of new amounts leaves the transfer judged out
  /// (``newAmountRate(of:leavingOutOneThatWas:)``: new when none of its
  /// transfers to others lies in `range`).
  func share(
    of payer: Int32, to payee: Int32, pairTransfers: Int, in range: ClosedRange<Int64>, background: Double,
    leavingOutOne: Bool = false
  ) -> Double {
    let run = units[offsets[Int(payer)]..<offsets[Int(payer) + 1]]
    let others = run.count - pairTransfers
    guard others > 0 else { return background }
    let low = Self.firstIndex(in: run) { $0 >= range.lowerBound }
    let high = Self.firstIndex(in: run) { $0 > range.upperBound }
    var inRange = high - low
    for i in low..<min(high, low + Self.maxRead) where payees[i] == payee { inRange -= 1 }
    inRange = max(inRange, 0)
    let rate = leavingOutOne ? newAmountRate(of: payer, leavingOutOneThatWas: inRange == 0) : newAmountRate(of: payer)
    return AmountHabit.chance(rate: rate, inRange: inRange, others: others, background: background)
  }

  /// The first position in `values` (ascending by `isAfter`) where `isAfter` holds.
  private static func firstIndex(in values: ArraySlice<Int64>, where isAfter: (Int64) -> Bool) -> Int {
    var low = values.startIndex, high = values.endIndex
    while low < high {
      let mid = (low + high) / 2
      if isAfter(values[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
