import Testing

@testable import FraudLinalg

/// A complete bipartite block: rows `rowStart ..< rowStart + a` all linked
/// to columns `columnStart ..< columnStart + b` with weight 1.
func completeBipartite(a: Int, b: Int, rowStart: Int = 0, columnStart: Int = 0)
  -> [(row: Int, column: Int, value: Double)]
{
  var t = [(row: Int, column: Int, value: Double)]()
  for i in 0..<a { for j in 0..<b { t.append((row: rowStart + i, column: columnStart + j, value: 1)) } }
  return t
}

@Suite struct TruncatedSVDTests {
  @Test(arguments: [(60, 40, 0.15), (100, 80, 0.1), (150, 120, 0.05), (300, 200, 0.03), (200, 300, 0.03)])
  func topSingularValuesMatchFullLAPACKSVD(m: Int, n: Int, density: Double) throws {
    let a = randomSparse(m, n, density: density, seed: UInt64(m * 7 + n))
    let full = try SingularValueDecomposition(a.dense())
    let k = 10
    // Uniform random entries give a flat spectrum, the hard case: a fixed
    // handful of passes cannot reach 1e-8 here, so iterate to convergence.
    let t = try TruncatedSVD(a, rank: k, tolerance: 1e-12, seed: 42)
    #expect(t.u.rows == m && t.u.columns == k && t.v.rows == n && t.v.columns == k)
    #expect(t.powerIterationsPerformed > TruncatedSVD.defaultPowerIterations)
    for j in 0..<k {
      let relative = abs(t.singularValues[j] - full.singularValues[j]) / full.singularValues[j]
      #expect(relative < 1e-8, "σ\(j + 1): \(t.singularValues[j]) vs \(full.singularValues[j])")
    }
    // Singular vectors agree up to sign where the gap to the next value is clear.
    let gap = zip(full.singularValues, full.singularValues.dropFirst()).prefix(3).map { ($0 - $1) / $0 }
    let clear = gap.prefix { $0 > 0.05 }.count
    #expect(columnsAgreeUpToSign(t.u, full.u, columns: clear) < 1e-6)
    #expect(columnsAgreeUpToSign(t.v, full.v, columns: clear) < 1e-6)
  }

  @Test func completeBipartiteBlockHasSingularValueSqrtAB() throws {
    let a = SparseMatrix(rows: 50, columns: 70, triplets: completeBipartite(a: 12, b: 30, rowStart: 5, columnStart: 20))
    let t = try TruncatedSVD(a, rank: 1)
    #expect(abs(t.singularValues[0] - (12.0 * 30).squareRoot()) < 1e-10)
    // u is uniform 1/√a on the block rows, v uniform 1/√b on the block columns.
    for i in 0..<50 {
      let expected = (5..<17).contains(i) ? 1 / 12.0.squareRoot() : 0
      #expect(abs(abs(t.u[i, 0]) - expected) < 1e-10)
    }
    for j in 0..<70 {
      let expected = (20..<50).contains(j) ? 1 / 30.0.squareRoot() : 0
      #expect(abs(t.v[j, 0] - expected) < 1e-10)  // sign-normalised: positive
    }
  }

  @Test func twoBlocksGiveTwoKnownSingularValues() throws {
    let triplets = completeBipartite(a: 8, b: 20) + completeBipartite(a: 15, b: 6, rowStart: 30, columnStart: 40)
    let a = SparseMatrix(rows: 60, columns: 60, triplets: triplets)
    let t = try TruncatedSVD(a, rank: 3)
    #expect(abs(t.singularValues[0] - (8.0 * 20).squareRoot()) < 1e-10)
    #expect(abs(t.singularValues[1] - (15.0 * 6).squareRoot()) < 1e-10)
    #expect(abs(t.singularValues[2]) < 1e-10)  // rank 2
  }

  @Test func sameSeedSameResult() throws {
    let a = randomSparse(80, 60, density: 0.1, seed: 9)
    let first = try TruncatedSVD(a, rank: 5, seed: 7)
    let second = try TruncatedSVD(a, rank: 5, seed: 7)
    #expect(first.singularValues == second.singularValues)
    #expect(first.u == second.u && first.v == second.v)
  }

  @Test func rankAtTheFullDimensionIsExact() throws {
    let a = randomSparse(12, 9, density: 0.5, seed: 3)
    let t = try TruncatedSVD(a, rank: 9, oversampling: 0, powerIterations: 0)
    let full = try SingularValueDecomposition(a.dense())
    #expect(maxAbsDifference(t.singularValues, full.singularValues) < 1e-12)
  }
}
