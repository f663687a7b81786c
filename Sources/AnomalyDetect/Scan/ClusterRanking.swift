import SignalGraph

/// Merges findings into ranked clusters.
///
/// Findings of the same kind that share at least one account become one
/// cluster (connected components over shared accounts, by union–find), which
/// keeps every finding's evidence. A cluster's score is the highest score of
/// its findings plus a tenth of each other finding's, so corroboration by a
/// second detector raises a cluster without letting many weak findings
/// outrank one strong one. Clusters are ranked by score, highest first; ties
/// are broken by size (larger first), then by the first account id, so the
/// ranking is deterministic.
///
/// - Complexity: O(*a* α(*a*) + *c* log *c*) for *a* account mentions and *c* clusters.
public enum ClusterRanking {
  /// The ranked clusters of `findings`, account indices resolved through `accounts`.
  public static func rank(_ findings: [Finding], accounts: AccountTable) -> [Cluster] {
    var sets = DisjointSets(count: findings.count)
    // The first finding of each (kind, account) pair; later ones join it.
    var firstFinding: [ManipulationKind: [Int32: Int]] = [:]
    for (f, finding) in findings.enumerated() {
      for account in finding.accounts {
        if let other = firstFinding[finding.kind]?[account] {
          sets.union(f, other)
        } else {
          firstFinding[finding.kind, default: [:]][account] = f
        }
      }
    }
    var members: [Int: [Int]] = [:]
    for f in findings.indices { members[sets.find(f), default: []].append(f) }

    var clusters: [Cluster] = members.values.map { group in
      let parts = group.map { findings[$0] }.sorted { $0.score > $1.score }
      let score = parts[0].score + parts.dropFirst().reduce(0) { $0 + $1.score / 10 }
      let ids = Set(parts.flatMap(\.accounts)).map { accounts.ids[$0] }.sorted()
      let detectors = Array(Set(parts.map(\.detector))).sorted()
      let evidence: Evidence =
        parts.count == 1
        ? parts[0].evidence
        : .object(["findings": .array(parts.map { .object(["detector": .string($0.detector), "score": .number($0.score), "evidence": $0.evidence]) })])
      return Cluster(
        rank: 0, kind: parts[0].kind, detector: detectors.joined(separator: "+"),
        score: score, accounts: ids, evidence: evidence)
    }
    clusters.sort {
      if $0.score != $1.score { return $0.score > $1.score }
      if $0.accounts.count != $1.accounts.count { return $0.accounts.count > $1.accounts.count }
      return $0.accounts.first ?? "" < $1.accounts.first ?? ""
    }
    for i in clusters.indices { clusters[i].rank = i + 1 }
    return clusters
  }
}
