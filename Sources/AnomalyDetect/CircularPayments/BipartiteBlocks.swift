import Foundation
import SignalGraph

/// Two accounts paying the same two or more receivers near-equal sums
/// within a couple of weeks, sums neither pays by habit: the bipartite
/// block of AML practice and AMLSim, and the unit of its stack (each
/// account of a layer pays every account of the next, whatever money comes
/// out of the layer below). No money need be passed on and no payer pay
/// three receivers, so neither ``RelayChains`` nor ``FanOuts`` sees a
/// layer of two. A seed of ``StructuredFlowDetector``; the scan's form of
/// the pre-filter's block test.
///
/// For payers *u* and *s* and receivers *R* (|*R*| = *k* ≥ 2) the 2*k*
/// transfers *x* → *r*, each within ``window`` of both payments into the
/// receiver it was found at, their units within one band (its top at most
/// 1 + 2 · ``GatheringHubs/tolerance`` times its bottom), none of them a
/// routine pair's (``GatheringHubs/isRoutine(_:)``), land in the band by
/// chance with
///
/// ```text
/// Pₓᵣ = max(P̄ₓ, Hᵣ)
/// ```
///
/// *P̄ₓ* the payer's chance per transfer of paying the band again, as
/// ``FanOuts/log10Repeats(_:band:background:of:on:shared:habits:)`` reads it
/// (its habit on the days outside the block's, or, with none to read, the
/// set's rates for a sum that may be its only one), and *Hᵣ* the receiver's
/// habit of receiving the band: the share in the band of its receipts
/// outside those days whose sums it may have set
/// (``FanIns/receiptsOfTheBand(_:outside:band:countingAll:habits:)``: a
/// shop's price), shrunk towards the band's background share *q*. The
/// block has chance
///
/// ```text
/// p = Π Pₓᵣ   (over all but the least likely transfer: the band is the block's own)
/// ```
///
/// and is a seed when *Nₖ* · *p* ≤ `alpha`, *Nₖ* the blocks of *k*
/// receivers the set's transfers form whatever their sums (counted in the
/// same pass, each block once per receiver and divided by *k*): honest
/// money forms few (a few in a thousand of the payments of AMLSim's and our
/// own generator's backgrounds close a square). Only the strongest block of
/// each pair of payers is kept.
///
/// Honest money forms such blocks where people share prices or sums:
/// customers of the same two shops pay their prices (the shops' habits
/// say so, and the background's share of a common price), parents pay
/// their children one allowance (routine pairs, and a habit). Known
/// limits: two sum-keepers paying the same two friends one new sum, once,
/// are flagged, and so are friends whose payments to each other crowd a
/// narrow band where the set's payments do not (a club on a trip paying
/// each other 250–350 only: *q* is the set's share of the band, not the
/// club's); a receiver with more than ``GatheringHubs/maxWindow``
/// transfers in within a window, or a payer with as many out, is not read
/// (a shop, a payroll) nor counted.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     let amounts = AmountDistribution(set.payments.amountMicros)
///     let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
///     var memo = GatheringHubs.Habits(accounts: set.accounts.count)
///     let habits = PayerAmounts(transfers)
///     let blocks = BipartiteBlocks(
///       fanOuts: FanOuts(hubs: hubs, habits: habits), fanIns: FanIns(hubs: hubs, habits: habits), window: 14)
///     let seeds = blocks.seeds(habits: &memo)
///
/// - Complexity: O(*t*) for *t* transfers to copy what the pass reads into
///   contiguous arrays and mark the transfers whose payer pays another
///   receiver within the window (O(*t* · *w*) at most), then O(*Σᵥ dᵥ²* ·
///   *w*) for the *dᵥ* ≤ ``GatheringHubs/maxWindow`` such transfers into
///   each account *v* within a window and the *w* ≤
///   ``GatheringHubs/maxWindow`` transfers out of each payer there, found
///   by binary search; the blocks judged, few, cost their payers' and
///   receivers' histories. 10 M payments take about a second.
struct BipartiteBlocks {
  /// The payers' chances of paying a band (and the grouping's tolerance,
  /// limits and amounts).
  let fanOuts: FanOuts
  /// The receivers' habits of receiving a band.
  let fanIns: FanIns
  /// The most buckets between a block's transfer and the payments into
  /// the receiver it was found at.
  let window: Int64

  /// The most receivers a block is judged with.
  static let maxReceivers = 8

  /// A block found: its payers, its transfers (one from each payer to each
  /// receiver) and the band of their units.
  struct Block {
    var payers: (Int32, Int32)
    var transfers: [Int]
    var low: Int64, high: Int64
    var receivers: Int { transfers.count / 2 }
  }

  /// The blocks too unlikely for the honest background: each its
  /// transfers, and −log₁₀(*Nₖ* · *p*).
  func seeds(habits memo: inout GatheringHubs.Habits) -> [GatheringHubs.Hub] {
    let (candidates, counts) = blocks()
    guard !candidates.isEmpty else { return [] }
    var best: [UInt64: (transfers: [Int], log10E: Double)] = [:]
    for block in candidates {
      let log10E = log10(max(counts[block.receivers], 1)) + log10Chance(of: block, habits: &memo)
      let key = UInt64(UInt32(block.payers.0)) << 32 | UInt64(UInt32(block.payers.1))
      if log10E < best[key]?.log10E ?? .infinity { best[key] = (block.transfers, log10E) }
    }
    let bar = log10(fanOuts.hubs.alpha)
    return best.values.filter { $0.log10E <= bar }.sorted { $0.transfers.lexicographicallyPrecedes($1.transfers) }
      .map { GatheringHubs.Hub(transfers: $0.transfers, surprise: -$0.log10E) }
  }

  /// Every block whose transfers keep one band, as found at each of its
  /// receivers, and *Nₖ* for *k* = 0 … ``maxReceivers``: the blocks of *k*
  /// receivers whatever their sums. A transfer is read when its unit is
  /// positive and its pair not routine.
  func blocks() -> (candidates: [Block], counts: [Double]) {
    let hubs = fanOuts.hubs, transfers = hubs.transfers
    let incoming = transfers.incoming, outgoing = transfers.outgoing
    let widest = 1 + 2 * hubs.tolerance
    // What the pairs read, contiguous in each list's order (most cost of
    // the pass is memory latency): whether a transfer is read, each
    // transfer in's payer and day, each transfer out's receiver and day.
    let read = (0..<transfers.count).map { transfers.unitMicros[$0] > 0 && !hubs.isRoutine($0) }
    let readOut = outgoing.edges.map { read[Int($0)] }
    let payer = incoming.neighbors, days = transfers.incomingBucket
    let receiver = outgoing.neighbors, dayOut = outgoing.edges.map { transfers.bucket[Int($0)] }
    // Most transfers' payers pay no one else within the window either side:
    // such a transfer closes no square, and is passed over unread.
    let pairable = self.pairable(readOut: readOut, receiver: receiver, dayOut: dayOut)
    let readIn = incoming.edges.map { pairable[Int($0)] }
    // A payer's transfers out on the buckets `range` (positions in the
    // outgoing order), or nil when it pays one receiver or more than
    // ``GatheringHubs/maxWindow`` there.
    func out(of a: Int32, in range: ClosedRange<Int64>) -> Range<Int>? {
      let run = outgoing.offsets[Int(a)]..<outgoing.offsets[Int(a) + 1]
      guard run.count >= 2 else { return nil }
      let from = Self.first(in: dayOut[run], atLeast: range.lowerBound)
      let to = Self.first(in: dayOut[from..<run.upperBound], atLeast: range.upperBound + 1)
      return to - from >= 2 && to - from <= hubs.maxWindow ? from..<to : nil
    }
    var counts = [Double](repeating: 0, count: Self.maxReceivers + 1)
    var candidates: [Block] = []
    var shared: [Int32] = []  // the receivers both payers paid, reused
    for v in 0..<incoming.nodeCount {
      let run = incoming.offsets[v]..<incoming.offsets[v + 1]
      guard run.count >= 2 else { continue }
      var end = run.lowerBound
      for i in run {
        while end < run.upperBound, days[end] <= days[i] + window { end += 1 }
        // A busy payee's traffic is not read; most windows hold no other payer.
        let u = payer[i]
        guard end - i <= hubs.maxWindow, readIn[i], ((i + 1)..<end).contains(where: { payer[$0] != u && readIn[$0] }),
          let outU = out(of: u, in: (days[i] - window)...(days[i] + window)),
          outU.contains(where: { receiver[$0] != Int32(v) && readOut[$0] })
        else { continue }
        for j in (i + 1)..<end {
          let s = payer[j]
          guard s != u, readIn[j] else { continue }
          let range = (days[j] - window)...(days[i] + window)
          guard let outS = out(of: s, in: range) else { continue }
          // The block's count, whatever the sums.
          shared.removeAll(keepingCapacity: true)
          for x in outU where range.contains(dayOut[x]) {
            let w = receiver[x]
            guard w != Int32(v), readOut[x], !shared.contains(w),
              outS.contains(where: { receiver[$0] == w && readOut[$0] })
            else { continue }
            shared.append(w)
          }
          guard !shared.isEmpty else { continue }
          for k in 2...min(shared.count + 1, Self.maxReceivers) {
            counts[k] +=
              exp(lgamma(Double(shared.count + 1)) - lgamma(Double(k)) - lgamma(Double(shared.count - k + 2)))
              / Double(k)
          }
          // The block of one band, when the payments into v keep one.
          let (t1, t2) = (Int(incoming.edges[i]), Int(incoming.edges[j]))
          let (a, b) = (transfers.unitMicros[t1], transfers.unitMicros[t2])
          guard Double(max(a, b)) <= Double(min(a, b)) * widest else { continue }
          var block = Block(payers: (min(u, s), max(u, s)), transfers: [t1, t2], low: min(a, b), high: max(a, b))
          for x in outU where block.receivers < Self.maxReceivers && range.contains(dayOut[x]) {
            let w = receiver[x]
            guard shared.contains(w), !block.transfers.contains(where: { transfers.target[$0] == w }) else { continue }
            let paid = transfers.unitMicros[Int(outgoing.edges[x])]
            for y in outS where receiver[y] == w && readOut[y] {
              let other = transfers.unitMicros[Int(outgoing.edges[y])]
              let low = min(block.low, paid, other), high = max(block.high, paid, other)
              guard Double(high) <= Double(low) * widest else { continue }
              block.transfers += [Int(outgoing.edges[x]), Int(outgoing.edges[y])]
              (block.low, block.high) = (low, high)
              break
            }
          }
          if block.receivers >= 2 { candidates.append(block) }
        }
      }
    }
    return (candidates, counts)
  }

  /// Per transfer, whether it is read (`readOut`, in the outgoing order)
  /// and its payer pays another receiver within ``window`` either side of
  /// it (or more than ``GatheringHubs/maxWindow`` transfers there, which
  /// ``blocks()`` reads no further).
  func pairable(readOut: [Bool], receiver: [Int32], dayOut: [Int64]) -> [Bool] {
    let outgoing = fanOuts.hubs.transfers.outgoing, limit = fanOuts.hubs.maxWindow
    var pairable = [Bool](repeating: false, count: outgoing.edges.count)
    for a in 0..<outgoing.nodeCount {
      let run = outgoing.offsets[a]..<outgoing.offsets[a + 1]
      guard run.count >= 2 else { continue }
      for x in run where readOut[x] {
        func pairs(_ y: Int) -> Bool { readOut[y] && receiver[y] != receiver[x] }
        var found = false
        var y = x - 1
        while !found, y >= max(run.lowerBound, x - limit), dayOut[x] - dayOut[y] <= window {
          found = pairs(y) || y == x - limit
          y -= 1
        }
        y = x + 1
        while !found, y < min(run.upperBound, x + limit + 1), dayOut[y] - dayOut[x] <= window {
          found = pairs(y) || y == x + limit
          y += 1
        }
        pairable[Int(outgoing.edges[x])] = found
      }
    }
    return pairable
  }

  /// The first index of `days` (ascending) at least `day`.
  static func first(in days: ArraySlice<Int64>, atLeast day: Int64) -> Int {
    var (low, high) = (days.startIndex, days.endIndex)
    while low < high {
      let mid = (low + high) / 2
      if days[mid] < day { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// log₁₀ *p* of `block`: each of its transfers' chance *Pₓᵣ* of landing
  /// in its band, but the least likely one's, each payer's *s* from
  /// ``FanOuts/handOns``.
  func log10Chance(of block: Block, habits memo: inout GatheringHubs.Habits) -> Double {
    let transfers = fanOuts.hubs.transfers
    let band = block.low...block.high
    let background = fanOuts.hubs.amounts.share(in: band)
    let buckets = block.transfers.map { transfers.bucket[$0] }
    let days = buckets.min()!...buckets.max()!
    // Each payer's chance per transfer of paying the band again.
    var payer: [Int32: Double] = [:]
    for x in [block.payers.0, block.payers.1] {
      let members = block.transfers.filter { transfers.source[$0] == x }
      let repeats = fanOuts.log10Repeats(
        members, band: band, background: background, of: transfers.outgoing.edges(of: x), on: days,
        shared: fanOuts.handOns.rate(leavingOut: x), habits: &memo
      ).log10
      payer[x] = pow(10, repeats / Double(max(members.count - 1, 1)))
    }
    var chances: [Double] = []
    for t in block.transfers {
      let r = transfers.target[t]
      let into = transfers.incoming.edges(of: r), run = transfers.incomingBucket[into.indices]
      let from = Self.first(in: run, atLeast: days.lowerBound), to = Self.first(in: run, atLeast: days.upperBound + 1)
      let receipts = fanIns.receiptsOfTheBand(into, outside: from..<to, band: band, countingAll: true, habits: &memo)
      let habit = AmountHabit.shrunk(receipts.inBand, of: receipts.all, towards: background)
      chances.append(max(payer[transfers.source[t]]!, habit))
    }
    return chances.sorted().dropFirst().reduce(0) { $0 + log10(max($1, .leastNormalMagnitude)) }
  }
}
