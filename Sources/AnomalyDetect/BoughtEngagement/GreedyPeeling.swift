import Foundation

/// Greedy peeling of a weighted bipartite graph to its densest block: the
/// core of FRAUDAR.
///
/// The graph has rows (endorsers) and columns (endorsed accounts); an edge
/// (*i*, *j*) weighs `columnWeights[j]`. For a set *S* of rows and columns,
/// f(*S*) is the total weight of the edges inside *S* and the density is
/// g(*S*) = f(*S*) / |*S*|. Peeling starts from the whole graph, repeatedly
/// removes the node whose edges inside the current set weigh least, and
/// returns the set, among all those passed through, of highest density — a
/// 2-approximation of the densest block. With column weights 1 / log(*d* + *c*)
/// for in-degree *d* (see ``logWeights(inDegrees:constant:)``), edges to
/// popular accounts count for little, so camouflage edges from a farm to
/// celebrities neither hide the farm nor drag the celebrities into it.
///
///     let peeling = GreedyPeeling(rowCount: 3, columnCount: 2,
///                                 rowOffsets: [0, 2, 4, 5], columnIndices: [0, 1, 0, 1, 1],
///                                 columnWeights: [1, 1])
///     let block = peeling.densestBlock()
///     block.rows      // [0, 1]
///     block.columns   // [0, 1]
///
/// The removal order also gives each node a *peel value*, the largest
/// weighted degree at removal seen so far: every node of a block of density
/// g that no single removal makes denser has a peel value of at least g, so
/// later passes can be confined to the nodes above a threshold.
///
/// [Hooi et al. 2016]: https://doi.org/10.1145/2939672.2939747
///
/// > B. Hooi, H. A. Song, A. Beutel, N. Shah, K. Shin, C. Faloutsos.
/// "FRAUDAR: Bounding Graph Fraud in the Face of Camouflage."
/// *KDD 2016*, pp. 895-904.
///
/// - Complexity: one pass is O(|*E*| log |*V*|) time with an indexed
///   min-heap (each edge lowers one key once); memory is linear in the edges
///   (the transpose is built once, 12 bytes per edge).
package struct GreedyPeeling: Sendable {
  /// A block: its rows, its columns and its density g = f / |S|.
  package struct Block: Sendable, Equatable {
    /// Row indices, ascending.
    package var rows: [Int32]
    /// Column indices, ascending.
    package var columns: [Int32]
    /// The weighted density f(S) / |S|.
    package var density: Double
  }

  let rowCount: Int, columnCount: Int
  let rowOffsets: [Int], columnIndices: [Int32]
  let columnOffsets: [Int], rowIndices: [Int32]
  let columnWeights: [Double]

  /// A peeling of the bipartite graph whose row *i* has the columns
  /// `columnIndices[rowOffsets[i]..<rowOffsets[i + 1]]` (no repeats), an edge
  /// into column *j* weighing `columnWeights[j]`.
  package init(rowCount: Int, columnCount: Int, rowOffsets: [Int], columnIndices: [Int32], columnWeights: [Double]) {
    precondition(rowOffsets.count == rowCount + 1 && columnWeights.count == columnCount, "shape mismatch")
    self.rowCount = rowCount
    self.columnCount = columnCount
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
    self.columnWeights = columnWeights
    (columnOffsets, rowIndices) = transposeCSR(
      rowOffsets: rowOffsets, columnIndices: columnIndices, columnCount: columnCount)
  }

  /// FRAUDAR's column weights 1 / ln(*d* + `constant`) for in-degrees *d*.
  package static func logWeights(inDegrees: [Int], constant: Double = 5) -> [Double] {
    inDegrees.map { 1 / log(Double($0) + constant) }
  }

  /// The densest block the greedy peeling finds in the whole graph.
  package func densestBlock() -> Block {
    peel(removedRows: nil, removedColumns: nil).block
  }

  /// Peels the graph less the removed rows and columns.
  /// - Returns: the densest block seen and each node's peel value (rows
  ///   first, then columns; 0 for nodes that took no part).
  func peel(removedRows: [Bool]?, removedColumns: [Bool]?) -> (block: Block, peelValue: [Double]) {
    let r = rowCount
    var keys = [Double](repeating: 0, count: r + columnCount)
    var members: [Int32] = []
    var total = 0.0
    // Column keys: weight × live endorsers; row keys: sum of live column weights.
    for j in 0..<columnCount where removedColumns?[j] != true {
      let w = columnWeights[j]
      var live = 0
      for k in columnOffsets[j]..<columnOffsets[j + 1] where removedRows?[Int(rowIndices[k])] != true {
        keys[Int(rowIndices[k])] += w
        live += 1
      }
      if live > 0 {
        keys[r + j] = w * Double(live)
        total += w * Double(live)
        members.append(Int32(r + j))
      }
    }
    for i in 0..<r where removedRows?[i] != true && keys[i] > 0 { members.append(Int32(i)) }
    var heap = IndexedMinHeap(keys: keys, members: members)
    var peelValue = [Double](repeating: 0, count: keys.count)
    var order: [Int32] = []
    order.reserveCapacity(members.count)
    var size = Double(members.count)
    var best = members.isEmpty ? 0 : total / size
    var bestStep = 0
    var running = 0.0
    while let v = heap.popMin() {
      let key = heap.keys[Int(v)]
      running = max(running, key)
      peelValue[Int(v)] = running
      order.append(v)
      total -= key
      size -= 1
      if Int(v) < r {
        for k in rowOffsets[Int(v)]..<rowOffsets[Int(v) + 1] {
          let c = Int32(r) + columnIndices[k]
          if heap.contains(c) { heap.decreaseKey(of: c, by: columnWeights[Int(columnIndices[k])]) }
        }
      } else {
        let j = Int(v) - r
        let w = columnWeights[j]
        for k in columnOffsets[j]..<columnOffsets[j + 1] {
          let i = rowIndices[k]
          if heap.contains(i) { heap.decreaseKey(of: i, by: w) }
        }
      }
      if size > 0, total / size > best {
        best = total / size
        bestStep = order.count
      }
    }
    var rows: [Int32] = [], columns: [Int32] = []
    for v in order[bestStep...] {
      if Int(v) < r { rows.append(v) } else { columns.append(v - Int32(r)) }
    }
    rows.sort()
    columns.sort()
    return (Block(rows: rows, columns: columns, density: best), peelValue)
  }
}
