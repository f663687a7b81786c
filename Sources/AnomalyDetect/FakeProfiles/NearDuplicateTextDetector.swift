import Foundation
import SignalGraph

/// Finds accounts whose bios are near-identical copies of one another, as
/// when profile text is bought from one template with a word or two changed.
///
/// Every distinct `bio`, `employer` and `school` value shared by at most 50
/// accounts (a big employer's name is common, not copied) and at least
/// ``Thresholds/minTextBytes`` (16) long goes into a ``MinHashBatch`` (MinHash, Broder 1997;
/// LSH banding, Leskovec, Rajaraman and Ullman, "Mining of Massive Datasets",
/// ch. 3), so only candidate pairs are compared. A candidate pair of the same
/// field whose estimated Jaccard similarity of character 5-gram sets is at
/// least ``Thresholds/threshold`` (0.5: about two words changed in a ten-word bio) is joined;
/// a group of at least two distinct bios set by at least ``Thresholds/minAccounts`` (3)
/// accounts is reported. Identical copies are the business of
/// ``RareSharedValueDetector``. Near-duplicate employer or school names never
/// flag alone ("Smith Plumbing" and "Smith Plumbing 2" are both real firms) but
/// are shown as evidence when their accounts overlap a reported group.
///
/// Among a million short bios some are near-identical by chance, so a group
/// must also be corroborated: at least max(3, half) of its accounts set their
/// bios within one ``Thresholds/window`` (a day), or share one other surprising value
/// (such as an invented employer). Honest look-alikes are written months apart.
///
/// The score is ln(*n* / *k*) · (1 + mean Jaccard of the joined pairs), for
/// *k* accounts in the group among *n* with profile edits.
///
/// Honest bios written from a small vocabulary resemble one another by chance
/// (Jaccard 0.1 to 0.3); banding with five rows keeps such pairs from
/// becoming candidates, so verification stays near-linear.
///
///     let set = try SignalSet(contentsOf: "fixtures/near-duplicate-bios")
///     let findings = NearDuplicateTextDetector().findings(in: set, graph: GraphIndex(set))
///     findings.first?.evidence   // {"near_duplicate_bios": ["…", "…"], "reason": …}
///
/// - Complexity: O(*B* · *h*) to hash *B* bytes of distinct text with *h* = 50
///   hash functions, plus O(*c* · *h*) to verify *c* candidate pairs.
public struct NearDuplicateTextDetector: Detector {
  /// `near-duplicate-text`.
  public let name = "near-duplicate-text"

  /// The documented thresholds of the detector; in a settings file, the
  /// section `near-duplicate-text` with the snake_case keys of
  /// ``CodingKeys``, and the MinHash index's in its table `index`:
  ///
  ///     var thresholds = NearDuplicateTextDetector.Thresholds()
  ///     thresholds.threshold = 0.7   // threshold = 0.7
  ///     let detector = try NearDuplicateTextDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The Jaccard similarity at which two texts count as near duplicates.
    public var threshold = 0.5
    /// The fewest accounts a reported group spans.
    public var minAccounts = 3
    /// Shorter texts (after normalisation) are not compared.
    public var minTextBytes = 16
    /// The MinHash and LSH configuration.
    public var index = MinHashIndex.Configuration()
    /// Corroboration a group of near-duplicate bios needs: this many seconds
    /// within which enough of its accounts set their bios.
    public var window: Int64 = 86_400

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `threshold`, `min_accounts`,
    /// `min_text_bytes`, `index`, `window`.
    public enum CodingKeys: String, CodingKey {
      case threshold
      case minAccounts = "min_accounts"
      case minTextBytes = "min_text_bytes"
      case index, window
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// Creates the detector with the documented thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "near-duplicate-text")
    try check.share(thresholds.threshold, .threshold)
    try check.atLeast(thresholds.minAccounts, 2, .minAccounts, "a whole number")
    try check.atLeast(thresholds.minTextBytes, 1, .minTextBytes, "a whole number of bytes")
    try check.atLeast(thresholds.window, 0, .window, "a whole number of seconds")
    let index = thresholds.index
    let indexCheck = SettingCheck<MinHashIndex.Configuration.CodingKeys>(detector: "near-duplicate-text.index")
    try indexCheck.within(index.shingleLength, 1...64, .shingleLength, "a whole number of bytes")
    try indexCheck.within(index.bands, 1...256, .bands, "a whole number")
    try indexCheck.within(index.rowsPerBand, 1...64, .rowsPerBand, "a whole number")
    try indexCheck.atLeast(index.maxBucket, 2, .maxBucket, "a whole number")
    self.thresholds = thresholds
  }

  /// Whether at least max(3, half) of `accounts` set their bio (one of
  /// `values`) within ``window``, or share one other surprising value.
  func corroborated(
    _ accounts: [Int32], values: [Int32], set: SignalSet, graph: GraphIndex, stats: ProfileValueStatistics
  ) -> Bool {
    let edits = set.profileEdits
    let needed = max(thresholds.minAccounts, (accounts.count + 1) / 2)
    var times: [Int64] = []
    var others: [Int32: Int] = [:]
    for a in accounts {
      var first = Int64.max
      var mine: [Int32] = []
      for e in graph.editsByAccount.edges(of: a) {
        let v = edits.value[Int(e)]
        if values.contains(v) {
          first = min(first, edits.time[Int(e)])
        } else if stats.surprise[Int(v)] > 0, !mine.contains(v) {
          mine.append(v)
          others[v, default: 0] += 1
        }
      }
      if first != .max { times.append(first) }
    }
    if others.values.contains(where: { $0 >= needed }) { return true }
    times.sort()
    var lo = 0
    for hi in times.indices {
      while times[hi] - times[lo] > thresholds.window { lo += 1 }
      if hi - lo + 1 >= needed { return true }
    }
    return false
  }

  /// The groups of accounts with near-duplicate bios.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let edits = set.profileEdits
    guard edits.count > 0 else { return [] }
    return findings(in: set, graph: graph, stats: ProfileValueStatistics(edits))
  }

  func findings(in set: SignalSet, graph: GraphIndex, stats: ProfileValueStatistics) -> [Finding] {
    let edits = set.profileEdits
    let textFields = ProfileValueStatistics.fieldIndices(ProfileValueStatistics.textFields, in: edits)
    guard let bio = edits.fields.index(of: "bio") else { return [] }
    let valueCount = edits.values.count

    var minHash = MinHashBatch(configuration: thresholds.index)
    var normalised: [UInt8] = []
    for v in 0..<valueCount {
      let f = stats.fieldOfValue[v]
      guard textFields.contains(f), stats.sharers(v) <= ProfileValueStatistics.maxSharers else { continue }
      edits.values.bytes(of: Int32(v)).withUnsafeBufferPointer { MinHashIndex.normalise($0, into: &normalised) }
      guard normalised.count >= thresholds.minTextBytes else { continue }
      normalised.withUnsafeBufferPointer { minHash.insert(Int32(v), bytes: $0) }
    }

    // Verify candidates exactly and join the near duplicates of one field.
    var sets = DisjointSets(count: valueCount)
    var similaritySum = [Double](repeating: 0, count: valueCount)
    var joined = [Int32](repeating: 0, count: valueCount)
    var lastPair: (Int32, Int32) = (-1, -1)
    let ids = minHash.ids
    minHash.forEachCandidatePair { i, j in
      let u = ids[Int(i)], w = ids[Int(j)]
      guard stats.fieldOfValue[Int(u)] == stats.fieldOfValue[Int(w)] else { return }
      if lastPair == (u, w) { return }
      lastPair = (u, w)
      if sets.find(u) == sets.find(w) { return }
      let s = minHash.estimatedJaccard(i, j)
      guard s >= thresholds.threshold else { return }
      sets.union(u, w)
      similaritySum[Int(u)] += s
      joined[Int(u)] += 1
    }

    // Groups of distinct values, then their accounts.
    var groups: [Int32: [Int32]] = [:]
    for v in ids where sets.size(of: v) >= 2 {
      groups[sets.find(v), default: []].append(v)
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
      guard accounts.count >= thresholds.minAccounts, accounts.count <= ProfileValueStatistics.maxSharers,
        corroborated(Array(accounts), values: values, set: set, graph: graph, stats: stats)
      else { continue }
      let pairs = values.reduce(0) { $0 + Int(joined[Int($1)]) }
      let mean = values.reduce(0) { $0 + similaritySum[Int($1)] } / Double(max(pairs, 1))
      let score = max(log(n / Double(accounts.count)), 0.1) * (1 + mean)
      let texts = values.prefix(6).map { Evidence.string(edits.values[$0]) }
      let reason =
        "\(accounts.count) accounts set \(values.count) near-identical bios "
        + String(format: "(mean estimated Jaccard similarity %.2f of character 5-grams)", mean)
      findings.append(
        Finding(
          kind: .fakeProfile, detector: name, score: score, accounts: accounts.sorted(),
          evidence: [
            "near_duplicate_bios": .array(texts), "similarity": .number(ProfileEvidence.round1(mean * 10) / 10),
            "reason": .string(reason),
          ]))
    }
    // Near-duplicate employer and school names, as evidence only.
    var findingOf: [Int32: Int] = [:]
    for (f, finding) in findings.enumerated() { for a in finding.accounts { findingOf[a] = f } }
    for extra in extras {
      var overlap: [Int: Int] = [:]
      for a in extra.accounts { if let f = findingOf[a] { overlap[f, default: 0] += 1 } }
      for (f, common) in overlap.sorted(by: { $0.key < $1.key }) {
        guard common * 2 >= extra.accounts.count,
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
}
