@testable import FraudLinalg

/// A matrix of uniform entries in [-1, 1) drawn from a fixed seed.
func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(rows: rows, columns: columns,
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
  precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ: \(a.rows)×\(a.columns) vs \(b.rows)×\(b.columns)")
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
