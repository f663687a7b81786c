/// Why a signal store could not be opened, read or written.
public enum SignalStoreError: Error, Equatable, Sendable {
  /// The database file could not be opened.
  case cannotOpen(path: String, reason: String)
  /// SQLite reported an error.
  case sqlite(path: String, message: String)
  /// The file was written by a newer fraudscan.
  case newerSchema(path: String, found: Int, supported: Int)
  /// The file is a SQLite database but not a fraudscan store.
  case notAStore(path: String)
  /// The store's rows contradict each other.
  case inconsistent(path: String, reason: String)
  /// Another process (or another open in this one) is using the file.
  case locked(path: String)
}

extension SignalStoreError: CustomStringConvertible {
  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .cannotOpen(path, reason):
      return "\(path): cannot open the signal store: \(reason)"
    case let .sqlite(path, message):
      return "\(path): SQLite error: \(message)"
    case let .newerSchema(path, found, supported):
      return "\(path): the store has schema version \(found), newer than the \(supported) this fraudscan understands; upgrade fraudscan"
    case let .notAStore(path):
      return "\(path): a SQLite database, but not a fraudscan signal store (no schema version)"
    case let .inconsistent(path, reason):
      return "\(path): the signal store is inconsistent: \(reason)"
    case let .locked(path):
      return "\(path): in use by another fraudscan process (its lock file \(path).lock is held); wait for it to finish or use another state file"
    }
  }
}
