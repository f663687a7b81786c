import Foundation
import Testing

@testable import FraudLinalg

/// Q · diag(d) · Qᵀ for a random orthonormal Q: a symmetric matrix with a
/// known spectrum.
func symmetricWithSpectrum(_ d: [Double], seed: UInt64) throws -> Matrix {
  let q = try QRFactorization(randomMatrix(d.count, d.count, seed: seed)).q
  return BLAS.gemm(BLAS.gemm(q, diagonal(d)), q, transposeB: true)
}

func orthonormalityError(_ q: Matrix) -> Double {
  maxAbsDifference(BLAS.gemm(q, q, transposeA: true), Matrix.identity(q.columns))
}

@Suite struct LAPACKTests {
  @Test func eigenDecompositionReconstructsAndFindsKnownSpectrum() throws {
    let spectrum = [-3.0, 0.5, 1, 2, 7, 11]
    let a = try symmetricWithSpectrum(spectrum, seed: 31)
    let eig = try SymmetricEigendecomposition(a)
    #expect(maxAbsDifference(eig.eigenvalues, spectrum) < 1e-12)
    #expect(orthonormalityError(eig.eigenvectors) < 1e-12)
    let q = eig.eigenvectors
    let rebuilt = BLAS.gemm(BLAS.gemm(q, diagonal(eig.eigenvalues)), q, transposeB: true)
    #expect(maxAbsDifference(rebuilt, a) < 1e-12)
  }

  @Test func eigenDecompositionTopK() throws {
    let a = try symmetricWithSpectrum([1, 2, 3, 4, 5, 6, 7, 8], seed: 32)
    let top = try SymmetricEigendecomposition(a, largest: 3)
    #expect(maxAbsDifference(top.eigenvalues, [6, 7, 8]) < 1e-12)
    #expect(top.eigenvectors.rows == 8 && top.eigenvectors.columns == 3)
    // A v = λ v for each returned pair.
    for j in 0..<3 {
      let v = top.eigenvectors.column(j)
      let av = BLAS.gemv(a, v)
      #expect(maxAbsDifference(av, v.map { $0 * top.eigenvalues[j] }) < 1e-11)
    }
  }

  @Test func eigenOfTwoByTwoByHand() throws {
    let eig = try SymmetricEigendecomposition(Matrix(rowMajor: [[2, 1], [1, 2]]))
    #expect(maxAbsDifference(eig.eigenvalues, [1, 3]) < 1e-14)
  }

  @Test(arguments: [(6, 4), (4, 6), (5, 5)])
  func svdReconstructsAndMatchesKnownSingularValues(m: Int, n: Int) throws {
    let r = min(m, n)
    let sigma = (0..<r).map { Double(10 - 2 * $0) }  // 10, 8, 6, …
    let u = try QRFactorization(randomMatrix(m, r, seed: 41)).q
    let v = try QRFactorization(randomMatrix(n, r, seed: 42)).q
    let a = BLAS.gemm(BLAS.gemm(u, diagonal(sigma)), v, transposeB: true)
    let svd = try SingularValueDecomposition(a)
    #expect(maxAbsDifference(svd.singularValues, sigma) < 1e-12)
    #expect(svd.u.rows == m && svd.u.columns == r && svd.v.rows == n && svd.v.columns == r)
    #expect(orthonormalityError(svd.u) < 1e-12 && orthonormalityError(svd.v) < 1e-12)
    let rebuilt = BLAS.gemm(BLAS.gemm(svd.u, diagonal(svd.singularValues)), svd.v, transposeB: true)
    #expect(maxAbsDifference(rebuilt, a) < 1e-12)
  }

  @Test func svdOfDiagonalByHand() throws {
    let svd = try SingularValueDecomposition(Matrix(rowMajor: [[3, 0], [0, -4], [0, 0]]))
    #expect(maxAbsDifference(svd.singularValues, [4, 3]) < 1e-15)
  }

  @Test func choleskySolvesLinearSystems() throws {
    let a = try symmetricWithSpectrum([0.5, 1, 2, 3, 9], seed: 51)
    let chol = try CholeskyFactorization(a)
    let l = chol.lower
    for i in 0..<5 { for j in (i + 1)..<5 where j < 5 { #expect(l[i, j] == 0) } }
    #expect(maxAbsDifference(BLAS.gemm(l, l, transposeB: true), a) < 1e-12)
    let b = [1.0, -2, 3, 0.5, 4]
    let x = chol.solve(b)
    #expect(maxAbsDifference(BLAS.gemv(a, x), b) < 1e-11)
    let bb = randomMatrix(5, 3, seed: 52)
    #expect(maxAbsDifference(BLAS.gemm(a, chol.solve(bb)), bb) < 1e-11)
    // det = product of eigenvalues = 27
    #expect(abs(chol.logDeterminant - log(27)) < 1e-12)
  }

  @Test func choleskyRejectsIndefiniteMatrixWithTypedError() throws {
    // Leading minors: 1, 1·1 − 0 = 1, then the full determinant is negative.
    let a = Matrix(rowMajor: [
      [1, 0, 2],
      [0, 1, 0],
      [2, 0, 1],
    ])
    #expect(throws: LinalgError.notPositiveDefinite(leadingMinor: 3)) { try CholeskyFactorization(a) }
    #expect(
      LinalgError.notPositiveDefinite(leadingMinor: 3).description
        == "matrix is not positive definite: leading minor 3 is not positive")
  }

  @Test func errorMessagesReadAsSentences() {
    #expect(
      LinalgError.didNotConverge(routine: "dgesdd", info: 4).description
        == "LAPACK dgesdd did not converge (info=4)")
    #expect(
      LinalgError.invalidArgument(routine: "dsyevr", position: 5).description
        == "LAPACK dsyevr rejected argument 5 (check for NaN or infinite entries)")
  }

  @Test func nanInputIsReportedNotCrashed() {
    var a = Matrix.identity(3)
    a[1, 1] = .nan
    #expect(throws: LinalgError.self) { try SingularValueDecomposition(a) }
  }

  @Test(arguments: [(7, 4), (4, 7), (5, 5)])
  func qrGivesOrthonormalQAndTriangularR(m: Int, n: Int) throws {
    let a = randomMatrix(m, n, seed: 61)
    let qr = try QRFactorization(a)
    let k = min(m, n)
    #expect(qr.q.rows == m && qr.q.columns == k && qr.r.rows == k && qr.r.columns == n)
    #expect(orthonormalityError(qr.q) < 1e-13)
    for j in 0..<n { for i in 0..<k where i > j { #expect(qr.r[i, j] == 0) } }
    #expect(maxAbsDifference(BLAS.gemm(qr.q, qr.r), a) < 1e-13)
  }
}

@Suite struct RecursiveQRTests {
  @Test(arguments: [(50, 1), (300, 7), (1000, 20), (20, 20)])
  func recursiveQRMatchesHouseholderQR(m: Int, n: Int) throws {
    let a = randomMatrix(m, n, seed: 71)
    var q = a.elements
    let r = try #require(try orthonormalizeColumnsRecursive(&q, rows: m, columns: n, returningR: true))
    let qm = Matrix(rows: m, columns: n, columnMajor: q)
    #expect(orthonormalityError(qm) < 1e-13)
    #expect(maxAbsDifference(BLAS.gemm(qm, r), a) < 1e-13)
    // Same factorisation as dgeqrf + dorgqr (both Householder, same signs).
    let reference = try QRFactorization(a)
    #expect(maxAbsDifference(qm, reference.q) < 1e-12)
    #expect(maxAbsDifference(r, reference.r) < 1e-12)
  }
}
