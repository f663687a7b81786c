import SignalGraph

/// How a scan report measures up against a fixture's labels and expectation.
///
/// For each kind, with *F* the accounts flagged as that kind and *T* those
/// labelled with it: precision |*F* ∩ *T*| / |*F*| and recall |*F* ∩ *T*| / |*T*|
/// (each taken as 1 when its denominator is 0: flagging nothing is perfectly
/// precise, and there is nothing to recall in a fixture without the kind).
public struct FixtureEvaluation: Sendable, Equatable {
  /// The figures of one kind.
  public struct KindResult: Sendable, Equatable {
    public var kind: ManipulationKind
    /// Labelled, flagged, and both.
    public var labelled: Int, flagged: Int, correct: Int
    public var precision: Double, recall: Double
    /// The fixture's minimum for the kind, if it sets one.
    public var minimum: FixtureExpectation.Minimum?
    /// Whether the minimum is met (a pending or absent minimum is met).
    public var passed: Bool
  }

  /// The fixture's name (its directory's).
  public var name: String
  /// One result per kind, in ``ManipulationKind`` order.
  public var kinds: [KindResult]
  /// Flagged accounts that carry no label at all, and how many were allowed.
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
    var shortfalls: [String] = []
    kinds = ManipulationKind.allCases.map { kind in
      let flagged = report.flaggedAccounts(of: kind)
      let labelled = truth.accountsByKind[kind.rawValue] ?? []
      let correct = flagged.intersection(labelled).count
      let precision = flagged.isEmpty ? 1 : Double(correct) / Double(flagged.count)
      let recall = labelled.isEmpty ? 1 : Double(correct) / Double(labelled.count)
      let minimum = expectation.kinds[kind.rawValue]
      var passed = true
      if let minimum, minimum.pending == nil {
        if precision < minimum.minPrecision {
          passed = false
          shortfalls.append("\(kind.rawValue): precision \(Self.format(precision)) < \(Self.format(minimum.minPrecision))")
        }
        if recall < minimum.minRecall {
          passed = false
          shortfalls.append("\(kind.rawValue): recall \(Self.format(recall)) < \(Self.format(minimum.minRecall))")
        }
      }
      return KindResult(
        kind: kind, labelled: labelled.count, flagged: flagged.count, correct: correct,
        precision: precision, recall: recall, minimum: minimum, passed: passed)
    }
    let allFlagged = report.clusters.reduce(into: Set<String>()) { $0.formUnion($1.accounts) }
    let unlabelled = allFlagged.subtracting(truth.labelledAccounts).sorted()
    unlabelledFlagged = unlabelled.count
    maxUnlabelledFlagged = expectation.maxUnlabelledFlagged
    unlabelledExamples = Array(unlabelled.prefix(5))
    if unlabelled.count > expectation.maxUnlabelledFlagged {
      shortfalls.append(
        "\(unlabelled.count) unlabelled account(s) flagged, at most \(expectation.maxUnlabelledFlagged) allowed "
          + "(e.g. \(unlabelledExamples.joined(separator: ", ")))")
    }
    self.shortfalls = shortfalls
  }

  static func format(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
  }
}
