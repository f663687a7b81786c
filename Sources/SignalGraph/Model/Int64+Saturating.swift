extension Int64 {
  /// `self - other`, clamped to `Int64.min ... Int64.max` instead of trapping.
  ///
  /// For time arithmetic on stored timestamps: ingest holds new ones to
  /// ``Timestamp/validRange``, but a store written by an older build may hold
  /// any value, and a scan of it must not crash.
  public func saturatingSubtracting(_ other: Int64) -> Int64 {
    let (difference, overflow) = subtractingReportingOverflow(other)
    guard overflow else { return difference }
    return other < 0 ? .max : .min
  }

  /// `self + other`, clamped to `Int64.min ... Int64.max` instead of trapping.
  public func saturatingAdding(_ other: Int64) -> Int64 {
    let (sum, overflow) = addingReportingOverflow(other)
    guard overflow else { return sum }
    return other < 0 ? .min : .max
  }
}
