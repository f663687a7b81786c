/// A sparse matrix in compressed sparse row (CSR) form.
///
/// Row `i` owns the half-open range `rowOffsets[i] ..< rowOffsets[i + 1]` of
/// ``columnIndices`` and ``values``; within a row the column indices are
/// strictly increasing (no duplicates). Build one from coordinate (COO)
/// triplets, in any order, with duplicates summed:
///
///     let a = SparseMatrix(rows: 2, columns: 3, triplets: [
///       (row: 0, column: 2, value: 1),
///       (row: 1, column: 0, value: 4),
///       (row: 0, column: 2, value: 2),   // summed with the first: 3
///     ])
///     a * [1, 1, 1]                      // [3, 4]
///     a.transposeMultiply([1, 1])        // [4, 0, 3]
///
/// Products with vectors and with dense blocks (``Matrix``) are tight loops
/// over the CSR arrays; `Aᵀ` products scatter row by row, so no transposed
/// copy is built.
public struct SparseMatrix: Sendable {
  /// The number of rows.
  public let rows: Int

  /// The number of columns.
  public let columns: Int

  /// `rows + 1` offsets into ``columnIndices`` and ``values``; the entries of
  /// row `i` are at `rowOffsets[i] ..< rowOffsets[i + 1]`.
  public let rowOffsets: [Int]

  /// The column of each stored entry, increasing within each row.
  public let columnIndices: [Int32]

  /// The value of each stored entry.
  public let values: [Double]

  /// The number of stored entries. Entries whose duplicates summed to zero
  /// are still stored.
  ///
  /// - Complexity: O(1)
  public var nonzeroCount: Int { values.count }

  /// Creates a matrix from CSR arrays that already satisfy the invariants:
  /// `rowOffsets` has `rows + 1` non-decreasing entries from 0 to
  /// `values.count`, and each row's column indices are in range and strictly
  /// increasing.
  ///
  /// - Complexity: O(`rows + nonzeroCount`) to validate.
  public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Double]) {
    if let violation = Self.invariantViolation(
      rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices, values: values)
    {
      preconditionFailure(violation)
    }
    self.init(
      uncheckedRows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices, values: values)
  }

  init(uncheckedRows rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Double]) {
    self.rows = rows
    self.columns = columns
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
    self.values = values
    checkInvariants()
  }

  /// Creates a matrix from coordinate (COO) entries given as three parallel
  /// arrays, in any order; entries at the same position are summed.
  ///
  /// The build is two stable counting sorts (by column, then by row) and a
  /// merge of adjacent duplicates, so it never compares keys.
  ///
  /// - Precondition: the arrays have equal length and every index is in
  ///   range.
  /// - Complexity: O(`nonzeros + rows + columns`) time and memory.
  public init(rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int], values: [Double]) {
    precondition(
      rows >= 0 && columns >= 0 && columns <= Int(Int32.max), "invalid sparse matrix shape \(rows)×\(columns)")
    precondition(
      rowIndices.count == columnIndices.count && columnIndices.count == values.count,
      "COO arrays differ in length")
    let count = values.count
    for t in 0..<count {
      precondition(
        rowIndices[t] >= 0 && rowIndices[t] < rows && columnIndices[t] >= 0 && columnIndices[t] < columns,
        "entry (\(rowIndices[t]), \(columnIndices[t])) is outside a \(rows)×\(columns) matrix")
    }
    // Pass 1: stable counting sort of entry numbers by column.
    var columnStart = [Int](repeating: 0, count: columns + 1)
    for j in columnIndices { columnStart[j + 1] += 1 }
    for j in 0..<columns { columnStart[j + 1] += columnStart[j] }
    var byColumn = [Int](repeating: 0, count: count)
    var next = columnStart
    for t in 0..<count {
      let j = columnIndices[t]
      byColumn[next[j]] = t
      next[j] += 1
    }
    // Pass 2: stable counting sort by row, so columns end up ascending in each row.
    var offsets = [Int](repeating: 0, count: rows + 1)
    for i in rowIndices { offsets[i + 1] += 1 }
    for i in 0..<rows { offsets[i + 1] += offsets[i] }
    var cols = [Int32](repeating: 0, count: count)
    var vals = [Double](repeating: 0, count: count)
    var cursor = offsets
    for t in byColumn {
      let i = rowIndices[t]
      let p = cursor[i]
      cols[p] = Int32(truncatingIfNeeded: columnIndices[t])
      vals[p] = values[t]
      cursor[i] = p + 1
    }
    // Pass 3: sum adjacent duplicates, compacting in place.
    var write = 0
    var rowStart = 0
    for i in 0..<rows {
      let end = offsets[i + 1]
      var p = rowStart
      let newStart = write
      while p < end {
        let j = cols[p]
        var sum = vals[p]
        p += 1
        while p < end && cols[p] == j {
          sum += vals[p]
          p += 1
        }
        cols[write] = j
        vals[write] = sum
        write += 1
      }
      offsets[i] = newStart
      rowStart = end
    }
    offsets[rows] = write
    cols.removeLast(count - write)
    vals.removeLast(count - write)
    self.init(uncheckedRows: rows, columns: columns, rowOffsets: offsets, columnIndices: cols, values: vals)
  }

  /// Creates a matrix from coordinate (COO) triplets in any order;
  /// duplicates are summed.
  ///
  /// - Complexity: O(`triplets.count + rows + columns`)
  public init(rows: Int, columns: Int, triplets: [(row: Int, column: Int, value: Double)]) {
    self.init(
      rows: rows, columns: columns,
      rowIndices: triplets.map(\.row), columnIndices: triplets.map(\.column), values: triplets.map(\.value))
  }

  /// The transpose, built by one counting sort.
  ///
  /// - Complexity: O(`nonzeroCount + rows + columns`)
  public func transposed() -> SparseMatrix {
    var offsets = [Int](repeating: 0, count: columns + 1)
    for j in columnIndices { offsets[Int(j) + 1] += 1 }
    for j in 0..<columns { offsets[j + 1] += offsets[j] }
    var cursor = offsets
    var cols = [Int32](repeating: 0, count: nonzeroCount)
    var vals = [Double](repeating: 0, count: nonzeroCount)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        let j = Int(columnIndices[p])
        let q = cursor[j]
        cols[q] = Int32(truncatingIfNeeded: i)
        vals[q] = values[p]
        cursor[j] = q + 1
      }
    }
    return SparseMatrix(uncheckedRows: columns, columns: rows, rowOffsets: offsets, columnIndices: cols, values: vals)
  }

  /// The same matrix as a dense ``Matrix``.
  ///
  /// - Complexity: O(`rows * columns`) memory.
  public func dense() -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] { m[i, Int(columnIndices[p])] = values[p] }
    }
    return m
  }
}
