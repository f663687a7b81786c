extension Matrix {
  /// Checks the storage invariant in debug builds; compiled out in release.
  @inline(__always)
  func _checkInvariants() {
    #if DEBUG
      assert(rows >= 0 && columns >= 0, "negative matrix dimension")
      assert(
        elements.count == rows * columns, "matrix storage has \(elements.count) elements, expected \(rows * columns)")
    #endif
  }
}
