import SignalGraph

/// Groups findings into ranked clusters, one per coherent group, and links
/// clusters that share accounts.
///
/// **One cluster per group.** Findings are taken by score, highest first
/// (ties by detector, then by first account). A finding *joins* the
/// cluster of its kind holding more than half of its own accounts
/// (``sameGroupShare``): the same farm, ring or template seen by another
/// detector, or a part of it. Otherwise it starts a cluster of its own.
/// Clusters never merge with one another, so sharing is not transitive: two
/// farms that both used one account, or a farm and an honest account's
/// organic crowd that overlap in a few endorsers, stay two clusters. A
/// finding that overlaps several clusters by more than half joins the one it
/// shares most with (the earlier-made on a tie).
///
/// **Links.** Clusters of the same kind that still share accounts list one
/// another in ``Cluster/related``: the other's rank, how many accounts they
/// share and which (at most ``sharedListed``).
///
/// **Score.** A cluster's score is its highest finding's score plus a tenth
/// of each other finding's, so corroboration by a second detector raises a
/// cluster without letting many weak findings outrank one strong one.
/// Clusters are ranked by score, highest first; ties are broken by size
/// (larger first), then by the first account id, so the ranking is
/// deterministic. A cluster holding at least a tenth of the accounts flagged
/// as its kind (with at least 20 flagged) says so in its evidence
/// (`size_note`), with why it was not split: every finding in it shares
/// more than half its accounts with it.
///
/// - Complexity: O(*a* + *f* log *f* + *c* log *c*) for *a* account mentions,
///   *f* findings and *c* clusters.
public enum ClusterRanking {
  /// The share of a finding's accounts a cluster must already hold, and exceed, for the finding to join it.
  public static let sameGroupShare = 0.5
  /// The most shared account ids listed per related cluster.
  public static let sharedListed = 20

  /// The ranked clusters of `findings`, account indices resolved through `accounts`.
  public static func rank(_ findings: [Finding], accounts: AccountTable) -> [Cluster] {
    let order = findings.indices.sorted { a, b in
      let x = findings[a], y = findings[b]
      if x.score != y.score { return x.score > y.score }
      if x.detector != y.detector { return x.detector < y.detector }
      return (x.accounts.min() ?? 0) < (y.accounts.min() ?? 0)
    }
    // Each group: its findings and accounts; the groups holding each (kind, account).
    var groups: [(kind: ManipulationKind, parts: [Int], members: Set<Int32>)] = []
    var holding: [ManipulationKind: [Int32: [Int]]] = [:]
    for f in order {
      let finding = findings[f]
      let own = Set(finding.accounts)
      var overlap: [Int: Int] = [:]
      for account in own {
        for g in holding[finding.kind]?[account] ?? [] { overlap[g, default: 0] += 1 }
      }
      let best = overlap.filter { Double($0.value) > sameGroupShare * Double(own.count) }
        .max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
      let g = best ?? groups.count
      if best == nil { groups.append((finding.kind, [], [])) }
      groups[g].parts.append(f)
      for account in own where groups[g].members.insert(account).inserted {
        holding[finding.kind, default: [:]][account, default: []].append(g)
      }
    }

    var clusters: [(cluster: Cluster, group: Int)] = groups.enumerated().map { g, group in
      let parts = group.parts.map { findings[$0] }  // already by score
      let score = parts[0].score + parts.dropFirst().reduce(0) { $0 + $1.score / 10 }
      let ids = group.members.map { accounts.ids[$0] }.sorted()
      let detectors = Array(Set(parts.map(\.detector))).sorted()
      let evidence: Evidence =
        parts.count == 1
        ? parts[0].evidence
        : .object([
          "findings": .array(
            parts.map {
              .object(["detector": .string($0.detector), "score": .number($0.score), "evidence": $0.evidence])
            })
        ])
      return (
        Cluster(
          rank: 0, kind: group.kind, detector: detectors.joined(separator: "+"), score: score, accounts: ids,
          evidence: evidence), g
      )
    }
    clusters.sort {
      let a = $0.cluster, b = $1.cluster
      if a.score != b.score { return a.score > b.score }
      if a.accounts.count != b.accounts.count { return a.accounts.count > b.accounts.count }
      return a.accounts.first ?? "" < b.accounts.first ?? ""
    }
    var rankOfGroup = [Int](repeating: 0, count: groups.count)
    for i in clusters.indices {
      clusters[i].cluster.rank = i + 1
      rankOfGroup[clusters[i].group] = i + 1
    }
    // Links between groups sharing accounts, and a note on outsized clusters.
    var flaggedPerKind: [ManipulationKind: Int] = [:]
    for (kind, byAccount) in holding { flaggedPerKind[kind] = byAccount.count }
    for i in clusters.indices {
      let g = clusters[i].group, group = groups[g]
      var shared: [Int: [Int32]] = [:]
      for account in group.members {
        for other in holding[group.kind]?[account] ?? [] where other != g { shared[other, default: []].append(account) }
      }
      if !shared.isEmpty {
        clusters[i].cluster.related = shared.map { other, list in
          RelatedCluster(
            rank: rankOfGroup[other], sharedCount: list.count,
            shared: Array(list.map { accounts.ids[$0] }.sorted().prefix(sharedListed)))
        }.sorted { $0.rank < $1.rank }
      }
      let flagged = flaggedPerKind[group.kind] ?? 0
      if flagged >= 20, 10 * group.members.count >= flagged {
        clusters[i].cluster.evidence = noting(
          clusters[i].cluster.evidence,
          "This cluster holds \(group.members.count) of the \(flagged) accounts flagged as \(group.kind.rawValue): "
            + "\(group.parts.count) finding(s), each sharing more than half its accounts with it, so one group seen "
            + "by \(group.parts.count == 1 ? "one test" : "several tests"), not groups merged through a shared account")
      }
    }
    return clusters.map(\.cluster)
  }

  /// `evidence` with `size_note` added (wrapped as `{"findings": …}` objects are kept as they are).
  private static func noting(_ evidence: Evidence, _ note: String) -> Evidence {
    guard case var .object(fields) = evidence else {
      return .object(["evidence": evidence, "size_note": .string(note)])
    }
    fields["size_note"] = .string(note)
    return .object(fields)
  }
}
