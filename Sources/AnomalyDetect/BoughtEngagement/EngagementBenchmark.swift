import FraudLinalg
import SignalGraph

/// Entry points for the command-line benchmark of the bought-engagement
/// detectors: the inputs of FRAUDAR's peeling, built outside the timed part.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let (peeling, edges) = EngagementBenchmark.peeling(of: set, graph: GraphIndex(set))
///     let block = peeling.densestBlock()        // time this, over `edges` edges
///     let big = EngagementBenchmark.powerLawPeeling(edges: 10_000_000, seed: 1).peeling
package enum EngagementBenchmark {
  /// The peeling ``DenseBlockDetector`` runs first: every account as a row
  /// (endorser) and a column (endorsed), one edge per distinct endorsing
  /// pair, FRAUDAR's column weights 1 / ln(*d* + 5).
  /// - Returns: the peeling and its edge count.
  package static func peeling(of set: SignalSet, graph: GraphIndex) -> (peeling: GreedyPeeling, edges: Int) {
    let pairs = EndorsementGraph(set, graph: graph)
    let n = pairs.nodeCount
    let weights = GreedyPeeling.logWeights(inDegrees: (0..<n).map { pairs.inDegree(of: Int32($0)) })
    let peeling = GreedyPeeling(
      rowCount: n, columnCount: n, rowOffsets: pairs.outOffsets, columnIndices: pairs.outTargets,
      columnOffsets: pairs.inOffsets, rowIndices: pairs.inSources, columnWeights: weights)
    return (peeling, pairs.edgeCount)
  }

  /// A deterministic power-law endorsement graph of about `edges` distinct
  /// pairs over `edges / 5` endorsers and as many endorsed accounts
  /// (``SparseMatrix/powerLawBipartite(rows:columns:edges:seed:)``; repeated
  /// pairs merge, so slightly fewer edges remain), with FRAUDAR's weights.
  /// - Returns: the peeling and its distinct edge count.
  package static func powerLawPeeling(edges: Int, seed: UInt64) -> (peeling: GreedyPeeling, edges: Int) {
    let side = max(edges / 5, 1)
    let matrix = SparseMatrix.powerLawBipartite(rows: side, columns: side, edges: edges, seed: seed)
    var inDegrees = [Int](repeating: 0, count: side)
    for j in matrix.columnIndices { inDegrees[Int(j)] += 1 }
    let peeling = GreedyPeeling(
      rowCount: side, columnCount: side, rowOffsets: matrix.rowOffsets, columnIndices: matrix.columnIndices,
      columnWeights: GreedyPeeling.logWeights(inDegrees: inDegrees))
    return (peeling, matrix.nonzeroCount)
  }
}
