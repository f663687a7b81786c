import FraudLinalg
import SignalGraph

/// The endorser × endorsed graph with repeated endorsements of the same pair
/// collapsed to one edge carrying the pair's first time: the input of the
/// bought-engagement detectors. Only endorsements count, as the
/// ``EndorsementPolicy`` says (`follow` and `like` without a negative rating
/// by default): a dislike or a negative rating never makes an edge.
///
/// Both directions are CSR arrays over account indices. In the in-direction
/// a target's endorsers come in the order they first endorsed it; in the
/// out-direction an endorser's targets come in index order. A third CSR
/// keeps, per endorser, only the targets that do not endorse it back
/// (``oneWayOffsets``, ``oneWayTargets``): a reciprocated endorsement is a
/// mutual tie (friends, club members, trading partners rating each other),
/// not a bought one, so that is what the peeling searches.
///
/// One scan builds it once, in its ``ScanContext``, for the three
/// bought-engagement detectors and the endorsement spectrum.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let pairs = EndorsementGraph(set, graph: GraphIndex(set))
///     pairs.inDegree(of: 3)   // distinct endorsers of account 3
///
/// - Complexity: O(*n* + *m* log *d*) time for *m* distinct pairs and out-degrees
///   *d* (one binary search per pair for the one-way CSR), 36 bytes per distinct
///   pair plus 24 per account.
struct EndorsementGraph: Sendable {
  /// Accounts (rows and columns are both account indices).
  let nodeCount: Int
  /// Endorser → endorsed.
  let outOffsets: [Int]
  let outTargets: [Int32]
  /// Endorser → endorsed, without the endorsements the target returns.
  let oneWayOffsets: [Int]
  let oneWayTargets: [Int32]
  /// Endorsed → endorser, in order of first endorsement.
  let inOffsets: [Int]
  let inSources: [Int32]
  let inTime: [Int64]
  /// Every pair's first time, ascending: the set's activity profile.
  let sortedTimes: [Int64]
  /// The first and last interaction times of the whole set.
  let firstTime: Int64, lastTime: Int64
  /// Accounts that endorse anyone, and accounts endorsed by anyone.
  let endorserCount: Int, endorsedCount: Int

  init(_ set: SignalSet, graph: GraphIndex, policy: EndorsementPolicy = .standard) {
    let n = set.accounts.count
    nodeCount = n
    let time = set.interactions.time
    let endorses = policy.endorsements(of: set.interactions)
    var seen = [Int32](repeating: -1, count: n)
    // In-direction first: rows of interactionsIn are time-ordered.
    let inAdj = graph.interactionsIn
    var inOffsets = [Int](repeating: 0, count: n + 1)
    var inSources: [Int32] = []
    var inTime: [Int64] = []
    inSources.reserveCapacity(inAdj.edgeCount)
    inTime.reserveCapacity(inAdj.edgeCount)
    for v in 0..<n {
      for k in inAdj.offsets[v]..<inAdj.offsets[v + 1] {
        let u = inAdj.neighbors[k]
        if seen[Int(u)] == Int32(v) || !endorses[Int(inAdj.edges[k])] { continue }
        seen[Int(u)] = Int32(v)
        inSources.append(u)
        inTime.append(time[Int(inAdj.edges[k])])
      }
      inOffsets[v + 1] = inSources.count
    }
    // Out-direction: the transpose of the deduplicated in-direction.
    let (outOffsets, outTargets) = transposeCSR(rowOffsets: inOffsets, columnIndices: inSources, columnCount: n)
    self.inOffsets = inOffsets
    self.inSources = inSources
    self.inTime = inTime
    sortedTimes = RadixSort.sorted(inTime)
    self.outOffsets = outOffsets
    self.outTargets = outTargets
    var oneWayOffsets = [Int](repeating: 0, count: n + 1)
    var oneWayTargets: [Int32] = []
    oneWayTargets.reserveCapacity(outTargets.count)
    for i in 0..<n {
      for k in outOffsets[i]..<outOffsets[i + 1] {
        let j = Int(outTargets[k])
        if !Self.contains(outTargets, outOffsets[j]..<outOffsets[j + 1], Int32(i)) { oneWayTargets.append(Int32(j)) }
      }
      oneWayOffsets[i + 1] = oneWayTargets.count
    }
    self.oneWayOffsets = oneWayOffsets
    self.oneWayTargets = oneWayTargets
    endorserCount = (0..<n).reduce(0) { $0 + (outOffsets[$1 + 1] > outOffsets[$1] ? 1 : 0) }
    endorsedCount = (0..<n).reduce(0) { $0 + (inOffsets[$1 + 1] > inOffsets[$1] ? 1 : 0) }
    firstTime = time.min() ?? 0
    lastTime = time.max() ?? 0
  }

  /// Distinct pairs.
  var edgeCount: Int { inSources.count }

  /// Whether `source` endorses `target`: a binary search in its sorted out-list.
  @inline(__always) func endorses(_ source: Int32, _ target: Int32) -> Bool {
    Self.contains(outTargets, outOffsets[Int(source)]..<outOffsets[Int(source) + 1], target)
  }

  /// Whether the ascending `range` of `sorted` holds `value`.
  @inline(__always) static func contains(_ sorted: [Int32], _ range: Range<Int>, _ value: Int32) -> Bool {
    var a = range.lowerBound, b = range.upperBound
    while a < b {
      let mid = (a + b) / 2
      if sorted[mid] < value { a = mid + 1 } else { b = mid }
    }
    return a < range.upperBound && sorted[a] == value
  }

  @inline(__always) func inDegree(of v: Int32) -> Int { inOffsets[Int(v) + 1] - inOffsets[Int(v)] }
  @inline(__always) func outDegree(of v: Int32) -> Int { outOffsets[Int(v) + 1] - outOffsets[Int(v)] }
  /// Distinct targets of `v` that do not endorse it back.
  @inline(__always) func oneWayOutDegree(of v: Int32) -> Int { oneWayOffsets[Int(v) + 1] - oneWayOffsets[Int(v)] }

  /// How many distinct endorsers first endorsed `v` from `lo` through `hi`
  /// (both included): two binary searches in its time-ordered in-list.
  func inCount(of v: Int32, from lo: Int64, through hi: Int64) -> Int {
    func firstIndex(after t: Int64, strictly: Bool) -> Int {
      var a = inOffsets[Int(v)], b = inOffsets[Int(v) + 1]
      while a < b {
        let mid = (a + b) / 2
        if inTime[mid] < t || (strictly && inTime[mid] == t) { a = mid + 1 } else { b = mid }
      }
      return a
    }
    return firstIndex(after: hi, strictly: true) - firstIndex(after: lo, strictly: false)
  }

  /// How many pairs have their first time in `lo`...`hi`.
  func count(from lo: Int64, through hi: Int64) -> Int {
    func firstIndex(after t: Int64, strictly: Bool) -> Int {
      var a = 0, b = sortedTimes.count
      while a < b {
        let mid = (a + b) / 2
        if sortedTimes[mid] < t || (strictly && sortedTimes[mid] == t) { a = mid + 1 } else { b = mid }
      }
      return a
    }
    return firstIndex(after: hi, strictly: true) - firstIndex(after: lo, strictly: false)
  }

  /// The time span of the set in seconds (at least one hour).
  var span: Double { Double(max(lastTime.saturatingSubtracting(firstTime), 3_600)) }

  /// The binary endorser × endorsed matrix: the out-direction as it is,
  /// each row's targets distinct and ascending (the transpose lists them in
  /// index order), so it equals ``EndorsementSpectrum/binaryAdjacency(_:)``
  /// of the set without sorting a row again.
  var binaryAdjacency: SparseMatrix {
    SparseMatrix(
      rows: nodeCount, columns: nodeCount, rowOffsets: outOffsets, columnIndices: outTargets,
      values: [Double](repeating: 1, count: outTargets.count))
  }
}
