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
  /// The header names a column twice, at the 1-based fields `firstField` and `field`.
  case duplicateColumn(path: String, line: Int, column: String, firstField: Int, field: Int)
  /// The 1-based `field` (of `column`, when the header is read) holds `byte`
  /// at its 1-based `offset`, which is not UTF-8.
  case invalidUTF8(path: String, line: Int, column: String?, field: Int, byte: UInt8, offset: Int)
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
    case let .duplicateColumn(path, line, column, firstField, field):
      return
        "\(path):\(line): column \"\(column)\" (field \(field)) appears twice in the header, first as field \(firstField); which one holds the data is ambiguous"
    case let .invalidUTF8(path, line, column, field, byte, offset):
      let place = column.map { "column \"\($0)\" (field \(field))" } ?? "field \(field)"
      let hex = String(byte, radix: 16, uppercase: true)
      return
        "\(path):\(line): \(place): byte \(offset) (0x\(hex.count == 1 ? "0" : "")\(hex)) is not UTF-8; the files must be UTF-8 text"
    }
  }
}
