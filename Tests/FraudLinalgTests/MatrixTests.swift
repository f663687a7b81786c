import Testing

@testable import FraudLinalg

@Suite struct MatrixTests {
  @Test func columnMajorLayoutAndSubscript() {
    var a = Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5, 6])
    #expect(a[0, 0] == 1 && a[1, 0] == 2 && a[0, 1] == 3 && a[1, 2] == 6)
    a[1, 1] = 40
    #expect(a.elements == [1, 2, 3, 40, 5, 6])
    #expect(a.column(1) == [3, 40])
    #expect(a.row(1) == [2, 40, 6])
  }

  @Test func rowMajorInitialiserMatchesColumnMajor() {
    let a = Matrix(rowMajor: [[1, 3, 5], [2, 4, 6]])
    #expect(a == Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5, 6]))
  }

  @Test func transposeSwapsIndices() {
    let a = randomMatrix(37, 53, seed: 1)
    let t = a.transposed()
    #expect(t.rows == 53 && t.columns == 37)
    for i in 0..<37 { for j in 0..<53 { #expect(a[i, j] == t[j, i]) } }
    #expect(t.transposed() == a)
  }

  @Test func identityAndValueSemantics() {
    let i3 = Matrix.identity(3)
    #expect(i3.elements == [1, 0, 0, 0, 1, 0, 0, 0, 1])
    var copy = i3
    copy[0, 1] = 7
    #expect(i3[0, 1] == 0)
    #expect(copy[0, 1] == 7)
    var b = Matrix(rows: 2, columns: 2, repeating: 9)
    b.setColumn(1, to: [1, 2])
    #expect(b.elements == [9, 9, 1, 2])
  }
}
