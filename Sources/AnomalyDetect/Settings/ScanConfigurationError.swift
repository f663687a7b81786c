/// Why a settings file was refused; every case names the file and, where
/// there is one, the key path of the setting (`structured-flow.min_score`).
///
///     do { _ = try ScanConfiguration(contentsOfFile: "settings.toml") } catch { print(error) }
///     // settings.toml: structured-flow.min_scor is not a setting; structured-flow has alpha, amount_tolerance, …
public enum ScanConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(file: String, reason: String)
  /// The file is not well-formed JSON or TOML.
  case malformed(file: String, format: String, reason: String)
  /// A section or key that is no setting; `allowed` lists those that are.
  case unknownKey(file: String, path: String, allowed: [String])
  /// A setting of the wrong type.
  case wrongType(file: String, path: String, expected: String, found: String)
  /// A setting out of its range.
  case outOfRange(file: String, DetectorSettingError)
  /// The endorsement kinds are not a list of kinds.
  case badEndorsements(file: String, path: String, reason: String)

  /// A sentence a person can act on.
  public var description: String {
    switch self {
    case let .unreadable(file, reason):
      return "\(file): cannot be read (\(reason))"
    case let .malformed(file, format, reason):
      return "\(file): not a well-formed \(format) settings file: \(reason)"
    case let .unknownKey(file, path, allowed):
      let parent = path.split(separator: ".").dropLast().joined(separator: ".")
      let within = parent.isEmpty ? "the sections are" : "\(parent) has"
      return "\(file): \(path) is not a setting; \(within) \(allowed.joined(separator: ", "))"
    case let .wrongType(file, path, expected, found):
      return "\(file): \(path) must be \(expected), not \(found)"
    case let .outOfRange(file, error):
      return "\(file): \(error.detector).\(error.setting) = \(error.value) is out of range: allowed is \(error.allowed)"
    case let .badEndorsements(file, path, reason):
      return "\(file): \(path): \(reason)"
    }
  }
}
