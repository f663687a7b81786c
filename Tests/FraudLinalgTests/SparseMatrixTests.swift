import SplitMix
import Testing

@testable import FraudLinalg

@Suite struct SparseMatrixTests {
  @Test func buildsCSRFromUnorderedTripletsSummingDuplicates() {
    let a = SparseMatrix(
      rows: 3, columns: 4,
      triplets: [
        (row: 2, column: 3, value: 1),
        (row: 0, column: 1, value: 2),
        (row: 2, column: 0, value: 5),
        (row: 0, column: 1, value: 3),
        (row: 2, column: 3, value: -1),  // sums to an explicit zero, still stored
        (row: 0, column: 0, value: 7),
      ])
    #expect(a.rowOffsets == [0, 2, 2, 4])
    #expect(a.columnIndices == [0, 1, 0, 3])
    #expect(a.values == [7, 5, 5, 0])
    #expect(a.nonzeroCount == 4)
    #expect(a.dense() == Matrix(rowMajor: [[7, 5, 0, 0], [0, 0, 0, 0], [5, 0, 0, 0]]))
  }

  @Test func denseMatchesSummedCOO() {
    var rng = SplitMix64(seed: 5)
    var expected = Matrix(rows: 13, columns: 9)
    var r = [Int](), c = [Int](), v = [Double]()
    for _ in 0..<200 {  // many collisions on purpose
      let i = Int.random(in: 0..<13, using: &rng), j = Int.random(in: 0..<9, using: &rng)
      let x = Double(Int.random(in: -5...5, using: &rng))
      r.append(i)
      c.append(j)
      v.append(x)
      expected[i, j] += x
    }
    let a = SparseMatrix(rows: 13, columns: 9, rowIndices: r, columnIndices: c, values: v)
    #expect(a.dense() == expected)
    #expect(a.transposed().dense() == expected.transposed())
  }

  @Test(arguments: [(1, 1), (17, 5), (40, 63)])
  func productsMatchDense(m: Int, n: Int) {
    let a = randomSparse(m, n, density: 0.3, seed: UInt64(m * 100 + n))
    let d = a.dense()
    let x = randomMatrix(n, 1, seed: 1).elements
    let z = randomMatrix(m, 1, seed: 2).elements
    #expect(maxAbsDifference(a * x, BLAS.gemv(d, x)) < 1e-13)
    #expect(maxAbsDifference(a.transposeMultiply(z), BLAS.gemv(d, z, transpose: true)) < 1e-13)
    for k in [1, 3, 8] {
      let xb = randomMatrix(n, k, seed: 3), zb = randomMatrix(m, k, seed: 4)
      #expect(maxAbsDifference(a * xb, naiveProduct(d, xb)) < 1e-13)
      #expect(maxAbsDifference(a.transposeMultiply(zb), naiveProduct(d.transposed(), zb)) < 1e-13)
    }
  }

  @Test func emptyRowsAndColumnsAreHandled() {
    let a = SparseMatrix(rows: 4, columns: 3, triplets: [(row: 3, column: 0, value: 2)])
    #expect(a * [1, 1, 1] == [0, 0, 0, 2])
    #expect(a.transposeMultiply([1, 1, 1, 1]) == [2, 0, 0])
    #expect(a.rowOffsets == [0, 0, 0, 0, 1])
  }

  @Test func csrInitialiserAcceptsValidArrays() {
    let a = SparseMatrix(rows: 2, columns: 2, rowOffsets: [0, 1, 3], columnIndices: [1, 0, 1], values: [1, 2, 3])
    #expect(a.dense() == Matrix(rowMajor: [[0, 1], [2, 3]]))
  }

  @Test func csrValidationNamesTheFirstBrokenInvariant() {
    func violation(
      rows: Int = 2, columns: Int = 2, _ offsets: [Int], _ columnIndices: [Int32], _ values: [Double]? = nil
    ) -> String? {
      SparseMatrix.invariantViolation(
        rows: rows, columns: columns, rowOffsets: offsets, columnIndices: columnIndices,
        values: values ?? columnIndices.map { _ in 1 })
    }
    #expect(violation([0, 1, 3], [1, 0, 1]) == nil)
    #expect(violation(rows: 0, columns: 0, [0], []) == nil)
    #expect(violation(rows: -1, [0], []) == "invalid sparse matrix shape -1×2")
    #expect(violation([0, 3], [0, 1, 1]) == "rowOffsets has 2 entries, needs rows + 1 = 3")
    #expect(violation([0, 1, 2], [0, 1], [1]) == "columnIndices has 2 entries and values 1")
    #expect(violation([0, 1, 2], [0, 1, 1]) == "rowOffsets must run from 0 to nonzeroCount = 3")
    // An offset past the entries, followed by a decrease: reported, not read out of bounds.
    #expect(violation(rows: 3, [0, 5, 1, 2], [0, 1]) == "rowOffsets decrease at row 1")
    #expect(violation([0, 2, 2], [1, 1]) == "row 0: column indices must be in range and strictly increasing")
    #expect(violation([0, 1, 1], [2]) == "row 0: column indices must be in range and strictly increasing")
    #expect(violation([0, 1, 1], [-1]) == "row 0: column indices must be in range and strictly increasing")
  }

  @Test func everyBuiltMatrixPassesTheValidation() {
    let a = randomSparse(40, 30, density: 0.1, seed: 3)
    for m in [a, a.transposed()] {
      #expect(
        SparseMatrix.invariantViolation(
          rows: m.rows, columns: m.columns, rowOffsets: m.rowOffsets, columnIndices: m.columnIndices, values: m.values)
          == nil)
    }
  }
}
