import SignalGraph

/// A ranked suspicious cluster of the scan report, as the contract defines it.
public struct Cluster: Sendable, Equatable, Codable {
  /// 1 for the most suspicious cluster.
  public var rank: Int
  /// The kind of manipulation.
  public var kind: ManipulationKind
  /// The detector, or detectors joined by `+`, that found it.
  public var detector: String
  /// The ranking score (see ``ClusterRanking``).
  public var score: Double
  /// Every implicated account id, sorted.
  public var accounts: [String]
  /// The evidence: one finding's, or `{"findings": [...]}` for merged findings.
  public var evidence: Evidence
  /// The other clusters of its kind that share accounts with it, by rank
  /// (``ClusterRanking``); absent from the JSON when there is none.
  public var related: [RelatedCluster]? = nil

  /// Creates a cluster as a detector or a report reader sees it; the scan's
  /// ranking sets ``rank`` (1 is the most suspicious).
  public init(
    rank: Int, kind: ManipulationKind, detector: String, score: Double, accounts: [String], evidence: Evidence,
    related: [RelatedCluster]? = nil
  ) {
    self.rank = rank
    self.kind = kind
    self.detector = detector
    self.score = score
    self.accounts = accounts
    self.evidence = evidence
    self.related = related
  }
}
