extension SparseMatrix {
  /// Debug builds only: stops on the first broken CSR invariant
  /// (``invariantViolation(rows:columns:rowOffsets:columnIndices:values:)``).
  /// Runs after every build of a matrix; compiled out of release builds,
  /// where only the public CSR initializer checks (it always does).
  ///
  /// - Complexity: O(`rows + nonzeroCount`).
  func checkInvariants() {
    #if DEBUG
      if let violation = Self.invariantViolation(
        rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices, values: values)
      {
        preconditionFailure(violation)
      }
    #endif
  }

  /// The first broken invariant of CSR arrays, in words, or `nil`: the shape
  /// is non-negative with columns that fit an `Int32`; `rowOffsets` has
  /// `rows + 1` non-decreasing entries from 0 to `values.count`;
  /// `columnIndices` is as long as `values`; and each row's column indices
  /// are in range and strictly increasing. The one validation of the CSR
  /// form: the public initializer checks it in every build, and
  /// ``checkInvariants()`` in debug builds.
  ///
  /// - Complexity: O(`rows + values.count`).
  static func invariantViolation(
    rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Double]
  ) -> String? {
    guard rows >= 0 && columns >= 0 && columns <= Int(Int32.max) else {
      return "invalid sparse matrix shape \(rows)×\(columns)"
    }
    guard rowOffsets.count == rows + 1 else {
      return "rowOffsets has \(rowOffsets.count) entries, needs rows + 1 = \(rows + 1)"
    }
    guard columnIndices.count == values.count else {
      return "columnIndices has \(columnIndices.count) entries and values \(values.count)"
    }
    guard rowOffsets.first == 0 && rowOffsets.last == values.count else {
      return "rowOffsets must run from 0 to nonzeroCount = \(values.count)"
    }
    // All offsets first, so that every row's range below lies within the entries.
    for i in 0..<rows where rowOffsets[i] > rowOffsets[i + 1] {
      return "rowOffsets decrease at row \(i)"
    }
    for i in 0..<rows {
      var previous: Int32 = -1
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        let j = columnIndices[p]
        guard j > previous && Int(j) < columns else {
          return "row \(i): column indices must be in range and strictly increasing"
        }
        previous = j
      }
    }
    return nil
  }
}
