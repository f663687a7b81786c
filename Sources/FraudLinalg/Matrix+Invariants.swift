extension Matrix {
  /// Checks, in debug builds only, that the dimensions are non-negative and
  /// that the column-major storage holds exactly `rows × columns` elements;
  /// compiled out of release builds.
  func checkInvariants() {
    #if DEBUG
      precondition(rows >= 0 && columns >= 0, "negative matrix dimension")
      precondition(
        elements.count == rows * columns, "matrix storage has \(elements.count) elements, expected \(rows * columns)")
    #endif
  }
}
