extension SparseMatrix {
  /// Checks the CSR invariants in debug builds; compiled out in release.
  @inline(__always)
  func _checkInvariants() {
    #if DEBUG
      assert(rowOffsets.count == rows + 1, "rowOffsets has \(rowOffsets.count) entries, expected \(rows + 1)")
      assert(columnIndices.count == values.count, "columnIndices and values differ in length")
      assert(rowOffsets.first == 0 && rowOffsets.last == values.count, "rowOffsets do not span the entries")
      for i in 0..<rows {
        assert(rowOffsets[i] <= rowOffsets[i + 1], "rowOffsets decrease at row \(i)")
        var previous: Int32 = -1
        for p in rowOffsets[i]..<rowOffsets[i + 1] {
          assert(
            columnIndices[p] > previous && Int(columnIndices[p]) < columns,
            "row \(i): column indices out of range or not strictly increasing")
          previous = columnIndices[p]
        }
      }
    #endif
  }
}
