import AnomalyDetect
import Foundation
import FraudLinalg
import SignalGraph

extension BenchSuite {
  /// Top-10 SVD by Lanczos bidiagonalization and by randomized subspace
  /// iteration, of a synthetic power-law bipartite matrix with the requested
  /// number of nonzeros; then Lanczos on the input's endorsement adjacency.
  func runSVD(_ bench: inout BenchRun) throws {
    let options = bench.svd
    let synthetic = SparseMatrix.powerLawBipartite(
      rows: options.dimension, columns: options.dimension, edges: options.nonzeros, seed: 1)
    if let path = options.writeMatrix {
      try synthetic.writeMatrixMarket(to: URL(fileURLWithPath: path))
      Output.write("wrote the synthetic matrix to \(path) (Matrix Market)\n")
    }
    let shape = "\(synthetic.rows) x \(synthetic.columns) power-law matrix, \(synthetic.nonzeroCount) nonzeros"
    let (lanczos, lanczosSeconds) = try bench.best { try LanczosSVD(synthetic, rank: 10, seed: 1) }
    Output.write("top-10 Lanczos SVD (tolerance 1e-10) of a \(shape): \(String(format: "%.3f", lanczosSeconds)) s\n")
    Output.write("  σ = \(lanczos.singularValues.map { String(format: "%.6f", $0) }.joined(separator: " "))\n")
    let (randomized, randomizedSeconds) = try bench.best { try TruncatedSVD(synthetic, rank: 10, seed: 1) }
    let error = zip(randomized.singularValues, lanczos.singularValues).map { abs($0 - $1) / $1 }.max() ?? 0
    Output.write(
      "top-10 randomized SVD (6 power iterations) of the same matrix: \(String(format: "%.3f", randomizedSeconds)) s, "
        + "largest relative error against Lanczos \(String(format: "%.1e", error))\n")

    let set = try bench.set()
    guard set.interactions.count > 0 else { return }
    let adjacency = EndorsementSpectrum.binaryAdjacency(set)
    let (_, own) = try bench.best { try LanczosSVD(adjacency, rank: 10, seed: 1) }
    Output.write(
      "top-10 Lanczos SVD of the input's endorsement adjacency (\(adjacency.rows) x \(adjacency.columns), "
        + "\(adjacency.nonzeroCount) nonzeros): \(String(format: "%.3f", own)) s\n")
  }
}
