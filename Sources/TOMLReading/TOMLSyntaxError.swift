/// Where and why a TOML document is not well-formed.
///
///     do { _ = try TOMLDocument.json(from: "[lockstep\n") } catch { print(error) }
///     // line 1, column 10: Error while parsing table header: expected ']', saw '\n'
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The 1-based line of the mistake (0 when the parser gave none).
  public var line: Int
  /// The 1-based column of the mistake (0 when the parser gave none).
  public var column: Int
  /// The parser's own words.
  public var message: String

  /// A syntax error at `line` and `column`, in the parser's words.
  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  /// `line 1, column 10: …`.
  public var description: String { "line \(line), column \(column): \(message)" }
}
