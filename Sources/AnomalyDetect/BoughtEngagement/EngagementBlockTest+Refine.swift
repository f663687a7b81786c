import Foundation
import SignalGraph

extension EngagementBlockTest {
  /// The passing blocks inside a candidate: it is split into connected parts
  /// (``split(rows:columns:pairs:scratch:)``), each part tested, and a part
  /// that fails for being too sparse — often two farms joined by one shared
  /// account — is peeled again into its densest sub-blocks, each handled the same way
  /// (at most three levels deep).
  func blocks(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, set: SignalSet, scratch: inout Scratch,
    depth: Int = 0
  ) -> [Outcome] {
    var passed: [Outcome] = []
    for part in split(rows: rows, columns: columns, pairs: pairs, scratch: &scratch) {
      let outcome = evaluate(rows: part.rows, columns: part.columns, pairs: pairs, set: set, scratch: &scratch)
      if outcome.passed {
        passed.append(outcome)
      } else if depth < 3, outcome.endorsers.count >= 2 * minimumEndorsers,
        outcome.customers.count >= 2 * minimumCustomers, outcome.fill < minimumFill
      {
        passed += subBlocks(
          rows: outcome.endorsers, columns: outcome.customers, pairs: pairs, set: set, scratch: &scratch,
          depth: depth + 1)
      }
    }
    return passed
  }

  /// Peels the sub-graph `rows` × `columns` (its one-way endorsements)
  /// repeatedly with FRAUDAR's weights.
  private func subBlocks(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, set: SignalSet, scratch: inout Scratch, depth: Int
  ) -> [Outcome] {
    scratch.stamp += 1
    let stamp = scratch.stamp
    for (p, j) in columns.enumerated() {
      scratch.mark[Int(j)] = stamp
      scratch.hits[Int(j)] = Int32(p)
    }
    var offsets: [Int] = [0]
    var indices: [Int32] = []
    for i in rows {
      for k in pairs.oneWayOffsets[Int(i)]..<pairs.oneWayOffsets[Int(i) + 1]
      where scratch.mark[Int(pairs.oneWayTargets[k])] == stamp {
        indices.append(scratch.hits[Int(pairs.oneWayTargets[k])])
      }
      offsets.append(indices.count)
    }
    for j in columns { scratch.hits[Int(j)] = 0 }
    let peeling = GreedyPeeling(
      rowCount: rows.count, columnCount: columns.count, rowOffsets: offsets, columnIndices: indices,
      columnWeights: columns.map { 1 / log(Double(pairs.inDegree(of: $0)) + 5) })
    var removedRows = [Bool](repeating: false, count: rows.count)
    var removedColumns = [Bool](repeating: false, count: columns.count)
    var found: [Outcome] = []
    for _ in 0..<16 {
      let (block, _) = peeling.peel(removedRows: removedRows, removedColumns: removedColumns)
      if block.rows.isEmpty || block.columns.isEmpty { break }
      for r in block.rows { removedRows[Int(r)] = true }
      for c in block.columns { removedColumns[Int(c)] = true }
      found += blocks(
        rows: block.rows.map { rows[Int($0)] }, columns: block.columns.map { columns[Int($0)] },
        pairs: pairs, set: set, scratch: &scratch, depth: depth)
    }
    return found
  }
}
