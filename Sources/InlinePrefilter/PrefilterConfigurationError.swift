/// Why a ``PrefilterConfiguration`` cannot be used: a setting outside the
/// values the pre-filter works with (``PrefilterConfiguration/validate()``).
///
///     var configuration = PrefilterConfiguration()
///     configuration.flows.bucketSeconds = 0
///     do { try configuration.validate() } catch { print(error) }
///     // the pre-filter setting flows.bucketSeconds is 0, but it must be from 1 to 3153600000 (seconds)
public enum PrefilterConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `setting` (its path in the configuration, e.g. `flows.bucketSeconds`)
  /// is `value`, outside `allowed` (the range in words).
  case outOfRange(setting: String, value: String, allowed: String)

  /// The setting's path in the configuration.
  public var setting: String {
    switch self {
    case let .outOfRange(setting, _, _): return setting
    }
  }

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .outOfRange(setting, value, allowed):
      return "the pre-filter setting \(setting) is \(value), but it must be \(allowed)"
    }
  }
}
