internal import TOMLKit

/// A TOML document read with TOMLKit (toml++) and handed on as JSON, so
/// that the rest of fraudscan reads one format and never sees TOMLKit.
///
///     let json = try TOMLDocument.json(from: "[lockstep]\nwindow = 3600\n")
///     // {"lockstep": {"window": 3600}}
public enum TOMLDocument {
  /// The JSON text of the TOML document `text`.
  /// - Throws: ``TOMLSyntaxError`` with the line and column of the first mistake.
  public static func json(from text: String) throws(TOMLSyntaxError) -> String {
    do {
      return try TOMLTable(string: text).convert(to: .json)
    } catch let error as TOMLParseError {
      throw TOMLSyntaxError(
        line: error.source.begin.line, column: error.source.begin.column, message: error.description)
    } catch {
      throw TOMLSyntaxError(line: 0, column: 0, message: "\(error)")
    }
  }
}
