import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Holds a payment *u* → *v* that completes a bipartite block: another
  /// payer *s* paid *v* too, and *u* and *s* both paid one or more other
  /// accounts *w*, all these payments near-equal sums within
  /// ``Thresholds/relayWindowSeconds`` (14 days), sums neither payer paid
  /// before. The unit of AMLSim's bipartite and stack typologies: a layer
  /// of accounts each paying every account of the next one sum, whatever
  /// money comes out of the layer below (so no relay need match, and a
  /// layer of two is too small for a fan).
  ///
  /// Who paid whom is taken as given: the payments *u* → *w*, *s* → *v*
  /// and *s* → *w* form a square with this one. The stream counts, per
  /// payment, the blocks of *k* receivers it closes whatever their sums,
  /// Σₛ C(*cₛ*, *k*) for the *cₛ* receivers both *u* and each other payer
  /// *s* of *v* paid (``squares(closedBy:_:at:)``), *K̄ₖ* on average over
  /// the stream, add-one smoothed (honest payments close few squares: 0.3 %
  /// to 0.5 % of them close one in AMLSim's and our own generator's
  /// backgrounds). For each other payer *s* of *v* in the band of this
  /// payment's sum (its top at most 1 + 2 · ``Thresholds/fanTolerance``
  /// times its bottom), the receivers *w* that both *u* and *s* paid whose
  /// sums keep the band are tried, *k* of them, at most
  /// ``maxBlockReceivers``. Their payments land in the band by chance with
  ///
  /// ```text
  /// p = P(s → v) · Π_w P(u → w) · P(s → w)
  /// ```
  ///
  /// *s* meeting *u*'s sum at *v* is a fan-in's coincidence, max(*H*,
  /// *s*'s own chance) (``receiptChances(into:band:share:)``, the stream's
  /// shared receipts, and the payee's habit, here with its receipts kept
  /// in the window before the block from others than *u* and *s*: a small
  /// shop's price); each payment on to a *w* is
  /// a fan-out's, its payer paying the band again
  /// (``repeatChance(of:to:band:share:began:)``, its habit, or the
  /// stream's rates for a payer without one), or *w*'s habit of receiving
  /// the band, whichever is likelier. The block of the least chance is
  /// held, its earlier payments revoked, when fewer than
  /// ``Thresholds/fanAlpha`` such coincidences are expected among the
  /// blocks of the background's payments, *T* · *K̄ₖ* · *p*; the payment
  /// is kept as an anchor for what its receivers pass on
  /// (`IncrementalFlowCheck+Links.swift`).
  ///
  /// Honest money forms such blocks where people share prices or sums:
  /// customers of the same two shops (a shop is too busy to read, and its
  /// habit, *H*, and the background's share of a common price say so),
  /// parents paying their children one allowance (a sum they paid before
  /// the window: a habit, not read). As for fans, no block is held live
  /// until the stream has watched ``Thresholds/fanWarmUpSeconds`` before
  /// its first payment (until then habits are unknown, not absent);
  /// squares are counted from the stream's start. Payers without a habit
  /// to read are judged live by the stream's rate of repeating a sum;
  /// where their habits, once shown, could make the block unlikely enough
  /// (in the stream's first month, every block that could be), it waits
  /// for them (``deferBlock(_:seq:from:to:micros:time:names:)``,
  /// ``judgeDeferredBlocks(at:into:)``). Known limits: a family's first
  /// allowances in a stream where equal sums are rare are held; *K̄* counts
  /// the squares of schemes too, which only makes it stricter.
  ///
  /// - Complexity: O(*b* · *r*) for the *b* ≤ ``Thresholds/budget``
  ///   payments out of the payers of *v* read and the *r* ≤
  ///   ``Thresholds/fanMaxRead`` payees of *u*, plus O(*r*²) for the
  ///   payers of *v*, and per payer judged O(*r* · *k*) and O(bins) per
  ///   amount range looked up; no memory but the counts of squares and,
  ///   for a block that waits, its payments (``DeferredBlocks``).
  mutating func bipartite(
    seq: Int, source u: Int32, target v: Int32, micros a: Int64, time: Int64, payersRead: Int, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let start = time.saturatingSubtracting(relayWindow)
    // A sum paid before the window is a habit: its chance would say so,
    // and it is cheaper not to read the lists.
    guard a > 0, !habits.paid(u, near: a, before: start) else { return }
    let into = fanLists.live(into: v), out = payouts.live(into: u)
    let widest = fanBandRatio
    func fits(_ micros: Int64) -> Bool {
      micros > 0 && Double(micros) * widest >= Double(a) && Double(micros) <= Double(a) * widest
    }
    // u's other receivers of a sum in reach.
    let receivers = out.filter { $0.time >= start && $0.source != v && fits($0.micros) }
    guard !receivers.isEmpty else { return }
    var best: (block: Block, log10E: Double)?
    var waits: (block: Block, log10E: Double)?
    var judged: [Int32] = []
    let alpha = log10(thresholds.fanAlpha)
    // The payers the squares were counted for, each once, at its first sum in reach.
    for i in into.indices.prefix(payersRead) where into[i].time >= start && into[i].source != u {
      let s = into[i].source
      guard !judged.contains(s), fits(into[i].micros), !habits.paid(s, near: into[i].micros, before: start)
      else { continue }
      judged.append(s)
      let sOut = payouts.live(into: s)
      guard sOut.count < thresholds.fanMaxRead else { continue }
      var block = Block(payer: s, receipt: into[i], low: min(a, into[i].micros), high: max(a, into[i].micros))
      for p in sOut where block.receivers.count < Self.maxBlockReceivers {
        guard p.time >= start, p.source != v, fits(p.micros),
          !block.receivers.contains(where: { $0.account == p.source }),
          let paid = receivers.first(where: { $0.source == p.source })
        else { continue }
        let low = min(block.low, paid.micros, p.micros), high = max(block.high, paid.micros, p.micros)
        guard Double(high) <= Double(low) * widest else { continue }
        block.receivers.append((p.source, paid, p))
        (block.low, block.high) = (low, high)
      }
      guard !block.receivers.isEmpty else { continue }
      block.began = block.receivers.reduce(min(time, into[i].time)) { min($0, $1.fromPayer.time, $1.fromOther.time) }
      // Expected among the background's blocks of as many receivers.
      let k = block.receivers.count
      let log10N = log10(Double(max(background.total, 1))) + log10(expectedBlocks(of: k))
      // In the stream's first month no habit is known yet: the block can only wait.
      let log10E =
        block.began.saturatingSubtracting(firstPayment) >= fanWarmUp
        ? log10N + log10Chance(bipartite: block, from: u, to: v) : .infinity
      if log10E < .infinity, best.map({ log10E < $0.log10E }) ?? true { best = (block, log10E) }
      // A block of a payer whose habit is unknown yet may wait for it
      // when, its payers at their least likely, it would be held.
      guard log10E > alpha, !readsHabit(of: u, before: block.began) || !readsHabit(of: s, before: block.began)
      else { continue }
      let least = log10N + log10Chance(bipartite: block, from: u, to: v, payersAtLeast: true)
      if least <= alpha, waits.map({ least < $0.log10E }) ?? true { waits = (block, least) }
    }
    guard let (block, log10E) = best, log10E <= alpha else {
      if let (block, _) = waits { deferBlock(block, seq: seq, from: u, to: v, micros: a, time: time, names: names) }
      return
    }

    let s = block.payer
    let days = String(format: "%.1f", Double(time - block.began) / 86_400)
    let reason =
      "bipartite: \(names[u]) and \(names[s]) both paid \(names[v]) and \(Self.list(block.receivers.map(\.account), names)) \(Self.format(block.low))–\(Self.format(block.high)) within \(days) days, a sum neither paid before (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' payments)"
    outcome.holdReasons.append(reason)
    revokeSeq(block.receipt.seq, from: s, to: v, reason: reason, outcome: &outcome)
    for r in block.receivers {
      revokeSeq(r.fromPayer.seq, from: u, to: r.account, reason: reason, outcome: &outcome)
      revokeSeq(r.fromOther.seq, from: s, to: r.account, reason: reason, outcome: &outcome)
    }
    let middle = (block.low + block.high) / 2
    let spread = Double(block.high - middle) / Double(max(middle, 1))
    keepAnchor(from: u, to: v, payments: 1, micros: middle, spread: spread, time: time)
  }

  /// The blocks of 1 … ``maxBlockReceivers`` receivers a payment closes,
  /// one lane per number of receivers *k*: a fixed size, no allocation.
  /// Its width is ``maxBlockReceivers``, which the checkpoint's
  /// ``squareCounts`` follow: a wider block means a wider vector type.
  typealias BlockCounts = SIMD4<Int>

  /// The most receivers *w* a bipartite block is judged with, and the
  /// widest blocks the stream counts (``squareCounts``): a wider one is
  /// judged by its first four, eight payments on top of the square's first.
  static let maxBlockReceivers = BlockCounts.scalarCount

  /// A bipartite block tried at a payment *u* → *v*: the other payer *s*
  /// of *v*, the receivers *w* both paid, and the band of their sums.
  struct Block {
    /// *s*.
    var payer: Int32
    /// *s*'s payment into *v*.
    var receipt: RecentPayments.Payment
    /// The band's bottom and top.
    var low: Int64, high: Int64
    /// Each *w*, with *u*'s payment to it and *s*'s.
    var receivers: [(account: Int32, fromPayer: RecentPayments.Payment, fromOther: RecentPayments.Payment)] = []
    /// The time of the block's first payment.
    var began: Int64 = .max
  }

  /// The blocks a payment closes, whatever their sums
  /// (``squares(closedBy:_:at:)``).
  struct Squares {
    /// Σₛ C(*cₛ*, *k*) in lane *k* − 1, for *k* = 1 … ``maxBlockReceivers``.
    var blocks = BlockCounts.zero
    /// How many of the payee's fan list, from its start, were read for
    /// them: the payers ``bipartite(seq:source:target:micros:time:payersRead:names:into:)`` may judge.
    var payersRead = 0
  }

  /// The lists ``squares(closedBy:_:at:)`` fills, kept between payments so
  /// that counting allocates nothing once they have grown.
  struct SquareRoom {
    /// The payer's payees in the window, ascending.
    var reached: [Int32] = []
    /// The payee's other payers counted.
    var payers: [Int32] = []
    /// One payer's payees among `reached`.
    var shared: [Int32] = []
  }

  /// The blocks a payment from `u` to `v` at `time` closes, whatever their
  /// sums: for each other payer *s* of `v` within the relay window, each
  /// once, the *cₛ* distinct payees but `v` that both *s* and `u` paid
  /// there, summed as C(*cₛ*, *k*) per number of receivers *k* (`v`, `u`
  /// and each *s* read only when their lists are, at most
  /// ``Thresholds/budget`` payments of the *s* read).
  mutating func squares(closedBy u: Int32, _ v: Int32, at time: Int64) -> Squares {
    var squares = Squares()
    let into = fanLists.live(into: v), out = payouts.live(into: u)
    guard !into.isEmpty, into.count < thresholds.fanMaxRead, out.count < thresholds.fanMaxRead else { return squares }
    var room = SquareRoom()
    swap(&room, &squareRoom)
    defer { swap(&room, &squareRoom) }
    room.reached.removeAll(keepingCapacity: true)
    room.payers.removeAll(keepingCapacity: true)
    let start = time.saturatingSubtracting(relayWindow)
    for p in out where p.time >= start && p.source != v && !room.reached.contains(p.source) {
      room.reached.append(p.source)
    }
    guard !room.reached.isEmpty else { return squares }
    room.reached.sort()
    var budget = thresholds.budget
    for i in into.indices where budget > 0 {
      squares.payersRead = i - into.startIndex + 1
      let s = into[i].source
      guard into[i].time >= start, s != u, !room.payers.contains(s) else { continue }
      room.payers.append(s)
      let c = sharedPayees(of: s, besides: v, from: start, budget: &budget, in: &room)
      for k in 1...Self.maxBlockReceivers { squares.blocks[k - 1] += Self.choose(c, k) }
    }
    return squares
  }

  /// The distinct payees among `room.reached` (ascending) but `v` that `s`
  /// paid from `start` on, none when its payouts are too many to read, each
  /// payout read taken from `budget` (none once it is spent).
  func sharedPayees(of s: Int32, besides v: Int32, from start: Int64, budget: inout Int, in room: inout SquareRoom)
    -> Int
  {
    let sOut = payouts.live(into: s)
    guard sOut.count < thresholds.fanMaxRead else { return 0 }
    room.shared.removeAll(keepingCapacity: true)
    for p in sOut where budget > 0 {
      budget -= 1
      guard p.time >= start, p.source != v, !room.shared.contains(p.source) else { continue }
      // Binary search: `reached` is sorted.
      var (low, high) = (0, room.reached.count)
      while low < high {
        let middle = (low + high) / 2
        if room.reached[middle] < p.source { low = middle + 1 } else { high = middle }
      }
      if low < room.reached.count, room.reached[low] == p.source { room.shared.append(p.source) }
    }
    return room.shared.count
  }

  /// C(`n`, `k`) for small `k`, exactly (0 when `k` > `n`).
  static func choose(_ n: Int, _ k: Int) -> Int {
    guard k >= 0, k <= n else { return 0 }
    var result = 1
    for i in 0..<k { result = result * (n - i) / (i + 1) }
    return result
  }

  /// The stream's bipartite blocks of `k` receivers per payment, *K̄ₖ*,
  /// add-one smoothed.
  func expectedBlocks(of k: Int) -> Double {
    (Double(squareCounts[k - 1]) + 1) / (Double(squarePayments) + 1)
  }

  /// What a bipartite block's chance reads of its payees and the
  /// background, whoever its payers: see
  /// ``bipartite(seq:source:target:micros:time:payersRead:names:into:)``.
  struct BlockPayees {
    /// The background's share of the band, *q*, the block's own earlier payments left out.
    var share: Double
    /// The least chance that the other payer *s* met the sum at *v*: the stream's of shared receipts.
    var receiptFloor: Double
    /// *v*'s habit of receiving the band, *H*.
    var habit: Double
    /// Each receiver *w*'s habit of receiving it.
    var receivers: [Double]
  }

  /// The chances of `block`'s payees, its payers *u* (`from`) and *s* aside.
  func payees(of block: Block, from u: Int32, to v: Int32) -> BlockPayees {
    let band = block.low...block.high
    // The background's share, not counting the block's own earlier
    // payments (those the withheld amounts count are counted already).
    var own = block.receipt.counted ? 0 : 1
    for r in block.receivers { own += (r.fromPayer.counted ? 0 : 1) + (r.fromOther.counted ? 0 : 1) }
    let q = share(of: band, excluding: own)
    let pair = (u, block.payer)
    let floor = receiptChances(into: v, band: band, share: q).floor
    return BlockPayees(
      share: q, receiptFloor: floor,
      habit: receiptHabit(into: v, band: band, floor: floor, before: block.began, besides: pair),
      receivers: block.receivers.map {
        let floor = receiptChances(into: $0.account, band: band, share: q).floor
        return receiptHabit(into: $0.account, band: band, floor: floor, before: block.began, besides: pair)
      })
  }

  /// log₁₀ of the chance that `block`'s payments but *u*'s to *v* (`from`
  /// `u` `to` `v`, the one decided) land in its band, given who paid whom:
  /// see ``bipartite(seq:source:target:micros:time:payersRead:names:into:)``;
  /// with `payersAtLeast`, each payer's chance of paying the band again at
  /// its least, the stream's of handing a sum on (what a habit read later
  /// could make it).
  func log10Chance(bipartite block: Block, from u: Int32, to v: Int32, payersAtLeast: Bool = false) -> Double {
    let band = block.low...block.high
    let payees = payees(of: block, from: u, to: v)
    let q = payees.share
    let s = block.payer
    func least(_ payer: Int32) -> Double {
      max(q, AmountHabit.widened(handOnRate(leavingOut: payer), toSpread: AmountHabit.spread(of: band)))
    }
    let joined =
      payersAtLeast
      ? max(payees.receiptFloor, least(s))
      : habits.share(
        of: s, to: v, from: band.lowerBound, to: band.upperBound, background: payees.receiptFloor,
        passedOn: block.receipt.micros, since: block.began)
    var log10p = log10(max(payees.habit, joined, .leastNormalMagnitude))
    for (r, received) in zip(block.receivers, payees.receivers) {
      for payer in [u, s] {
        let again =
          payersAtLeast
          ? least(payer) : repeatChance(of: payer, to: r.account, band: band, share: q, began: block.began)
        log10p += log10(max(again, received, .leastNormalMagnitude))
      }
    }
    return log10p
  }

  /// *H* of a bipartite block's payee: its habit of receiving `band`
  /// before its fan list (``receipts``) and, in the list, before the block
  /// `before` from others than the block's two payers (`besides`), none
  /// withheld, shrunk towards `floor` (``AmountHabit/shrunk(_:of:towards:)``):
  /// a club's fee or a small shop's price, seen days before.
  func receiptHabit(
    into payee: Int32, band: ClosedRange<Int64>, floor: Double, before: Int64, besides payers: (Int32, Int32)
  ) -> Double {
    let habit = receipts.count(of: payee, from: band.lowerBound, to: band.upperBound)
    var (inBand, all) = (habit.inRange, habit.all)
    for p in fanLists.live(into: payee) where p.time < before && p.source != payers.0 && p.source != payers.1 {
      guard !p.withheld else { continue }
      all += 1
      if band.contains(p.micros) { inBand += 1 }
    }
    return AmountHabit.shrunk(inBand, of: all, towards: floor)
  }
}
