/// A dense matrix of `Double` values stored in column-major order.
///
/// `Matrix` is the dense workhorse of `FraudLinalg`: every BLAS and LAPACK
/// wrapper in the module takes and returns it. Storage is a single contiguous
/// `[Double]` laid out column after column, exactly as BLAS and LAPACK expect,
/// so passing a matrix to them costs no copy.
///
///     var a = Matrix(rows: 2, columns: 3, repeating: 0)
///     a[0, 2] = 5
///     let b = Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3, 4])
///     print(b[1, 0])          // 2  (row 1, column 0)
///     print(b.transposed()[1, 0]) // 3
///
/// `Matrix` has value semantics: copies are independent, and the underlying
/// storage is shared copy-on-write until one of them is mutated.
public struct Matrix: Sendable {
  /// The number of rows.
  public let rows: Int

  /// The number of columns.
  public let columns: Int

  /// The entries in column-major order: entry `(i, j)` is at
  /// `elements[i + j * rows]`.
  ///
  /// Read-only outside the module so the count always stays
  /// `rows * columns`; mutate entries through the subscript, ``setColumn(_:to:)``
  /// or ``withUnsafeMutableBufferPointer(_:)``.
  public internal(set) var elements: [Double]

  /// Creates a `rows × columns` matrix with every entry equal to `value`.
  ///
  /// - Complexity: O(`rows * columns`)
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = Array(repeating: value, count: rows * columns)
  }

  /// Creates a `rows × columns` matrix from entries listed column by column.
  ///
  ///     let a = Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3, 4])
  ///     // a = | 1 3 |
  ///     //     | 2 4 |
  ///
  /// - Precondition: `elements.count == rows * columns`.
  public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    precondition(
      elements.count == rows * columns,
      "Matrix(rows: \(rows), columns: \(columns)) needs \(rows * columns) elements, got \(elements.count)")
    self.rows = rows
    self.columns = columns
    self.elements = elements
    checkInvariants()
  }

  /// Creates a matrix from an array of rows, the natural way to write a
  /// small matrix literal in code.
  ///
  ///     let a = Matrix(rowMajor: [[1, 2, 3],
  ///                               [4, 5, 6]])   // 2 × 3
  ///
  /// - Precondition: every row has the same length.
  public init(rowMajor rowArrays: [[Double]]) {
    let rows = rowArrays.count
    let columns = rowArrays.first?.count ?? 0
    var elements = [Double](repeating: 0, count: rows * columns)
    for (i, row) in rowArrays.enumerated() {
      precondition(row.count == columns, "all rows must have the same length")
      for (j, value) in row.enumerated() { elements[i + j * rows] = value }
    }
    self.init(rows: rows, columns: columns, columnMajor: elements)
  }

  /// The `n × n` identity matrix.
  ///
  /// - Complexity: O(n²)
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i + i * n] = 1 }
    return m
  }

  /// Accesses the entry in row `row` and column `column` (both zero-based).
  ///
  /// - Complexity: O(1)
  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
      return elements[row + column * rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
      elements[row + column * rows] = newValue
    }
  }

  /// The transpose, a `columns × rows` matrix.
  ///
  /// - Complexity: O(`rows * columns`)
  public func transposed() -> Matrix {
    var result = [Double](repeating: 0, count: elements.count)
    elements.withUnsafeBufferPointer { src in
      result.withUnsafeMutableBufferPointer { dst in
        transpose(src, rows: rows, columns: columns, into: dst)
      }
    }
    return Matrix(rows: columns, columns: rows, columnMajor: result)
  }

  /// Returns column `j` as an array of `rows` values.
  ///
  /// - Complexity: O(`rows`)
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columns, "Matrix column index out of range")
    return Array(elements[(j * rows)..<((j + 1) * rows)])
  }

  /// Replaces column `j` with `values`.
  ///
  /// - Precondition: `values.count == rows`.
  /// - Complexity: O(`rows`)
  public mutating func setColumn(_ j: Int, to values: [Double]) {
    precondition(j >= 0 && j < columns, "Matrix column index out of range")
    precondition(values.count == rows, "column needs \(rows) values, got \(values.count)")
    elements.replaceSubrange((j * rows)..<((j + 1) * rows), with: values)
  }

  /// Calls `body` with mutable access to the column-major storage, for
  /// bulk fills without per-entry bounds checks.
  ///
  ///     var a = Matrix(rows: 1000, columns: 3)
  ///     a.withUnsafeMutableBufferPointer { buffer in
  ///       for index in buffer.indices { buffer[index] = Double(index) }
  ///     }
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    try elements.withUnsafeMutableBufferPointer(body)
  }

  /// Returns row `i` as an array of `columns` values.
  ///
  /// - Complexity: O(`columns`) with stride `rows`.
  public func row(_ i: Int) -> [Double] {
    precondition(i >= 0 && i < rows, "Matrix row index out of range")
    return (0..<columns).map { elements[i + $0 * rows] }
  }

  /// A matrix made of the first `count` columns of this one.
  ///
  /// - Complexity: O(`rows * count`)
  public func leadingColumns(_ count: Int) -> Matrix {
    precondition(count >= 0 && count <= columns, "cannot take \(count) of \(columns) columns")
    return Matrix(rows: rows, columns: count, columnMajor: Array(elements[0..<(rows * count)]))
  }
}

/// Writes the transpose of the column-major `rows × columns` block `src` into
/// `dst` (column-major `columns × rows`), in cache-sized tiles.
@inline(__always)
func transpose(
  _ src: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
  into dst: UnsafeMutableBufferPointer<Double>
) {
  let tile = 32
  var j0 = 0
  while j0 < columns {
    let j1 = min(j0 + tile, columns)
    var i0 = 0
    while i0 < rows {
      let i1 = min(i0 + tile, rows)
      for j in j0..<j1 {
        for i in i0..<i1 { dst[j + i * columns] = src[i + j * rows] }
      }
      i0 = i1
    }
    j0 = j1
  }
}
