extension GreedyPeeling {
  /// The block ``densestBlock()`` returns, found by peeling only a core of
  /// the graph, given an upper bound on each node's peel value (rows first,
  /// then columns; a previous peeling's values of a graph this one is part
  /// of); returns the block and tighter bounds.
  ///
  /// A node's peel value is its weighted core number, which only falls as
  /// the graph loses edges, and the peeling passes through the τ-core (every
  /// node whose weighted degree inside it is ≥ τ) before peeling it as if
  /// alone. Every node it removes before that has a key below τ, so any
  /// earlier set denser than τ only grows denser as it is shed: when the
  /// best block inside the τ-core is at least τ dense, it is the best of the
  /// whole peeling. The first try takes τ as `guess` when it is above half
  /// the largest bound (a repeated search passes 3/4 of its last block's
  /// density: the next block is seldom much less dense, and a higher τ
  /// means a smaller core), the others as half the largest bound (the
  /// densest block is at least half as dense as the largest core number);
  /// an empty core lowers the bounds to τ, and a best block below τ sets τ
  /// to its density, where the check is sure to hold. Any τ gives the same
  /// block; a good one only gives it sooner.
  ///
  /// The block is the whole peeling's but for one thing: nodes whose keys
  /// are equal in exact arithmetic (columns of equal in-degree weigh the
  /// same) may be told apart by the rounding of their sums, which are formed
  /// in another order here, so the two may leave such a tie in another
  /// order and end on another, equally greedy, block.
  ///
  ///     // rows 0 and 1 × columns 0 and 1, and row 2 → column 2 alone
  ///     let peeling = GreedyPeeling(rowCount: 3, columnCount: 3,
  ///                                 rowOffsets: [0, 2, 4, 5], columnIndices: [0, 1, 0, 1, 2],
  ///                                 columnWeights: [1, 1, 1])
  ///     let whole = peeling.peel(removedRows: nil, removedColumns: nil)
  ///     peeling.densestBlock(bounds: whole.peelValue).block == whole.block   // true
  ///
  /// - Complexity: O(|*E*ₖ| log |*V*ₖ|) for a core *K*, plus O(|*V*|) and the
  ///   edges of the nodes whose bound reaches τ; the whole peeling's cost
  ///   when the core is the whole graph.
  func densestBlock(bounds: [Double], guess: Double = 0) -> (block: Block, bounds: [Double]) {
    precondition(bounds.count == rowCount + columnCount, "one bound per row and column")
    var bounds = bounds
    var tau = max((bounds.max() ?? 0) / 2, guess)
    // Rounding could keep a check a hair short of τ; a few tries are plenty.
    for _ in 0..<64 where tau > 0 {
      let inCore = core(atLeast: tau, bounds: bounds)
      guard inCore.contains(true) else {
        // Every core number is below τ.
        for v in bounds.indices where bounds[v] > tau { bounds[v] = tau }
        tau = (bounds.max() ?? 0) / 2
        continue
      }
      // Peeled in place: the core's nodes keep their relative order, so the
      // heap breaks ties as it would on the core copied out.
      let (block, peelValue) = peel(
        removedRows: (0..<rowCount).map { !inCore[$0] },
        removedColumns: (0..<columnCount).map { !inCore[rowCount + $0] })
      guard block.density >= tau else {
        tau = block.density
        continue
      }
      for v in bounds.indices {
        if inCore[v] {
          bounds[v] = peelValue[v]
        } else if bounds[v] > tau {
          bounds[v] = tau
        }
      }
      return (block, bounds)
    }
    let whole = peel(removedRows: nil, removedColumns: nil)
    return (whole.block, whole.peelValue)
  }

  /// Which nodes are in the τ-core: among the nodes whose bound reaches τ
  /// (a superset of it), those left once every node of weighted degree
  /// below τ among them is removed, repeatedly.
  private func core(atLeast tau: Double, bounds: [Double]) -> [Bool] {
    var inCore = bounds.map { $0 >= tau }
    var degree = [Double](repeating: 0, count: rowCount + columnCount)
    for j in 0..<columnCount where inCore[rowCount + j] {
      let w = columnWeights[j]
      for k in columnOffsets[j]..<columnOffsets[j + 1] where inCore[Int(rowIndices[k])] {
        degree[Int(rowIndices[k])] += w
        degree[rowCount + j] += w
      }
    }
    var queue = inCore.indices.filter { inCore[$0] && degree[$0] < tau }
    for v in queue { inCore[v] = false }
    var head = 0
    while head < queue.count {
      let v = queue[head]
      head += 1
      if v < rowCount {
        for k in rowOffsets[v]..<rowOffsets[v + 1] {
          let c = rowCount + Int(columnIndices[k])
          guard inCore[c] else { continue }
          degree[c] -= columnWeights[Int(columnIndices[k])]
          if degree[c] < tau {
            inCore[c] = false
            queue.append(c)
          }
        }
      } else {
        let j = v - rowCount, w = columnWeights[j]
        for k in columnOffsets[j]..<columnOffsets[j + 1] {
          let r = Int(rowIndices[k])
          guard inCore[r] else { continue }
          degree[r] -= w
          if degree[r] < tau {
            inCore[r] = false
            queue.append(r)
          }
        }
      }
    }
    return inCore
  }
}
