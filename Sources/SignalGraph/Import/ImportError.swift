/// Why an import of foreign AML data (``AMLSimImporter``, ``AMLworldImporter``)
/// failed. Every case names the file, and a bad row its line and column; the
/// output directory is then left as it was (see ``StagedDirectory``).
///
///     do { _ = try AMLworldImporter().run(file: "HI-Small_Trans.csv", output: "/tmp/hi-small") }
///     catch { print(error) }   // HI-Small_Trans.csv:7: column "Amount Paid" (field 8): "12,5" is not …
public enum ImportError: Error, Equatable, Sendable {
  /// No file of the input has a header of a format the importer reads.
  /// `found` lists each file looked at with its header; `accepted` describes
  /// every format the importer reads.
  case unrecognizedFormat(path: String, found: [String], accepted: [String])
  /// A row or header of an input file is bad (the wrapped error names the
  /// file, the 1-based line and the column).
  case badInput(SignalSetError)
  /// No row of the input is in the currency asked to keep; `seen` lists
  /// the payment currencies that are there, with their row counts.
  case currencyNotFound(path: String, currency: String, seen: String)
  /// The output directory already exists and is not empty.
  case outputExists(path: String)
  /// The output could not be written (a full disk, no permission).
  case cannotWrite(path: String, reason: String)
}

extension ImportError: CustomStringConvertible {
  /// A message a person can act on, in the `file:line:` form of compilers.
  public var description: String {
    switch self {
    case let .unrecognizedFormat(path, found, accepted):
      let seen = found.isEmpty ? "no transaction file was found" : found.joined(separator: "; ")
      return "\(path): not a format this importer reads (\(seen)). Accepted formats:\n"
        + accepted.map { "  - \($0)" }.joined(separator: "\n")
    case let .badInput(error):
      return error.description
    case let .currencyNotFound(path, currency, seen):
      return "\(path): no payment is in the currency \"\(currency)\"; the file has \(seen)"
    case let .outputExists(path):
      return "\(path): the output directory already exists and is not empty; remove it or choose another"
    case let .cannotWrite(path, reason):
      return "\(path): cannot write the imported set: \(reason)"
    }
  }
}

extension ImportError {
  /// `error` as an ``ImportError``: input errors wrapped, write errors named.
  static func from(_ error: any Error, output: String) -> ImportError {
    switch error {
    case let error as ImportError: return error
    case let error as SignalSetError: return .badInput(error)
    case let error as CSVError: return .badInput(.malformedCSV(error))
    case let error as SignalSetWriterError:
      switch error {
      case let .cannotCreateDirectory(path, reason), let .cannotOpenFile(path, reason),
        let .cannotWriteFile(path, reason):
        return .cannotWrite(path: path, reason: reason)
      }
    default: return .cannotWrite(path: output, reason: "\(error)")
    }
  }
}
