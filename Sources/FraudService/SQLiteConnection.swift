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

/// A prepared statement, reused: bind, step, read, and reset on the next bind.
final class SQLiteRow {
  private let handle: OpaquePointer
  private unowned let connection: SQLiteConnection
  private var needsReset = false

  init(handle: OpaquePointer, connection: SQLiteConnection) {
    self.handle = handle
    self.connection = connection
  }

  deinit { sqlite3_finalize(handle) }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  private func resetIfNeeded() {
    if needsReset {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
      needsReset = false
    }
  }

  func bind(_ index: Int32, _ value: Int64) {
    resetIfNeeded()
    sqlite3_bind_int64(handle, index, value)
  }

  func bind(_ index: Int32, _ bytes: [UInt8]?) {
    resetIfNeeded()
    guard let bytes else {
      sqlite3_bind_null(handle, index)
      return
    }
    _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), Self.transient) }
  }

  func bind(_ index: Int32, text: String) {
    resetIfNeeded()
    sqlite3_bind_text(handle, index, text, -1, Self.transient)
  }

  /// Steps once: `true` when a row is ready.
  func step() throws(ServeError) -> Bool {
    needsReset = true
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw connection.failure()
    }
  }

  /// Steps to the end (a statement that returns no rows).
  func run() throws(ServeError) {
    while try step() {}
  }

  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  func bytes(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: base, count: count))
  }
}
