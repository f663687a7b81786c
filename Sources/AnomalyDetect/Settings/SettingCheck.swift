/// Checks the settings of one detector's `Thresholds`, naming a refused one
/// by its key (`Keys`, the thresholds' coding keys).
///
///     enum CodingKeys: String, CodingKey { case window }
///     let window = 0
///     let check = SettingCheck<CodingKeys>(detector: "lockstep")
///     try check.require(window > 0, .window, window, "a whole number of seconds ≥ 1")
///     // throws: lockstep setting window = 0 is out of range: allowed is a whole number of seconds ≥ 1
struct SettingCheck<Keys: CodingKey> {
  /// The detector's name.
  let detector: String

  /// Throws unless `holds`, naming `key`, its `value` and what is `allowed`.
  func require(_ holds: Bool, _ key: Keys, _ value: some CustomStringConvertible, _ allowed: String)
    throws(DetectorSettingError)
  {
    guard !holds else { return }
    throw DetectorSettingError(detector: detector, setting: key.stringValue, value: value.description, allowed: allowed)
  }

  /// Throws unless `value` is a share: a number greater than 0 and at most 1.
  func share(_ value: Double, _ key: Keys) throws(DetectorSettingError) {
    try require(value > 0 && value <= 1, key, value, "a number greater than 0 and at most 1")
  }

  /// Throws unless `value` is at least `least`.
  func atLeast<T: Comparable & CustomStringConvertible>(_ value: T, _ least: T, _ key: Keys, _ what: String)
    throws(DetectorSettingError)
  {
    try require(value >= least, key, value, "\(what) ≥ \(least)")
  }

  /// Throws unless `value` lies in `range`.
  func within<T: Comparable & CustomStringConvertible>(_ value: T, _ range: ClosedRange<T>, _ key: Keys, _ what: String)
    throws(DetectorSettingError)
  {
    try require(range.contains(value), key, value, "\(what) from \(range.lowerBound) to \(range.upperBound)")
  }

  /// Throws unless 0 < `least` ≤ `most`: the bounds of a share passed on.
  func ratios(_ least: Double, _ leastKey: Keys, _ most: Double, _ mostKey: Keys) throws(DetectorSettingError) {
    try require(least > 0, leastKey, least, "a number greater than 0")
    try require(most >= least, mostKey, most, "a number at least \(leastKey.stringValue) (\(least))")
  }
}
