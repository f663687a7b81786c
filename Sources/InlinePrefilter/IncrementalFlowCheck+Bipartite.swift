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
  /// and *s* → *w* form a square with this one, and the stream counts how
  /// many squares a payment closes, *K̄* on average (``countSquares(source:target:time:)``;
  /// honest payments close few, 0.3 % to 0.5 % of them in AMLSim's and
  /// our own generator's backgrounds). For each other payer *s* of *v* in
  /// the band of this payment's sum (its top at most
  /// 1 + 2 · ``Thresholds/fanTolerance`` times its bottom), the *k* of
  /// the *c* receivers *w* that both *u* and *s* paid whose sums keep the
  /// band are tried. Their payments land in the band by chance with
  ///
  /// ```text
  /// p = C(c, k) · P(s → v) · Π_w P(u → w) · P(s → w)
  /// ```
  ///
  /// *s* meeting *u*'s sum at *v* is a fan-in's coincidence, max(*H*,
  /// *s*'s own chance) (``receiptChances(into:band:share:)``, the payee's
  /// habit and the stream's shared receipts); each payment on to a *w* is
  /// a fan-out's, its payer paying the band again
  /// (``repeatChance(of:to:band:share:began:)``, its habit, or the
  /// stream's rates for a payer without one), or *w*'s habit of receiving
  /// the band, whichever is likelier. The block of the least chance is
  /// held, its earlier payments revoked, when fewer than
  /// ``Thresholds/fanAlpha`` such coincidences are expected among the
  /// squares of the background's payments, *T* · *K̄* · *p*; the payment
  /// is kept as an anchor for what its receivers pass on
  /// (`IncrementalFlowCheck+Links.swift`).
  ///
  /// Honest money forms such blocks where people share prices or sums:
  /// customers of the same two shops (a shop is too busy to read, and its
  /// habit, *H*, and the background's share of a common price say so),
  /// parents paying their children one allowance (a sum they paid before
  /// the window: a habit, not read). In the stream's first month no one
  /// has a habit yet: a payer first seen less than
  /// ``Thresholds/fanWarmUpSeconds`` before the block is judged by the
  /// stream's rates, and squares are counted from then on. Known limits:
  /// payers without a habit to read are judged by the stream's rate of
  /// repeating a sum, so a block of two such among sum-keepers is left to
  /// the other checks; a family's first allowances in a stream where equal
  /// sums are rare are held; *K̄* counts the squares of schemes too, which
  /// only makes it stricter.
  ///
  /// - Complexity: O(*r*² · *k*) for the *r* ≤ ``Thresholds/fanMaxRead``
  ///   payments into *v*, out of *u* and out of each *s* read, at most
  ///   ``Thresholds/budget`` pairs compared, plus O(bins) per amount range
  ///   looked up; no memory but two counts.
  mutating func bipartite(
    source u: Int32, target v: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let start = time.saturatingSubtracting(relayWindow)
    // A sum paid before the window is a habit: its chance would say so,
    // and it is cheaper not to read the lists.
    guard a > 0, !habits.paid(u, near: a, before: start) else { return }
    let into = fanLists.live(into: v), out = payouts.live(into: u)
    guard into.count < thresholds.fanMaxRead, out.count < thresholds.fanMaxRead else { return }
    let widest = fanBandRatio
    func fits(_ micros: Int64) -> Bool {
      micros > 0 && Double(micros) * widest >= Double(a) && Double(micros) <= Double(a) * widest
    }
    // u's other receivers of a sum in reach.
    var receivers: [(account: Int32, index: Int)] = []
    for i in out.indices where out[i].time >= start && out[i].source != v && fits(out[i].micros) {
      receivers.append((out[i].source, i))
    }
    guard !receivers.isEmpty else { return }
    let reached = payees(of: u, besides: v, from: start)
    var best: (block: Block, log10p: Double)?
    var budget = thresholds.budget
    for i in into.indices where into[i].time >= start && budget > 0 {
      let s = into[i].source
      guard s != u, fits(into[i].micros), !habits.paid(s, near: into[i].micros, before: start) else { continue }
      let sOut = payouts.live(into: s)
      guard sOut.count < thresholds.fanMaxRead else { continue }
      var block = Block(payer: s, receipt: i, low: min(a, into[i].micros), high: max(a, into[i].micros))
      for j in sOut.indices where sOut[j].time >= start && sOut[j].source != v && fits(sOut[j].micros) {
        let w = sOut[j].source
        guard !block.receivers.contains(where: { $0.account == w }) else { continue }
        for r in receivers where r.account == w {
          budget -= 1
          let low = min(block.low, out[r.index].micros, sOut[j].micros)
          let high = max(block.high, out[r.index].micros, sOut[j].micros)
          guard Double(high) <= Double(low) * widest else { continue }
          block.receivers.append((w, r.index, j))
          (block.low, block.high) = (low, high)
          break
        }
      }
      guard !block.receivers.isEmpty else { continue }
      let began = block.receivers.reduce(min(time, into[i].time)) {
        min($0, out[$1.fromPayer].time, sOut[$1.fromOther].time)
      }
      block.began = began
      var unlimited = Int.max
      let common = sharedPayees(of: s, among: reached, besides: v, from: start, budget: &unlimited)
      let log10p =
        Self.log10Binomial(common, block.receivers.count) + log10Chance(of: block, from: u, to: v)
      if best.map({ log10p < $0.log10p }) ?? true { best = (block, log10p) }
    }
    guard let (block, log10p) = best else { return }
    let squareRate = (Double(squares) + 1) / (Double(squarePayments) + 1)
    let log10E = log10(Double(max(background.total, 1))) + log10(squareRate) + log10p
    guard log10E <= log10(thresholds.fanAlpha) else { return }

    let s = block.payer
    let days = String(format: "%.1f", Double(time - block.began) / 86_400)
    let reason =
      "bipartite: \(names[u]) and \(names[s]) both paid \(names[v]) and \(Self.list(block.receivers.map(\.account), names)) \(Self.format(block.low))–\(Self.format(block.high)) within \(days) days, a sum neither paid before (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' payments)"
    outcome.holdReasons.append(reason)
    // Their keys first: revoking edits the lists read.
    let sOut = payouts.live(into: s)
    var earlier = [(into[block.receipt].seq, s, v)]
    for r in block.receivers {
      earlier.append((out[r.fromPayer].seq, u, r.account))
      earlier.append((sOut[r.fromOther].seq, s, r.account))
    }
    for (seq, payer, payee) in earlier { revokeSeq(seq, from: payer, to: payee, reason: reason, outcome: &outcome) }
    let median = (block.low + block.high) / 2
    let spread = Double(block.high - median) / Double(max(median, 1))
    keepAnchor(from: u, to: v, payments: 1, micros: median, spread: spread, time: time)
  }

  /// Counts, for *K̄* of a bipartite block, the squares a payment from
  /// `u` to `v` at `time` closes: the distinct pairs of another payer *s*
  /// of `v` and another payee *w* of `u` that *s* paid too, all within the
  /// relay window, whatever their sums (`v`, `u` and each *s* read only
  /// when their lists are, at most ``Thresholds/budget`` payments of the
  /// *s* read), from a fan warm-up after the stream's first payment on.
  /// Returns them.
  @discardableResult
  mutating func countSquares(source u: Int32, target v: Int32, time: Int64) -> Int {
    guard time.saturatingSubtracting(firstPayment) >= fanWarmUp else { return 0 }
    squarePayments += 1
    let into = fanLists.live(into: v)
    let start = time.saturatingSubtracting(relayWindow)
    guard !into.isEmpty, into.count < thresholds.fanMaxRead else { return 0 }
    let reached = payees(of: u, besides: v, from: start)
    guard !reached.isEmpty else { return 0 }
    var (closed, budget) = (0, thresholds.budget)
    for i in into.indices where into[i].time >= start && into[i].source != u && budget > 0 {
      let s = into[i].source
      // Each payer once.
      guard !into[into.startIndex..<i].contains(where: { $0.source == s && $0.time >= start }) else { continue }
      closed += sharedPayees(of: s, among: reached, besides: v, from: start, budget: &budget)
    }
    squares += closed
    return closed
  }

  /// The distinct payees but `v` that `u` paid from `start` on, none when
  /// its payouts are too many to read.
  func payees(of u: Int32, besides v: Int32, from start: Int64) -> [Int32] {
    let out = payouts.live(into: u)
    guard out.count < thresholds.fanMaxRead else { return [] }
    var reached: [Int32] = []
    for p in out where p.time >= start && p.source != v && !reached.contains(p.source) { reached.append(p.source) }
    return reached
  }

  /// The distinct payees among `reached` (but `v`) that `s` paid from
  /// `start` on, none when its payouts are too many to read, each payout
  /// read taken from `budget`.
  func sharedPayees(of s: Int32, among reached: [Int32], besides v: Int32, from start: Int64, budget: inout Int) -> Int
  {
    let sOut = payouts.live(into: s)
    guard sOut.count < thresholds.fanMaxRead else { return 0 }
    var count = 0
    for j in sOut.indices where sOut[j].time >= start && sOut[j].source != v {
      budget -= 1
      let w = sOut[j].source
      guard reached.contains(w), !sOut[sOut.startIndex..<j].contains(where: { $0.source == w && $0.time >= start })
      else { continue }
      count += 1
    }
    return count
  }

  /// A bipartite block tried at a payment *u* → *v*: the other payer *s*
  /// of *v*, the receivers *w* both paid, and the band of their sums.
  struct Block {
    /// *s*.
    var payer: Int32
    /// *s*'s payment into *v*: its index in *v*'s fan list.
    var receipt: Int
    /// The band's bottom and top.
    var low: Int64, high: Int64
    /// Each *w*, with *u*'s payment to it and *s*'s: indices into their payouts.
    var receivers: [(account: Int32, fromPayer: Int, fromOther: Int)] = []
    /// The time of the block's first payment.
    var began: Int64 = .max
  }

  /// log₁₀ of the chance that `block`'s payments but *u*'s to *v* (`from`
  /// `u` `to` `v`, the one decided) land in its band, given who paid whom:
  /// see ``bipartite(source:target:micros:time:names:into:)``.
  func log10Chance(of block: Block, from u: Int32, to v: Int32) -> Double {
    let band = block.low...block.high
    let receipt = fanLists.live(into: v)[block.receipt]
    let out = payouts.live(into: u), sOut = payouts.live(into: block.payer)
    // The background's share, not counting the block's own earlier
    // payments (those the withheld amounts count are counted already).
    var own = receipt.counted ? 0 : 1
    for r in block.receivers { own += (out[r.fromPayer].counted ? 0 : 1) + (sOut[r.fromOther].counted ? 0 : 1) }
    let q = share(of: band, excluding: own)
    let (floor, habit) = receiptChances(into: v, band: band, share: q)
    let joined = habits.share(
      of: block.payer, to: v, from: band.lowerBound, to: band.upperBound, background: floor,
      passedOn: receipt.micros, since: block.began)
    var log10p = log10(max(habit, joined, .leastNormalMagnitude))
    for r in block.receivers {
      let received = receiptChances(into: r.account, band: band, share: q).habit
      for payer in [u, block.payer] {
        let again = repeatChance(of: payer, to: r.account, band: band, share: q, began: block.began)
        log10p += log10(max(again, received, .leastNormalMagnitude))
      }
    }
    return log10p
  }
}
