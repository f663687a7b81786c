import SignalGraph

/// One detector's claim about a group of accounts: what kind of manipulation,
/// how suspicious, which accounts, and the evidence for a person to check.
public struct Finding: Sendable, Equatable {
  /// The kind of manipulation.
  public var kind: ManipulationKind
  /// The detector's name, e.g. `dense-block`.
  public var detector: String
  /// How suspicious, on the detector's documented scale (higher is worse).
  public var score: Double
  /// The implicated accounts (indices into the signal set's accounts):
  /// those manipulating and those who benefit.
  public var accounts: [Int32]
  /// Detector-specific evidence in words and numbers.
  public var evidence: Evidence

  /// Creates a finding.
  public init(kind: ManipulationKind, detector: String, score: Double, accounts: [Int32], evidence: Evidence) {
    self.kind = kind
    self.detector = detector
    self.score = score
    self.accounts = accounts
    self.evidence = evidence
  }
}
