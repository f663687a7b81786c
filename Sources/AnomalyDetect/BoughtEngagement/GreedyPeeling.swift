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
///     // rows 0 and 1 × columns 0 and 1, and row 2 → column 2 alone
///     let peeling = GreedyPeeling(rowCount: 3, columnCount: 3,
///                                 rowOffsets: [0, 2, 4, 5], columnIndices: [0, 1, 0, 1, 2],
///                                 columnWeights: [1, 1, 1])
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

  /// A peeling of the same graph given with its transpose as well: column
  /// *j*'s rows are `rowIndices[columnOffsets[j]..<columnOffsets[j + 1]]`,
  /// in any order (the peeling's result does not depend on it), so that a
  /// caller that already holds both directions, as ``EndorsementGraph``
  /// does, does not build the transpose again.
  init(
    rowCount: Int, columnCount: Int, rowOffsets: [Int], columnIndices: [Int32], columnOffsets: [Int],
    rowIndices: [Int32], columnWeights: [Double]
  ) {
    precondition(
      rowOffsets.count == rowCount + 1 && columnOffsets.count == columnCount + 1
        && columnWeights.count == columnCount && rowIndices.count == columnIndices.count, "shape mismatch")
    self.rowCount = rowCount
    self.columnCount = columnCount
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
    self.columnOffsets = columnOffsets
    self.rowIndices = rowIndices
    self.columnWeights = columnWeights
  }

  /// The same graph less the rows and columns flagged in `removedRows` and
  /// `removedColumns`, re-indexed compactly in the same order, with the old
  /// index of each kept row and column. Peeling it gives the block that
  /// ``peel(removedRows:removedColumns:)`` gives with those flags (re-indexed):
  /// the keys are summed in the same order and ties still go to the
  /// smaller index, so a repeated search can shed what it has removed.
  func removing(rows removedRows: [Bool], columns removedColumns: [Bool]) -> (
    peeling: GreedyPeeling, rows: [Int32], columns: [Int32]
  ) {
    var columnSlot = [Int32](repeating: -1, count: columnCount)
    var keptColumns: [Int32] = []
    for j in 0..<columnCount where !removedColumns[j] {
      columnSlot[j] = Int32(keptColumns.count)
      keptColumns.append(Int32(j))
    }
    var keptRows: [Int32] = []
    var offsets: [Int] = [0]
    var indices: [Int32] = []
    indices.reserveCapacity(columnIndices.count)
    for i in 0..<rowCount where !removedRows[i] {
      let start = indices.count
      for k in rowOffsets[i]..<rowOffsets[i + 1] {
        let s = columnSlot[Int(columnIndices[k])]
        if s >= 0 { indices.append(s) }
      }
      if indices.count > start {
        keptRows.append(Int32(i))
        offsets.append(indices.count)
      }
    }
    let peeling = GreedyPeeling(
      rowCount: keptRows.count, columnCount: keptColumns.count, rowOffsets: offsets, columnIndices: indices,
      columnWeights: keptColumns.map { columnWeights[Int($0)] })
    return (peeling, keptRows, keptColumns)
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
    rowOffsets.withUnsafeBufferPointer { rowOffsets in
      columnIndices.withUnsafeBufferPointer { columnIndices in
        columnOffsets.withUnsafeBufferPointer { columnOffsets in
          rowIndices.withUnsafeBufferPointer { rowIndices in
            columnWeights.withUnsafeBufferPointer { columnWeights in
              peel(
                CSR(
                  rowOffsets: rowOffsets, columnIndices: columnIndices, columnOffsets: columnOffsets,
                  rowIndices: rowIndices, columnWeights: columnWeights),
                removedRows: removedRows, removedColumns: removedColumns)
            }
          }
        }
      }
    }
  }

  /// Both directions of the graph, borrowed for one peeling.
  private struct CSR {
    let rowOffsets: UnsafeBufferPointer<Int>, columnIndices: UnsafeBufferPointer<Int32>
    let columnOffsets: UnsafeBufferPointer<Int>, rowIndices: UnsafeBufferPointer<Int32>
    let columnWeights: UnsafeBufferPointer<Double>
  }

  private func peel(_ g: CSR, removedRows: [Bool]?, removedColumns: [Bool]?) -> (block: Block, peelValue: [Double]) {
    let r = rowCount
    var keys = [Double](repeating: 0, count: r + columnCount)
    var members: [Int32] = []
    var total = 0.0
    // Column keys: weight × live endorsers; row keys: sum of live column weights.
    keys.withUnsafeMutableBufferPointer { keys in
      for j in 0..<columnCount where removedColumns?[j] != true {
        let w = g.columnWeights[j]
        var live = 0
        if let removedRows {
          for k in g.columnOffsets[j]..<g.columnOffsets[j + 1] where !removedRows[Int(g.rowIndices[k])] {
            keys[Int(g.rowIndices[k])] += w
            live += 1
          }
        } else {
          for k in g.columnOffsets[j]..<g.columnOffsets[j + 1] { keys[Int(g.rowIndices[k])] += w }
          live = g.columnOffsets[j + 1] - g.columnOffsets[j]
        }
        if live > 0 {
          keys[r + j] = w * Double(live)
          total += w * Double(live)
          members.append(Int32(r + j))
        }
      }
    }
    for i in 0..<r where removedRows?[i] != true && keys[i] > 0 { members.append(Int32(i)) }
    var heap = IndexedMinHeap(keys: keys, members: members)
    var peelValue = [Double](repeating: 0, count: keys.count)
    var order = [Int32](repeating: 0, count: members.count)
    var size = Double(members.count)
    var best = members.isEmpty ? 0 : total / size
    var bestStep = 0
    var running = 0.0
    var popped = 0
    peelValue.withUnsafeMutableBufferPointer { peelValue in
      order.withUnsafeMutableBufferPointer { order in
        while let v = heap.popMin() {
          let key = heap.key(of: v)
          running = max(running, key)
          peelValue[Int(v)] = running
          order[popped] = v
          popped += 1
          total -= key
          size -= 1
          if Int(v) < r {
            for k in g.rowOffsets[Int(v)]..<g.rowOffsets[Int(v) + 1] {
              let j = g.columnIndices[k]
              heap.decreaseKeyIfPresent(of: Int32(r) + j, by: g.columnWeights[Int(j)])
            }
          } else {
            let j = Int(v) - r
            let w = g.columnWeights[j]
            for k in g.columnOffsets[j]..<g.columnOffsets[j + 1] {
              heap.decreaseKeyIfPresent(of: g.rowIndices[k], by: w)
            }
          }
          if size > 0, total / size > best {
            best = total / size
            bestStep = popped
          }
        }
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
