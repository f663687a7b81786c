/// An error met while reading a CSV file, with where it happened.
public enum CSVError: Error, Equatable, Sendable {
  /// The file could not be opened or read.
  case cannotOpen(path: String, reason: String)
  /// The bytes are not well-formed CSV at `line`, in the 1-based `field`.
  case malformed(path: String, line: Int, field: Int, reason: String)
}

extension CSVError: CustomStringConvertible {
  /// A message a person can act on, in the `file:line:column:` form of compilers.
  public var description: String {
    switch self {
    case let .cannotOpen(path, reason):
      return "\(path): cannot read the file: \(reason)"
    case let .malformed(path, line, field, reason):
      return "\(path):\(line): field \(field): malformed CSV: \(reason)"
    }
  }
}
