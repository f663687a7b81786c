import Foundation
import SignalGraph

extension EngagementBlockTest {
  /// The passing blocks inside a candidate: it is split into connected parts
  /// (``split(rows:columns:pairs:scratch:)``), each part tested, and a part
  /// that fails for being too sparse — often two farms joined by one shared
  /// account — is peeled again into its densest sub-blocks, each handled the same way
  /// (at most three levels deep). Every passing block is completed with the
  /// farm's endorsers the peeling left out (``completed(_:pairs:set:scratch:)``).
  func blocks(
    rows: [Int32], columns: [Int32], pairs: EndorsementGraph, set: SignalSet, scratch: inout Scratch,
    depth: Int = 0
  ) -> [Outcome] {
    var passed: [Outcome] = []
    for part in split(rows: rows, columns: columns, pairs: pairs, scratch: &scratch) {
      let outcome = evaluate(rows: part.rows, columns: part.columns, pairs: pairs, set: set, scratch: &scratch)
      if outcome.passed {
        passed.append(completed(outcome, pairs: pairs, set: set, scratch: &scratch))
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

  /// A passing block with the accounts the peeling left out that endorsed
  /// its customers as the block's endorsers did: the peeling keeps the
  /// densest rows, so a farm's endorsers that served fewer of its customers
  /// than the rest are missing from the block it returns.
  ///
  /// An account outside the block joins only on evidence against its own
  /// volume: at least two of its one-way endorsements of the customers fall
  /// within the block's window (widened by its width on each side), at least
  /// half of them do, and P(Poisson(*d*ᵢ Σ *d*ⱼ / *m*) ≥ *h*) ≤ α / *r*, where
  /// *h* its endorsements of the customers, *d*ᵢ its one-way out-degree,
  /// Σ *d*ⱼ the customers' in-degrees, *m* the set's distinct pairs, α the
  /// search's level (``Thresholds/familyAlpha`` / accounts) and *r* the
  /// accounts considered (a Bonferroni bound). An honest follower of two
  /// customers, or a busy rater, does not reach it. The wider block is then
  /// tested as a whole and replaces the first only if it passes too.
  ///
  /// - Complexity: O(Σ in-degree of the customers), then one
  ///   ``evaluate(rows:columns:pairs:set:scratch:)``.
  private func completed(_ outcome: Outcome, pairs: EndorsementGraph, set: SignalSet, scratch: inout Scratch)
    -> Outcome
  {
    scratch.stamp += 1
    let stamp = scratch.stamp
    for i in outcome.endorsers { scratch.mark[Int(i)] = stamp }
    let width = outcome.windowEnd.saturatingSubtracting(outcome.windowStart)
    let pad = max(width, 3_600)
    let window = outcome.windowStart.saturatingSubtracting(pad)...outcome.windowEnd.saturatingAdding(pad)
    var candidates: [Int32] = []
    var customerInDegrees = 0.0
    for j in outcome.customers {
      customerInDegrees += Double(pairs.inDegree(of: j))
      for k in pairs.inOffsets[Int(j)]..<pairs.inOffsets[Int(j) + 1] {
        let i = pairs.inSources[k]
        guard scratch.mark[Int(i)] != stamp, !pairs.endorses(j, i) else { continue }
        if scratch.hits[Int(i)] == 0 && scratch.synced[Int(i)] == 0 { candidates.append(i) }
        if window.contains(pairs.inTime[k]) { scratch.synced[Int(i)] += 1 } else { scratch.hits[Int(i)] += 1 }
      }
    }
    let perOutEdge = customerInDegrees / Double(max(pairs.edgeCount, 1))
    let log10Level = log10(familyAlpha / Double(max(candidates.count, 1)))
    var rows = outcome.endorsers
    for i in candidates {
      let synced = Int(scratch.synced[Int(i)]), total = synced + Int(scratch.hits[Int(i)])
      scratch.hits[Int(i)] = 0
      scratch.synced[Int(i)] = 0
      guard synced >= 2, 2 * synced >= total else { continue }
      let mean = Double(pairs.oneWayOutDegree(of: i)) * perOutEdge
      if Self.log10PoissonTail(total, mean: mean) <= log10Level { rows.append(i) }
    }
    guard rows.count > outcome.endorsers.count else { return outcome }
    let wider = evaluate(rows: rows, columns: outcome.customers, pairs: pairs, set: set, scratch: &scratch)
    return wider.passed && wider.endorsers.count > outcome.endorsers.count ? wider : outcome
  }

  /// The most peeling passes over one candidate's sub-graph.
  static let subBlockPasses = 16

  /// Peels the sub-graph `rows` × `columns` (its one-way endorsements)
  /// repeatedly with FRAUDAR's weights (at most ``subBlockPasses`` times).
  /// Each pass removes the endorsers and customers of the blocks in it that
  /// pass, or, when none passes, the whole block.
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
    let rowPosition = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
    let columnPosition = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    var found: [Outcome] = []
    for _ in 0..<Self.subBlockPasses {
      let (block, _) = peeling.peel(removedRows: removedRows, removedColumns: removedColumns)
      if block.rows.isEmpty || block.columns.isEmpty { break }
      let passed = blocks(
        rows: block.rows.map { rows[Int($0)] }, columns: block.columns.map { columns[Int($0)] },
        pairs: pairs, set: set, scratch: &scratch, depth: depth)
      // Only what passing blocks report leaves the search: the greedy
      // peeling's best prefix can hold part of a second farm (its customers
      // and some of its endorsers), and that farm is found whole in a later
      // pass instead of being lost in pieces. A pass where nothing passes
      // removes its whole block, so every pass makes progress.
      if passed.isEmpty {
        for r in block.rows { removedRows[Int(r)] = true }
        for c in block.columns { removedColumns[Int(c)] = true }
      }
      for outcome in passed {
        for i in outcome.endorsers { if let r = rowPosition[i] { removedRows[r] = true } }
        for j in outcome.customers { if let c = columnPosition[j] { removedColumns[c] = true } }
      }
      found += passed
    }
    return found
  }
}
