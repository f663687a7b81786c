import Foundation
import SplitMix
import Testing

@testable import SignalGraph

/// Four accounts a, b, c, d (indices 0...3); payments out of time order with
/// ties, interactions in time order, edits out of order.
let graphFiles: [String: String] = [
  "accounts.csv": "account,created_at\na,100\nb,\nc,2026-01-01\nd,\n",
  "payments.csv": """
  id,src,dst,amount,ts
  p0,a,b,1,30
  p1,a,c,2,10
  p2,b,c,3,20
  p3,a,b,4,10
  p4,c,a,5,5
  p5,a,d,0.5,30

  """,
  "interactions.csv": "src,dst,kind,ts\nb,a,follow,1\nc,a,like,2\nd,a,follow,3\na,b,like,4\n",
  "profile_edits.csv": "account,field,value,ts\na,bio,x,5\nb,bio,x,3\na,phone,y,1\n",
]

func loadGraphSet() throws -> SignalSet {
  try withSignalSet(graphFiles) { try SignalSet(contentsOf: $0) }
}

@Suite("GraphIndex") struct GraphIndexTests {
  @Test func paymentAdjacencyIsTimeOrderedWithTiesInInputOrder() throws {
    let set = try loadGraphSet()
    #expect(SetSnapshot(set).accounts == ["a", "b", "c", "d"])
    let graph = GraphIndex(set)
    let out = graph.paymentsOut
    #expect(out.nodeCount == 4 && out.edgeCount == 6)
    #expect(out.offsets == [0, 4, 5, 6, 6])
    #expect(Array(out.edges(of: 0)) == [1, 3, 0, 5])  // 10, 10, 30, 30
    #expect(Array(out.neighbors(of: 0)) == [2, 1, 1, 3])
    #expect(Array(out.edges(of: 1)) == [2] && Array(out.neighbors(of: 1)) == [2])
    #expect(Array(out.edges(of: 2)) == [4] && Array(out.neighbors(of: 2)) == [0])
    #expect(out.degree(of: 3) == 0 && out.neighbors(of: 3).isEmpty)
    #expect(out.degrees == [4, 1, 1, 0])

    let into = graph.paymentsIn
    #expect(Array(into.edges(of: 0)) == [4] && Array(into.neighbors(of: 0)) == [2])
    #expect(Array(into.edges(of: 1)) == [3, 0] && Array(into.neighbors(of: 1)) == [0, 0])
    #expect(Array(into.edges(of: 2)) == [1, 2] && Array(into.neighbors(of: 2)) == [0, 1])
    #expect(Array(into.edges(of: 3)) == [5] && Array(into.neighbors(of: 3)) == [0])
  }

  @Test func everyEdgeMapsBackToItsTableRow() throws {
    let set = try loadGraphSet()
    let graph = GraphIndex(set)
    let p = set.payments, i = set.interactions, e = set.profileEdits
    for v in 0..<Int32(set.accounts.count) {
      for (row, other) in zip(graph.paymentsOut.edges(of: v), graph.paymentsOut.neighbors(of: v)) {
        #expect(p.source[Int(row)] == v && p.target[Int(row)] == other)
      }
      for (row, other) in zip(graph.paymentsIn.edges(of: v), graph.paymentsIn.neighbors(of: v)) {
        #expect(p.target[Int(row)] == v && p.source[Int(row)] == other)
      }
      for (row, other) in zip(graph.interactionsOut.edges(of: v), graph.interactionsOut.neighbors(of: v)) {
        #expect(i.source[Int(row)] == v && i.target[Int(row)] == other)
      }
      for (row, other) in zip(graph.interactionsIn.edges(of: v), graph.interactionsIn.neighbors(of: v)) {
        #expect(i.target[Int(row)] == v && i.source[Int(row)] == other)
      }
      for (row, value) in zip(graph.editsByAccount.edges(of: v), graph.editsByAccount.neighbors(of: v)) {
        #expect(e.account[Int(row)] == v && e.value[Int(row)] == value)
      }
    }
    // p3 is "a pays b 4.00 at 10": the first edge into b.
    let row = Int(graph.paymentsIn.edges(of: 1).first!)
    #expect(p.ids[row] == "p3" && p.amountMicros[row] == 4_000_000 && p.time[row] == 10)
  }

  @Test func interactionAndEditAdjacency() throws {
    let set = try loadGraphSet()
    let graph = GraphIndex(set)
    #expect(Array(graph.interactionsIn.edges(of: 0)) == [0, 1, 2])
    #expect(Array(graph.interactionsIn.neighbors(of: 0)) == [1, 2, 3])
    #expect(Array(graph.interactionsOut.neighbors(of: 0)) == [1])
    #expect(graph.interactionsOut.degrees == [1, 1, 1, 1])
    // a's edits by time: phone=y (row 2, at 1) before bio=x (row 0, at 5).
    #expect(Array(graph.editsByAccount.edges(of: 0)) == [2, 0])
    let values = graph.editsByAccount.neighbors(of: 0).map { set.profileEdits.values[$0] }
    #expect(values == ["y", "x"])
    #expect(Array(graph.editsByAccount.edges(of: 1)) == [1])
  }

  @Test func adjacencyInRowOrderWithoutKeys() {
    let out = Adjacency(nodeCount: 3, sources: [0, 0, 2], targets: [1, 2, 0])
    #expect(Array(out.neighbors(of: 0)) == [1, 2])
    #expect(Array(out.edges(of: 0)) == [0, 1])
    #expect(out.degree(of: 1) == 0)
    #expect(Array(out.neighbors(of: 2)) == [0] && Array(out.edges(of: 2)) == [2])
  }

  @Test(arguments: 0..<8 as Range<UInt64>)
  func everyRunIsAStableSortByKey(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let m = Int.random(in: 0...300, using: &rng)
    let sources = (0..<m).map { _ in Int32.random(in: 0..<6, using: &rng) }
    let targets = (0..<m).map { _ in Int32.random(in: 0..<6, using: &rng) }
    // Half the seeds give keys already in order, which skips the runs' sort.
    let drawn = (0..<m).map { _ in Int64.random(in: -5...5, using: &rng) }
    let keys = seed.isMultiple(of: 2) ? drawn : drawn.sorted()
    let adjacency = Adjacency(nodeCount: 6, sources: sources, targets: targets, keys: keys)
    for v in 0..<Int32(6) {
      let expected = (0..<m).filter { sources[$0] == v }.sorted { (keys[$0], $0) < (keys[$1], $1) }
      #expect(adjacency.edges(of: v).map(Int.init) == expected)
      #expect(Array(adjacency.neighbors(of: v)) == expected.map { targets[$0] })
    }
    #expect(adjacency.offsets.last == m)
  }
}

@Suite("SignalStatistics") struct SignalStatisticsTests {
  @Test func handComputedSummary() throws {
    let stats = SignalStatistics(try loadGraphSet())
    #expect(stats.accounts == 4)
    #expect(stats.accountsWithCreationTime == 2)
    #expect(stats.kinds.map(\.name) == ["payment", "follow", "like", "profile_edit"])

    let payment = stats.kinds[0]
    #expect(payment.count == 6)
    #expect(payment.firstTime == 5 && payment.lastTime == 30)
    #expect(payment.totalAmount == "15.50")
    // Out: a 4, b 1, c 1 (d none). In: a 1, b 2, c 2, d 1.
    #expect(payment.outDegree == .init(accounts: 3, max: 4, mean: 2, p50: 1, p90: 4, p99: 4))
    #expect(payment.inDegree == .init(accounts: 4, max: 2, mean: 1.5, p50: 1, p90: 2, p99: 2))

    let follow = stats.kinds[1]
    #expect(follow.count == 2 && follow.firstTime == 1 && follow.lastTime == 3 && follow.totalAmount == nil)
    #expect(follow.outDegree == .init(accounts: 2, max: 1, mean: 1, p50: 1, p90: 1, p99: 1))
    #expect(follow.inDegree == .init(accounts: 1, max: 2, mean: 2, p50: 2, p90: 2, p99: 2))

    let like = stats.kinds[2]
    #expect(like.count == 2 && like.firstTime == 2 && like.lastTime == 4)
    #expect(like.inDegree == .init(accounts: 2, max: 1, mean: 1, p50: 1, p90: 1, p99: 1))

    let edits = stats.kinds[3]
    #expect(edits.count == 3 && edits.firstTime == 1 && edits.lastTime == 5)
    #expect(edits.outDegree == .init(accounts: 2, max: 2, mean: 1.5, p50: 1, p90: 2, p99: 2))
    // In: accounts per distinct value: x by 2 edits, y by 1.
    #expect(edits.inDegree == .init(accounts: 2, max: 2, mean: 1.5, p50: 1, p90: 2, p99: 2))
  }

  @Test func nearestRankPercentilesIgnoreZeroDegrees() {
    let hundred = SignalStatistics.degrees([0, 0] + (1...100).map(Int32.init).shuffled() + [0])
    #expect(hundred == .init(accounts: 100, max: 100, mean: 50.5, p50: 50, p90: 90, p99: 99))
    let ten = SignalStatistics.degrees((1...10).map(Int32.init))
    #expect(ten == .init(accounts: 10, max: 10, mean: 5.5, p50: 5, p90: 9, p99: 10))
    #expect(SignalStatistics.degrees([0, 0]) == .init(accounts: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0))
  }

  @Test func totalAmountIsExactAndReportsOverflow() {
    var set = SignalSet()
    for k in 0..<10 { set.addPayment(id: "p\(k)", source: "a", target: "b", amount: Amount(micros: 100_000), time: 1) }
    #expect(SignalStatistics(set).kinds.first?.totalAmount == "1.00")  // 0.1 × 10, no float drift
    set.addPayment(id: "big", source: "a", target: "b", amount: Amount(micros: .max), time: 2)
    #expect(SignalStatistics(set).kinds.first?.totalAmount == "overflow")
  }

  @Test func emptyAndAbsentKindsAreLeftOut() {
    var set = SignalSet()
    #expect(SignalStatistics(set).kinds.isEmpty)
    set.addInteraction(source: "a", target: "b", kind: "like", time: 7)
    let stats = SignalStatistics(set)
    #expect(stats.kinds.map(\.name) == ["like"])
    #expect(stats.accounts == 2 && stats.accountsWithCreationTime == 0)
  }

  @Test func codableRoundTrip() throws {
    let stats = SignalStatistics(try loadGraphSet())
    let decoded = try JSONDecoder().decode(SignalStatistics.self, from: JSONEncoder().encode(stats))
    #expect(decoded == stats)
  }
}
