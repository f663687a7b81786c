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
  /// SQLite's integrity check of the file failed: it was cut short or
  /// overwritten, and its rows cannot be trusted.
  case damaged(path: String, problems: [String])
  /// The set ingested from `source` has payment `id` with other content than
  /// the stored one (both described), so nothing of it was stored.
  case conflictingPayment(path: String, source: String, id: String, stored: String, new: String)
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
      return
        "\(path): the store has schema version \(found), newer than the \(supported) this fraudscan understands; upgrade fraudscan"
    case let .notAStore(path):
      return "\(path): a SQLite database, but not a fraudscan signal store (no schema version)"
    case let .inconsistent(path, reason):
      return "\(path): the signal store is inconsistent: \(reason)"
    case let .damaged(path, problems):
      return "\(path): the signal store is damaged (SQLite's quick_check: \(problems.joined(separator: "; "))); "
        + "nothing was read from it: restore it from a backup, or ingest its signal sets again into a new store"
    case let .conflictingPayment(path, source, id, stored, new):
      return "\(source): payment id \"\(id)\" is \(new), but \(path) already holds it as \(stored); "
        + "an id names one payment, so nothing of this set was ingested"
    case let .locked(path):
      return
        "\(path): in use by another fraudscan process (its lock file \(path).lock is held); wait for it to finish or use another state file"
    }
  }
}
