import Foundation
import SplitMix

extension SparseMatrix {
  /// A deterministic random bipartite graph with power-law degrees, shaped
  /// like a follow graph: `rows` accounts following `columns` accounts.
  ///
  /// Each of `edges` edges picks its endpoints independently, the row as
  /// `⌊rows · u²⌋` and the column as `⌊columns · u³⌋` for uniform `u`, so
  /// expected degrees fall off as a power of rank (exponent −1/2 for rows,
  /// −2/3 for columns: a few very popular targets, a long tail). Row and
  /// column labels are then shuffled so popular nodes are spread through
  /// the index range, as in real data. Repeated edges are summed into
  /// weights, so ``nonzeroCount`` is a little below `edges`.
  ///
  ///     let graph = SparseMatrix.powerLawBipartite(rows: 200_000, columns: 200_000,
  ///                                                edges: 1_000_000, seed: 1)
  ///
  /// - Complexity: O(`edges + rows + columns`)
  public static func powerLawBipartite(rows: Int, columns: Int, edges: Int, seed: UInt64) -> SparseMatrix {
    precondition(rows > 0 && columns > 0 && edges >= 0, "need a non-empty shape and a non-negative edge count")
    var rng = SplitMix64(seed: seed)
    var rowLabel = Array(0..<rows)
    var columnLabel = Array(0..<columns)
    rowLabel.shuffle(using: &rng)
    columnLabel.shuffle(using: &rng)
    var r = [Int](repeating: 0, count: edges)
    var c = [Int](repeating: 0, count: edges)
    for e in 0..<edges {
      let u = rng.nextUnitInterval(), w = rng.nextUnitInterval()
      r[e] = rowLabel[min(rows - 1, Int(Double(rows) * u * u))]
      c[e] = columnLabel[min(columns - 1, Int(Double(columns) * w * w * w))]
    }
    return SparseMatrix(
      rows: rows, columns: columns, rowIndices: r, columnIndices: c,
      values: [Double](repeating: 1, count: edges))
  }
}
