import Foundation
import FraudLinalg
import SignalGraph

/// Finds accounts that set the same rare profile value in one short burst,
/// and measures how far their editing behaviour is from everyone else's.
///
/// **Bursts.** For every value with positive ``ProfileValueStatistics``
/// surprise (set by 2 to 50 accounts, not a household's address, phone or
/// device) the detector slides a ``Thresholds/window`` (6 hours) over the times the
/// accounts first set it. When at least ``Thresholds/minBurstAccounts`` (5) accounts,
/// and at least half of all who ever set the value, set it within one window,
/// they form a burst: honest colleagues add a firm's name over months, a
/// template ring fills its profiles in one sitting. Bursts sharing an account
/// are joined into one finding.
///
/// **Statistics.** Every account with edits gets four features, oriented so
/// that larger is more suspicious: distinct fields changed; ln(1 + edits per
/// hour of its editing span, at least one hour); −ln(1 + hours from its last
/// edit to the first endorsement or payment it receives afterwards, a year if
/// none); and the share of its values that are rare shared values. Each is
/// turned into a robust z-score (median and MAD, Iglewicz and Hoaglin 1993);
/// their covariance is then estimated on the accounts whose four z-scores
/// all lie within ±3 (a one-step trimmed, reweighted estimate in the spirit
/// of Rousseeuw's minimum covariance determinant, 1984) plus a 0.05 ridge,
/// and each account's Mahalanobis distance under it is computed through the
/// Cholesky factor (``MahalanobisDistance``); should that factorisation
/// fail, the distances fall back to the identity covariance (Euclidean
/// distance of the z-scores), as when too few accounts are inliers.
///
/// The score of a burst group is the median Mahalanobis distance of its
/// members (capped at 20) plus the surprise ln(*n*/*k*) of each value set in
/// the burst, so a ring that both moves in lockstep and edits unlike anyone
/// else ranks first.
///
///     let set = try SignalSet(contentsOf: "fixtures/profile-template")
///     let findings = EditBehaviourDetector().findings(in: set, graph: GraphIndex(set))
///     findings.first?.evidence   // {"edit_window": "2026-02-10T10:00Z – 10:45Z", …}
///
/// - Complexity: O(*m* + *n* + Σ *k*ᵥ log *k*ᵥ) for *m* edits and *n*
///   accounts; memory O(*m* + *n*).
public struct EditBehaviourDetector: Detector {
  /// `edit-burst`.
  public let name = "edit-burst"

  /// The documented thresholds of the detector; in a settings file, the
  /// section `edit-burst` with the snake_case keys of ``CodingKeys``:
  ///
  ///     var thresholds = EditBehaviourDetector.Thresholds()
  ///     thresholds.window = 3_600   // window = 3600
  ///     let detector = try EditBehaviourDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The longest burst, in seconds (6 hours).
    public var window: Int64 = 6 * 3_600
    /// The fewest accounts a burst has.
    public var minBurstAccounts = 5

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `window`, `min_burst_accounts`.
    public enum CodingKeys: String, CodingKey {
      case window
      case minBurstAccounts = "min_burst_accounts"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// Creates the detector with the documented thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "edit-burst")
    try check.atLeast(thresholds.window, 0, .window, "a whole number of seconds")
    try check.atLeast(thresholds.minBurstAccounts, 2, .minBurstAccounts, "a whole number")
    self.thresholds = thresholds
  }

  /// The groups of accounts that set rare values in bursts.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let edits = set.profileEdits
    guard edits.count > 0 else { return [] }
    return findings(in: set, graph: graph, stats: ProfileValueStatistics(edits))
  }

  /// The four behaviour features of each account with edits, as rows of a
  /// matrix, and the account of each row.
  func features(in set: SignalSet, graph: GraphIndex, stats: ProfileValueStatistics) -> (Matrix, [Int32]) {
    let edits = set.profileEdits
    let byAccount = graph.editsByAccount
    var rows: [Int32] = []
    for a in 0..<Int32(set.accounts.count) where byAccount.degree(of: a) > 0 { rows.append(a) }
    let r = rows.count
    var x = [Double](repeating: 0, count: r * 4)
    var fieldsSeen: [Int32] = []
    var valuesSeen: [Int32] = []
    edits.time.withUnsafeBufferPointer { time in
      edits.field.withUnsafeBufferPointer { field in
        edits.value.withUnsafeBufferPointer { value in
          byAccount.edges.withUnsafeBufferPointer { edges in
            for (i, a) in rows.enumerated() {
              let lo = byAccount.offsets[Int(a)], hi = byAccount.offsets[Int(a) + 1]
              let first = time[Int(edges[lo])], last = time[Int(edges[hi - 1])]
              fieldsSeen.removeAll(keepingCapacity: true)
              valuesSeen.removeAll(keepingCapacity: true)
              var rare = 0
              for k in lo..<hi {
                let e = Int(edges[k])
                let f = field[e], v = value[e]
                if !fieldsSeen.contains(f) { fieldsSeen.append(f) }
                if valuesSeen.count < 64, !valuesSeen.contains(v) {
                  valuesSeen.append(v)
                  if stats.surprise[Int(v)] > 0 { rare += 1 }
                }
              }
              let hours = max(Double(last.saturatingSubtracting(first)) / 3600, 1)
              let activity = Self.firstTime(after: last, graph.interactionsIn, set.interactions.time, a)
              let paid = Self.firstTime(after: last, graph.paymentsIn, set.payments.time, a)
              let next = min(activity ?? .max, paid ?? .max)
              let wait = next == .max ? 24 * 365 : Double(next.saturatingSubtracting(last)) / 3600
              x[i] = Double(fieldsSeen.count)
              x[i + r] = log1p(Double(hi - lo) / hours)
              x[i + 2 * r] = -log1p(wait)
              x[i + 3 * r] = Double(rare) / Double(max(valuesSeen.count, 1))
            }
          }
        }
      }
    }
    return (Matrix(rows: r, columns: 4, columnMajor: x), rows)
  }

  /// The earliest time at or after `t` among `node`'s time-ordered edges.
  static func firstTime(after t: Int64, _ adjacency: Adjacency, _ time: [Int64], _ node: Int32) -> Int64? {
    let run = adjacency.edges(of: node)
    var lo = run.startIndex, hi = run.endIndex
    while lo < hi {
      let mid = (lo + hi) / 2
      if time[Int(run[mid])] < t { lo = mid + 1 } else { hi = mid }
    }
    return lo < run.endIndex ? time[Int(run[lo])] : nil
  }

  /// Robust z-scores per feature and the robust Mahalanobis distance of each row.
  static func robustDistances(_ features: Matrix) -> (z: Matrix, distance: [Double]) {
    let r = features.rows, d = features.columns
    guard r > 0 else { return (features, []) }
    var z = Matrix(rows: r, columns: d)
    for j in 0..<d { z.setColumn(j, to: RobustStatistics.robustZScores(features.column(j))) }
    var inliers: [Int] = []
    for i in 0..<r where (0..<d).allSatisfy({ abs(z[i, $0]) <= 3 }) { inliers.append(i) }
    var covariance = Matrix.identity(d)
    var mean = [Double](repeating: 0, count: d)
    if inliers.count > d + 1 {
      for j in 0..<d { mean[j] = inliers.reduce(0) { $0 + z[$1, j] } / Double(inliers.count) }
      for j in 0..<d {
        for k in 0...j {
          var s = 0.0
          for i in inliers { s += (z[i, j] - mean[j]) * (z[i, k] - mean[k]) }
          let c = s / Double(inliers.count - 1) + (j == k ? 0.05 : 0)
          covariance[j, k] = c
          covariance[k, j] = c
        }
      }
    }
    return (z, mahalanobis(mean: mean, covariance: covariance).distances(to: z))
  }

  /// The Mahalanobis distance under `covariance`, or, when its Cholesky
  /// factorisation fails, under the identity.
  ///
  /// A deliberate fallback, not a swallowed error: the covariance is
  /// estimated on inliers only (finite z-scores within ±3) plus a 0.05
  /// ridge, so it is positive definite and the factorisation is not
  /// expected to fail. Should LAPACK fail all the same, the identity
  /// measures the Euclidean distance of the robust z-scores, which still
  /// ranks accounts by how unusual they are, and is what the estimate
  /// already uses when too few accounts are inliers. The distances only
  /// shape the score and evidence of bursts already found, never whether a
  /// burst is reported, so no finding is lost.
  static func mahalanobis(mean: [Double], covariance: Matrix) -> MahalanobisDistance {
    do {
      return try MahalanobisDistance(mean: mean, covariance: covariance)
    } catch {
      // The identity is positive definite: this factorisation cannot fail.
      return try! MahalanobisDistance(mean: mean, covariance: .identity(mean.count))
    }
  }

  func findings(in set: SignalSet, graph: GraphIndex, stats: ProfileValueStatistics) -> [Finding] {
    let edits = set.profileEdits
    let n = set.accounts.count
    let valueCount = edits.values.count

    // Edit rows of the burst candidates (values with surprise and enough sharers), by value.
    var offsets = [Int32](repeating: 0, count: valueCount + 1)
    for e in 0..<edits.count {
      let v = Int(edits.value[e])
      if stats.surprise[v] > 0 && stats.sharers(v) >= thresholds.minBurstAccounts { offsets[v + 1] += 1 }
    }
    for v in 0..<valueCount { offsets[v + 1] += offsets[v] }
    var cursor = offsets
    var rowsByValue = [Int32](repeating: 0, count: Int(offsets[valueCount]))
    for e in 0..<edits.count {
      let v = Int(edits.value[e])
      if offsets[v + 1] > offsets[v] {
        rowsByValue[Int(cursor[v])] = Int32(e)
        cursor[v] += 1
      }
    }

    struct Burst {
      var value: Int32
      var start: Int64, end: Int64
      var accounts: [Int32]
    }
    var bursts: [Burst] = []
    var firstSet: [(time: Int64, account: Int32)] = []
    for v in 0..<valueCount where offsets[v + 1] > offsets[v] {
      firstSet.removeAll(keepingCapacity: true)
      for e in rowsByValue[Int(offsets[v])..<Int(offsets[v + 1])] {
        firstSet.append((edits.time[Int(e)], edits.account[Int(e)]))
      }
      firstSet.sort { $0.account != $1.account ? $0.account < $1.account : $0.time < $1.time }
      var w = 0
      for i in firstSet.indices where i == 0 || firstSet[i].account != firstSet[i - 1].account {
        firstSet[w] = firstSet[i]
        w += 1
      }
      firstSet.removeLast(firstSet.count - w)
      firstSet.sort { $0.time != $1.time ? $0.time < $1.time : $0.account < $1.account }
      let needed = max(thresholds.minBurstAccounts, (firstSet.count + 1) / 2)
      var best = (count: 0, lo: 0)
      var lo = 0
      for hi in firstSet.indices {
        while firstSet[hi].time.saturatingSubtracting(firstSet[lo].time) > thresholds.window { lo += 1 }
        if hi - lo + 1 > best.count { best = (hi - lo + 1, lo) }
      }
      guard best.count >= needed else { continue }
      let members = firstSet[best.lo..<(best.lo + best.count)]
      bursts.append(
        Burst(value: Int32(v), start: members.first!.time, end: members.last!.time, accounts: members.map(\.account)))
    }
    guard !bursts.isEmpty else { return [] }

    // Statistics for the evidence and the score.
    let (matrix, rows) = features(in: set, graph: graph, stats: stats)
    let (_, distance) = Self.robustDistances(matrix)
    var rowOf = [Int32](repeating: -1, count: n)
    for (i, a) in rows.enumerated() { rowOf[Int(a)] = Int32(i) }
    let overallMedian = distance.isEmpty ? 0 : RobustStatistics.median(distance)

    // Join bursts that share accounts.
    var sets = DisjointSets(count: bursts.count)
    var burstOf = [Int32](repeating: -1, count: n)
    for (b, burst) in bursts.enumerated() {
      for a in burst.accounts {
        if burstOf[Int(a)] >= 0 { sets.union(Int32(b), burstOf[Int(a)]) } else { burstOf[Int(a)] = Int32(b) }
      }
    }
    var groups: [Int32: [Int]] = [:]
    for b in bursts.indices { groups[sets.find(Int32(b)), default: []].append(b) }

    var findings: [Finding] = []
    let active = Double(max(stats.activeAccounts, 1))
    for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
      let parts = members.map { bursts[$0] }
      let accounts = Array(Set(parts.flatMap(\.accounts))).sorted()
      let start = parts.map(\.start).min()!, end = parts.map(\.end).max()!
      let distances: [Double] = accounts.compactMap { rowOf[Int($0)] >= 0 ? distance[Int(rowOf[Int($0)])] : nil }
      let median = distances.isEmpty ? 0 : RobustStatistics.median(distances)
      let surprise = parts.reduce(0) { $0 + max(log(active / Double(stats.sharers(Int($1.value)))), 0.1) }
      let score = min(median, 20) + surprise

      var entries: [(Int64, String)] = []
      for a in accounts {
        for e in graph.editsByAccount.edges(of: a) where edits.time[Int(e)] >= start && edits.time[Int(e)] <= end {
          let row = Int(e)
          entries.append(
            (
              edits.time[row],
              "\(ProfileEvidence.minute(edits.time[row])) \(set.accounts.ids[a]) set \(edits.fields[edits.field[row]]) to \"\(edits.values[edits.value[row]])\""
            ))
        }
      }
      entries.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      let timeline: [Evidence] = entries.prefix(40).map { .string($0.1) }
      let values = parts.map { burst -> Evidence in
        [
          "field": .string(edits.fields[stats.fieldOfValue[Int(burst.value)]]),
          "value": .string(edits.values[burst.value]),
          "accounts_in_burst": .integer(burst.accounts.count),
          "accounts_overall": .integer(stats.sharers(Int(burst.value))),
          "window": .string(ProfileEvidence.window(burst.start, burst.end)),
        ]
      }
      let named = parts.prefix(3).map {
        "the \(edits.fields[stats.fieldOfValue[Int($0.value)]]) \"\(edits.values[$0.value])\""
      }
      let reason =
        "\(accounts.count) accounts set " + named.joined(separator: ", ")
        + " within \(ProfileEvidence.duration(max(end - start, 60)))"
        + String(
          format:
            "; their edit behaviour lies at median Mahalanobis distance %.1f from the crowd (overall median %.1f)",
          median, overallMedian)
      findings.append(
        Finding(
          kind: .fakeProfile, detector: name, score: score, accounts: accounts,
          evidence: [
            "edit_window": .string(ProfileEvidence.window(start, end)),
            "burst_values": .array(values),
            "edit_timeline": .array(timeline),
            "mahalanobis_median": .number(ProfileEvidence.round1(median)),
            "reason": .string(reason),
          ]))
    }
    return findings
  }
}
