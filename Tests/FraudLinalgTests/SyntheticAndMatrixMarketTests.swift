import Foundation
import Testing

@testable import FraudLinalg

@Suite struct SyntheticAndMatrixMarketTests {
  @Test func powerLawGraphIsDeterministicAndSkewed() {
    let a = SparseMatrix.powerLawBipartite(rows: 2000, columns: 3000, edges: 20_000, seed: 5)
    let b = SparseMatrix.powerLawBipartite(rows: 2000, columns: 3000, edges: 20_000, seed: 5)
    let c = SparseMatrix.powerLawBipartite(rows: 2000, columns: 3000, edges: 20_000, seed: 6)
    #expect(a.rowOffsets == b.rowOffsets && a.columnIndices == b.columnIndices && a.values == b.values)
    #expect(a.columnIndices != c.columnIndices)
    // Repeated edges are merged into weights: the total weight is the edge count.
    #expect(a.values.reduce(0, +) == 20_000)
    #expect(a.nonzeroCount < 20_000 && a.nonzeroCount > 15_000)
    // In-degrees are heavy-tailed: the most popular column far above the mean.
    var inDegree = [Double](repeating: 0, count: 3000)
    for (j, v) in zip(a.columnIndices, a.values) { inDegree[Int(j)] += v }
    #expect(inDegree.max()! > 50 * (20_000.0 / 3000))
  }

  @Test func matrixMarketRoundTripIsExact() throws {
    let a = randomSparse(37, 23, density: 0.2, seed: 17)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fraudlinalg-\(UInt64.random(in: 0...UInt64.max)).mtx")
    defer { try? FileManager.default.removeItem(at: url) }
    try a.writeMatrixMarket(to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.hasPrefix("%%MatrixMarket matrix coordinate real general\n"))
    #expect(text.contains("\n37 23 \(a.nonzeroCount)\n"))
    let b = try SparseMatrix(matrixMarketAt: url)
    #expect(b.rows == 37 && b.columns == 23)
    #expect(b.rowOffsets == a.rowOffsets && b.columnIndices == a.columnIndices && b.values == a.values)
  }

  @Test func matrixMarketReaderRejectsOtherFormats() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fraudlinalg-bad-\(UInt64.random(in: 0...UInt64.max)).mtx")
    defer { try? FileManager.default.removeItem(at: url) }
    try "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n".write(to: url, atomically: true, encoding: .utf8)
    #expect(throws: MatrixMarketError.unsupportedHeader) { try SparseMatrix(matrixMarketAt: url) }
  }

  @Test func defaultSettingsOnAGraphLikeSpectrum() throws {
    // A small follow graph: a dominant σ₁, then a slowly decaying tail.
    let a = SparseMatrix.powerLawBipartite(rows: 400, columns: 300, edges: 4000, seed: 3)
    let full = try SingularValueDecomposition(a.dense())
    let t = try TruncatedSVD(a, rank: 5)
    #expect(t.powerIterationsPerformed == TruncatedSVD.defaultPowerIterations)
    // The well-separated σ₁ converges fully with the fixed default passes…
    #expect(abs(t.singularValues[0] - full.singularValues[0]) / full.singularValues[0] < 1e-10)
    for j in 0..<5 {
      // …the tail only to engineering accuracy, and from below: Ritz values
      // of a subspace never exceed the true singular values.
      #expect(t.singularValues[j] <= full.singularValues[j] * (1 + 1e-12))
      #expect(abs(t.singularValues[j] - full.singularValues[j]) / full.singularValues[j] < 1e-3)
    }
    // With a tolerance it iterates on until the whole top-5 is at 1e-8.
    let converged = try TruncatedSVD(a, rank: 5, tolerance: 1e-12)
    for j in 0..<5 {
      #expect(abs(converged.singularValues[j] - full.singularValues[j]) / full.singularValues[j] < 1e-8)
    }
  }

  @Test func benchmarkEntryPointReportsTheDecomposition() throws {
    let result = try LinalgBenchmark.truncatedSVD(rows: 500, columns: 400, nonzeros: 3000, k: 4, seed: 2)
    let a = SparseMatrix.powerLawBipartite(rows: 500, columns: 400, edges: 3000, seed: 2)
    #expect(result.nonzeroCount == a.nonzeroCount)
    #expect(result.seconds > 0)
    #expect(result.singularValues == (try TruncatedSVD(a, rank: 4, seed: 2)).singularValues)
    #expect(zip(result.singularValues, result.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
  }
}
