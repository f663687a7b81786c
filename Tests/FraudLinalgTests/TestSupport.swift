import SplitMix

@testable import FraudLinalg

/// A matrix of uniform entries in [-1, 1) drawn from a fixed seed.
func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(
    rows: rows, columns: columns,
    columnMajor: (0..<(rows * columns)).map { _ in Double.random(in: -1..<1, using: &rng) })
}

/// Textbook triple loop, the reference the BLAS results are checked against.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
  precondition(a.columns == b.rows)
  var c = Matrix(rows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for j in 0..<b.columns {
      var sum = 0.0
      for l in 0..<a.columns { sum += a[i, l] * b[l, j] }
      c[i, j] = sum
    }
  }
  return c
}

/// Largest absolute entry-wise difference.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
  precondition(
    a.rows == b.rows && a.columns == b.columns, "shapes differ: \(a.rows)×\(a.columns) vs \(b.rows)×\(b.columns)")
  return zip(a.elements, b.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count)
  return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A matrix with the given diagonal.
func diagonal(_ values: [Double]) -> Matrix {
  var d = Matrix(rows: values.count, columns: values.count)
  for (i, v) in values.enumerated() { d[i, i] = v }
  return d
}

/// A random sparse matrix with about `density · rows · columns` entries
/// (duplicates summed), values uniform in [-1, 1).
func randomSparse(_ rows: Int, _ columns: Int, density: Double, seed: UInt64) -> SparseMatrix {
  var rng = SplitMix64(seed: seed)
  let count = Int(density * Double(rows * columns))
  var r = [Int](), c = [Int](), v = [Double]()
  for _ in 0..<count {
    r.append(Int.random(in: 0..<rows, using: &rng))
    c.append(Int.random(in: 0..<columns, using: &rng))
    v.append(Double.random(in: -1..<1, using: &rng))
  }
  return SparseMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
}

/// Largest |1 − |⟨a, b⟩|| over paired columns: 0 when every pair agrees up to sign.
func columnsAgreeUpToSign(_ a: Matrix, _ b: Matrix, columns: Int) -> Double {
  var worst = 0.0
  for j in 0..<columns { worst = max(worst, abs(1 - abs(BLAS.dot(a.column(j), b.column(j))))) }
  return worst
}
