import Testing

@testable import FraudLinalg

/// Largest of ‖A vᵢ − σᵢ uᵢ‖ and ‖Aᵀ uᵢ − σᵢ vᵢ‖ over the returned triplets:
/// a sign- and cluster-independent check that they are singular triplets.
private func lanczosWorstResidual(_ a: SparseMatrix, _ s: LanczosSVD) -> Double {
  var worst = 0.0
  for i in 0..<s.singularValues.count {
    var av = a.multiply(s.v.column(i))
    BLAS.axpy(-s.singularValues[i], s.u.column(i), &av)
    var atu = a.transposeMultiply(s.u.column(i))
    BLAS.axpy(-s.singularValues[i], s.v.column(i), &atu)
    worst = max(worst, BLAS.nrm2(av), BLAS.nrm2(atu))
  }
  return worst
}

private func lanczosRelativeErrors(_ computed: [Double], _ reference: [Double]) -> Double {
  zip(computed, reference).map { abs($0 - $1) / reference[0] }.max() ?? 0
}

@Suite struct LanczosSVDTests {
  @Test(
    arguments: [(60, 40, 0.15), (100, 80, 0.1), (150, 120, 0.05), (300, 200, 0.03), (200, 300, 0.03)],
    [UInt64(0), 1, 2])
  func topSingularValuesMatchFullLAPACKSVD(shape: (m: Int, n: Int, density: Double), seed: UInt64) throws {
    let (m, n, density) = shape
    let a = randomSparse(m, n, density: density, seed: UInt64(m * 7 + n) &+ 1000 &* seed)
    let full = try SingularValueDecomposition(a.dense())
    let k = 10
    let s = try LanczosSVD(a, rank: k, seed: seed)
    #expect(s.u.rows == m && s.u.columns == k && s.v.rows == n && s.v.columns == k)
    for j in 0..<k {
      let relative = abs(s.singularValues[j] - full.singularValues[j]) / full.singularValues[j]
      #expect(relative < 1e-8, "σ\(j + 1): \(s.singularValues[j]) vs \(full.singularValues[j])")
    }
    #expect(lanczosWorstResidual(a, s) < 1e-8 * full.singularValues[0])
    #expect(orthonormalityError(s.u) < 1e-12 && orthonormalityError(s.v) < 1e-12)
    // Singular vectors agree up to sign where the gap to the next value is clear.
    let gap = zip(full.singularValues, full.singularValues.dropFirst()).prefix(k).map { ($0 - $1) / $0 }
    let clear = gap.prefix { $0 > 0.01 }.count
    #expect(columnsAgreeUpToSign(s.u, full.u, columns: clear) < 1e-8)
    #expect(columnsAgreeUpToSign(s.v, full.v, columns: clear) < 1e-8)
  }

  @Test(arguments: [(300, 200), (200, 300), (400, 400)])
  func thickRestartsReachTheSameAccuracy(m: Int, n: Int) throws {
    let a = randomSparse(m, n, density: 0.03, seed: UInt64(m + 3 * n))
    let full = try SingularValueDecomposition(a.dense())
    let s = try LanczosSVD(a, rank: 8, maxDimension: 14, seed: 5)
    #expect(s.restarts > 0 && s.krylovDimension == 14)
    #expect(lanczosRelativeErrors(s.singularValues, Array(full.singularValues.prefix(8))) < 1e-9)
    #expect(lanczosWorstResidual(a, s) < 1e-8 * full.singularValues[0])
    #expect(orthonormalityError(s.u) < 1e-12 && orthonormalityError(s.v) < 1e-12)
  }

  @Test func completeBipartiteBlockHasSingularValueSqrtAB() throws {
    let a = SparseMatrix(rows: 50, columns: 70, triplets: completeBipartite(a: 12, b: 30, rowStart: 5, columnStart: 20))
    let s = try LanczosSVD(a, rank: 1)
    #expect(abs(s.singularValues[0] - (12.0 * 30).squareRoot()) < 1e-10)
    for i in 0..<50 {
      let expected = (5..<17).contains(i) ? 1 / 12.0.squareRoot() : 0
      #expect(abs(s.u[i, 0] - expected) < 1e-10)  // v positive ⇒ u positive too
    }
    for j in 0..<70 {
      let expected = (20..<50).contains(j) ? 1 / 30.0.squareRoot() : 0
      #expect(abs(s.v[j, 0] - expected) < 1e-10)
    }
  }

  @Test func twoBlocksGiveTwoKnownSingularValues() throws {
    let triplets = completeBipartite(a: 8, b: 20) + completeBipartite(a: 15, b: 6, rowStart: 30, columnStart: 40)
    let a = SparseMatrix(rows: 60, columns: 60, triplets: triplets)
    let s = try LanczosSVD(a, rank: 3)
    #expect(abs(s.singularValues[0] - (8.0 * 20).squareRoot()) < 1e-10)
    #expect(abs(s.singularValues[1] - (15.0 * 6).squareRoot()) < 1e-10)
    #expect(abs(s.singularValues[2]) < 1e-10)  // rank 2
    #expect(lanczosWorstResidual(a, s) < 1e-10)
  }

  /// Two identical blocks: the Krylov space of one start vector holds only
  /// one copy of the repeated value and becomes exactly invariant; the
  /// second copy must come from the fresh block started after breakdown.
  @Test(arguments: [UInt64(0), 1, 2, 3])
  func breakdownFindsRepeatedSingularValues(seed: UInt64) throws {
    let triplets =
      completeBipartite(a: 10, b: 20) + completeBipartite(a: 10, b: 20, rowStart: 20, columnStart: 30)
      + completeBipartite(a: 5, b: 5, rowStart: 40, columnStart: 60)
    let a = SparseMatrix(rows: 300, columns: 200, triplets: triplets)
    let s = try LanczosSVD(a, rank: 4, seed: seed)
    let expected: [Double] = [Double(200).squareRoot(), Double(200).squareRoot(), 5, 0]
    #expect(maxAbsDifference(s.singularValues, expected) < 1e-10, "\(s.singularValues)")
    #expect(lanczosWorstResidual(a, s) < 1e-10)
    #expect(orthonormalityError(s.u) < 1e-12 && orthonormalityError(s.v) < 1e-12)
  }

  @Test func diagonalWithRepeatedValues() throws {
    let values: [Double] = [5, 5, 5, 4, 4, 3, 2, 2, 1] + Array(repeating: 0.5, count: 491)
    let a = SparseMatrix(
      rows: 500, columns: 500,
      rowIndices: Array(0..<500), columnIndices: Array(0..<500), values: values)
    let s = try LanczosSVD(a, rank: 6, seed: 11)
    #expect(maxAbsDifference(s.singularValues, [5, 5, 5, 4, 4, 3]) < 1e-10, "\(s.singularValues)")
    #expect(lanczosWorstResidual(a, s) < 1e-10)
  }

  @Test func rankDeficientMatrixGivesZeros() throws {
    // A = X Yᵀ with X 40 × 3 and Y 30 × 3: rank 3, asked for 6.
    let x = randomMatrix(40, 3, seed: 1), y = randomMatrix(30, 3, seed: 2)
    let product = BLAS.gemm(x, y, transposeB: true)
    var triplets = [(row: Int, column: Int, value: Double)]()
    for i in 0..<40 { for j in 0..<30 { triplets.append((row: i, column: j, value: product[i, j])) } }
    let a = SparseMatrix(rows: 40, columns: 30, triplets: triplets)
    let full = try SingularValueDecomposition(product)
    for dimension in [30, 10] {
      let s = try LanczosSVD(a, rank: 6, maxDimension: dimension)
      #expect(lanczosRelativeErrors(Array(s.singularValues.prefix(3)), Array(full.singularValues.prefix(3))) < 1e-10)
      #expect(s.singularValues.dropFirst(3).allSatisfy { abs($0) < 1e-10 * full.singularValues[0] })
      #expect(lanczosWorstResidual(a, s) < 1e-10 * full.singularValues[0])
      #expect(orthonormalityError(s.u) < 1e-12 && orthonormalityError(s.v) < 1e-12)
    }
  }

  @Test(arguments: [(12, 9), (9, 12), (20, 20)])
  func rankAtTheFullDimensionIsExact(m: Int, n: Int) throws {
    let a = randomSparse(m, n, density: 0.5, seed: UInt64(m * n))
    let k = min(m, n)
    let s = try LanczosSVD(a, rank: k)
    let full = try SingularValueDecomposition(a.dense())
    #expect(s.u.rows == m && s.u.columns == k && s.v.rows == n && s.v.columns == k)
    #expect(maxAbsDifference(s.singularValues, full.singularValues) < 1e-12 * full.singularValues[0])
    #expect(lanczosWorstResidual(a, s) < 1e-12 * full.singularValues[0])
    #expect(orthonormalityError(s.u) < 1e-12 && orthonormalityError(s.v) < 1e-12)
  }

  @Test func agreesWithTruncatedSVD() throws {
    let a = randomSparse(300, 250, density: 0.03, seed: 77)
    let t = try TruncatedSVD(a, rank: 6, tolerance: 1e-12, seed: 3)
    let s = try LanczosSVD(a, rank: 6, tolerance: 1e-12, seed: 4)
    #expect(lanczosRelativeErrors(s.singularValues, t.singularValues) < 1e-9)
    // Both normalise signs the same way, so gapped vectors agree entry-wise.
    let gap = zip(s.singularValues, s.singularValues.dropFirst()).map { ($0 - $1) / $0 }
    let clear = gap.prefix { $0 > 0.01 }.count
    for j in 0..<clear {
      #expect(maxAbsDifference(s.u.column(j), t.u.column(j)) < 1e-6)
      #expect(maxAbsDifference(s.v.column(j), t.v.column(j)) < 1e-6)
    }
  }

  @Test func emptyAndZeroMatrices() throws {
    let empty = SparseMatrix(rows: 0, columns: 5, rowIndices: [], columnIndices: [], values: [])
    let e = try LanczosSVD(empty, rank: 0)
    #expect(e.singularValues.isEmpty && e.u.rows == 0 && e.v.rows == 5 && e.u.columns == 0)
    let some = randomSparse(30, 20, density: 0.2, seed: 1)
    let none = try LanczosSVD(some, rank: 0)
    #expect(none.singularValues.isEmpty && none.u.rows == 30 && none.v.rows == 20)
    let zero = SparseMatrix(rows: 400, columns: 300, rowIndices: [], columnIndices: [], values: [])
    let z = try LanczosSVD(zero, rank: 3)
    #expect(z.singularValues == [0, 0, 0])
    #expect(orthonormalityError(z.u) < 1e-12 && orthonormalityError(z.v) < 1e-12)
  }

  @Test func sameSeedSameResult() throws {
    let a = randomSparse(80, 60, density: 0.1, seed: 9)
    let first = try LanczosSVD(a, rank: 5, maxDimension: 12, seed: 7)
    let second = try LanczosSVD(a, rank: 5, maxDimension: 12, seed: 7)
    #expect(first.singularValues == second.singularValues)
    #expect(first.u == second.u && first.v == second.v)
  }

  /// Repeated values with a cap so small that restarts and breakdowns mix.
  @Test func repeatedValuesSurviveThickRestarts() throws {
    let values: [Double] = [7, 7, 7, 6, 5, 5] + (0..<294).map { 4 * Double($0 % 97) / 97 }
    let a = SparseMatrix(
      rows: 300, columns: 300,
      rowIndices: Array(0..<300), columnIndices: Array(0..<300), values: values)
    let s = try LanczosSVD(a, rank: 5, maxDimension: 9, seed: 2)
    #expect(maxAbsDifference(s.singularValues, [7, 7, 7, 6, 5]) < 1e-9, "\(s.singularValues)")
    #expect(lanczosWorstResidual(a, s) < 1e-9)
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func powerLawGraphMatchesFullSVD(seed: UInt64) throws {
    let a = SparseMatrix.powerLawBipartite(rows: 400, columns: 300, edges: 3000, seed: seed)
    let full = try SingularValueDecomposition(a.dense())
    let s = try LanczosSVD(a, rank: 10, seed: seed)
    #expect(lanczosRelativeErrors(s.singularValues, Array(full.singularValues.prefix(10))) < 1e-10)
    #expect(lanczosWorstResidual(a, s) < 1e-9 * full.singularValues[0])
  }

  /// With tolerance 0 the residual test can never pass; the iteration ends
  /// when the next Lanczos vector vanishes to 1e-12 (an invariant subspace
  /// to working precision), with the values at full accuracy.
  @Test func zeroToleranceStopsAtWorkingPrecision() throws {
    let a = randomSparse(300, 200, density: 0.03, seed: 4)
    let full = try SingularValueDecomposition(a.dense())
    let s = try LanczosSVD(a, rank: 4, tolerance: 0, maxDimension: 6)
    #expect(s.restarts > 10 && s.restarts < LanczosSVD.maximumRestarts)
    #expect(lanczosRelativeErrors(s.singularValues, Array(full.singularValues.prefix(4))) < 1e-13)
  }

  @Test func benchmarkEntryPointReportsTheDecomposition() throws {
    let result = try LinalgBenchmark.lanczosSVD(rows: 500, columns: 400, nonzeros: 3000, k: 4, seed: 2)
    let a = SparseMatrix.powerLawBipartite(rows: 500, columns: 400, edges: 3000, seed: 2)
    #expect(result.nonzeroCount == a.nonzeroCount)
    #expect(result.seconds > 0)
    #expect(result.singularValues == (try LanczosSVD(a, rank: 4, seed: 2)).singularValues)
    let full = try SingularValueDecomposition(a.dense())
    #expect(lanczosRelativeErrors(result.singularValues, Array(full.singularValues.prefix(4))) < 1e-10)
  }
}
