import SignalGraph

/// One line of the account ranking (``ScanReport/accountRanking(of:)``,
/// `fraudscan scan --format accounts`): how suspicious one account is of one
/// kind of manipulation, and the cluster that makes it so.
public struct AccountScore: Sendable, Equatable {
  /// The account id.
  public var account: String
  /// The kind of manipulation.
  public var kind: ManipulationKind
  /// The account's suspiciousness of `kind`: the highest score of the
  /// clusters of that kind it is in (``ClusterRanking``'s score).
  public var score: Double
  /// The rank of that cluster (the best-ranked one on a tie).
  public var clusterRank: Int

  /// Creates a line of the ranking.
  public init(account: String, kind: ManipulationKind, score: Double, clusterRank: Int) {
    self.account = account
    self.kind = kind
    self.score = score
    self.clusterRank = clusterRank
  }
}
