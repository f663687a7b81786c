extension GreedyPeeling {
  /// The connected parts of the graph less `removedRows` and
  /// `removedColumns` (those with at least one edge), each re-indexed
  /// compactly in the same order, with the old index of each of its rows and
  /// columns: the parts of ``removing(rows:columns:)``'s graph, without
  /// building that graph first.
  ///
  /// Peeling one part costs only its own edges, and what is removed from one
  /// part leaves every other part's peeling unchanged, so a repeated search
  /// re-peels only the part its last block came from. A block that the
  /// whole graph's peeling would return across two parts has a density
  /// between theirs (f and |S| add up), so each part's own densest block
  /// is at least as dense as anything the whole graph offers from it.
  ///
  ///     // rows 0, 1 share column 0; row 2 has column 1 alone
  ///     let peeling = GreedyPeeling(rowCount: 3, columnCount: 2, rowOffsets: [0, 1, 2, 3],
  ///                                 columnIndices: [0, 0, 1], columnWeights: [1, 1])
  ///     peeling.components().map(\.rows)   // [[0, 1], [2]]
  ///
  /// - Complexity: O(|*V*| + |*E*|), one breadth-first search and one copy of the edges.
  func components(
    removingRows removedRows: [Bool]? = nil, columns removedColumns: [Bool]? = nil
  ) -> [(peeling: GreedyPeeling, rows: [Int32], columns: [Int32])] {
    let label = componentLabels(removedRows: removedRows, removedColumns: removedColumns)
    let count = (label.max() ?? -1) + 1
    guard count > 0 else { return [] }
    var rows = [[Int32]](repeating: [], count: Int(count))
    var columns = [[Int32]](repeating: [], count: Int(count))
    var offsets = [[Int]](repeating: [0], count: Int(count))
    var indices = [[Int32]](repeating: [], count: Int(count))
    var columnSlot = [Int32](repeating: -1, count: columnCount)
    for j in 0..<columnCount where label[rowCount + j] >= 0 {
      let part = Int(label[rowCount + j])
      columnSlot[j] = Int32(columns[part].count)
      columns[part].append(Int32(j))
    }
    for i in 0..<rowCount where label[i] >= 0 {
      let part = Int(label[i])
      rows[part].append(Int32(i))
      for k in rowOffsets[i]..<rowOffsets[i + 1] {
        let slot = columnSlot[Int(columnIndices[k])]
        if slot >= 0 { indices[part].append(slot) }
      }
      offsets[part].append(indices[part].count)
    }
    return (0..<Int(count)).map { part in
      let peeling = GreedyPeeling(
        rowCount: rows[part].count, columnCount: columns[part].count, rowOffsets: offsets[part],
        columnIndices: indices[part], columnWeights: columns[part].map { columnWeights[Int($0)] })
      return (peeling, rows[part], columns[part])
    }
  }

  /// The part of each node (rows first, then columns), numbered in the
  /// order of their first node; -1 for a node removed or without edges
  /// to nodes that are not.
  private func componentLabels(removedRows: [Bool]?, removedColumns: [Bool]?) -> [Int32] {
    // Removed nodes are marked as if already visited (-2), so no search
    // enters them, and become -1 at the end.
    var label = [Int32](repeating: -1, count: rowCount + columnCount)
    if let removedRows { for i in 0..<rowCount where removedRows[i] { label[i] = -2 } }
    if let removedColumns { for j in 0..<columnCount where removedColumns[j] { label[rowCount + j] = -2 } }
    var queue: [Int32] = []
    var next: Int32 = 0
    for start in 0..<(rowCount + columnCount) where label[start] == -1 {
      let hasEdge =
        start < rowCount
        ? (rowOffsets[start]..<rowOffsets[start + 1]).contains { label[rowCount + Int(columnIndices[$0])] != -2 }
        : (columnOffsets[start - rowCount]..<columnOffsets[start - rowCount + 1]).contains {
          label[Int(rowIndices[$0])] != -2
        }
      guard hasEdge else { continue }
      label[start] = next
      queue.removeAll(keepingCapacity: true)
      queue.append(Int32(start))
      var head = 0
      while head < queue.count {
        let v = Int(queue[head])
        head += 1
        if v < rowCount {
          for k in rowOffsets[v]..<rowOffsets[v + 1] where label[rowCount + Int(columnIndices[k])] == -1 {
            label[rowCount + Int(columnIndices[k])] = next
            queue.append(Int32(rowCount) + columnIndices[k])
          }
        } else {
          let j = v - rowCount
          for k in columnOffsets[j]..<columnOffsets[j + 1] where label[Int(rowIndices[k])] == -1 {
            label[Int(rowIndices[k])] = next
            queue.append(rowIndices[k])
          }
        }
      }
      next += 1
    }
    for v in label.indices where label[v] == -2 { label[v] = -1 }
    return label
  }
}
