import AnomalyDetect
import Foundation
import FraudLinalg
import SignalGraph

extension BenchSuite {
  /// Top-10 truncated SVD: of a synthetic power-law bipartite matrix with the
  /// requested number of nonzeros, and of the input's endorsement adjacency.
  func runSVD(_ bench: inout BenchRun) throws {
    let options = bench.svd
    let synthetic = SparseMatrix.powerLawBipartite(
      rows: options.dimension, columns: options.dimension, edges: options.nonzeros, seed: 1)
    if let path = options.writeMatrix {
      try synthetic.writeMatrixMarket(to: URL(fileURLWithPath: path))
      Output.write("wrote the synthetic matrix to \(path) (Matrix Market)\n")
    }
    let (svd, seconds) = try bench.best { try TruncatedSVD(synthetic, rank: 10, seed: 1) }
    Output.write(
      "top-10 SVD of a \(synthetic.rows) x \(synthetic.columns) power-law matrix, "
        + "\(synthetic.nonzeroCount) nonzeros: \(String(format: "%.3f", seconds)) s\n")
    Output.write("  σ = \(svd.singularValues.map { String(format: "%.4f", $0) }.joined(separator: " "))\n")

    let set = try bench.set()
    guard set.interactions.count > 0 else { return }
    let adjacency = EndorsementSpectrum.binaryAdjacency(set)
    let (_, own) = try bench.best { try TruncatedSVD(adjacency, rank: 10, seed: 1) }
    Output.write(
      "top-10 SVD of the input's endorsement adjacency (\(adjacency.rows) x \(adjacency.columns), "
        + "\(adjacency.nonzeroCount) nonzeros): \(String(format: "%.3f", own)) s\n")
  }
}
