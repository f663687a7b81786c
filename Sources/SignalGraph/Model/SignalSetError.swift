/// Why a signal set could not be read: every case names the file and, where
/// there is one, the 1-based line and the column.
public enum SignalSetError: Error, Equatable, Sendable {
  /// The path is not a signal-set directory or store.
  case notASignalSet(path: String, reason: String)
  /// The file has no header row.
  case emptyFile(path: String)
  /// The header lacks a column the contract requires.
  case missingColumn(path: String, column: String)
  /// A record has a different number of fields than the header.
  case raggedRow(path: String, line: Int, expected: Int, found: Int)
  /// A field's value is not what its column holds.
  case badValue(path: String, line: Int, column: String, field: Int, value: String, reason: String)
  /// The bytes are not well-formed CSV.
  case malformedCSV(CSVError)
}

extension SignalSetError: CustomStringConvertible {
  /// A message a person can act on, in the `file:line:` form of compilers.
  public var description: String {
    switch self {
    case let .notASignalSet(path, reason):
      return "\(path): not a signal set: \(reason)"
    case let .emptyFile(path):
      return "\(path):1: the file is empty; it needs at least a header row"
    case let .missingColumn(path, column):
      return "\(path):1: the header has no required column \"\(column)\""
    case let .raggedRow(path, line, expected, found):
      return "\(path):\(line): the row has \(found) field\(found == 1 ? "" : "s") but the header has \(expected)"
    case let .badValue(path, line, column, field, value, reason):
      let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
      return "\(path):\(line): column \"\(column)\" (field \(field)): \"\(shown)\" \(reason)"
    case let .malformedCSV(error):
      return error.description
    }
  }
}
