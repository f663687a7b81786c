import CSQLite

/// One SQLite connection of the service's own tables (`serve_*`), beside
/// the ``DecisionLog``'s connection to the same file. SignalGraph keeps its
/// SQLite wrapper internal, so the service has this small one of its own.
final class SQLiteConnection {
  let handle: OpaquePointer
  let path: String

  /// Opens `path` (creating it if needed) for reading and writing.
  init(path: String) throws(ServeError) {
    var db: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    let rc = sqlite3_open_v2(path, &db, flags, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
      if let db { sqlite3_close_v2(db) }
      throw .state(path: path, problem: message)
    }
    handle = db
    self.path = path
    sqlite3_busy_timeout(db, 5_000)
  }

  deinit { sqlite3_close_v2(handle) }

  /// Runs statements that return no rows.
  func execute(_ sql: String) throws(ServeError) {
    var message: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &message)
    if rc != SQLITE_OK {
      let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
      sqlite3_free(message)
      throw .state(path: path, problem: text)
    }
  }

  /// Compiles one statement.
  func prepare(_ sql: String) throws(ServeError) -> SQLiteRow {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure() }
    return SQLiteRow(handle: statement, connection: self)
  }

  /// The connection's last error as a ``ServeError``.
  func failure() -> ServeError {
    .state(path: path, problem: String(cString: sqlite3_errmsg(handle)))
  }
}
