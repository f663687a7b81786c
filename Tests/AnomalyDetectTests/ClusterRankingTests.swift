import SignalGraph
import Testing

@testable import AnomalyDetect

@Suite struct ClusterRankingTests {
  /// Accounts a0 … a9, interned in order so index i is "a\(i)".
  let accounts: AccountTable = {
    var t = AccountTable()
    for i in 0..<10 { t.index(of: "a\(i)") }
    return t
  }()

  func finding(_ kind: ManipulationKind, _ detector: String, _ score: Double, _ members: [Int32]) -> Finding {
    Finding(kind: kind, detector: detector, score: score, accounts: members, evidence: ["reason": "test"])
  }

  @Test func findingsOfOneGroupMergeAndOthersAreLinked() {
    let clusters = ClusterRanking.rank(
      [
        finding(.boughtEngagement, "dense-block", 10, [0, 1, 2]),
        finding(.boughtEngagement, "lockstep", 4, [1, 2]),  // all inside the first: merges
        finding(.boughtEngagement, "spectral", 7, [5, 6]),  // separate
        finding(.boughtEngagement, "lockstep", 3, [2, 3, 4]),  // shares one account: linked, not merged
      ], accounts: accounts)
    #expect(clusters.count == 3)
    #expect(clusters[0].accounts == ["a0", "a1", "a2"])
    #expect(clusters[0].detector == "dense-block+lockstep")
    #expect(clusters[0].score == 10.4)  // 10 + 4/10
    #expect(clusters[0].rank == 1)
    #expect(clusters[1].accounts == ["a5", "a6"] && clusters[1].score == 7 && clusters[1].related == nil)
    #expect(clusters[2].accounts == ["a2", "a3", "a4"])
    #expect(clusters[0].related == [RelatedCluster(rank: 3, sharedCount: 1, shared: ["a2"])])
    #expect(clusters[2].related == [RelatedCluster(rank: 1, sharedCount: 1, shared: ["a2"])])
    if case let .object(evidence) = clusters[0].evidence, case let .array(parts)? = evidence["findings"] {
      #expect(parts.count == 2)
    } else {
      Issue.record("merged cluster should list both findings' evidence")
    }
  }

  @Test func findingsOfDifferentKindsNeverMerge() {
    let clusters = ClusterRanking.rank(
      [
        finding(.circularPayment, "temporal-cycle", 3, [0, 1]),
        finding(.fakeProfile, "shared-values", 5, [1, 2]),
      ], accounts: accounts)
    #expect(clusters.map(\.kind) == [.fakeProfile, .circularPayment])
  }

  @Test func sharingIsNotTransitive() {
    let clusters = ClusterRanking.rank(
      [
        finding(.circularPayment, "c", 1, [0, 1]),
        finding(.circularPayment, "c", 1, [3, 4]),
        finding(.circularPayment, "c", 1, [1, 3]),  // touches both: links them, merges nothing
      ], accounts: accounts)
    #expect(clusters.count == 3)
    let bridge = clusters.first { $0.accounts == ["a1", "a3"] }
    #expect(bridge?.related?.map(\.sharedCount) == [1, 1])
  }

  @Test func anOutsizedClusterSaysWhyInItsEvidence() {
    var table = AccountTable()
    for i in 0..<40 { table.index(of: "b\(i)") }
    let clusters = ClusterRanking.rank(
      [finding(.boughtEngagement, "x", 5, Array(0..<10)), finding(.boughtEngagement, "x", 4, Array(10..<40))],
      accounts: table)
    for cluster in clusters {
      guard case let .object(evidence) = cluster.evidence, case let .string(note)? = evidence["size_note"] else {
        Issue.record("cluster \(cluster.rank) holds a tenth of the flagged accounts but gives no reason")
        continue
      }
      #expect(note.contains("of the 40 accounts flagged"))
    }
  }

  @Test func tiesRankLargerClustersFirstThenByFirstAccount() {
    let clusters = ClusterRanking.rank(
      [
        finding(.fakeProfile, "x", 2, [7]),
        finding(.fakeProfile, "x", 2, [8, 9]),
        finding(.fakeProfile, "x", 2, [4]),
      ], accounts: accounts)
    #expect(clusters.map(\.accounts) == [["a8", "a9"], ["a4"], ["a7"]])
    #expect(clusters.map(\.rank) == [1, 2, 3])
  }

  @Test func noFindingsNoClusters() {
    #expect(ClusterRanking.rank([], accounts: accounts).isEmpty)
  }
}
