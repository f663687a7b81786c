import Foundation
import SignalGraph

/// Finds accounts whose bios are near-identical copies of one another, as
/// when profile text is bought from one template with a word or two changed.
///
/// Every distinct `bio`, `employer` and `school` value shared by at most 50
/// accounts (a big employer's name is common, not copied) and at least
/// ``minTextBytes`` long goes into a ``MinHashIndex`` (MinHash, Broder 1997;
/// LSH banding, Leskovec, Rajaraman and Ullman, "Mining of Massive Datasets",
/// ch. 3), so only candidate pairs are compared. A candidate pair of the same
/// field whose exact Jaccard similarity of character 4-gram sets is at least
/// ``threshold`` (0.5: about two words changed in a ten-word bio) is joined;
/// a group of at least two distinct bios set by at least ``minAccounts`` (3)
/// accounts is reported. Identical copies are the business of
/// ``RareSharedValueDetector``. Near-duplicate employer or school names never
/// flag alone ("Smith Plumbing" and "Smith Plumbing 2" are both real firms) but
/// are shown as evidence when their accounts overlap a reported group.
///
/// The score is ln(*n* / *k*) · (1 + mean Jaccard of the joined pairs), for
/// *k* accounts in the group among *n* with profile edits.
///
///     let findings = NearDuplicateTextDetector().findings(in: set, graph: GraphIndex(set))
///     findings.first?.evidence   // {"near_duplicate_bios": ["…", "…"], "reason": …}
///
/// - Complexity: O(*B* · *h*) to hash *B* bytes of distinct text with *h* = 48
///   hash functions, plus O(*c* · *L*) to verify *c* candidate pairs.
public struct NearDuplicateTextDetector: Detector {
  /// `near-duplicate-text`.
  public let name = "near-duplicate-text"
  /// The Jaccard similarity at which two texts count as near duplicates.
  public var threshold = 0.5
  /// The fewest accounts a reported group spans.
  public var minAccounts = 3
  /// Shorter texts (after normalisation) are not compared.
  public var minTextBytes = 16
  /// The MinHash and LSH configuration.
  public var index = MinHashIndex.Configuration()

  /// Creates the detector with the documented thresholds.
  public init() {}

  /// The groups of accounts with near-duplicate bios.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let edits = set.profileEdits
    guard edits.count > 0 else { return [] }
    return findings(in: set, stats: ProfileValueStatistics(edits))
  }

  func findings(in set: SignalSet, stats: ProfileValueStatistics) -> [Finding] {
    let edits = set.profileEdits
    let textFields = ProfileValueStatistics.fieldIndices(ProfileValueStatistics.textFields, in: edits)
    guard let bio = edits.fields.index(of: "bio") else { return [] }
    let valueCount = edits.values.count

    var minHash = MinHashIndex(configuration: index)
    var normalised: [UInt8] = []
    for v in 0..<valueCount {
      let f = stats.fieldOfValue[v]
      guard textFields.contains(f), stats.sharers(v) <= ProfileValueStatistics.maxSharers else { continue }
      let bytes = edits.values.bytes(of: Int32(v))
      MinHashIndex.normalise(bytes, into: &normalised)
      guard normalised.count >= minTextBytes else { continue }
      minHash.insert(Int32(v), bytes: bytes)
    }

    // Verify candidates exactly and join the near duplicates of one field.
    var unionFind = UnionFind(count: valueCount)
    var similaritySum = [Double](repeating: 0, count: valueCount)
    var joined = [Int32](repeating: 0, count: valueCount)
    var a: [UInt64] = [], b: [UInt64] = []
    var lastPair: (Int32, Int32) = (-1, -1)
    let ids = minHash.ids
    minHash.forEachCandidatePair { i, j in
      let u = ids[Int(i)], w = ids[Int(j)]
      guard stats.fieldOfValue[Int(u)] == stats.fieldOfValue[Int(w)] else { return }
      if lastPair == (u, w) { return }
      lastPair = (u, w)
      if unionFind.root(u) == unionFind.root(w) { return }
      let s = Self.jaccard(edits.values.bytes(of: u), edits.values.bytes(of: w), index.shingleLength, &a, &b)
      guard s >= threshold else { return }
      unionFind.union(u, w)
      similaritySum[Int(u)] += s
      joined[Int(u)] += 1
    }

    // Groups of distinct values, then their accounts.
    var groups: [Int32: [Int32]] = [:]
    for v in ids where unionFind.size[Int(unionFind.root(v))] >= 2 {
      groups[unionFind.root(v), default: []].append(v)
    }
    var findings: [Finding] = []
    var extras: [(field: Int32, values: [Int32], accounts: Set<Int32>)] = []
    let n = Double(max(stats.activeAccounts, 1))
    for (_, values) in groups.sorted(by: { $0.key < $1.key }) {
      var accounts = Set<Int32>()
      for v in values { accounts.formUnion(stats.accounts(of: Int(v))) }
      let field = stats.fieldOfValue[Int(values[0])]
      if field != bio {
        extras.append((field, values, accounts))
        continue
      }
      guard accounts.count >= minAccounts, accounts.count <= ProfileValueStatistics.maxSharers else { continue }
      let pairs = values.reduce(0) { $0 + Int(joined[Int($1)]) }
      let mean = values.reduce(0) { $0 + similaritySum[Int($1)] } / Double(max(pairs, 1))
      let score = max(log(n / Double(accounts.count)), 0.1) * (1 + mean)
      let texts = values.prefix(6).map { Evidence.string(edits.values[$0]) }
      let reason =
        "\(accounts.count) accounts set \(values.count) near-identical bios "
        + String(format: "(mean Jaccard similarity %.2f of character 4-grams)", mean)
      findings.append(
        Finding(
          kind: .fakeProfile, detector: name, score: score, accounts: accounts.sorted(),
          evidence: [
            "near_duplicate_bios": .array(texts), "similarity": .number(ProfileEvidence.round1(mean * 10) / 10),
            "reason": .string(reason),
          ]))
    }
    // Near-duplicate employer and school names, as evidence only.
    for extra in extras {
      for f in findings.indices {
        let members = Set(findings[f].accounts)
        guard extra.accounts.filter(members.contains).count * 2 >= extra.accounts.count,
          case var .object(evidence) = findings[f].evidence
        else { continue }
        let key = "near_duplicate_\(edits.fields[extra.field])s"
        var listed: [Evidence] = []
        if case let .array(old)? = evidence[key] { listed = old }
        listed += extra.values.prefix(6).map { .string(edits.values[$0]) }
        evidence[key] = .array(listed)
        findings[f].evidence = .object(evidence)
      }
    }
    return findings
  }

  /// The exact Jaccard similarity of two texts' shingle sets, reusing buffers.
  static func jaccard(
    _ x: ArraySlice<UInt8>, _ y: ArraySlice<UInt8>, _ length: Int, _ a: inout [UInt64], _ b: inout [UInt64]
  ) -> Double {
    MinHashIndex.shingleHashes(x, length: length, into: &a)
    MinHashIndex.shingleHashes(y, length: length, into: &b)
    a.sort()
    b.sort()
    var i = 0, j = 0, common = 0, ua = 0, ub = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i] < b[j]) {
        let x = a[i]
        ua += 1
        while i < a.count && a[i] == x { i += 1 }
      } else if i == a.count || b[j] < a[i] {
        let x = b[j]
        ub += 1
        while j < b.count && b[j] == x { j += 1 }
      } else {
        let x = a[i]
        common += 1
        ua += 1
        ub += 1
        while i < a.count && a[i] == x { i += 1 }
        while j < b.count && b[j] == x { j += 1 }
      }
    }
    let union = ua + ub - common
    return union == 0 ? 1 : Double(common) / Double(union)
  }
}
