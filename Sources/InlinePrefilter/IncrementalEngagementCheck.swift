@_spi(Checkpoint) import SignalGraph

/// Keeps dense-block state of the endorsement graph up to date per
/// endorsement and flags the endorsements of a dense, synchronous
/// endorser × target block, in the spirit of Spade's incremental peeling
/// (Jiang et al., "Spade: A Real-Time Fraud Detection Framework on Evolving
/// Graphs", VLDB 2023): only the neighbourhood of the new edge is touched.
///
/// The state is the recent edges (endorser, target) with their seqs, each
/// endorser's recent targets, each target's recent endorsers, and for each
/// pair of targets the number of distinct endorsers that endorsed both
/// within ``Thresholds/syncSeconds`` of each other. A new
/// edge e → t bumps the pairs (t, t′) for e's latest other targets t′, at
/// most ``Thresholds/recentTargets`` of them. A pair is dense when at least
/// ``Thresholds/minEndorsers`` endorsers share it and that is
/// ``Thresholds/surprise`` times more than chance
/// (d(t)·d(t′) / active endorsers), so two celebrities followed by the same
/// thousands never make one; targets above
/// ``Thresholds/maxTargetDegree`` and endorsers above
/// ``Thresholds/maxEndorserDegree`` are not paired at all.
///
/// A dense pair is not yet a block: an organic burst toward one account,
/// whose fans also follow its partner or its band, makes one too. A farm is
/// a group moving together on several customers, so a block needs a third
/// target x that at least ``Thresholds/minEndorsers`` of the pair's
/// co-endorsers also endorse, ``Thresholds/surprise`` times more than
/// chance given their own other targets (Σ (out-degree − 2) · d(x) / edges in the
/// window; a busy rater with more targets than the check pairs counts for
/// a fraction of an endorser), and those
/// co-endorsers must not be a community (a club, a family, a class: at
/// least half of them endorsed by one of the three targets or tied to
/// another of them), as a farm's customers do not follow their fakes back.
/// The search runs when the pair turns dense and again whenever its count
/// has grown by half, on its latest ``Thresholds/recentTargets``
/// co-endorsers. When a block forms, its first pair is flagged, and each
/// pair with the third target too when it is itself dense (so that a
/// popular account the fakes follow as camouflage does not take its honest
/// fans into the block); every admitted endorsement of a flagged pair by
/// its common endorsers is revoked, and later endorsements that join a
/// block are held. A busy rater (more targets in the window than
/// ``Thresholds/recentTargets``) who endorses only two of a block's targets
/// is neither: one pair of customers among hundreds of targets may be chance.
///
/// Its thresholds are set through the pre-filter's configuration:
///
///     var configuration = PrefilterConfiguration()
///     configuration.engagement.minEndorsers = 6
///
/// - Complexity: O(``Thresholds/recentTargets``) expected
///   per new edge however dense the graph (a complete bipartite follow graph
///   included), O(1) per repeat; looking for a third target costs
///   O(d(t) + `recentTargets`²), a logarithmic number of times per dense
///   pair; flagging a block costs O(d(t)); evicting an
///   edge costs O(1) when it is the oldest of both its ends (the usual
///   case, ``EndorsementList``), O(degree) otherwise. Memory is bounded by the window:
///   at most `recentTargets` pairs per edge kept, one queue entry per
///   pair and window.
public struct IncrementalEngagementCheck: PrefilterCheck {
  /// The knobs of the dense-block check (``PrefilterConfiguration/engagement``).
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Distinct endorsers that must share two targets to make a dense pair,
    /// and three to make a block.
    public var minEndorsers: Int = 5
    /// How many times more co-endorsers than chance a dense pair (d₁·d₂ /
    /// active endorsers) and its third target (given the co-endorsers' degrees) need.
    public var surprise: Double = 10
    /// An endorser's two endorsements of a pair count together only this close in time (seconds).
    public var syncSeconds: Int64 = 14 * 86_400
    /// Targets with more endorsers than this in the window (celebrities) are not paired.
    public var maxTargetDegree: Int = 1_000
    /// Endorsers with more targets than this in the window (accounts that
    /// follow everyone) are not paired either: one endorser adds at most one
    /// to any pair, and pairing all its targets would cost its degree squared.
    public var maxEndorserDegree: Int = 1_000
    /// A new endorsement is paired with at most this many of its endorser's
    /// latest targets, so that deciding it costs O(this), not O(out-degree):
    /// a farm's fakes endorse their customers within days, so the customers
    /// are among their latest targets.
    public var recentTargets: Int = 64

    /// The defaults.
    public init() {}
  }

  struct Edge {
    /// The first endorsement's seq; repeats (likes after a follow) go to
    /// `more`, the latest ``maxRepeats`` of them, so an account liking the
    /// same target all day long keeps bounded state. Older repeats of a
    /// flagged edge stay admitted; they add no new endorser to any score.
    var seq: Int
    var more: [Int] = []

    static let maxRepeats = 64
    var first: Int64
    var last: Int64
    var withheld: Bool

    /// Records repeat `seq` at `time`, forgetting the oldest repeat beyond ``maxRepeats``.
    mutating func repeated(seq: Int, at time: Int64) {
      if more.count == Self.maxRepeats { more.removeFirst() }
      more.append(seq)
      last = time
    }
  }

  /// Co-endorsements of a pair of targets over the last window, counted in
  /// two tumbling buckets of one window each and read as the sliding-window
  /// estimate current + previous × (share of the previous bucket still in
  /// the window). Without the window, a pair of moderately popular accounts
  /// that share fans year after year would pile up a count that the
  /// windowed chance level no longer matches, and be flagged in the end.
  ///
  /// A checkpoint copies these as raw bytes, so the fields are laid out
  /// without padding (widest first, then ``unused`` and ``unusedWide``).
  struct Pair {
    var bucket: Int64
    var last: Int64
    var count: Int32 = 0
    var previous: Int32 = 0
    /// The co-endorsement count at which to look for a third customer
    /// next (``IncrementalEngagementCheck/thirdCustomers(of:_:)``).
    var nextCheck: Int32 = 0
    var flagged = false
    /// With ``unusedWide``, fills the record to its stride, zero.
    private var unused: UInt8 = 0
    private var unusedWide: UInt16 = 0

    init(time: Int64, window: Int64) {
      bucket = Self.bucket(time, window).index
      last = time
    }

    /// The bucket of `time` and how far into it `time` lies, rounding down
    /// for times before 1970 too.
    static func bucket(_ time: Int64, _ window: Int64) -> (index: Int64, offset: Int64) {
      let r = time % window
      return r < 0 ? (time / window - 1, r + window) : (time / window, r)
    }

    mutating func bump(at time: Int64, window: Int64) {
      let b = Self.bucket(time, window).index
      if b == bucket + 1 {
        previous = count
        count = 0
      } else if b > bucket + 1 {
        previous = 0
        count = 0
      }
      if b > bucket { bucket = b }
      count += 1
      last = max(last, time)
    }

    /// The co-endorsers in the window ending at `time`.
    func estimate(at time: Int64, window: Int64) -> Double {
      let (b, offset) = Self.bucket(time, window)
      let inWindow = Double(window - offset) / Double(window)
      if b == bucket { return Double(count) + Double(previous) * inWindow }
      if b == bucket + 1 { return Double(count) * inWindow }
      return b < bucket ? Double(count) : 0
    }
  }

  let thresholds: Thresholds
  /// The history window (``PrefilterConfiguration/windowDays``) in seconds.
  let windowSeconds: Int64
  private(set) var edges: [UInt64: Edge] = [:]
  private(set) var targetsOf: [EndorsementList] = []
  private(set) var endorsersOf: [EndorsementList] = []
  private(set) var pairs: [UInt64: Pair] = [:]
  private(set) var partners: [Int32: [Int32]] = [:]
  private(set) var activeEndorsers = 0
  /// Eviction queues: (time touched, key), oldest first, popped as time advances.
  private var edgeQueue: [(time: Int64, key: UInt64)] = []
  private var edgeHead = 0
  /// Pairs to look at as time advances: one entry per pair (``EvictionHeap``).
  private var pairQueue = EvictionHeap()

  init(configuration: PrefilterConfiguration) {
    thresholds = Self.thresholds(in: configuration)
    windowSeconds = configuration.windowSeconds
  }

  static var thresholdsKey: KeyPath<PrefilterConfiguration, Thresholds> { \.engagement }
  static var partName: String { "engagement" }
  static let watches: [PrefilterEvent.Kind] = [.endorsement]
  static var recordSizes: [Int] { [MemoryLayout<Pair>.size] }
  static func reachBeyondWindow(_ configuration: PrefilterConfiguration) -> Int64 {
    thresholds(in: configuration).syncSeconds
  }

  /// Decides an endorsement; admits the other events.
  mutating func check(_ event: PrefilterEvent, seq: Int, time: Int64, now: Int64, names: inout PrefilterNames)
    -> CheckOutcome
  {
    guard case let .endorsement(endorser, target) = event else { return .admit }
    return check(seq: seq, endorser: endorser, target: target, time: time, now: now, names: names.accounts)
  }

  @inline(__always) static func edgeKey(_ e: Int32, _ t: Int32) -> UInt64 {
    UInt64(UInt32(e)) << 32 | UInt64(UInt32(t))
  }
  @inline(__always) static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 { a < b ? edgeKey(a, b) : edgeKey(b, a) }

  /// Decides endorsement `seq` of `target` by `endorser` at `time`, first
  /// evicting what is older than the window before the stream's clock `now`.
  mutating func check(
    seq: Int, endorser e: Int32, target t: Int32, time: Int64, now: Int64, names: WindowedInterner
  ) -> CheckOutcome {
    evict(now: now)
    if e == t { return .admit }
    let n = Int(max(e, t)) + 1
    if targetsOf.count < n {
      targetsOf.append(contentsOf: repeatElement(EndorsementList(), count: n - targetsOf.count))
      endorsersOf.append(contentsOf: repeatElement(EndorsementList(), count: n - endorsersOf.count))
    }
    let key = Self.edgeKey(e, t)
    if let slot = edges.index(forKey: key) {
      // In place: an edge copied out and back would copy its `more` on every repeat.
      edges.values[slot].repeated(seq: seq, at: time)
      edgeQueue.append((time, key))
      if edges.values[slot].withheld {
        return CheckOutcome(holdReasons: [
          "dense-block: \(names[e]) again endorses \(names[t]), part of a flagged block"
        ])
      }
      return .admit
    }
    edges[key] = Edge(seq: seq, first: time, last: time, withheld: false)
    edgeQueue.append((time, key))
    if targetsOf[Int(e)].isEmpty { activeEndorsers += 1 }
    targetsOf[Int(e)].append(t)
    endorsersOf[Int(t)].append(e)

    var outcome = CheckOutcome.admit
    // Joining a block already flagged: e endorsed a partner of t (two of
    // them when e is a busy rater, for whom one may be chance).
    if let ps = partners[t] {
      let joined = ps.filter { edges[Self.edgeKey(e, $0)] != nil }
      for p in joined where joined.count >= (isBusy(e) ? 2 : 1) {
        let reason = "dense-block: \(names[e]) endorses both \(names[t]) and \(names[p]), a flagged block"
        if outcome.holdReasons.isEmpty { outcome.holdReasons.append(reason) }
        withhold(Self.edgeKey(e, p), reason, &outcome)
      }
      if !outcome.holdReasons.isEmpty {
        edges[key]!.withheld = true
        return outcome
      }
    }

    let degreeT = endorsersOf[Int(t)].count
    guard degreeT <= thresholds.maxTargetDegree, targetsOf[Int(e)].count <= thresholds.maxEndorserDegree
    else { return outcome }
    // The latest targets before t (t itself is last).
    for other in targetsOf[Int(e)].live.dropLast().suffix(thresholds.recentTargets) {
      let degreeO = endorsersOf[Int(other)].count
      guard degreeO <= thresholds.maxTargetDegree,
        let otherEdge = edges[Self.edgeKey(e, other)],
        abs(time - otherEdge.first) <= thresholds.syncSeconds
      else { continue }
      let pk = Self.pairKey(t, other)
      let window = windowSeconds
      var pair: Pair
      if let known = pairs[pk] {
        pair = known
      } else {
        pair = Pair(time: time, window: window)
        pairQueue.push(time: time, key: pk)  // pushed again at its latest touch when it comes up (evict)
      }
      pair.bump(at: time, window: window)
      pairs[pk] = pair
      let count = pair.estimate(at: time, window: window)
      guard !pair.flagged, count >= Double(thresholds.minEndorsers), count >= Double(pair.nextCheck) else { continue }
      let expected = Double(degreeT) * Double(degreeO) / Double(max(activeEndorsers, 1))
      guard count >= thresholds.surprise * expected else { continue }
      // A dense pair is a candidate, not yet a block: a burst toward one
      // account and its related account makes one too. Look for a third
      // customer the pair's co-endorsers move together on; if there is none,
      // look again once the pair has half as many co-endorsers again.
      pairs[pk]!.nextCheck = Int32(clamping: Int((count * 1.5).rounded(.up)))
      for third in thirdCustomers(of: t, other) {
        let reason =
          "dense-block: \(third.endorsers) accounts endorse \(names[t]), \(names[other]) and \(names[third.target]) (\(Int(count.rounded())) of the first two within \(thresholds.syncSeconds / 86_400) days of each other; chance of the third ≈ \(String(format: "%.2f", third.expected)))"
        if outcome.holdReasons.isEmpty { outcome.holdReasons.append(reason) }
        edges[key]!.withheld = true
        flagBlock(t, other, third: third.target, reason, time: time, &outcome)
        flagBlock(t, third.target, third: other, reason, time: time, onlyIfDense: true, &outcome)
        flagBlock(other, third.target, third: t, reason, time: time, onlyIfDense: true, &outcome)
      }
    }
    if !outcome.holdReasons.isEmpty { edges[key]!.withheld = true }
    return outcome
  }

  /// The third customers of the dense pair (`a`, `b`): targets `x` that at
  /// least ``Thresholds/minEndorsers`` of the pair's latest co-endorsers (at
  /// most ``Thresholds/recentTargets`` of them) also endorse,
  /// ``Thresholds/surprise`` times more than chance given those endorsers'
  /// degrees (Σ (out-degree − 2) · d(x) / edges in the window: each has two
  /// targets besides x, `a` and `b`, that selected it); an endorser with
  /// more than `recentTargets` targets in the window (a busy rater) counts
  /// for `recentTargets` / its out-degree of one, in both; and
  /// whose co-endorsers of all three are not a community (see
  /// ``isCommunity(_:targets:)``). Sorted by target id, so decisions do not
  /// depend on hashing.
  ///
  /// - Complexity: O(d(a) + ``Thresholds/recentTargets``²).
  private func thirdCustomers(of a: Int32, _ b: Int32) -> [(target: Int32, endorsers: Int, expected: Double)] {
    // The latest co-endorsers, at most `recentTargets` of them: enough to
    // see a farm, and a bound on the work however dense the pair.
    var group: [Int32] = []
    for g in endorsersOf[Int(a)].live.reversed() where edges[Self.edgeKey(g, b)] != nil {
      group.append(g)
      if group.count == thresholds.recentTargets { break }
    }
    // An endorser with more targets in the window than the check pairs
    // (a busy rater) counts for recentTargets / its degree of one.
    var weightedDegrees = 0.0
    var hits: [Int32: Double] = [:]
    for g in group {
      let degree = targetsOf[Int(g)].count
      let weight = min(1, Double(thresholds.recentTargets) / Double(max(degree, 1)))
      weightedDegrees += weight * Double(max(degree - 2, 0))  // its targets besides a and b
      for x in targetsOf[Int(g)].live.suffix(thresholds.recentTargets) where x != a && x != b {
        hits[x, default: 0] += weight
      }
    }
    var found: [(target: Int32, endorsers: Int, expected: Double)] = []
    for (x, k) in hits where k >= Double(thresholds.minEndorsers) {
      let degreeX = endorsersOf[Int(x)].count
      guard degreeX <= thresholds.maxTargetDegree else { continue }
      let expected = Double(degreeX) * weightedDegrees / Double(max(edges.count, 1))
      guard k >= thresholds.surprise * expected else { continue }
      let members = group.filter { edges[Self.edgeKey($0, x)] != nil }
      guard !isCommunity(members, targets: [a, b, x]) else { continue }
      found.append((x, members.count, expected))
    }
    return found.sorted { $0.target < $1.target }
  }

  /// Whether at least half of `members` (the first 32 of them) are tied to
  /// the group otherwise than by endorsing `targets`: endorsed by one of the
  /// targets, or endorsing or endorsed by another member. A club, a family or
  /// a class whose members follow each other is such a community; a farm's
  /// accounts serve customers who do not follow them back.
  ///
  /// - Complexity: O(32²) lookups at most.
  private func isCommunity(_ members: [Int32], targets: [Int32]) -> Bool {
    let sample = members.prefix(32)
    var tied = 0
    for g in sample {
      if targets.contains(where: { edges[Self.edgeKey($0, g)] != nil })
        || sample.contains(where: {
          $0 != g && (edges[Self.edgeKey(g, $0)] != nil || edges[Self.edgeKey($0, g)] != nil)
        })
      {
        tied += 1
      }
    }
    return tied * 2 >= sample.count
  }

  /// Flags the pair (`a`, `b`) of the block (`a`, `b`, `c`), if it is not
  /// one yet: its targets become partners, and every endorsement of both by
  /// a common endorser is withheld (admitted ones revoked), except a busy
  /// rater's that does not endorse `c` too. With `onlyIfDense`, only when the pair
  /// itself has ``Thresholds/minEndorsers`` common endorsers,
  /// ``Thresholds/surprise`` times more than chance: a farm's fakes that also
  /// follow popular accounts (camouflage) bring them into a block, but the
  /// honest fans a popular account shares with a customer are not withheld.
  private mutating func flagBlock(
    _ a: Int32, _ b: Int32, third c: Int32, _ reason: String, time: Int64, onlyIfDense: Bool = false,
    _ outcome: inout CheckOutcome
  ) {
    let pk = Self.pairKey(a, b)
    if pairs[pk]?.flagged == true { return }
    let common = endorsersOf[Int(a)].live.filter { edges[Self.edgeKey($0, b)] != nil }
    if onlyIfDense {
      let expected =
        Double(endorsersOf[Int(a)].count) * Double(endorsersOf[Int(b)].count) / Double(max(activeEndorsers, 1))
      guard common.count >= thresholds.minEndorsers, Double(common.count) >= thresholds.surprise * expected else {
        return
      }
    }
    if pairs[pk] == nil {
      pairs[pk] = Pair(time: time, window: windowSeconds)
      pairQueue.push(time: time, key: pk)
    }
    pairs[pk]!.flagged = true
    partners[a, default: []].append(b)
    partners[b, default: []].append(a)
    for x in common where !isBusy(x) || edges[Self.edgeKey(x, c)] != nil {
      withhold(Self.edgeKey(x, a), reason, &outcome)
      withhold(Self.edgeKey(x, b), reason, &outcome)
    }
  }

  /// Whether `e` endorsed more accounts in the window than the check pairs
  /// (``Thresholds/recentTargets``): a busy rater, whose endorsement of two
  /// customers of a farm may be chance.
  private func isBusy(_ e: Int32) -> Bool { targetsOf[Int(e)].count > thresholds.recentTargets }

  /// Marks an edge withheld and revokes its admitted seqs.
  private mutating func withhold(_ key: UInt64, _ reason: String, _ outcome: inout CheckOutcome) {
    guard var edge = edges[key], !edge.withheld else { return }
    edge.withheld = true
    edges[key] = edge
    outcome.revoked.append((edge.seq, reason))
    for s in edge.more { outcome.revoked.append((s, reason)) }
  }

  /// Forgets edges, pairs and blocks whose latest activity is older than the
  /// window, popping the eviction queues as time advances.
  ///
  /// - Complexity: amortised O(1) per queued touch, plus O(degree) per evicted edge.
  mutating func evict(now: Int64) {
    let cutoff = now - windowSeconds
    while edgeHead < edgeQueue.count, edgeQueue[edgeHead].time < cutoff {
      let key = edgeQueue[edgeHead].key
      edgeHead += 1
      guard let edge = edges[key], edge.last < cutoff else { continue }
      edges[key] = nil
      let e = Int32(truncatingIfNeeded: key >> 32), t = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
      targetsOf[Int(e)].remove(t)
      if targetsOf[Int(e)].isEmpty { activeEndorsers -= 1 }
      endorsersOf[Int(t)].remove(e)
    }
    while let (_, key) = pairQueue.popMin(before: cutoff) {
      guard let pair = pairs[key] else { continue }
      guard pair.last < cutoff else {
        pairQueue.push(time: pair.last, key: key)
        continue
      }
      pairs[key] = nil
      if pair.flagged {
        let a = Int32(truncatingIfNeeded: key >> 32), b = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
        partners[a]?.removeAll { $0 == b }
        partners[b]?.removeAll { $0 == a }
        if partners[a]?.isEmpty == true { partners[a] = nil }
        if partners[b]?.isEmpty == true { partners[b] = nil }
      }
    }
    if edgeHead > 4_096, edgeHead * 2 > edgeQueue.count {
      edgeQueue.removeFirst(edgeHead)
      edgeHead = 0
    }
  }

  /// Drops every edge, pair and block of the released accounts
  /// (`released.accounts[a]`), whose ids are about to be reused. Their queue entries
  /// stay: a popped key whose edge or pair is younger than the window is
  /// left alone, so they cannot evict the new owner's state.
  ///
  /// - Complexity: O(degree) per released account, plus one pass over the
  ///   pairs and blocks.
  mutating func forget(_ released: ReleasedIds) {
    guard let released = released.accounts else { return }
    func gone(_ a: Int32) -> Bool { Int(a) < released.count && released[Int(a)] }
    for a in released.indices where released[a] && a < targetsOf.count {
      let e = Int32(a)
      for t in targetsOf[a].live {
        edges[Self.edgeKey(e, t)] = nil
        endorsersOf[Int(t)].removeAll { $0 == e }
      }
      if !targetsOf[a].isEmpty { activeEndorsers -= 1 }
      for x in endorsersOf[a].live where !gone(x) {
        edges[Self.edgeKey(x, e)] = nil
        targetsOf[Int(x)].removeAll { $0 == e }
        if targetsOf[Int(x)].isEmpty { activeEndorsers -= 1 }
      }
      for x in endorsersOf[a].live where gone(x) { edges[Self.edgeKey(x, e)] = nil }
      targetsOf[a] = EndorsementList()
      endorsersOf[a] = EndorsementList()
    }
    // Pairs age out with their endorsements, so this normally finds none;
    // it matters only when timestamps jump back by more than the window.
    let stalePairs = pairs.keys.filter { key in
      gone(Int32(truncatingIfNeeded: key >> 32)) || gone(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
    }
    for key in stalePairs { pairs[key] = nil }
    if partners.contains(where: { gone($0.key) || $0.value.contains(where: gone) }) {
      partners = partners.filter { !gone($0.key) }.compactMapValues { list in
        let kept = list.filter { !gone($0) }
        return kept.isEmpty ? nil : kept
      }
    }
  }

  /// Endorsements (distinct endorser–target edges) and co-endorsed target pairs kept.
  var edgesKept: Int { edges.count }
  var pairsKept: Int { pairs.count }
  /// Entries in the pairs' eviction queue: about one per pair kept.
  var pairEntriesQueued: Int { pairQueue.count }

  /// Adds the edges and target pairs kept.
  func addFootprint(to footprint: inout PrefilterFootprint) {
    footprint.endorsements += edgesKept
    footprint.targetPairs += pairsKept
  }

  /// Every edge, pair and block between live accounts, and each edge listed
  /// once in its endorser's targets and once in its target's endorsers.
  func invariantViolation(names: PrefilterNames) -> String? {
    func live(_ a: Int32) -> Bool { names.accounts.isLive(a) }
    let ids = targetsOf.count
    guard endorsersOf.count == ids, ids <= names.accounts.idCapacity else {
      return "more endorsement lists than account ids"
    }
    for key in edges.keys {
      let (e, t) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      guard live(e), live(t), Int(max(e, t)) < ids else { return "an endorsement names a forgotten account" }
    }
    // Each edge once in its endorser's targets and once in its target's
    // endorsers, and nothing else there (linear: a hashed set of the lists' edges).
    var listed = Set<UInt64>(minimumCapacity: edges.count)
    for (a, targets) in targetsOf.enumerated() where !targets.isEmpty {
      guard live(Int32(a)), targets.live.allSatisfy({ live($0) && Int($0) < ids }) else {
        return "targets kept for a forgotten account"
      }
      for t in targets.live {
        let key = Self.edgeKey(Int32(a), t)
        guard edges[key] != nil, listed.insert(key).inserted else {
          return "an endorser's targets disagree with its edges"
        }
      }
    }
    guard listed.count == edges.count else { return "an edge is missing from its endorser's targets" }
    var endorsed = 0
    for (a, endorsers) in endorsersOf.enumerated() where !endorsers.isEmpty {
      guard live(Int32(a)), endorsers.live.allSatisfy({ live($0) && Int($0) < ids }) else {
        return "endorsers kept for a forgotten account"
      }
      for e in endorsers.live where !listed.contains(Self.edgeKey(e, Int32(a))) {
        return "a target's endorsers disagree with the edges"
      }
      endorsed += endorsers.count
    }
    guard endorsed == edges.count else { return "an edge is missing from its target's endorsers" }
    for key in pairs.keys {
      let (a, b) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      guard live(a), live(b), Int(max(a, b)) < ids else { return "a pair names a forgotten target" }
    }
    for (a, ps) in partners {
      guard live(a), Int(a) < ids, ps.allSatisfy({ live($0) && Int($0) < ids }) else {
        return "a block names a forgotten target"
      }
    }
    guard activeEndorsers >= 0 else { return "a negative count of active endorsers" }
    return nil
  }
}

extension IncrementalEngagementCheck {
  /// Writes the kept edges, pairs, blocks and eviction queues for a checkpoint.
  func write(to writer: inout StateWriter) {
    // Column by column, each streamed from the edges (no column is built
    // whole); the repeat seqs of all edges flattened, with a count per edge.
    let values = edges.values, count = edges.count
    writer.write(edges.keys, count: count)
    writer.write(values.lazy.map(\.seq), count: count)
    writer.write(values.lazy.map(\.first), count: count)
    writer.write(values.lazy.map(\.last), count: count)
    writer.write(values.lazy.map(\.withheld), count: count)
    writer.write(values.lazy.map { Int32($0.more.count) }, count: count)
    writer.write(values.lazy.flatMap(\.more), count: values.reduce(0) { $0 + $1.more.count })
    writer.write(arrays: targetsOf.lazy.map(\.live))
    writer.write(arrays: endorsersOf.lazy.map(\.live))
    writer.write(pairs)
    writer.write(partners)
    writer.write(activeEndorsers)
    writer.write(edgeQueue[edgeHead...], count: edgeQueue.count - edgeHead)
    writer.write(pairQueue.entries)
  }

  /// Restores the state written by ``write(to:)``.
  init(configuration: PrefilterConfiguration, from reader: inout StateReader) throws(StateReaderError) {
    self.init(configuration: configuration)
    let keys = try reader.readArray(UInt64.self)
    let seqs = try reader.readArray(Int.self), firsts = try reader.readArray(Int64.self)
    let lasts = try reader.readArray(Int64.self), withheld = try reader.readArray(Bool.self)
    let moreCounts = try reader.readArray(Int32.self), more = try reader.readArray(Int.self)
    guard [seqs.count, firsts.count, lasts.count, withheld.count, moreCounts.count].allSatisfy({ $0 == keys.count }),
      moreCounts.allSatisfy({ $0 >= 0 }), moreCounts.reduce(0, { $0 + Int($1) }) == more.count
    else { throw .malformed }
    edges.reserveCapacity(keys.count)
    var next = 0
    for i in keys.indices {
      let repeats = Array(more[next..<next + Int(moreCounts[i])])
      next += Int(moreCounts[i])
      edges[keys[i]] = Edge(seq: seqs[i], more: repeats, first: firsts[i], last: lasts[i], withheld: withheld[i])
    }
    targetsOf = try reader.readArrays(Int32.self).map(EndorsementList.init)
    endorsersOf = try reader.readArrays(Int32.self).map(EndorsementList.init)
    guard targetsOf.count == endorsersOf.count else { throw .malformed }
    pairs = try reader.readDictionary(UInt64.self, Pair.self)
    partners = try reader.readDictionaryOfArrays(Int32.self, Int32.self)
    activeEndorsers = try reader.read(Int.self)
    edgeQueue = try reader.readArray((time: Int64, key: UInt64).self)
    guard let heap = EvictionHeap(heapOrdered: try reader.readArray((time: Int64, key: UInt64).self)) else {
      throw .malformed
    }
    pairQueue = heap
  }
}
