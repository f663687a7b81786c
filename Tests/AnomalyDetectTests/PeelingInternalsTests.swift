import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

/// The speed-ups inside FRAUDAR's peeling must not change a single block:
/// each is checked here against the straightforward form it replaced.
@Suite struct PeelingInternalsTests {
  /// A random bipartite graph: `rows` × `columns`, each row with up to
  /// `maximumDegree` distinct columns, and FRAUDAR's weights.
  static func randomGraph(rows: Int, columns: Int, maximumDegree: Int, seed: UInt64) -> (
    offsets: [Int], indices: [Int32], weights: [Double]
  ) {
    var rng = BoughtEngagementTests.LCG(state: seed)
    var offsets = [0], indices: [Int32] = []
    var inDegrees = [Int](repeating: 0, count: columns)
    for _ in 0..<rows {
      let picked = Set((0..<rng.next(maximumDegree + 1)).map { _ in rng.next(columns) }).sorted()
      for j in picked {
        indices.append(Int32(j))
        inDegrees[j] += 1
      }
      offsets.append(indices.count)
    }
    return (offsets, indices, GreedyPeeling.logWeights(inDegrees: inDegrees))
  }

  @Test func radixSortEqualsTheStandardSort() {
    var rng = SplitMix64(seed: 11)
    let shapes: [(count: Int, spread: UInt64)] = [
      (0, 1), (1, 1), (255, 1_000), (256, 1), (1_000, 3_600), (5_000, 40_000_000), (3_000, UInt64.max),
    ]
    for shape in shapes {
      let values = (0..<shape.count).map { _ in
        Int64(bitPattern: shape.spread == UInt64.max ? rng.next() : 1_767_225_600 &+ rng.next() % shape.spread)
      }
      #expect(RadixSort.sorted(values) == values.sorted(), "\(shape.count) values over \(shape.spread)")
    }
    let extremes: [Int64] = (0..<300).map { [Int64.min, Int64.max, 0, -1, 1][$0 % 5] }
    #expect(RadixSort.sorted(extremes) == extremes.sorted())
  }

  @Test func theHeapPopsInKeyThenIdOrderAfterRandomDecreases() {
    var rng = BoughtEngagementTests.LCG(state: 3)
    for trial in 0..<50 {
      let n = 1 + rng.next(300)
      var keys = (0..<n).map { _ in Double(rng.next(20)) }
      var heap = IndexedMinHeap(keys: keys, members: (0..<n).map { Int32($0) })
      var expected: [Int32] = []
      var live = Set(0..<n)
      var popped: [Int32] = []
      while !live.isEmpty {
        for _ in 0..<rng.next(4) {
          let id = rng.next(n)
          guard live.contains(id) else { continue }
          let delta = Double(rng.next(3))
          keys[id] -= delta
          heap.decreaseKey(of: Int32(id), by: delta)
        }
        let least = live.min { (keys[$0], $0) < (keys[$1], $1) }!
        live.remove(least)
        expected.append(Int32(least))
        popped.append(heap.popMin()!)
      }
      #expect(heap.popMin() == nil)
      #expect(popped == expected, "trial \(trial)")
    }
  }

  @Test func theTransposeMayListEachColumnsRowsInAnyOrder() {
    for seed in UInt64(1)...20 {
      let g = Self.randomGraph(rows: 120, columns: 90, maximumDegree: 9, seed: seed)
      let plain = GreedyPeeling(
        rowCount: 120, columnCount: 90, rowOffsets: g.offsets, columnIndices: g.indices, columnWeights: g.weights)
      // The transpose with every column's rows reversed.
      let t = transposeCSR(rowOffsets: g.offsets, columnIndices: g.indices, columnCount: 90)
      var reversed = t.indices
      for j in 0..<90 { reversed[t.offsets[j]..<t.offsets[j + 1]].reverse() }
      let given = GreedyPeeling(
        rowCount: 120, columnCount: 90, rowOffsets: g.offsets, columnIndices: g.indices, columnOffsets: t.offsets,
        rowIndices: reversed, columnWeights: g.weights)
      let a = plain.peel(removedRows: nil, removedColumns: nil)
      let b = given.peel(removedRows: nil, removedColumns: nil)
      #expect(a.block == b.block, "seed \(seed)")
      #expect(a.peelValue == b.peelValue, "seed \(seed)")
    }
  }

  @Test func aCompactedGraphGivesTheBlocksOfTheFlaggedOne() {
    var rng = BoughtEngagementTests.LCG(state: 5)
    for seed in UInt64(1)...20 {
      let g = Self.randomGraph(rows: 150, columns: 100, maximumDegree: 12, seed: seed)
      let peeling = GreedyPeeling(
        rowCount: 150, columnCount: 100, rowOffsets: g.offsets, columnIndices: g.indices, columnWeights: g.weights)
      let removedRows = (0..<150).map { _ in rng.next(3) == 0 }
      let removedColumns = (0..<100).map { _ in rng.next(4) == 0 }
      let flagged = peeling.peel(removedRows: removedRows, removedColumns: removedColumns).block
      let kept = peeling.removing(rows: removedRows, columns: removedColumns)
      let compact = kept.peeling.peel(removedRows: nil, removedColumns: nil).block
      #expect(compact.rows.map { kept.rows[Int($0)] } == flagged.rows, "seed \(seed)")
      #expect(compact.columns.map { kept.columns[Int($0)] } == flagged.columns, "seed \(seed)")
      #expect(compact.density == flagged.density, "seed \(seed)")
      #expect(!flagged.rows.isEmpty)
    }
  }

  @Test func theConnectedPartsHoldEveryEdgeOnceAndPeelAsIfAlone() {
    for seed in UInt64(1)...20 {
      // Sparse enough to fall into many parts.
      let g = Self.randomGraph(rows: 200, columns: 300, maximumDegree: 3, seed: seed)
      let peeling = GreedyPeeling(
        rowCount: 200, columnCount: 300, rowOffsets: g.offsets, columnIndices: g.indices, columnWeights: g.weights)
      let parts = peeling.components()
      #expect(parts.count > 1, "seed \(seed)")
      var edges: [[Int32]] = []
      for part in parts {
        for (i, row) in part.rows.enumerated() {
          for k in part.peeling.rowOffsets[i]..<part.peeling.rowOffsets[i + 1] {
            edges.append([row, part.columns[Int(part.peeling.columnIndices[k])]])
          }
        }
        // Peeling the part alone gives what the whole graph gives with every other node removed.
        let inRows = Set(part.rows), inColumns = Set(part.columns)
        let alone = peeling.peel(
          removedRows: (0..<200).map { !inRows.contains(Int32($0)) },
          removedColumns: (0..<300).map { !inColumns.contains(Int32($0)) }
        ).block
        let block = part.peeling.densestBlock()
        #expect(block.rows.map { part.rows[Int($0)] } == alone.rows, "seed \(seed)")
        #expect(block.columns.map { part.columns[Int($0)] } == alone.columns, "seed \(seed)")
        #expect(abs(block.density - alone.density) < 1e-12, "seed \(seed)")
      }
      var whole: [[Int32]] = []
      for i in 0..<200 { for k in g.offsets[i]..<g.offsets[i + 1] { whole.append([Int32(i), g.indices[k]]) } }
      #expect(edges.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) } == whole, "seed \(seed)")
      // A part's densest block is at least as dense as the whole graph's.
      let best = parts.map { $0.peeling.densestBlock().density }.max() ?? 0
      #expect(best >= peeling.densestBlock().density - 1e-12, "seed \(seed)")
    }
  }

  /// The parts of the graph less some nodes, found without building that
  /// graph, are those of ``GreedyPeeling/removing(rows:columns:)``'s graph,
  /// in the same order, with the same edges.
  @Test func partsLessRemovedNodesAreThePartsOfTheGraphWithoutThem() {
    var rng = BoughtEngagementTests.LCG(state: 5)
    for seed in UInt64(1)...20 {
      let g = Self.randomGraph(rows: 200, columns: 300, maximumDegree: 4, seed: seed)
      let peeling = GreedyPeeling(
        rowCount: 200, columnCount: 300, rowOffsets: g.offsets, columnIndices: g.indices, columnWeights: g.weights)
      let removedRows = (0..<200).map { _ in rng.next(4) == 0 }
      let removedColumns = (0..<300).map { _ in rng.next(4) == 0 }
      let direct = peeling.components(removingRows: removedRows, columns: removedColumns)
      let rest = peeling.removing(rows: removedRows, columns: removedColumns)
      let twoSteps = rest.peeling.components()
      #expect(direct.count == twoSteps.count && direct.count > 1, "seed \(seed)")
      for (a, b) in zip(direct, twoSteps) {
        #expect(a.rows == b.rows.map { rest.rows[Int($0)] }, "seed \(seed)")
        #expect(a.columns == b.columns.map { rest.columns[Int($0)] }, "seed \(seed)")
        #expect(a.peeling.rowOffsets == b.peeling.rowOffsets && a.peeling.columnIndices == b.peeling.columnIndices)
        #expect(a.peeling.columnWeights == b.peeling.columnWeights, "seed \(seed)")
      }
    }
  }

  @Test func peelingOnlyACoreGivesTheWholePeelingsBlock() {
    var rng = BoughtEngagementTests.LCG(state: 9)
    for seed in UInt64(1)...30 {
      let g = Self.randomGraph(rows: 150, columns: 100, maximumDegree: 10, seed: seed)
      // Weights told apart by a little noise, so that no two keys tie in exact
      // arithmetic: the rounding of sums formed in another order cannot then
      // change the order of removal.
      let weights = g.weights.map { $0 * (1 + Double(rng.next(1_000_000)) * 1e-9) }
      let peeling = GreedyPeeling(
        rowCount: 150, columnCount: 100, rowOffsets: g.offsets, columnIndices: g.indices, columnWeights: weights)
      // The bounds of a graph this one was cut from: the peel values before a third of it went.
      let whole = peeling.peel(removedRows: nil, removedColumns: nil)
      let kept = peeling.removing(
        rows: (0..<150).map { _ in rng.next(3) == 0 }, columns: (0..<100).map { _ in rng.next(3) == 0 })
      let bounds = kept.rows.map { whole.peelValue[Int($0)] } + kept.columns.map { whole.peelValue[150 + Int($0)] }
      let exact = kept.peeling.peel(removedRows: nil, removedColumns: nil)
      let (block, tighter) = kept.peeling.densestBlock(bounds: bounds)
      #expect(block.rows == exact.block.rows, "seed \(seed)")
      #expect(block.columns == exact.block.columns, "seed \(seed)")
      #expect(abs(block.density - exact.block.density) < 1e-9, "seed \(seed)")
      // The bounds only tighten, and stay bounds.
      for v in bounds.indices {
        #expect(tighter[v] <= bounds[v] + 1e-12 && tighter[v] >= exact.peelValue[v] - 1e-9, "seed \(seed) node \(v)")
      }
      // Any first guess of τ, too high, too low or about right, gives the same block.
      for guess in [exact.block.density * 3, exact.block.density, exact.block.density * 0.75, 1e-3] {
        let guessed = kept.peeling.densestBlock(bounds: bounds, guess: guess)
        #expect(
          guessed.block.rows == exact.block.rows && guessed.block.columns == exact.block.columns,
          "seed \(seed) guess \(guess)")
        for v in bounds.indices {
          #expect(guessed.bounds[v] <= bounds[v] + 1e-12 && guessed.bounds[v] >= exact.peelValue[v] - 1e-9)
        }
      }
    }
  }
}
