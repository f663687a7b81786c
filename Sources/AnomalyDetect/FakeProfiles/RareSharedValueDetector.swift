import SignalGraph

/// Finds groups of accounts tied together by several rare profile values:
/// the same phone, device or invented employer across accounts that are
/// otherwise unrelated, as when buyers fill their profiles from one template.
///
/// It follows the weighted projection of the account × value bipartite graph
/// used for co-occurrence fraud rings (the "shared attribute" graphs of
/// Xu et al., "Towards Detecting Fraud Rings", and, for the weighting, the
/// inverse document frequency of Spärck Jones 1972): every value carries
/// ``ProfileValueStatistics`` surprise ln(*n*/*k*) — zero for values shared by
/// more than 50 accounts (big employers and schools) and for household values
/// (address, phone, device) shared by at most 5 (families, flatmates).
///
/// Two accounts are *tied* when they share at least ``Thresholds/minSharedValues`` (2)
/// values of positive surprise, at least one of them not an affiliation
/// (`employer` or `school`: staff of a small clinic who trained at the same
/// local school share two affiliations honestly); the detector reports each
/// connected group of tied accounts with at least ``Thresholds/minAccounts`` (4)
/// members. One shared value never ties: colleagues at a small firm or
/// classmates share exactly one.
///
/// The score is the sum of the surprises of the values shared by at least half
/// of the group (each ≈ 7.4 for a value six accounts share among ten thousand).
///
///     let set = try SignalSet(contentsOf: "fixtures/profile-template")
///     let findings = RareSharedValueDetector().findings(in: set, graph: GraphIndex(set))
///     findings.first?.evidence   // {"shared_values": [{"field": "phone", …}], "reason": …}
///
/// - Complexity: O(*m* + Σ *k*ᵥ²) over values with positive surprise, with
///   *k*ᵥ ≤ 50; memory O(*m* + *n*).
public struct RareSharedValueDetector: Detector {
  /// `rare-shared-values`.
  public let name = "rare-shared-values"

  /// The documented thresholds of the detector; in a settings file, the
  /// section `rare-shared-values` with the snake_case keys of ``CodingKeys``:
  ///
  ///     var thresholds = RareSharedValueDetector.Thresholds()
  ///     thresholds.minAccounts = 6   // min_accounts = 6
  ///     let detector = try RareSharedValueDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Surprising values two accounts must share to be tied.
    public var minSharedValues = 2
    /// The smallest group reported.
    public var minAccounts = 4

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `min_shared_values`, `min_accounts`.
    public enum CodingKeys: String, CodingKey {
      case minSharedValues = "min_shared_values"
      case minAccounts = "min_accounts"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// Creates the detector with the documented thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "rare-shared-values")
    try check.atLeast(thresholds.minSharedValues, 1, .minSharedValues, "a whole number")
    try check.atLeast(thresholds.minAccounts, 2, .minAccounts, "a whole number")
    self.thresholds = thresholds
  }

  /// The groups of accounts tied by several rare shared values.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let edits = set.profileEdits
    guard edits.count > 0 else { return [] }
    let stats = ProfileValueStatistics(edits)
    return findings(in: set, graph: graph, stats: stats)
  }

  func findings(in set: SignalSet, graph: GraphIndex, stats: ProfileValueStatistics) -> [Finding] {
    let edits = set.profileEdits
    let n = set.accounts.count
    let byAccount = graph.editsByAccount
    var sets = DisjointSets(count: n)
    var tied = [Bool](repeating: false, count: n)
    // For account a: how many surprising values it shares with each later account b.
    var shared = [Int32](repeating: 0, count: n)
    var identity = [Int32](repeating: 0, count: n)
    let affiliations = ProfileValueStatistics.fieldIndices(["employer", "school"], in: edits)
    var touched: [Int32] = []
    var myValues: [Int32] = []
    for a in 0..<Int32(n) {
      myValues.removeAll(keepingCapacity: true)
      for v in byAccount.neighbors(of: a) where stats.surprise[Int(v)] > 0 && !myValues.contains(v) {
        myValues.append(v)
      }
      if myValues.count < thresholds.minSharedValues { continue }
      for v in myValues {
        let isIdentity: Int32 = affiliations.contains(stats.fieldOfValue[Int(v)]) ? 0 : 1
        for b in stats.accounts(of: Int(v)) where b > a {
          if shared[Int(b)] == 0 { touched.append(b) }
          shared[Int(b)] += 1
          identity[Int(b)] += isIdentity
        }
      }
      for b in touched {
        if Int(shared[Int(b)]) >= thresholds.minSharedValues && identity[Int(b)] > 0 {
          sets.union(a, b)
          tied[Int(a)] = true
          tied[Int(b)] = true
        }
        shared[Int(b)] = 0
        identity[Int(b)] = 0
      }
      touched.removeAll(keepingCapacity: true)
    }

    var members: [Int32: [Int32]] = [:]
    for a in 0..<Int32(n) where tied[Int(a)] {
      members[sets.find(a), default: []].append(a)
    }
    var findings: [Finding] = []
    for (_, group) in members.sorted(by: { $0.key < $1.key }) where group.count >= thresholds.minAccounts {
      // The group's surprising values and how many members share each.
      var countOf: [Int32: Int] = [:]
      for a in group {
        var mine: [Int32] = []
        for v in byAccount.neighbors(of: a) where stats.surprise[Int(v)] > 0 && !mine.contains(v) {
          mine.append(v)
          countOf[v, default: 0] += 1
        }
      }
      let values = countOf.filter { $0.value >= 2 }.sorted {
        $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
      }
      let core = values.filter { $0.value * 2 >= group.count }
      let score = core.reduce(0) { $0 + stats.surprise[Int($1.key)] }
      let listed = values.prefix(8).map { v, inGroup -> Evidence in
        [
          "field": .string(edits.fields[stats.fieldOfValue[Int(v)]]),
          "value": .string(edits.values[v]),
          "accounts": .integer(inGroup),
          "accounts_overall": .integer(stats.sharers(Int(v))),
          "surprise": .number(ProfileEvidence.round1(stats.surprise[Int(v)])),
        ]
      }
      let described = core.prefix(4).map { v, _ in
        let field = edits.fields[stats.fieldOfValue[Int(v)]]
        let overall = stats.sharers(Int(v))
        return "the \(field) \"\(edits.values[v])\" (\(overall) account\(overall == 1 ? "" : "s") overall)"
      }
      let reason =
        "\(group.count) accounts are tied by \(values.count) values that few others share; "
        + "most share " + (described.isEmpty ? "several of them" : described.joined(separator: ", "))
      findings.append(
        Finding(
          kind: .fakeProfile, detector: name, score: score, accounts: group,
          evidence: ["shared_values": .array(listed), "reason": .string(reason)]))
    }
    return findings
  }
}
