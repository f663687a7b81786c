extension Matrix: Equatable {
  /// Two matrices are equal when they have the same shape and identical
  /// entries (exact floating-point comparison).
  public static func == (lhs: Matrix, rhs: Matrix) -> Bool {
    lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.elements == rhs.elements
  }
}
