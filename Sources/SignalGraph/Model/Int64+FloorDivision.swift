extension Int64 {
  /// The floor of `self / divisor`, rounding toward −∞ (Swift's `/` rounds
  /// toward zero): the time bucket of a timestamp, also before 1970.
  ///
  /// For example, `Int64(-1).floorDivided(by: 86_400)` is `-1`.
  package func floorDivided(by divisor: Int64) -> Int64 {
    let q = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
  }
}
