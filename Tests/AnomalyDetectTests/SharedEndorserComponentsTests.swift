import SignalGraph
import Testing

@testable import AnomalyDetect

/// The grouping of a block's customers by shared endorsers, against the
/// naive count over every pair of a row's customers, and its cost on a
/// complete follow graph.
@Suite struct SharedEndorserComponentsTests {
  /// The naive rule: customers sharing at least two rows are joined.
  static func naiveGroups(columnCount: Int, rowColumns: [[Int]]) -> [Int] {
    var sets = DisjointSets(count: columnCount)
    var shared = [Int: Int]()
    for list in rowColumns {
      for x in list.indices {
        for y in list.indices where y > x {
          let key = min(list[x], list[y]) * columnCount + max(list[x], list[y])
          shared[key, default: 0] += 1
          if shared[key] == 2 { sets.union(list[x], list[y]) }
        }
      }
    }
    return canonical((0..<columnCount).map { sets.find($0) })
  }

  /// Group labels renamed by first appearance, so two groupings compare equal.
  static func canonical(_ roots: [Int]) -> [Int] {
    var names = [Int: Int]()
    return roots.map { root in
      if let name = names[root] { return name }
      names[root] = names.count
      return names.count - 1
    }
  }

  @Test func equalsTheNaivePairCountOnRandomBlocks() {
    var rng = BoughtEngagementTests.LCG(state: 7)
    for trial in 0..<400 {
      let columns = 1 + rng.next(14), rows = rng.next(12)
      let rowColumns: [[Int]] = (0..<rows).map { _ in
        Array(Set((0..<rng.next(6)).map { _ in rng.next(columns) })).sorted()
      }
      var fast = SharedEndorserComponents(columnCount: columns, rowColumns: rowColumns)
      #expect(!fast.budgetExceeded)
      let got = Self.canonical((0..<columns).map { fast.group(of: $0) })
      #expect(got == Self.naiveGroups(columnCount: columns, rowColumns: rowColumns), "trial \(trial): \(rowColumns)")
    }
  }

  @Test func oneSharedRowJoinsNothing() {
    // Rows 0 and 1 share customers 0 and 1; row 2 alone links 1 and 2.
    var groups = SharedEndorserComponents(columnCount: 3, rowColumns: [[0, 1], [0, 1], [1, 2]])
    #expect(groups.group(of: 0) == groups.group(of: 1))
    #expect(groups.group(of: 1) != groups.group(of: 2))
  }

  @Test func aCompleteBlockStaysWithinItsBudget() {
    let n = 300
    var groups = SharedEndorserComponents(columnCount: n, rowColumns: [[Int]](repeating: Array(0..<n), count: n))
    #expect(!groups.budgetExceeded)
    #expect(Set((0..<n).map { groups.group(of: $0) }).count == 1)
  }

  /// The naive pair count took rows × columns² steps here (about 2.6·10⁸):
  /// minutes in a debug build. Now it is linear in the 640 000 follows.
  @Test(.timeLimit(.minutes(1))) func splitsACompleteFollowGraphInLinearTime() {
    var set = SignalSet()
    let n = 800
    for i in 0..<n {
      for j in 0..<n {
        set.addInteraction(source: "f\(i)", target: "c\(j)", kind: "follow", time: 1_767_225_600 + Int64(i * n + j))
      }
    }
    let pairs = EndorsementGraph(set, graph: GraphIndex(set))
    let ids = (0..<Int32(2 * n)).map { (id: $0, name: set.accounts.ids[$0]) }
    let rows = ids.filter { $0.name.hasPrefix("f") }.map(\.id)
    let columns = ids.filter { $0.name.hasPrefix("c") }.map(\.id)
    var scratch = EngagementBlockTest.Scratch(accounts: pairs.nodeCount)
    let parts = EngagementBlockTest().split(rows: rows, columns: columns, pairs: pairs, scratch: &scratch)
    #expect(parts.count == 1)
    #expect(parts.first?.rows.count == n && parts.first?.columns.count == n)
  }
}
