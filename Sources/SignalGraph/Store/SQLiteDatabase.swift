import CSQLite

/// A thin owner of one SQLite connection: open, execute, prepare, close.
///
/// The class exists only so that `deinit` can close the handle; everything
/// users see goes through ``SignalStore``, ``DecisionLog`` and the service's
/// own tables (`FraudService`'s `ServeStore`); tests in this package use it to
/// damage files on purpose. The one SQLite wrapper of the package.
package final class SQLiteDatabase {
  let handle: OpaquePointer
  let path: String

  /// Opens (and, if `create`, creates) the database file at `path`.
  package init(path: String, create: Bool) throws {
    var db: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
    let rc = sqlite3_open_v2(path, &db, flags, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
      if let db { sqlite3_close_v2(db) }
      throw SignalStoreError.cannotOpen(path: path, reason: message)
    }
    handle = db
    self.path = path
    sqlite3_busy_timeout(db, 5_000)
  }

  deinit { sqlite3_close_v2(handle) }

  /// Runs one or more SQL statements that return no rows.
  package func execute(_ sql: String) throws {
    var message: UnsafeMutablePointer<CChar>?
    let rc = sqlite3_exec(handle, sql, nil, nil, &message)
    if rc != SQLITE_OK {
      let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
      sqlite3_free(message)
      throw SignalStoreError.sqlite(path: path, message: text)
    }
  }

  /// Compiles `sql` into a statement.
  package func prepare(_ sql: String) throws -> SQLiteStatement {
    var statement: OpaquePointer?
    let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard rc == SQLITE_OK, let statement else { throw error() }
    return SQLiteStatement(handle: statement, database: self)
  }

  /// The last error of the connection.
  func error() -> SignalStoreError {
    .sqlite(path: path, message: String(cString: sqlite3_errmsg(handle)))
  }

  /// The value of `PRAGMA user_version`.
  func userVersion() throws -> Int {
    let statement = try prepare("PRAGMA user_version")
    guard try statement.step() else { return 0 }
    return Int(statement.int64(0))
  }

  /// Runs `body` inside one `BEGIN IMMEDIATE` … `COMMIT`; any error rolls
  /// everything back and is rethrown.
  package func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }
}

extension SQLiteDatabase {
  /// How many rows the connection's latest INSERT, UPDATE or DELETE changed.
  package var changes: Int { Int(sqlite3_changes(handle)) }

  /// Whether a transaction is open on the connection.
  package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

  /// Runs `body` in the transaction already open, or in one of its own (``transaction(_:)``).
  package func transactionUnlessOpen<T>(_ body: () throws -> T) throws -> T {
    isInTransaction ? try body() : try transaction(body)
  }
}

/// A prepared statement: bind, step, read columns, reset.
package final class SQLiteStatement {
  let handle: OpaquePointer
  unowned let database: SQLiteDatabase

  init(handle: OpaquePointer, database: SQLiteDatabase) {
    self.handle = handle
    self.database = database
  }

  deinit { sqlite3_finalize(handle) }

  @inline(__always) package func bind(_ index: Int32, _ value: Int64) {
    sqlite3_bind_int64(handle, index, value)
  }

  @inline(__always) package func bind(_ index: Int32, _ value: Double) {
    sqlite3_bind_double(handle, index, value)
  }

  @inline(__always) package func bindNull(_ index: Int32) {
    sqlite3_bind_null(handle, index)
  }

  /// Binds UTF-8 bytes that stay alive until the next `step`.
  @inline(__always) package func bind(_ index: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    // SQLite reads a NULL pointer as NULL; an empty string needs a real pointer.
    let pointer = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_text(
      handle, index, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count), fraudscan_sqlite_transient)
  }

  /// Binds bytes as a blob, copied now.
  package func bind(_ index: Int32, blob: ArraySlice<UInt8>) {
    blob.withUnsafeBytes { raw in
      let pointer = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
      sqlite3_bind_blob64(handle, index, pointer, sqlite3_uint64(raw.count), fraudscan_sqlite_transient)
    }
  }

  /// Binds bytes as a blob, copied now.
  package func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
    let pointer = blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_blob64(handle, index, pointer, sqlite3_uint64(blob.count), fraudscan_sqlite_transient)
  }

  /// Binds bytes as text without copying them: they must stay alive and
  /// unchanged until the statement is stepped (``run()`` inside the scope
  /// that lends them), and the parameter must be bound again before any
  /// later step.
  @inline(__always) package func bind(_ index: Int32, borrowedText bytes: UnsafeRawBufferPointer) {
    let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_text(handle, index, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
  }

  /// Binds bytes as a blob without copying them, under the same rule as
  /// ``bind(_:borrowedText:)``.
  @inline(__always) package func bind(_ index: Int32, borrowedBlob bytes: UnsafeRawBufferPointer) {
    let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_blob64(handle, index, pointer, sqlite3_uint64(bytes.count), nil)
  }

  /// The bytes of a blob column, copied.
  package func blob(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard count > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: count))
  }

  package func bind(_ index: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bind(index, bytes: $0) }
  }

  /// Steps once: `true` if a row is ready, `false` when done.
  @discardableResult
  @inline(__always) package func step() throws -> Bool {
    let rc = sqlite3_step(handle)
    if rc == SQLITE_ROW { return true }
    if rc == SQLITE_DONE { return false }
    throw database.error()
  }

  /// Whether the statement returns a row; it is reset for reuse afterwards.
  package func exists() throws -> Bool {
    defer { sqlite3_reset(handle) }
    return try step()
  }

  /// Makes the statement ready to step again from its first row (bindings stay).
  package func reset() { sqlite3_reset(handle) }

  /// Runs a statement that returns no rows, then resets it for reuse.
  @inline(__always) package func run() throws {
    defer { sqlite3_reset(handle) }
    try step()
  }

  @inline(__always) package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  @inline(__always) package func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
  @inline(__always) package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  /// The bytes of a text column, valid until the next step.
  @inline(__always) package func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard let p = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(start: p, count: count)
  }
}
