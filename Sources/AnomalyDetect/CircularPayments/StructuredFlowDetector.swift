import Foundation
import SignalGraph

/// Finds collusive payment structures by the coincidences honest money
/// rarely shows: a transfer split into several near-equal payments on one
/// day (**structuring**), and the same amount passed on, gathered or fanned
/// out by the accounts around it (cycle, fan-in, fan-out, scatter-gather,
/// gather-scatter, bipartite, stack), however coarse the timestamps and
/// however slowly the money moves.
///
/// Laundering rings and fan-ins in exported banking data (IBM AMLSim;
/// Altman et al., "Realistic synthetic financial transactions for
/// anti-money laundering models", NeurIPS 2023) move one amount round once
/// over weeks, with timestamps in days, often paying one hop as several
/// equal payments the same day; the fast-ring test of
/// ``CircularPaymentDetector`` sees none of it. This detector works on
/// ``PaymentTransfers`` (payments grouped by payer, payee and day) and
/// tests each coincidence against the set's own background:
///
/// 1. **Split transfers.** A transfer of *n* ≥ 2 payments with median
///    amount *u*, from a pair that paid *m* times over the set's *D* days,
///    has chance
///
///    ```text
///    p = C(m, n) · D^−(n−1) · q(u, s)^(n−1)
///    ```
///
///    where the first part is the chance that *n* of the pair's *m*
///    payments fall on one day and *q*(*u*, *s*) the share of all payments
///    whose amount lies within the payments' largest relative distance *s*
///    from *u* (at least 1 %, at most 100 %; for equal amounts, the share
///    of exactly *u*): near-equal parts of one sum make the split likelier
///    to be deliberate, scattered ones count for little. It is a **seed**
///    when *p* · *T* ≤ ``Thresholds/alpha`` (0.01), *T* the number of pairs
///    that paid more than once (a Bonferroni bound: at most one chance seed
///    in a hundred scans of honest data).
/// 2. **Relays.** Money passed on without a split is a seed too when
///    ``RelayChains`` finds it too unlikely for chance (expected chance
///    copies under ``Thresholds/alpha``): a ring closing on its origin
///    however slowly (hops within ``Thresholds/relayWindow``, 14 days, each
///    keeping at most ``Thresholds/skim``, 10 %), a stack of two or more
///    relays, or relays from one source through several intermediaries
///    converging on another account (scatter-gather). So is an account
///    that gathers near-equal amounts from several senders and pays their
///    sum straight on in near-equal amounts to several others
///    (``GatheringHubs``: a gather-scatter), and one paid near-equal sums
///    within ``Thresholds/fanWindow`` by several senders each off its own
///    habit (``FanIns``: a fan-in), and one paying near-equal sums within
///    it to several receivers, off its own habit (``FanOuts``: a fan-out),
///    and two accounts paying the same receivers near-equal sums within
///    ``Thresholds/relayWindow``, off their habits (``BipartiteBlocks``: a
///    stack's layer).
/// 3. **Links.** From every seed, and then from everything linked, the
///    detector looks at the transfers sharing an account within
///    ``Thresholds/window`` (60 days): paid to the same receiver by another
///    sender (gathered), paid on by the receiver at or after it (relayed,
///    ties in time allowed), paid into the sender before it (fed) or after
///    it (returned), or paid by the same sender to another receiver (fanned
///    out). A transfer whose unit
///    lies within ``Thresholds/amountTolerance`` (10 %, a skim of a few
///    percent per hop) of the other's (or, for money relayed or fed in,
///    whose total lies within it of the other's total: a split sum passed
///    on as one payment) is **linked** when the chance of
///    such a match among the *k* transfers looked at, times the *c* transfers
///    the structure holds already (its tests so far), *c* · *k* · *q*, is at
///    most ``Thresholds/alpha``: *q* is the share of payments (outside the
///    seeds, so that the scheme does not hide in its own amounts) of exactly *u*
///    when the amounts are equal, else within the tolerance (widened to the
///    transfers' own spread) of *u*, times the share of seeds among all
///    transfers when the other transfer is a seed too, or else times its
///    split's chance *p* when it holds several payments (step 1, without
///    the correction for all the pairs: the structure has narrowed the
///    tests to its *k* neighbours).
/// 4. **Structures.** Transfers joined by links form one structure (so two
///    schemes that share a busy account but not an amount stay apart); its
///    accounts are flagged as `circular_payment`, its shape named by
///    ``PaymentTypology``.
///
/// **Score** of a structure, higher is worse: the sum of −log₁₀(*p* · *T*)
/// over its seeds plus −log₁₀(*k* · *q*) over its links, the decades by
/// which the honest background fails to explain it; a structure scoring
/// under ``Thresholds/minScore`` (3) is not reported.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let detector = StructuredFlowDetector()
///     for finding in detector.findings(in: set, graph: GraphIndex(set)) {
///       print(finding.evidence)   // {"typology": "fan_in", "reason": "...", ...}
///     }
///
/// - Complexity: O(*p* + *a*) for *p* payments and *a* accounts to group
///   them (counting sorts) and sort the amounts (radix), the relay sweep of
///   ``RelayChains``, plus, for each transfer in a structure, O(*d*) for
///   the transfers of its two accounts within the window (*d* at most the
///   accounts' degrees). 10 M payments take about 13 s on one core.
public struct StructuredFlowDetector: Detector {
  /// The documented thresholds of the detector; in a settings file, the
  /// section `structured-flow` with the snake_case keys of ``CodingKeys``:
  ///
  ///     var thresholds = StructuredFlowDetector.Thresholds()
  ///     thresholds.minScore = 5   // min_score = 5
  ///     let strict = try StructuredFlowDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The time bucket payments are grouped by (the resolution): one UTC day.
    public var bucketSeconds: Int64 = 86_400
    /// The most relative distance of two linked transfers' amounts.
    public var amountTolerance = 0.10
    /// The most seconds between two linked transfers.
    public var window: Int64 = 60 * 86_400
    /// The most seconds between a transfer and the one relaying it, in a
    /// ring or a scatter-gather found without split payments.
    public var relayWindow = StructuredFlowDefaults.relayWindowSeconds
    /// The most seconds over which the senders of a fan-in pay
    /// (``FanIns``), or a fan-out's payer pays (``FanOuts``): under a month,
    /// so that a pair paying monthly is routine.
    public var fanWindow = StructuredFlowDefaults.fanWindowSeconds
    /// The largest share of what it received a relaying account may keep.
    public var skim = 0.10
    /// The most hops of a relayed ring or stack.
    public var maxRingHops = 8
    /// The least score (decades of surprise) a structure needs to be
    /// reported: a lone split transfer just past ``alpha`` is the weakest
    /// evidence there is, and honest people do pay a friend three times on
    /// a busy day, so the bar for a finding is a thousandfold.
    public var minScore = 3.0
    /// The chance, after correction for the tests made, below which a
    /// coincidence counts.
    public var alpha = StructuredFlowDefaults.alpha

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `bucket_seconds`, `amount_tolerance`,
    /// `window`, `relay_window`, `fan_window`, `skim`, `max_ring_hops`, `min_score`, `alpha`.
    public enum CodingKeys: String, CodingKey {
      case bucketSeconds = "bucket_seconds"
      case amountTolerance = "amount_tolerance"
      case window
      case relayWindow = "relay_window"
      case fanWindow = "fan_window"
      case skim
      case maxRingHops = "max_ring_hops"
      case minScore = "min_score"
      case alpha
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// A detector with the default thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "structured-flow")
    try check.atLeast(thresholds.bucketSeconds, 1, .bucketSeconds, "a whole number of seconds")
    try check.within(thresholds.amountTolerance, 0...1, .amountTolerance, "a number")
    try check.atLeast(thresholds.window, 0, .window, "a whole number of seconds")
    try check.atLeast(thresholds.relayWindow, 0, .relayWindow, "a whole number of seconds")
    try check.atLeast(thresholds.fanWindow, 0, .fanWindow, "a whole number of seconds")
    try check.require(thresholds.skim >= 0 && thresholds.skim < 1, .skim, thresholds.skim, "a number ≥ 0 and below 1")
    try check.within(thresholds.maxRingHops, 2...32, .maxRingHops, "a whole number")
    try check.atLeast(thresholds.minScore, 0, .minScore, "a number")
    try check.share(thresholds.alpha, .alpha)
    self.thresholds = thresholds
  }

  /// `structured-flow`.
  public var name: String { "structured-flow" }

  /// The collusive payment structures of `set`.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let transfers = PaymentTransfers(set, bucketSeconds: thresholds.bucketSeconds)
    let amounts = AmountDistribution(set.payments.amountMicros)
    let habits = PayerAmounts(transfers)
    let relays = RelayChains(
      transfers: transfers, amounts: amounts, habits: habits, hopWindow: relayBuckets,
      skim: thresholds.skim, maxHops: thresholds.maxRingHops, alpha: thresholds.alpha)
    let (rings, stacks) = relays.relayedPaths()
    var memo = GatheringHubs.Habits(accounts: set.accounts.count)
    let hubs = GatheringHubs(
      transfers: transfers, amounts: amounts, window: relayBuckets, skim: thresholds.skim, alpha: thresholds.alpha
    ).seeds(habits: &memo).map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .hub) }
    // Fans and blocks group transfers within the fan window.
    let fans = GatheringHubs(
      transfers: transfers, amounts: amounts, window: fanBuckets, skim: thresholds.skim, alpha: thresholds.alpha)
    let (fanInReading, fanOutReading) = (FanIns(hubs: fans, habits: habits), FanOuts(hubs: fans, habits: habits))
    let fanIns = fanInReading.seeds(habits: &memo)
    let blocks = BipartiteBlocks(fanOuts: fanOutReading, fanIns: fanInReading, window: relayBuckets).seeds(
      habits: &memo)
    let others =
      splits(transfers, amounts: amounts)
      + rings.map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .ring) }
      + stacks.map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .chain) }
      + relays.scatterGathers().map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .convergence) }
      + hubs + fanIns.map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .fanIn) }
      + blocks.map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .block) }
    // The set's rate of handing a new sum on is read again without the
    // accounts of everything found: a scheme's own sums must not excuse it.
    // Nor are they any payer's habit.
    var schemes = [Bool](repeating: false, count: transfers.count)
    for t in others.lazy.flatMap(\.transfers) { schemes[t] = true }
    let fanOuts = fanOutReading.seeds(habits: &memo, schemes: schemes) { fanOuts in
      transfers.accounts(of: others.flatMap(\.transfers) + fanOuts.flatMap(\.transfers), among: set.accounts.count)
    }
    // A fan-in (or fan-out) that a gather-scatter's hub already gathered (or
    // scattered) is the same evidence, counted once.
    let seeds = Self.foldingFansIntoHubs(
      others + fanOuts.map { Seed(transfers: $0.transfers, surprise: $0.surprise, kind: .fanOut) })
    guard !seeds.isEmpty else { return [] }
    // Links are tested against the payments the seeds leave unexplained.
    let seedTransfers = Set(seeds.flatMap(\.transfers))
    let background = amounts.excluding(
      seedTransfers.lazy.flatMap { transfers.payments(of: $0) }.map { set.payments.amountMicros[Int($0)] })
    let links = self.links(from: seeds, transfers, amounts: background, habits: habits)
    return structures(seeds: seeds, links: links, transfers, in: set)
  }

  // MARK: - Seeds

  /// Transfers the honest background cannot explain, and by how many
  /// decades: −log₁₀ of the expected count of such chance events.
  struct Seed {
    /// What gave the transfers away.
    enum Kind {
      /// One transfer split into several payments on a day.
      case split
      /// Relayed money closing back on its origin.
      case ring
      /// Relayed money converging from one source on another account.
      case convergence
      /// Money passed on along a chain of accounts.
      case chain
      /// Near-equal amounts gathered at one account and paid straight on in near-equal amounts.
      case hub
      /// Near-equal amounts paid into one account by several senders, off their habits.
      case fanIn
      /// Near-equal amounts paid out of one account to several receivers, off its habit.
      case fanOut
      /// Near-equal amounts paid by two accounts to the same receivers, off their habits.
      case block
    }
    var transfers: [Int]
    var surprise: Double
    var kind: Kind
  }

  /// `seeds` with each fan-in or fan-out whose transfers a gather-scatter's
  /// hub seed holds folded into that hub: the same evidence, counted once,
  /// at the stronger of the two readings, less log₁₀ 2 when the fan's is
  /// (the stronger of two tests of the same transfers is chosen). A hub
  /// read jointly, in and out, against the honest background may be a
  /// weaker coincidence than its scatter read against the hub's own habit.
  static func foldingFansIntoHubs(_ seeds: [Seed]) -> [Seed] {
    // Each hub seed's transfers, and the hubs holding each transfer.
    var held: [Int: Set<Int>] = [:], hubsOf: [Int: [Int]] = [:]
    for h in seeds.indices where seeds[h].kind == .hub {
      held[h] = Set(seeds[h].transfers)
      for t in seeds[h].transfers { hubsOf[t, default: []].append(h) }
    }
    guard !held.isEmpty else { return seeds }
    var folded = seeds
    var gone = Array(repeating: false, count: seeds.count)
    for i in seeds.indices where seeds[i].kind == .fanIn || seeds[i].kind == .fanOut {
      guard let first = seeds[i].transfers.first else { continue }
      for h in hubsOf[first] ?? [] where seeds[i].transfers.allSatisfy(held[h]!.contains) {
        gone[i] = true
        folded[h].surprise = max(folded[h].surprise, seeds[i].surprise - log10(2))
      }
    }
    return folded.indices.filter { !gone[$0] }.map { folded[$0] }
  }

  /// The split transfers too unlikely for the honest background.
  func splits(_ transfers: PaymentTransfers, amounts: AmountDistribution) -> [Seed] {
    let tests = Double(max(transfers.repeatedPairs, 1))
    let days = Double(transfers.bucketSpan)
    var seeds: [Seed] = []
    for t in 0..<transfers.count {
      guard transfers.paymentCount(t) >= 2, transfers.unitMicros[t] > 0 else { continue }
      let surprise = -(Self.log10SplitChance(t, transfers, amounts: amounts, days: days) + log10(tests))
      if surprise >= -log10(thresholds.alpha) { seeds.append(Seed(transfers: [t], surprise: surprise, kind: .split)) }
    }
    return seeds
  }

  /// log₁₀ of the chance *p* of transfer `t`'s split (0 for a single
  /// payment): C(*m*, *n*) · *D*^−(*n*−1) · *q*(*u*, *s*)^(*n*−1), before
  /// the correction for the pairs tested.
  static func log10SplitChance(_ t: Int, _ transfers: PaymentTransfers, amounts: AmountDistribution, days: Double)
    -> Double
  {
    let n = transfers.paymentCount(t)
    guard n >= 2, transfers.unitMicros[t] > 0 else { return 0 }
    let m = Double(transfers.pairPayments[t]), k = Double(n)
    let unit = transfers.unitMicros[t]
    var q = amounts.share(near: unit, tolerance: min(max(transfers.spread[t], 0.01), 1))
    if transfers.spread[t] == 0 { q = min(q, amounts.share(exactly: unit)) }
    let log10Day = min(0, log10Choose(m, k) - (k - 1) * log10(max(days, 1)))
    return log10Day + (k - 1) * log10(q)
  }

  /// log₁₀ of the binomial coefficient C(n, k).
  static func log10Choose(_ n: Double, _ k: Double) -> Double {
    (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) / log(10)
  }

  // MARK: - Links

  /// How two linked transfers relate, as seen from the first.
  enum LinkRole: String {
    case gathered, relayed, fed, returned, fanned
  }

  /// Two transfers whose amounts match beyond chance, and its surprise.
  struct Link {
    var from: Int, to: Int
    var role: LinkRole
    var surprise: Double
  }

  /// Every link reachable from `seeds`, breadth first.
  ///
  /// A link from a transfer whose structure already holds *c* transfers
  /// needs *c* times the surprise (a Bonferroni bound over the structure's
  /// tests), so a big structure does not gather chance neighbours.
  func links(from seeds: [Seed], _ transfers: PaymentTransfers, amounts: AmountDistribution, habits: PayerAmounts)
    -> [Link]
  {
    var chosen = [Bool](repeating: false, count: transfers.count)
    var isSeed = [Bool](repeating: false, count: transfers.count)
    var structures = DisjointSets(count: transfers.count)
    var queue: [Int] = []
    for s in seeds {
      for t in s.transfers {
        structures.union(s.transfers[0], t)
        if !chosen[t] { queue.append(t) }
        (chosen[t], isSeed[t]) = (true, true)
      }
    }
    // The chance that a transfer looked at is itself a seed.
    let seedShare = Double(queue.count) / Double(max(transfers.count, 1))
    let days = Double(transfers.bucketSpan)
    var links: [Link] = []
    var head = 0
    let window = max(thresholds.window / max(thresholds.bucketSeconds, 1), 0)
    let bar = -log10(thresholds.alpha)
    while head < queue.count {
      let t = queue[head]
      head += 1
      let unit = transfers.unitMicros[t], day = transfers.bucket[t]
      guard unit > 0 else { continue }
      // (account's transfer list, role, the bucket range allowed)
      let neighbourhoods: [(ArraySlice<Int32>, LinkRole, ClosedRange<Int64>)] = [
        (transfers.incoming.edges(of: transfers.target[t]), .gathered, (day - window)...(day + window)),
        (transfers.outgoing.edges(of: transfers.target[t]), .relayed, day...(day + window)),
        (transfers.incoming.edges(of: transfers.source[t]), .fed, (day - window)...day),
        (transfers.incoming.edges(of: transfers.source[t]), .returned, (day + 1)...(day + window)),
        (transfers.outgoing.edges(of: transfers.source[t]), .fanned, (day - window)...(day + window)),
      ]
      for (candidates, role, range) in neighbourhoods {
        let inRange = candidates.filter { $0 != Int32(t) && range.contains(transfers.bucket[Int($0)]) }
        let looked = Double(inRange.count)
        for c in inRange {
          let other = Int(c)
          guard var q = matchChance(t, other, role: role, transfers, amounts: amounts, habits: habits) else { continue }
          if isSeed[other] { q *= seedShare }
          let split = isSeed[other] ? 0 : Self.log10SplitChance(other, transfers, amounts: amounts, days: days)
          let surprise = -log10(looked * q * Double(structures.size(of: Int32(t)))) - split
          guard surprise >= bar else { continue }
          structures.union(t, other)
          links.append(Link(from: t, to: other, role: role, surprise: surprise))
          if !chosen[other] {
            chosen[other] = true
            queue.append(other)
          }
        }
      }
    }
    return links
  }

  /// The chance *q* that `other`'s amount matches `t`'s as closely as it
  /// does, or nil when it does not match: their units within
  /// ``Thresholds/amountTolerance`` (widened to the transfers' own spread),
  /// *q* the share of payments of exactly that unit or within the
  /// tolerance of it, or more when `other`'s payer pays such sums to
  /// others by habit (``PayerAmounts``: its routine, not a match). Money
  /// passed on (``LinkRole/relayed``, ``LinkRole/fed``) may also match by
  /// its sum, as a relay of
  /// ``RelayChains`` does: a transfer split into several payments and
  /// relayed as one (or paid in as one and split), within
  /// ``Thresholds/relayWindow``, the sum passed on at most what arrived and
  /// at least ``Thresholds/skim`` short of it, *q* the share of payments
  /// between the two.
  func matchChance(
    _ t: Int, _ other: Int, role: LinkRole, _ transfers: PaymentTransfers, amounts: AmountDistribution,
    habits: PayerAmounts
  ) -> Double? {
    let unit = transfers.unitMicros[t], u = transfers.unitMicros[other]
    let tolerance = max(thresholds.amountTolerance, transfers.spread[t], transfers.spread[other])
    if Double(abs(u - unit)) <= tolerance * Double(max(u, unit)) {
      let range = u == unit ? unit...unit : AmountDistribution.band(near: unit, tolerance: tolerance)
      let q = amounts.share(in: range)
      // A payer paying its own routine amount matches by routine.
      let routine = habits.share(
        of: transfers.source[other], to: transfers.target[other], pairTransfers: transfers.pairRun(of: other).count,
        in: range, background: q)
      return max(q, routine)
    }
    // Money passed on as one sum: only within a relay's time, and no more than arrived.
    let (from, to) = role == .relayed ? (t, other) : role == .fed ? (other, t) : (-1, -1)
    guard from >= 0, abs(transfers.bucket[to] - transfers.bucket[from]) <= relayBuckets else { return nil }
    let received = transfers.totalMicros[from], passed = transfers.totalMicros[to]
    // Units that did not match are the same test again when neither transfer is split.
    guard received != transfers.unitMicros[from] || passed != transfers.unitMicros[to] else { return nil }
    guard RelayBand.passesOn(passed, received, skim: thresholds.skim) else { return nil }
    return amounts.share(in: passed...received)
  }

  /// ``Thresholds/relayWindow`` in buckets.
  var relayBuckets: Int64 { thresholds.relayWindow / max(thresholds.bucketSeconds, 1) }

  /// ``Thresholds/fanWindow`` in buckets.
  var fanBuckets: Int64 { thresholds.fanWindow / max(thresholds.bucketSeconds, 1) }

  // MARK: - Structures

  /// One finding per group of transfers joined by links.
  func structures(seeds: [Seed], links: [Link], _ transfers: PaymentTransfers, in set: SignalSet) -> [Finding] {
    var index: [Int: Int] = [:]  // transfer -> node
    var nodes: [Int] = []
    func node(_ t: Int) -> Int {
      if let n = index[t] { return n }
      index[t] = nodes.count
      nodes.append(t)
      return nodes.count - 1
    }
    for s in seeds { for t in s.transfers { _ = node(t) } }
    for l in links {
      _ = node(l.from)
      _ = node(l.to)
    }
    var sets = DisjointSets(count: nodes.count)
    for s in seeds { for t in s.transfers.dropFirst() { sets.union(index[s.transfers[0]]!, index[t]!) } }
    for l in links { sets.union(index[l.from]!, index[l.to]!) }
    var groups: [Int: [Int]] = [:]
    for n in nodes.indices { groups[sets.find(n), default: []].append(nodes[n]) }
    var seedsOf: [Int: [Seed]] = [:], linksOf: [Int: [Link]] = [:]
    for s in seeds { seedsOf[sets.find(index[s.transfers[0]]!), default: []].append(s) }
    for l in links { linksOf[sets.find(index[l.from]!), default: []].append(l) }
    let render = PaymentEvidence(set: set)
    var findings: [Finding] = groups.compactMap { root, members in
      let seeds = seedsOf[root] ?? [], links = linksOf[root] ?? []
      let score = seeds.reduce(0) { $0 + $1.surprise } + links.reduce(0) { $0 + $1.surprise }
      guard score >= thresholds.minScore else { return nil }
      return finding(members.sorted(), seeds: seeds, links: links, transfers, render: render)
    }
    findings.sort {
      $0.score > $1.score || ($0.score == $1.score && $0.accounts.lexicographicallyPrecedes($1.accounts))
    }
    return findings
  }

  /// The finding of one structure, with evidence a person can check.
  func finding(_ members: [Int], seeds: [Seed], links: [Link], _ transfers: PaymentTransfers, render: PaymentEvidence)
    -> Finding
  {
    let edges = members.map { (transfers.source[$0], transfers.target[$0]) }
    let typology = PaymentTypology.classify(edges: edges)
    let accounts = Array(Set(edges.flatMap { [$0.0, $0.1] })).sorted()
    let score = seeds.reduce(0) { $0 + $1.surprise } + links.reduce(0) { $0 + $1.surprise }
    let ids = render.set.accounts.ids
    let payments = members.reduce(0) { $0 + transfers.paymentCount($1) }
    var volume: Int64 = 0
    for t in members { for r in transfers.payments(of: t) { volume &+= render.set.payments.amountMicros[Int(r)] } }
    let days = members.map { transfers.bucket[$0] }
    let span = Int64(Double(days.max()! - days.min()!) * Double(thresholds.bucketSeconds) / 86_400)
    let strongestSplit = seeds.filter { $0.kind == .split }.max { $0.surprise < $1.surprise }
    let ordered = members.sorted { transfers.bucket[$0] < transfers.bucket[$1] }
    let evidence: Evidence = [
      "typology": .string(typology.rawValue),
      "accounts": .array(accounts.map { .string(ids[$0]) }),
      "transfers": .integer(members.count),
      "payments": .integer(payments),
      "split_transfers": .integer(seeds.filter { $0.kind == .split }.count),
      "relayed_rings": .integer(seeds.filter { $0.kind == .ring }.count),
      "converging_relays": .integer(seeds.filter { $0.kind == .convergence }.count),
      "relayed_chains": .integer(seeds.filter { $0.kind == .chain }.count),
      "gathering_hubs": .integer(seeds.filter { $0.kind == .hub }.count),
      "fan_ins": .integer(seeds.filter { $0.kind == .fanIn }.count),
      "fan_outs": .integer(seeds.filter { $0.kind == .fanOut }.count),
      "bipartite_blocks": .integer(seeds.filter { $0.kind == .block }.count),
      "amount_links": .integer(links.count),
      "volume": .string(Amount(micros: volume).description),
      "span_days": .integer(Int(span)),
      "first_payment": .string(
        PaymentEvidence.iso8601(render.set.payments.time[Int(transfers.payments(of: ordered[0]).first!)])),
      "strongest_split": strongestSplit.map { transferEvidence($0.transfers[0], transfers, render: render) } ?? .null,
      "score": PaymentEvidence.rounded(score, 2),
      "transfer_list": .array(ordered.prefix(12).map { transferEvidence($0, transfers, render: render) }),
      "reason": .string(reason(typology, accounts: accounts.count, seeds: seeds, links: links, span: span)),
    ]
    return Finding(kind: .circularPayment, detector: name, score: score, accounts: accounts, evidence: evidence)
  }

  /// One transfer: who paid whom, which day, how many payments of what.
  func transferEvidence(_ t: Int, _ transfers: PaymentTransfers, render: PaymentEvidence) -> Evidence {
    let p = render.set.payments, ids = render.set.accounts.ids
    let rows = transfers.payments(of: t)
    return [
      "from": .string(ids[transfers.source[t]]),
      "to": .string(ids[transfers.target[t]]),
      "day": .string(String(PaymentEvidence.iso8601(p.time[Int(rows.first!)]).prefix(10))),
      "amounts": .array(rows.map { .string(Amount(micros: p.amountMicros[Int($0)]).description) }),
      "payments": .array(rows.prefix(8).map { .string(p.ids[Int($0)]) }),
    ]
  }

  /// The structure in one sentence.
  func reason(_ typology: PaymentTypology, accounts: Int, seeds: [Seed], links: [Link], span: Int64) -> String {
    let shape: String
    switch typology {
    case .cycle: shape = "passed one amount round a cycle"
    case .scatterGather: shape = "fanned one amount out through intermediaries and gathered it at another account"
    case .bipartite: shape = "paid one amount from several senders to the same several receivers"
    case .gatherScatter: shape = "gathered one amount at an account and fanned it out again"
    case .fanIn: shape = "paid one receiver near-equal amounts from several senders"
    case .fanOut: shape = "paid near-equal amounts from one sender to several receivers"
    case .stack: shape = "passed one amount on along a chain of accounts"
    case .structuring: shape = "split transfers into several payments"
    }
    let when = span == 0 ? "on one day" : "over \(span) days"
    let splits = seeds.filter { $0.kind == .split }.count
    let rings = seeds.filter { $0.kind == .ring }.count
    let converging = seeds.filter { $0.kind == .convergence }.count
    var found: [String] = []
    if splits > 0 { found.append("\(splits) transfer(s) split into several payments on one day") }
    if rings > 0 { found.append("\(rings) relay(s) of one amount closing back on where it started") }
    if converging > 0 { found.append("\(converging) fan(s) of relays converging on one account") }
    let chains = seeds.filter { $0.kind == .chain }.count
    if chains > 0 { found.append("\(chains) chain(s) of accounts each passing on most of what it received") }
    let hubs = seeds.filter { $0.kind == .hub }.count
    if hubs > 0 {
      found.append("\(hubs) account(s) paying straight on, in near-equal amounts, what near-equal amounts brought in")
    }
    let fanIns = seeds.filter { $0.kind == .fanIn }.count
    if fanIns > 0 {
      found.append(
        "\(fanIns) account(s) paid near-equal sums by several senders, each a sum its sender does not usually pay")
    }
    let fanOuts = seeds.filter { $0.kind == .fanOut }.count
    if fanOuts > 0 {
      found.append("\(fanOuts) account(s) paying several receivers near-equal sums they do not usually pay")
    }
    let blocks = seeds.filter { $0.kind == .block }.count
    if blocks > 0 {
      found.append("\(blocks) pair(s) of accounts paying the same receivers near-equal sums they do not usually pay")
    }
    found.append("\(links.count) matching amount(s) between transfers that share an account")
    let strongest = seeds.map(\.surprise).max() ?? 0
    return "\(accounts) accounts \(shape) \(when): " + found.joined(separator: ", ")
      + " (the strongest expected by chance once in 10^\(Int(strongest.rounded(.down))) scans of honest data)"
  }
}
