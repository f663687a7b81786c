/// A detector setting outside the range the detector can work with, named
/// as it is in a settings file.
///
///     var t = StructuredFlowDetector.Thresholds()
///     t.minScore = -1
///     try StructuredFlowDetector(thresholds: t)
///     // throws: structured-flow setting min_score = -1.0 is out of range: allowed is a number ≥ 0.0
public struct DetectorSettingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The detector's name, e.g. `structured-flow`.
  public var detector: String
  /// The setting's key in a settings file, e.g. `min_score`.
  public var setting: String
  /// The refused value, as written.
  public var value: String
  /// What is allowed, in words, e.g. `a number ≥ 0.0`.
  public var allowed: String

  /// An error for `setting` of `detector` holding `value`, where `allowed` is allowed.
  public init(detector: String, setting: String, value: String, allowed: String) {
    self.detector = detector
    self.setting = setting
    self.value = value
    self.allowed = allowed
  }

  /// `structured-flow setting min_score = -1.0 is out of range: allowed is a number ≥ 0.0`.
  public var description: String {
    "\(detector) setting \(setting) = \(value) is out of range: allowed is \(allowed)"
  }
}
