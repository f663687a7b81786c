/// Entry points for the command-line benchmark of the sparse SVD.
///
///     let result = try LinalgBenchmark.truncatedSVD(rows: 200_000, columns: 200_000,
///                                                   nonzeros: 1_000_000, k: 10, seed: 1)
///     print(result.seconds, result.singularValues)
///
/// Write the same matrix with ``SparseMatrix/writeMatrixMarket(to:)`` (build
/// it with ``SparseMatrix/powerLawBipartite(rows:columns:edges:seed:)`` and
/// the same arguments) to compare against another implementation.
package enum LinalgBenchmark {
  /// Generates a power-law bipartite matrix with
  /// ``SparseMatrix/powerLawBipartite(rows:columns:edges:seed:)`` and times
  /// ``TruncatedSVD`` with default settings on it. Only the decomposition is
  /// timed, not the generation.
  ///
  /// - Returns: Wall-clock seconds of the decomposition, the `k` singular
  ///   values found, and the stored nonzero count (below `nonzeros` when
  ///   sampled edges repeat).
  package static func truncatedSVD(rows: Int, columns: Int, nonzeros: Int, k: Int, seed: UInt64)
    throws -> (seconds: Double, singularValues: [Double], nonzeroCount: Int)
  {
    let a = SparseMatrix.powerLawBipartite(rows: rows, columns: columns, edges: nonzeros, seed: seed)
    let clock = ContinuousClock()
    var svd: TruncatedSVD? = nil
    let elapsed = try clock.measure { svd = try TruncatedSVD(a, rank: k, seed: seed) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (seconds, svd!.singularValues, a.nonzeroCount)
  }

  /// Generates the same matrix as ``truncatedSVD(rows:columns:nonzeros:k:seed:)``
  /// and times ``LanczosSVD`` with default settings on it. Only the
  /// decomposition is timed, not the generation.
  ///
  /// - Returns: Wall-clock seconds of the decomposition, the `k` singular
  ///   values found, and the stored nonzero count, as for `truncatedSVD`.
  package static func lanczosSVD(rows: Int, columns: Int, nonzeros: Int, k: Int, seed: UInt64)
    throws -> (seconds: Double, singularValues: [Double], nonzeroCount: Int)
  {
    let a = SparseMatrix.powerLawBipartite(rows: rows, columns: columns, edges: nonzeros, seed: seed)
    let clock = ContinuousClock()
    var svd: LanczosSVD? = nil
    let elapsed = try clock.measure { svd = try LanczosSVD(a, rank: k, seed: seed) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (seconds, svd!.singularValues, a.nonzeroCount)
  }
}
