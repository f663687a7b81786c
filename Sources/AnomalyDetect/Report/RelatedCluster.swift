/// Another cluster of the same kind that shares accounts with a cluster:
/// linked in its `related` list rather than merged into it, so that one
/// account two farms both used does not make the two farms one.
public struct RelatedCluster: Sendable, Equatable, Codable {
  /// The other cluster's rank.
  public var rank: Int
  /// How many accounts the two share.
  public var sharedCount: Int
  /// The shared account ids, sorted (at most ``ClusterRanking/sharedListed``).
  public var shared: [String]

  enum CodingKeys: String, CodingKey {
    case rank
    case sharedCount = "shared_count"
    case shared
  }

  /// Creates a link to the cluster ranked `rank`.
  public init(rank: Int, sharedCount: Int, shared: [String]) {
    self.rank = rank
    self.sharedCount = sharedCount
    self.shared = shared
  }
}
