/// Why ``FilterSession/run(input:output:chunkBytes:)`` could not read its
/// input or write its decisions.
public enum FilterIOError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Reading the input failed, for the system's `reason`.
  case cannotRead(reason: String)
  /// Writing the decisions failed, for the system's `reason`.
  case cannotWrite(reason: String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .cannotRead(reason): return "cannot read the input: \(reason)"
    case let .cannotWrite(reason): return "cannot write the decisions: \(reason)"
    }
  }
}
