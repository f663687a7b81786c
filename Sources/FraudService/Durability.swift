/// When an acknowledged decision is safe.
public enum Durability: String, Sendable, CaseIterable {
  /// After each group commit the WAL is fsynced: an acknowledged decision
  /// survives a power loss as well as a killed process.
  case fsync
  /// Committed to SQLite (WAL, `synchronous=NORMAL`) without an fsync: an
  /// acknowledged decision survives `kill -9` of the server, but the last
  /// commits may be lost if the machine itself goes down. Relaxed, faster.
  case process
}
