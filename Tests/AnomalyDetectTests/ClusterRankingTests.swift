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

  @Test func findingsSharingAnAccountMergeAndOthersDoNot() {
    let clusters = ClusterRanking.rank(
      [
        finding(.boughtEngagement, "dense-block", 10, [0, 1, 2]),
        finding(.boughtEngagement, "lockstep", 4, [2, 3]),  // shares a2: merges
        finding(.boughtEngagement, "spectral", 7, [5, 6]),  // separate
      ], accounts: accounts)
    #expect(clusters.count == 2)
    #expect(clusters[0].accounts == ["a0", "a1", "a2", "a3"])
    #expect(clusters[0].detector == "dense-block+lockstep")
    #expect(clusters[0].score == 10.4)  // 10 + 4/10
    #expect(clusters[0].rank == 1)
    #expect(clusters[1].accounts == ["a5", "a6"])
    #expect(clusters[1].score == 7)
    #expect(clusters[1].rank == 2)
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

  @Test func transitiveSharingJoinsAChain() {
    let clusters = ClusterRanking.rank(
      [
        finding(.circularPayment, "c", 1, [0, 1]),
        finding(.circularPayment, "c", 1, [3, 4]),
        finding(.circularPayment, "c", 1, [1, 3]),  // bridges the first two
      ], accounts: accounts)
    #expect(clusters.count == 1)
    #expect(clusters[0].accounts == ["a0", "a1", "a3", "a4"])
    #expect(clusters[0].detector == "c")
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
