import CSQLite

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
    _ = bytes.withUnsafeBytes {
      sqlite3_bind_blob(
        handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), Self.transient)
    }
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
