import Foundation
import SignalGraph

/// Finds groups of endorsers acting in lockstep: at least *m* accounts that
/// each endorsed at least *n* of the same targets, each target within a
/// window of Δt — CopyCatch's definition, searched on the endorser × target ×
/// time tensor as dense subtensors are (one time slab per target).
///
/// 1. **Bursts.** For each endorsed account, the window of width Δt holding
///    the most first endorsements is a *burst* when it holds at least *m* and
///    is improbable for that account's own rate: P(Poisson(*d* Δt / *T*) ≥
///    count) ≤ 10⁻⁴, for *d* distinct endorsers over the set's span *T*. An
///    honest celebrity's steady stream of followers makes no burst.
/// 2. **Lockstep endorsers.** An endorser in the bursts of at least *n*
///    different targets. Groups are the connected parts of lockstep
///    endorsers and the bursts they share. An endorser in just one of a
///    group's bursts joins it only if its account was created within 30
///    days (``Thresholds/freshAccountSeconds``) before that burst (a fresh
///    account bought for the job).
/// 3. Each group is trimmed and tested with ``EngagementBlockTest``; the
///    score is the test's min(−log₁₀ p_density, −log₁₀ p_synchrony).
///
/// The same endorsements spread over months make no burst and no finding.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     var thresholds = LockstepDetector.Thresholds()
///     thresholds.window = 86_400
///     let findings = try LockstepDetector(thresholds: thresholds).findings(in: set, graph: GraphIndex(set))
///
/// [Beutel et al. 2013]: https://doi.org/10.1145/2488388.2488400
///
/// > A. Beutel, W. Xu, V. Guruswami, C. Palow, C. Faloutsos. "CopyCatch:
/// Stopping Group Attacks by Spotting Lockstep Behavior in Social Networks."
/// *WWW 2013*, pp. 119-130. K. Shin, B. Hooi, C. Faloutsos. "M-Zoom: Fast
/// Dense-Block Detection in Tensors with Quality Guarantees." *ECML PKDD
/// 2016*; "D-Cube: Dense-Block Detection in Terabyte-Scale Tensors." *WSDM 2017*.
///
/// - Complexity: O(*m*) for the bursts (two pointers over time-ordered
///   in-lists), plus the union–find over burst memberships; memory linear.
public struct LockstepDetector: Detector {
  /// `lockstep`.
  public var name: String { "lockstep" }

  /// The documented thresholds of the detector; in a settings file, the
  /// section `lockstep` with the snake_case keys of ``CodingKeys`` (the
  /// block test's are the section `engagement-block-test`):
  ///
  ///     var thresholds = LockstepDetector.Thresholds()
  ///     thresholds.minimumTargets = 3   // minimum_targets = 3
  ///     let detector = try LockstepDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Δt: the width of a burst window, in seconds (3 days).
    public var window: Int64 = 3 * 86_400
    /// *m*: the least endorsers in a burst and in a group.
    public var minimumEndorsers = 3
    /// *n*: the least distinct targets an endorser must hit in bursts.
    public var minimumTargets = 2
    /// The Poisson tail a burst must fall below.
    public var burstAlpha = 1e-4
    /// An endorser in a single burst joins its group when its account was
    /// created at most this many seconds before the burst (30 days).
    public var freshAccountSeconds: Int64 = 30 * 86_400

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `window`, `minimum_endorsers`,
    /// `minimum_targets`, `burst_alpha`, `fresh_account_seconds`.
    public enum CodingKeys: String, CodingKey {
      case window
      case minimumEndorsers = "minimum_endorsers"
      case minimumTargets = "minimum_targets"
      case burstAlpha = "burst_alpha"
      case freshAccountSeconds = "fresh_account_seconds"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds
  /// The block test in use.
  let test: EngagementBlockTest

  /// A detector with the default thresholds.
  public init() {
    thresholds = Thresholds()
    test = EngagementBlockTest()
  }

  /// A detector with `thresholds`, testing its groups with `blockTest`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds, blockTest: EngagementBlockTest.Thresholds = .init()) throws(DetectorSettingError)
  {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "lockstep")
    try check.atLeast(thresholds.window, 1, .window, "a whole number of seconds")
    try check.atLeast(thresholds.minimumEndorsers, 2, .minimumEndorsers, "a whole number")
    try check.atLeast(thresholds.minimumTargets, 1, .minimumTargets, "a whole number")
    try check.share(thresholds.burstAlpha, .burstAlpha)
    try check.atLeast(thresholds.freshAccountSeconds, 0, .freshAccountSeconds, "a whole number of seconds")
    self.thresholds = thresholds
    test = try EngagementBlockTest(validating: blockTest)
  }

  /// The thresholds of the block test in use.
  public var blockTest: EngagementBlockTest.Thresholds { test.thresholds }

  /// The lockstep groups of `set` that pass the test.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    findings(in: ScanContext(set, graph: graph))
  }

  /// The lockstep groups of the context's set, found on the endorsement
  /// graph the context builds once for every bought-engagement detector.
  public func findings(in context: ScanContext) -> [Finding] {
    let set = context.set, pairs = context.endorsements
    let n = pairs.nodeCount
    guard pairs.edgeCount > 0 else { return [] }
    let window = thresholds.window, minimumEndorsers = thresholds.minimumEndorsers
    let minimumTargets = thresholds.minimumTargets
    // 1. One burst per target at most: (target, first, last) positions in the in-list.
    var burstTarget: [Int32] = [], burstLo: [Int] = [], burstHi: [Int] = []
    let log10Alpha = log10(thresholds.burstAlpha)
    for j in 0..<n {
      let lo = pairs.inOffsets[j], hi = pairs.inOffsets[j + 1]
      guard hi - lo >= minimumEndorsers else { continue }
      var bestCount = 0, bestStart = lo, s = lo
      for e in lo..<hi {
        while pairs.inTime[e].saturatingSubtracting(pairs.inTime[s]) > window { s += 1 }
        if e - s + 1 > bestCount {
          bestCount = e - s + 1
          bestStart = s
        }
      }
      guard bestCount >= minimumEndorsers else { continue }
      let mean = Double(hi - lo) * Double(window) / pairs.span
      guard EngagementBlockTest.log10PoissonTail(bestCount, mean: mean) <= log10Alpha else { continue }
      burstTarget.append(Int32(j))
      burstLo.append(bestStart)
      burstHi.append(bestStart + bestCount)
    }
    guard !burstTarget.isEmpty else { return [] }
    // 2. How many bursts each endorser is in (each burst is one target).
    var burstsOf = [Int32](repeating: 0, count: n)
    for b in burstTarget.indices {
      for k in burstLo[b]..<burstHi[b] { burstsOf[Int(pairs.inSources[k])] += 1 }
    }
    // Union–find over bursts through shared lockstep endorsers.
    var sets = DisjointSets(count: burstTarget.count)
    var firstBurst = [Int32](repeating: -1, count: n)
    for b in burstTarget.indices {
      for k in burstLo[b]..<burstHi[b] {
        let i = Int(pairs.inSources[k])
        guard burstsOf[i] >= minimumTargets else { continue }
        if firstBurst[i] < 0 {
          firstBurst[i] = Int32(b)
        } else {
          sets.union(b, Int(firstBurst[i]))
        }
      }
    }
    // Members of each group: lockstep endorsers, and fresh single-burst ones.
    var groupOf = [Int: Int]()
    var groups: [(rows: [Int32], columns: [Int32], bursts: Int)] = []
    var placed = [Int32](repeating: -1, count: n)
    let created = set.accounts.createdAt
    let freshness = thresholds.freshAccountSeconds
    for b in burstTarget.indices {
      let r = sets.find(b)
      var g = groupOf[r] ?? -1
      if g < 0 {
        g = groups.count
        groupOf[r] = g
        groups.append(([], [], 0))
      }
      groups[g].columns.append(burstTarget[b])
      groups[g].bursts += 1
      let start = pairs.inTime[burstLo[b]]
      for k in burstLo[b]..<burstHi[b] {
        let i = pairs.inSources[k]
        guard placed[Int(i)] != Int32(g) else { continue }
        let c = created[Int(i)]
        let fresh = c != AccountTable.unknownTime && c >= start - freshness && c <= pairs.inTime[k]
        if burstsOf[Int(i)] >= minimumTargets || fresh {
          placed[Int(i)] = Int32(g)
          groups[g].rows.append(i)
        }
      }
    }
    var scratch = EngagementBlockTest.Scratch(accounts: n)
    var findings: [Finding] = []
    for group in groups where group.bursts >= minimumTargets && group.rows.count >= minimumEndorsers {
      for outcome in test.blocks(
        rows: group.rows.sorted(), columns: group.columns, pairs: pairs, set: set, scratch: &scratch)
      {
        findings.append(
          test.finding(
            outcome, detector: name, set: set,
            extra: [
              "bursts": .integer(outcome.customers.count), "burst_window_hours": .number(Double(window) / 3_600),
            ],
            lead: "Lockstep (CopyCatch, each target hit within \(window / 3_600) h): "))
      }
    }
    return findings
  }
}
