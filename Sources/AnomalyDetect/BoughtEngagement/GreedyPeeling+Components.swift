extension GreedyPeeling {
  /// The connected parts of the graph (those with at least one edge), each
  /// re-indexed compactly in the same order, with the old index of each of
  /// its rows and columns.
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
  func components() -> [(peeling: GreedyPeeling, rows: [Int32], columns: [Int32])] {
    let label = componentLabels()
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
      for k in rowOffsets[i]..<rowOffsets[i + 1] { indices[part].append(columnSlot[Int(columnIndices[k])]) }
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
  /// order of their first node; -1 for a node without edges.
  private func componentLabels() -> [Int32] {
    var label = [Int32](repeating: -1, count: rowCount + columnCount)
    var queue: [Int32] = []
    var next: Int32 = 0
    for start in 0..<(rowCount + columnCount) where label[start] < 0 {
      let degree =
        start < rowCount
        ? rowOffsets[start + 1] - rowOffsets[start]
        : columnOffsets[start - rowCount + 1] - columnOffsets[start - rowCount]
      guard degree > 0 else { continue }
      label[start] = next
      queue.removeAll(keepingCapacity: true)
      queue.append(Int32(start))
      var head = 0
      while head < queue.count {
        let v = Int(queue[head])
        head += 1
        if v < rowCount {
          for k in rowOffsets[v]..<rowOffsets[v + 1] where label[rowCount + Int(columnIndices[k])] < 0 {
            label[rowCount + Int(columnIndices[k])] = next
            queue.append(Int32(rowCount) + columnIndices[k])
          }
        } else {
          let j = v - rowCount
          for k in columnOffsets[j]..<columnOffsets[j + 1] where label[Int(rowIndices[k])] < 0 {
            label[Int(rowIndices[k])] = next
            queue.append(rowIndices[k])
          }
        }
      }
      next += 1
    }
    return label
  }
}
