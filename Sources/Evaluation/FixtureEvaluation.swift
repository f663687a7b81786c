import AnomalyDetect
import InlinePrefilter
import SignalGraph

/// How a scan report measures up against a fixture's labels and expectation.
///
/// For each kind, with *F* the accounts flagged as that kind, *T* those
/// labelled with it and *H* the known-honest ones:
/// - with complete labels, precision |*F* ∩ *T*| / |*F*|; with partial labels
///   (`"labels": "partial"`), precision on labelled accounts
///   |*F* ∩ *T*| / |*F* ∩ (*T* ∪ *H*)|, since an unlabelled account is unknown;
/// - recall |*F* ∩ *T*| / |*T*| and F1, their harmonic mean;
/// - on the account ranking (``ScanReport/accountRanking(of:)``) restricted to
///   the accounts whose truth is known (all of them with complete labels,
///   *T* ∪ *H* with partial ones): precision among its first 10 and first 50
///   (over fewer when fewer are ranked), average precision
///   (1 / |*T*|) Σ precision at each rank holding an account of *T*, and the
///   known-honest accounts among its first 50 (with complete labels, those
///   carrying no label at all).
///
/// Precision is taken as 1 when nothing is flagged (flagging nothing is
/// perfectly precise), recall and the ranking figures as 1 when nothing is
/// labelled with the kind.
public struct FixtureEvaluation: Sendable, Equatable {
  /// The figures of one kind.
  public struct KindResult: Sendable, Equatable {
    public var kind: ManipulationKind
    /// Labelled, flagged, and both.
    public var labelled: Int, flagged: Int, correct: Int
    /// Flagged accounts known to be honest.
    public var flaggedHonest: Int
    public var precision: Double, recall: Double
    /// The harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double
    /// Precision among the first 10 and 50 accounts of known truth in the ranking.
    public var precisionAt10: Double, precisionAt50: Double
    /// Average precision of the account ranking.
    public var averagePrecision: Double
    /// Known-honest accounts among the first 50 of known truth in the ranking.
    public var honestInTop50: Int
    /// The fixture's minimum for the kind, if it sets one.
    public var minimum: FixtureExpectation.Minimum?
    /// Whether the minimum is met (a pending or absent minimum is met).
    public var passed: Bool
  }

  /// The fixture's name (its directory's, or its expectation file's).
  public var name: String
  /// Whether unlabelled accounts are honest or unknown.
  public var labels: FixtureExpectation.Labels
  /// One result per kind, in ``ManipulationKind`` order.
  public var kinds: [KindResult]
  /// Flagged accounts that carry no label at all, and how many were allowed
  /// (counted against the fixture with complete labels only).
  public var unlabelledFlagged: Int, maxUnlabelledFlagged: Int
  /// Up to a few of those accounts, to show.
  public var unlabelledExamples: [String]
  /// Each unmet demand, in words.
  public var shortfalls: [String]

  /// Whether every demand is met.
  public var passed: Bool { shortfalls.isEmpty }

  /// Measures `report` against `truth` and `expectation`.
  public init(name: String, report: ScanReport, truth: GroundTruth, expectation: FixtureExpectation) {
    self.name = name
    labels = expectation.labels
    let partial = expectation.labels == .partial
    var shortfalls: [String] = []
    let allLabelled = truth.labelledAccounts
    kinds = ManipulationKind.allCases.map { kind in
      let flagged = report.flaggedAccounts(of: kind)
      let labelled = truth.accountsByKind[kind] ?? []
      let correct = flagged.intersection(labelled).count
      let flaggedHonest = partial ? flagged.intersection(truth.honestAccounts).count : flagged.count - correct
      let judged = correct + flaggedHonest
      let precision = judged == 0 ? 1 : Double(correct) / Double(judged)
      let recall = labelled.isEmpty ? 1 : Double(correct) / Double(labelled.count)
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      // The ranking, kept to accounts whose truth is known.
      let ranking = report.accountRanking(of: kind).map(\.account).filter {
        !partial || labelled.contains($0) || truth.honestAccounts.contains($0)
      }
      let ranked = Self.rankingFigures(ranking, positives: labelled) {
        partial ? truth.honestAccounts.contains($0) : !allLabelled.contains($0)
      }
      let minimum = expectation.kinds[kind.rawValue]
      var passed = true
      if let minimum, minimum.pending == nil {
        func demand(_ what: String, _ value: Double, atLeast bound: Double?) {
          guard let bound, value < bound else { return }
          passed = false
          shortfalls.append("\(kind.rawValue): \(what) \(Self.format(value)) < \(Self.format(bound))")
        }
        demand("precision", precision, atLeast: minimum.minPrecision)
        demand("recall", recall, atLeast: minimum.minRecall)
        demand("F1", f1, atLeast: minimum.minF1)
        demand("precision at 10", ranked.at10, atLeast: minimum.minPrecisionAt10)
        demand("precision at 50", ranked.at50, atLeast: minimum.minPrecisionAt50)
        demand("average precision", ranked.averagePrecision, atLeast: minimum.minAveragePrecision)
        if let most = minimum.maxHonestInTop50, ranked.honestInTop50 > most {
          passed = false
          shortfalls.append(
            "\(kind.rawValue): \(ranked.honestInTop50) honest account(s) in the top 50 of the ranking, at most \(most) allowed"
          )
        }
      }
      return KindResult(
        kind: kind, labelled: labelled.count, flagged: flagged.count, correct: correct, flaggedHonest: flaggedHonest,
        precision: precision, recall: recall, f1: f1, precisionAt10: ranked.at10, precisionAt50: ranked.at50,
        averagePrecision: ranked.averagePrecision, honestInTop50: ranked.honestInTop50,
        minimum: minimum, passed: passed)
    }
    let allFlagged = report.clusters.reduce(into: Set<String>()) { $0.formUnion($1.accounts) }
    let unlabelled = allFlagged.subtracting(allLabelled).subtracting(truth.honestAccounts).sorted()
    unlabelledFlagged = unlabelled.count
    maxUnlabelledFlagged = expectation.maxUnlabelledFlagged
    unlabelledExamples = Array(unlabelled.prefix(5))
    if !partial, unlabelled.count > expectation.maxUnlabelledFlagged {
      shortfalls.append(
        "\(unlabelled.count) unlabelled account(s) flagged, at most \(expectation.maxUnlabelledFlagged) allowed "
          + "(e.g. \(unlabelledExamples.joined(separator: ", ")))")
    }
    self.shortfalls = shortfalls
  }

  /// Precision at 10 and 50, average precision and honest accounts in the
  /// top 50 of `ranking` (accounts of known truth, most suspicious first).
  static func rankingFigures(
    _ ranking: [String], positives: Set<String>, isHonest: (String) -> Bool
  ) -> (at10: Double, at50: Double, averagePrecision: Double, honestInTop50: Int) {
    func precision(at k: Int) -> Double {
      let top = ranking.prefix(k)
      if top.isEmpty { return positives.isEmpty ? 1 : 0 }
      return Double(top.filter { positives.contains($0) }.count) / Double(top.count)
    }
    var hits = 0, sum = 0.0
    for (i, account) in ranking.enumerated() where positives.contains(account) {
      hits += 1
      sum += Double(hits) / Double(i + 1)
    }
    let averagePrecision = positives.isEmpty ? 1 : sum / Double(positives.count)
    let honest = ranking.prefix(50).filter(isHonest).count
    return (precision(at: 10), precision(at: 50), averagePrecision, honest)
  }

  static func format(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
  }
}
