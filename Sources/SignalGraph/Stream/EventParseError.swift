/// Why one line of the event stream is not an event. The description names
/// the line (1-based) and what is wrong, ready for an `error` decision.
public struct EventParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The 1-based line number in the input.
  public var line: Int
  /// What is wrong, e.g. `missing field "src"`.
  public var problem: String

  /// Creates an error for `line`.
  public init(line: Int, problem: String) {
    self.line = line
    self.problem = problem
  }

  /// `line 7: missing field "src"`.
  public var description: String { "line \(line): \(problem)" }
}
