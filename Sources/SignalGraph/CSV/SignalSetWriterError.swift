/// A failure while writing a signal set (synthetic or imported) to disk.
///
/// Generation itself cannot fail; only the file system can.
///
///     do { _ = try SyntheticSignalSet(scale: .tiny, seed: 1).write(to: URL(fileURLWithPath: "/proc/tiny")) }
///     catch let error as SignalSetWriterError { print(error) }
public enum SignalSetWriterError: Error, Sendable, CustomStringConvertible {
  /// The output directory could not be created.
  case cannotCreateDirectory(path: String, reason: String)
  /// A CSV file could not be created or opened for writing.
  case cannotOpenFile(path: String, reason: String)
  /// Writing to or closing a CSV file failed (for example, the disk is full).
  case cannotWriteFile(path: String, reason: String)

  /// A sentence a person can act on.
  public var description: String {
    switch self {
    case let .cannotCreateDirectory(path, reason):
      return "cannot create the output directory \(path): \(reason)"
    case let .cannotOpenFile(path, reason):
      return "cannot open \(path) for writing: \(reason)"
    case let .cannotWriteFile(path, reason):
      return "cannot write \(path): \(reason)"
    }
  }
}
