import SignalGraph

extension ScanReport {
  /// Every account a cluster of `kind` implicates, most suspicious first:
  /// what an investigator reads from the top, and what precision at *k* and
  /// average precision are measured on (``FixtureEvaluation``).
  ///
  /// An account's score is the highest score of the clusters of `kind` it is
  /// in, and its cluster rank that cluster's rank. Accounts are ordered by
  /// score, then by cluster rank, then by id, so the ranking is deterministic
  /// and agrees with the cluster ranking: every account of cluster 1 comes
  /// before any account found only in cluster 2.
  ///
  /// - Complexity: O(*a* log *a*) for *a* account mentions.
  public func accountRanking(of kind: ManipulationKind) -> [AccountScore] {
    var best: [String: AccountScore] = [:]
    for c in clusters where c.kind == kind {
      for account in c.accounts {
        if let seen = best[account], seen.score > c.score || (seen.score == c.score && seen.clusterRank <= c.rank) {
          continue
        }
        best[account] = AccountScore(account: account, kind: kind, score: c.score, clusterRank: c.rank)
      }
    }
    return best.values.sorted {
      if $0.score != $1.score { return $0.score > $1.score }
      if $0.clusterRank != $1.clusterRank { return $0.clusterRank < $1.clusterRank }
      return $0.account < $1.account
    }
  }

  /// The account ranking of every kind as CSV: header
  /// `account,kind,score,cluster_rank`, then one row per (account, kind),
  /// kind by kind in ``ManipulationKind`` order, each ranked as
  /// ``accountRanking(of:)`` says.
  public func accountsCSV() -> String {
    var out = "account,kind,score,cluster_rank\n"
    for kind in ManipulationKind.allCases {
      for line in accountRanking(of: kind) {
        out += "\(Self.csvField(line.account)),\(kind.rawValue),\(line.score),\(line.clusterRank)\n"
      }
    }
    return out
  }
}
