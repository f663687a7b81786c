import Testing

@testable import FraudLinalg

@Suite struct BLASTests {
  @Test(arguments: [(1, 1, 1), (3, 4, 5), (17, 9, 23), (40, 1, 7)])
  func gemmMatchesNaiveLoops(m: Int, k: Int, n: Int) {
    let a = randomMatrix(m, k, seed: 11), b = randomMatrix(k, n, seed: 12)
    let expected = naiveProduct(a, b)
    #expect(maxAbsDifference(BLAS.gemm(a, b), expected) < 1e-12)
    #expect(maxAbsDifference(BLAS.gemm(a.transposed(), b, transposeA: true), expected) < 1e-12)
    #expect(maxAbsDifference(BLAS.gemm(a, b.transposed(), transposeB: true), expected) < 1e-12)
    #expect(
      maxAbsDifference(
        BLAS.gemm(a.transposed(), b.transposed(), transposeA: true, transposeB: true),
        expected) < 1e-12)
  }

  @Test func gemmAccumulatesWithAlphaAndBeta() {
    let a = randomMatrix(5, 4, seed: 3), b = randomMatrix(4, 6, seed: 4)
    var c = randomMatrix(5, 6, seed: 5)
    let c0 = c
    BLAS.gemm(a, b, alpha: 2, beta: -0.5, into: &c)
    let ab = naiveProduct(a, b)
    for i in 0..<5 { for j in 0..<6 { #expect(abs(c[i, j] - (2 * ab[i, j] - 0.5 * c0[i, j])) < 1e-12) } }
  }

  @Test func gemvMatchesNaiveLoops() {
    let a = randomMatrix(7, 4, seed: 21)
    let x = [0.5, -1, 2, 3]
    let y = BLAS.gemv(a, x)
    let expected = naiveProduct(a, Matrix(rows: 4, columns: 1, columnMajor: x)).elements
    #expect(maxAbsDifference(y, expected) < 1e-12)
    let z = [1.0, 2, 3, 4, 5, 6, 7]
    let yt = BLAS.gemv(a, z, transpose: true, alpha: 3)
    let expectedT = naiveProduct(a.transposed(), Matrix(rows: 7, columns: 1, columnMajor: z)).elements.map { 3 * $0 }
    #expect(maxAbsDifference(yt, expectedT) < 1e-12)
    var acc = [1.0, 1, 1, 1, 1, 1, 1]
    BLAS.gemv(a, x, beta: 2, into: &acc)
    #expect(maxAbsDifference(acc, expected.map { $0 + 2 }) < 1e-12)
  }

  @Test func levelOneRoutines() {
    #expect(BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
    #expect(BLAS.nrm2([3, 4]) == 5)
    #expect(abs(BLAS.nrm2([1e200, 1e200]) / (1e200 * 2.0.squareRoot()) - 1) < 1e-15)  // no overflow
    var y = [1.0, 1, 1]
    BLAS.axpy(2, [1, 2, 3], &y)
    #expect(y == [3, 5, 7])
    BLAS.scale(&y, by: -1)
    #expect(y == [-3, -5, -7])
  }
}
