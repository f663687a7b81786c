import Foundation
import SignalGraph

/// The test every bought-engagement detector applies to a candidate block of
/// endorsers × endorsed accounts before reporting it, and the evidence it
/// writes. Sharing one test makes the three detectors' scores comparable.
///
/// **Mutual ties.** An endorsement *i* → *j* that *j* returns (*j* also
/// endorses *i*, at any time) is a mutual tie — friends, club members,
/// trading partners rating each other — and never counts as one of the
/// block's endorsements: a bought endorsement is one-way (a customer does not
/// follow the fakes back). A club whose members all follow each other is
/// thus no block at all, however tight and however fast it formed; a farm
/// loses nothing. (FRAUDAR's peeling in ``DenseBlockDetector`` searches the
/// same one-way graph.)
///
/// **Trimming.** A candidate (rows *A*, columns *B*) is first trimmed to the
/// accounts it implicates:
/// - a column *j* stays a *customer* only if at least two block endorsers
///   endorse it and they give it at least ``minimumShare`` (half) of its
///   distinct endorsers *d*ⱼ: the block explains most of its standing, so it
///   is the block's beneficiary. A celebrity that a farm follows as
///   camouflage, or that hijacked honest accounts follow as everyone does,
///   gets a small share of its followers from the block however many of the
///   block follow it (on the synthetic sets at most a quarter; bought
///   customers get three quarters or more), and is dropped. A share, unlike
///   a lift over the set-wide rate, means the same in a set of 30 accounts
///   and of 10 million. A column with a smaller share is a customer still
///   when the block is its *burst*: at least half of those who endorsed it
///   within the span of the block's endorsements of it, and more than its
///   own rate explains (Poisson tail ≤ ``Thresholds/customerBurstAlpha``,
///   10⁻⁴), within the block's window — a small farm serving ordinary
///   accounts that have honest followers of their own. A celebrity's
///   followers arrive all the time, an account gone viral gets thousands in
///   its burst, and fakes following a popular account the day they are made
///   do so outside the window their customers set (the window is taken from
///   the customers by share when there are enough of them);
/// - a row stays an *endorser* if at least one, and at least half, of its
///   endorsements of customers fall within the block's synchrony window
///   (widened by its own width on each side): an honest fan of one or two
///   customers, following them months away from the farm's run, is not part
///   of the farm. An *established* account (created more than
///   ``Thresholds/newAccountSeconds``, 30 days, before that window) must
///   have at least two of its endorsements of customers within it: an
///   account made for the job has no other life, while an established
///   account endorsing one customer during the run is what every honest
///   follower does now and then (a farm moves together on several
///   customers). Where the set gives no creation time, one suffices. An
///   established account's *h* endorsements of the customers must also be
///   more than its own volume explains: P(Poisson(*d*ᵢ Σ *d*ⱼ / *m*) ≥ *h*) ≤ 20 %
///   (``log10VolumeAlpha``), *d*ᵢ its one-way out-degree (the endorsements
///   nobody returns: its friends' follow-backs are no volume), Σ *d*ⱼ the
///   customers' in-degrees and *m* the set's distinct pairs: a busy rater who
///   endorses hundreds of accounts hits a farm's customers by chance.
/// Columns are then re-checked once against the trimmed rows, and must also
/// have at least two block endorsements, and at least half of them, within
/// that widened window: a farm that likes random low-degree accounts as
/// camouflage, at random times, does not make them customers.
///
/// **Acceptance.** The block (*a* endorsers, *b* customers, *e* distinct
/// endorsing pairs) is reported only when all of these hold:
/// 1. shape: *a* ≥ 3, *e* / (*ab*) ≥ 0.5 — a block, not a star — and at
///    least two *independent* targets among the *b* customers: customers
///    tied to each other outside the block (one endorses the other, or they
///    share improbably many endorsers outside it; see
///    ``independentTargets(customers:endorsers:before:log10Alpha:pairs:scratch:)``)
///    count as one. A farm moves together on several customers; a viral burst
///    toward one singer that spills over to her band is a burst toward one
///    target, however many accounts join it;
/// 2. density: *e* is improbably above the Chung–Lu expectation
///    λ = (Σ out-degrees of *A*)(Σ in-degrees of *B*) / *m* of a random graph
///    with the set's degrees: the Poisson tail P(X ≥ *e*; λ) ≤ α;
/// 3. synchrony: the shortest window *w* holding 80 % of the block's first
///    endorsements is improbably short: (*T*/*w*) · P(Binomial(*e*, *q*) ≥
///    ⌈0.8 *e*⌉) ≤ α (a scan statistic with a Bonferroni factor for the
///    window's position, *T* the set's span), where *q* is the larger of
///    *w*/*T* and the share of the set's other endorsements (the block's own
///    left out) that fall in the window. The second term measures the window against the set's own
///    activity profile, so that a block of thousands of honest fans, whose
///    endorsements grow with the platform rather than arrive uniformly, is
///    not mistaken for a synchronised one.
///
/// **Scale.** α = ``familyAlpha`` / *n* for *n* accounts: a search tests at
/// most about one candidate per account, so this Bonferroni bound keeps the
/// chance of reporting any chance block below 1 % at every size (10⁻⁶ at
/// 10 000 accounts, 3·10⁻⁴ at 33). Both tails are exact statements about
/// the block whatever the set's size; no absolute multiplier (a lift, "10×
/// the expected edges") is used, as those mean different things in a set of
/// 33 accounts and of 10 million.
///
/// Honest communities pass (1) and (2) easily at small sizes — friends do
/// follow the same friends — so (3) is what keeps them out; honest stars
/// fail (1). The *score* is the weaker of the two surprises,
/// min(−log₁₀ p_density, −log₁₀ p_synchrony): the evidence that both hold.
///
/// - Complexity: O(Σ in-degree of the candidate columns · log *d* + *e* log *e*),
///   *d* the largest out-degree (one binary search per endorsement for the
///   mutual-tie check), plus O(*b*² *d*) for the targets of a block of at most
///   16 customers.
public struct EngagementBlockTest: Sendable {
  /// The settings of the test, documented in ``Thresholds``.
  var thresholds = Thresholds()

  /// Everything measured about one candidate.
  struct Outcome {
    var endorsers: [Int32] = []
    var customers: [Int32] = []
    var edges = 0
    var fill = 0.0
    var expectedEdges = 0.0
    var backgroundDensity = 0.0
    var log10PDensity = 0.0
    var log10PSynchrony = 0.0
    var log10Alpha = 0.0
    var windowStart: Int64 = 0, windowEnd: Int64 = 0
    var camouflageFraction = 0.0
    var newEndorsers = 0
    /// Customers once those tied to each other outside the block count as one.
    var targets = 0
    /// Block endorsements their customer returns (counted only in the ring reading).
    var returned = 0
    var passed = false
    var score: Double { min(-log10PDensity, -log10PSynchrony) }
  }

  /// log₁₀ of the chance below which an established endorser's hits on a
  /// block's customers are more than its own volume explains (20 %: a trimming
  /// rule, not a discovery; it only has to drop the hits that are plainly expected).
  static let log10VolumeAlpha = -0.7

  /// Scratch space reused between candidates, one slot per account.
  struct Scratch {
    var mark: [Int32]
    var hits: [Int32]
    var synced: [Int32]
    var stamp: Int32 = 0
    var times: [Int64] = []
    var sources: [Int32] = []
    /// Whether each gathered endorsement's customer is one by share
    /// (``explainsStanding(of:inBlock:pairs:)``) rather than by burst.
    var byShare: [Bool] = []
    /// How many gathered customers are customers by share.
    var shareCustomers = 0
    /// How many of the gathered endorsements their customer returns.
    var returned = 0
    init(accounts: Int) {
      mark = [Int32](repeating: 0, count: accounts)
      hits = [Int32](repeating: 0, count: accounts)
      synced = [Int32](repeating: 0, count: accounts)
    }
  }

  /// Whether account `j`, with `inBlock` of its distinct endorsers in the
  /// block, `timed` of whose endorsements of it span `first` to `last`, is
  /// one of the block's customers: at least two, and either at least
  /// ``minimumShare`` of all its *d*ⱼ distinct endorsers (the block explains
  /// most of its standing), or at least that share of those who endorsed it
  /// within the span, in a burst for its own rate: P(Poisson(*d*ⱼ · span /
  /// *T*) ≥ `timed`) ≤ ``Thresholds/customerBurstAlpha`` (span at least an
  /// hour, *T* the set's span). An ordinary account with a few dozen honest
  /// followers that a small farm hits within a day is a customer (the farm
  /// is its burst); a celebrity, whose followers arrive every hour, is not,
  /// and neither is an account gone viral, whose burst the block is a sliver of.
  @inline(__always) func isCustomer(
    _ j: Int32, inBlock: Int, timed: Int, first: Int64, last: Int64, pairs: EndorsementGraph
  ) -> Bool {
    if explainsStanding(of: j, inBlock: inBlock, pairs: pairs) { return true }
    guard inBlock >= 2, timed >= 2,
      Double(timed) >= minimumShare * Double(pairs.inCount(of: j, from: first, through: last))
    else { return false }
    let span = Double(max(last.saturatingSubtracting(first), 3_600))
    let mean = Double(pairs.inDegree(of: j)) * span / pairs.span
    return Self.log10PoissonTail(timed, mean: mean) <= log10(customerBurstAlpha)
  }

  /// Whether the block gives account `j` at least ``minimumShare`` of its
  /// distinct endorsers: the first way to be a customer.
  @inline(__always) func explainsStanding(of j: Int32, inBlock: Int, pairs: EndorsementGraph) -> Bool {
    inBlock >= 2 && Double(inBlock) >= minimumShare * Double(pairs.inDegree(of: j))
  }

  /// The customers among `columns` for the rows marked with `stamp`, and
  /// the block's edges (source, first time) into them, in `scratch`; an
  /// endorsement the customer returns is a mutual tie and is not counted
  /// unless `countMutual` (the ring reading of ``evaluate(rows:columns:pairs:set:scratch:)``).
  /// With a `window`, a customer must also have at least two block
  /// endorsements, and at least half of them, within it, and a burst
  /// customer (``isCustomer(_:inBlock:timed:first:last:pairs:)``) its burst
  /// within the block's `core` window: a farm's fakes that all follow a
  /// popular account on the day they are made, days before they serve
  /// their customers, do not make it a customer.
  private func gather(
    columns: [Int32], stamp: Int32, window: ClosedRange<Int64>? = nil, core: ClosedRange<Int64>? = nil,
    pairs: EndorsementGraph, countMutual: Bool, scratch: inout Scratch
  ) -> [Int32] {
    scratch.times.removeAll(keepingCapacity: true)
    scratch.sources.removeAll(keepingCapacity: true)
    scratch.byShare.removeAll(keepingCapacity: true)
    scratch.returned = 0
    scratch.shareCustomers = 0
    var customers: [Int32] = []
    for j in columns {
      let lo = pairs.inOffsets[Int(j)], hi = pairs.inOffsets[Int(j) + 1]
      var inBlock = 0, synchronous = 0, timed = 0
      var first = Int64.max, last = Int64.min
      for k in lo..<hi where scratch.mark[Int(pairs.inSources[k])] == stamp {
        if !countMutual && pairs.endorses(j, pairs.inSources[k]) { continue }
        inBlock += 1
        if window?.contains(pairs.inTime[k]) ?? true { synchronous += 1 }
        if core?.contains(pairs.inTime[k]) ?? true {
          timed += 1
          first = min(first, pairs.inTime[k])
          last = max(last, pairs.inTime[k])
        }
      }
      guard synchronous >= 2, 2 * synchronous >= inBlock,
        isCustomer(j, inBlock: inBlock, timed: timed, first: first, last: last, pairs: pairs)
      else {
        continue
      }
      customers.append(j)
      let byShare = explainsStanding(of: j, inBlock: inBlock, pairs: pairs)
      if byShare { scratch.shareCustomers += 1 }
      for k in lo..<hi where scratch.mark[Int(pairs.inSources[k])] == stamp {
        let mutual = pairs.endorses(j, pairs.inSources[k])
        if mutual && !countMutual { continue }
        if mutual { scratch.returned += 1 }
        scratch.sources.append(pairs.inSources[k])
        scratch.times.append(pairs.inTime[k])
        scratch.byShare.append(byShare)
      }
    }
    return customers
  }

  /// The shortest window holding ⌈`windowShare` · count⌉ of the sorted `times`.
  private func window(_ t: [Int64]) -> (start: Int, width: Int64, k: Int) {
    let e = t.count
    let k = max(1, Int((windowShare * Double(e)).rounded(.up)))
    var bestStart = 0
    var bestWidth = Int64.max
    for s in 0...(e - k) where t[s + k - 1].saturatingSubtracting(t[s]) < bestWidth {
      bestWidth = t[s + k - 1].saturatingSubtracting(t[s])
      bestStart = s
    }
    return (bestStart, bestWidth, k)
  }

  /// Trims and tests the candidate `rows` × `columns`: on its one-way
  /// endorsements, and, when that fails, as a ring (returned endorsements
  /// counted), which passes only if 80 % of the block's endorsements fall
  /// within ``Thresholds/ringSeconds``.
  func evaluate(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, set: SignalSet, scratch: inout Scratch
  ) -> Outcome {
    let oneWay = evaluate(rows: rows, columns: columns, pairs: pairs, set: set, countMutual: false, scratch: &scratch)
    if oneWay.passed { return oneWay }
    let ring = evaluate(rows: rows, columns: columns, pairs: pairs, set: set, countMutual: true, scratch: &scratch)
    if ring.passed, ring.returned > 0, ring.windowEnd.saturatingSubtracting(ring.windowStart) <= ringSeconds {
      return ring
    }
    return oneWay
  }

  private func evaluate(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, set: SignalSet, countMutual: Bool,
    scratch: inout Scratch
  ) -> Outcome {
    var outcome = Outcome()
    guard !rows.isEmpty, !columns.isEmpty else { return outcome }
    scratch.stamp += 1
    var stamp = scratch.stamp
    for i in rows { scratch.mark[Int(i)] = stamp }
    var customers = gather(columns: columns, stamp: stamp, pairs: pairs, countMutual: countMutual, scratch: &scratch)
    guard !scratch.times.isEmpty else { return outcome }

    // Endorsers: at least half of their endorsements of customers in the widened window;
    // repeated (at most three rounds) while customers drop out, since the
    // window of the first round may be stretched by columns that are not customers.
    let created = set.accounts.createdAt
    for _ in 0..<3 {
      guard !scratch.times.isEmpty else { break }
      // The window comes from the customers by share when there are enough
      // of them, so that a burst elsewhere (fakes following a popular
      // account the day they are made) cannot stretch it to include itself.
      let anchored = scratch.shareCustomers >= minimumCustomers
      let sortedTimes =
        anchored ? zip(scratch.times, scratch.byShare).compactMap { $1 ? $0 : nil }.sorted() : scratch.times.sorted()
      let w = window(sortedTimes)
      let core = (sortedTimes[w.start], sortedTimes[w.start + w.k - 1])
      let pad = max(core.1.saturatingSubtracting(core.0), 3_600)
      let widened = core.0.saturatingSubtracting(pad)...core.1.saturatingAdding(pad)
      var touched: [Int32] = []
      for (i, t) in zip(scratch.sources, scratch.times) {
        if scratch.hits[Int(i)] == 0 && scratch.synced[Int(i)] == 0 { touched.append(i) }
        if widened.contains(t) { scratch.synced[Int(i)] += 1 } else { scratch.hits[Int(i)] += 1 }
      }
      scratch.stamp += 1
      stamp = scratch.stamp
      var kept = 0
      var customerInDegrees = 0.0
      for j in customers { customerInDegrees += Double(pairs.inDegree(of: j)) }
      let perOutEdge = customerInDegrees / Double(max(pairs.edgeCount, 1))
      for i in touched {
        let synced = Int(scratch.synced[Int(i)]), total = synced + Int(scratch.hits[Int(i)])
        let c = created[Int(i)]
        let established =
          c != AccountTable.unknownTime && c < widened.lowerBound.saturatingSubtracting(newAccountSeconds)
        // An established account's hits must also be more than its own volume explains.
        let explained =
          established
          && Self.log10PoissonTail(total, mean: Double(pairs.oneWayOutDegree(of: i)) * perOutEdge)
            > Self.log10VolumeAlpha
        if synced >= (established ? 2 : 1), 2 * synced >= total, !explained {
          kept += 1
          scratch.mark[Int(i)] = stamp
        }
        scratch.hits[Int(i)] = 0
        scratch.synced[Int(i)] = 0
      }
      let before = customers.count
      customers = gather(
        columns: customers, stamp: stamp, window: widened, core: core.0...core.1, pairs: pairs,
        countMutual: countMutual, scratch: &scratch)
      if customers.count == before && kept == touched.count { break }
    }
    outcome.returned = scratch.returned
    // Rows whose customers all dropped out go too.
    let endorsers = Array(Set(scratch.sources)).sorted()
    outcome.endorsers = endorsers
    outcome.customers = customers
    let e = scratch.times.count
    outcome.edges = e
    guard !endorsers.isEmpty, !customers.isEmpty else { return outcome }
    let endorserTotal = Double(max(pairs.endorserCount, 1))
    let ab = Double(endorsers.count * customers.count)
    outcome.fill = Double(e) / ab
    let m = Double(max(pairs.edgeCount, 1))
    var outSum = 0.0, inSum = 0.0
    for i in endorsers { outSum += Double(pairs.outDegree(of: i)) }
    for j in customers { inSum += Double(pairs.inDegree(of: j)) }
    outcome.expectedEdges = outSum * inSum / m
    outcome.backgroundDensity = m / (endorserTotal * Double(max(pairs.endorsedCount, 1)))
    outcome.log10PDensity = Self.log10PoissonTail(e, mean: outcome.expectedEdges)
    outcome.camouflageFraction = outSum > 0 ? (outSum - Double(e)) / outSum : 0

    scratch.times.sort()
    let t = scratch.times
    let (bestStart, bestWidth, k) = window(t)
    outcome.windowStart = t[bestStart]
    outcome.windowEnd = t[bestStart + k - 1]
    let width = max(Double(bestWidth), 3_600)
    // The rest of the set's activity in the window, the block's own edges left out.
    let windowEnd = outcome.windowStart.saturatingAdding(max(bestWidth, 3_600))
    let own = t[bestStart...].prefix { $0 <= windowEnd }.count
    let others = max(0, pairs.count(from: outcome.windowStart, through: windowEnd) - own)
    let profile = Double(others) / Double(max(pairs.edgeCount - e, 1))
    let q = min(1, max(width / pairs.span, profile))
    outcome.log10PSynchrony = min(0, log10(max(1, pairs.span / width)) + Self.log10BinomialTail(k, trials: e, p: q))

    for i in endorsers {
      let c = created[Int(i)]
      if c != AccountTable.unknownTime, c >= outcome.windowStart.saturatingSubtracting(newAccountSeconds),
        c <= outcome.windowEnd
      {
        outcome.newEndorsers += 1
      }
    }
    outcome.log10Alpha = log10(familyAlpha / Double(max(pairs.nodeCount, 1)))
    let before = outcome.windowStart.saturatingSubtracting(outcome.windowEnd.saturatingSubtracting(outcome.windowStart))
    outcome.targets = independentTargets(
      customers: customers, endorsers: endorsers, before: before, log10Alpha: outcome.log10Alpha, pairs: pairs,
      scratch: &scratch)
    outcome.passed =
      endorsers.count >= minimumEndorsers && outcome.targets >= minimumCustomers
      && outcome.fill >= minimumFill
      && outcome.log10PDensity <= outcome.log10Alpha && outcome.log10PSynchrony <= outcome.log10Alpha
    return outcome
  }

  /// The finding for a passed outcome, with `extra` evidence merged in.
  func finding(_ o: Outcome, detector: String, set: SignalSet, extra: [String: Evidence], lead: String) -> Finding {
    let ids = set.accounts.ids
    let a = o.endorsers.count, b = o.customers.count
    let times = o.backgroundDensity > 0 ? o.fill / o.backgroundDensity : 0
    let window = "\(Self.format(o.windowStart)) – \(Self.format(o.windowEnd))"
    var reason = "\(lead)\(a) endorsers"
    if o.newEndorsers > 0 { reason += " (\(o.newEndorsers) created within 30 days before)" }
    reason += " endorsed the same \(b) accounts"
    if o.targets < b {
      reason += " (\(o.targets) independent targets: the others are tied to one of them outside the block)"
    }
    reason += ": \(o.edges) of \(a * b) possible pairs, "
    reason +=
      "\(Self.round(times, 0))× the background rate and \(Self.round(o.edges > 0 ? Double(o.edges) / max(o.expectedEdges, 1e-9) : 0, 0))× "
    reason += "what their degrees explain; \(Int(windowShare * 100)) % of these endorsements fell within \(window)"
    if o.returned > 0 {
      reason += "; \(o.returned) of these endorsements were returned, a ring trading endorsements within \(window)"
    }
    if o.camouflageFraction >= 0.05 {
      reason +=
        "; \(Int((o.camouflageFraction * 100).rounded())) % of the endorsers' endorsements went to other accounts (camouflage or normal activity)"
    }
    var evidence: [String: Evidence] = [
      "endorsers": .integer(a),
      "customers": .integer(b),
      "customer_accounts": .array(o.customers.map { .string(ids[$0]) }),
      "edges": .integer(o.edges),
      "density": .number(Self.round(o.fill, 3)),
      "background_density": .number(Self.round(o.backgroundDensity, 6)),
      "expected_edges": .number(Self.round(o.expectedEdges, 3)),
      "camouflage_fraction": .number(Self.round(o.camouflageFraction, 3)),
      "new_endorsers": .integer(o.newEndorsers),
      "independent_targets": .integer(o.targets),
      "returned_endorsements": .integer(o.returned),
      "window": .string(window),
      "log10_p_density": .number(Self.round(o.log10PDensity, 1)),
      "log10_p_synchrony": .number(Self.round(o.log10PSynchrony, 1)),
      "log10_alpha": .number(Self.round(o.log10Alpha, 1)),
      "reason": .string(reason),
    ]
    evidence.merge(extra) { _, new in new }
    return Finding(
      kind: .boughtEngagement, detector: detector, score: Self.round(o.score, 2),
      accounts: o.endorsers + o.customers, evidence: .object(evidence))
  }

  /// log₁₀ P(X ≥ k) for X ~ Poisson(mean), bounded above by the first term
  /// times the geometric sum of the term ratios; 0 when k ≤ mean.
  static func log10PoissonTail(_ k: Int, mean: Double) -> Double {
    let x = Double(k)
    guard x > mean else { return 0 }
    guard mean > 0 else { return -Double.greatestFiniteMagnitude }
    let first = -mean + x * log(mean) - lgamma(x + 1)
    let ratio = mean / (x + 1)
    return min(0, (first - log(1 - ratio)) / log(10))
  }

  /// log₁₀ P(X ≥ k) for X ~ Binomial(n, p), bounded the same way; 0 when k ≤ np.
  static func log10BinomialTail(_ k: Int, trials n: Int, p: Double) -> Double {
    guard k <= n else { return -Double.greatestFiniteMagnitude }
    let x = Double(k), nn = Double(n)
    guard x > nn * p else { return 0 }
    if p >= 1 { return 0 }
    if p <= 0 { return -Double.greatestFiniteMagnitude }
    let first = lgamma(nn + 1) - lgamma(x + 1) - lgamma(nn - x + 1) + x * log(p) + (nn - x) * log(1 - p)
    let ratio = (nn - x) / (x + 1) * p / (1 - p)
    let tail = ratio < 1 ? -log(1 - ratio) : log(nn - x + 1)
    return min(0, (first + tail) / log(10))
  }

  static func round(_ x: Double, _ digits: Int) -> Double {
    let scale = pow(10, Double(digits))
    return (x * scale).rounded() / scale
  }

  /// `2026-03-01T12:00Z` for Unix seconds.
  static func format(_ seconds: Int64) -> String { Timestamp.iso8601Minutes(seconds) }
}

extension EngagementBlockTest {
  /// Splits a candidate into its connected parts once its non-customer columns
  /// (see ``isCustomer(_:inBlock:timed:first:last:pairs:)``) are set aside, so that two farms joined only through the celebrities
  /// both follow are tested one by one. Parts come largest first.
  ///
  /// - Complexity: O(Σ in-degree of `columns` + *e* · α(*e*)) for *e* block
  ///   endorsements of customers (``SharedEndorserComponents``).
  func split(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, scratch: inout Scratch
  ) -> [(rows: [Int32], columns: [Int32])] {
    guard !rows.isEmpty, !columns.isEmpty else { return [] }
    scratch.stamp += 1
    let stamp = scratch.stamp
    // Block rows keyed by their position in `rows`.
    for (p, i) in rows.enumerated() {
      scratch.mark[Int(i)] = stamp
      scratch.hits[Int(i)] = Int32(p)
    }
    var kept: [(column: Int32, anchor: Int)] = []
    for j in columns {
      let lo = pairs.inOffsets[Int(j)], hi = pairs.inOffsets[Int(j) + 1]
      var first = -1, inBlock = 0
      var earliest = Int64.max, latest = Int64.min
      for k in lo..<hi where scratch.mark[Int(pairs.inSources[k])] == stamp {
        if first < 0 { first = Int(scratch.hits[Int(pairs.inSources[k])]) }
        inBlock += 1
        earliest = min(earliest, pairs.inTime[k])
        latest = max(latest, pairs.inTime[k])
      }
      if isCustomer(j, inBlock: inBlock, timed: inBlock, first: earliest, last: latest, pairs: pairs) {
        kept.append((j, first))
      }
    }
    // Customers are joined when at least two block endorsers endorse both
    // (one honest account following customers of two farms joins nothing);
    // celebrities, set aside above, join nothing either. Near-linear: see
    // SharedEndorserComponents.
    // Each block row's customers, as one flat array in row order (CSR).
    var rowOffsets = [Int](repeating: 0, count: rows.count + 1)
    for entry in kept {
      for k in pairs.inOffsets[Int(entry.column)]..<pairs.inOffsets[Int(entry.column) + 1]
      where scratch.mark[Int(pairs.inSources[k])] == stamp {
        rowOffsets[Int(scratch.hits[Int(pairs.inSources[k])]) + 1] += 1
      }
    }
    for p in 0..<rows.count { rowOffsets[p + 1] += rowOffsets[p] }
    var cursor = rowOffsets
    var rowColumns = [Int](repeating: 0, count: rowOffsets[rows.count])
    for (c, entry) in kept.enumerated() {
      for k in pairs.inOffsets[Int(entry.column)]..<pairs.inOffsets[Int(entry.column) + 1]
      where scratch.mark[Int(pairs.inSources[k])] == stamp {
        let p = Int(scratch.hits[Int(pairs.inSources[k])])
        rowColumns[cursor[p]] = c
        cursor[p] += 1
      }
    }
    var sets = SharedEndorserComponents(columnCount: kept.count, rowOffsets: rowOffsets, columns: rowColumns)
    var partOfRoot = [Int](repeating: -1, count: kept.count)
    var partOf = [Int](repeating: 0, count: kept.count)
    var parts: [(rows: [Int32], columns: [Int32])] = []
    for c in kept.indices {
      let r = sets.group(of: c)
      if partOfRoot[r] < 0 {
        partOfRoot[r] = parts.count
        parts.append(([], []))
      }
      partOf[c] = partOfRoot[r]
      parts[partOf[c]].columns.append(kept[c].column)
    }
    // Each endorser goes with the part most of its block endorsements go to
    // (on a tie, the part met first).
    var votes = [Int](repeating: 0, count: parts.count)
    for (p, i) in rows.enumerated() where rowOffsets[p + 1] > rowOffsets[p] {
      var best = -1
      for c in rowColumns[rowOffsets[p]..<rowOffsets[p + 1]] { votes[partOf[c]] += 1 }
      for c in rowColumns[rowOffsets[p]..<rowOffsets[p + 1]] {
        let part = partOf[c]
        if best < 0 || votes[part] > votes[best] || (votes[part] == votes[best] && part < best) { best = part }
      }
      for c in rowColumns[rowOffsets[p]..<rowOffsets[p + 1]] { votes[partOf[c]] = 0 }
      parts[best].rows.append(i)
    }
    for i in rows { scratch.hits[Int(i)] = 0 }
    return parts.filter { !$0.columns.isEmpty }.sorted { $0.rows.count > $1.rows.count }
  }
}
