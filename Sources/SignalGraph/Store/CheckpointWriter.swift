/// Writes a ``DecisionLog``'s checkpoint on a connection of its own, so that
/// the log goes on committing batches while the checkpoint is written (on
/// another thread: `fraudscan serve` takes a copy of the pre-filter after a
/// group commit and writes it here while the next groups commit).
///
/// **How it stays atomic.** The state is written a row of
/// ``DecisionLog/checkpointChunkBytes`` at a time into a staging table,
/// `filter_checkpoint_next`, each row in a short transaction of its own;
/// then one small transaction swaps the tables (renames) and records the
/// checkpoint's counts and seal. Until that transaction commits, the
/// latest checkpoint is the previous one, whole; after it, the new one. A
/// crash part-way leaves rows in the staging table that no reader looks at;
/// the next ``write(events:lines:inputDigest:partWritten:state:)`` clears them.
/// The previous checkpoint's rows are deleted afterwards, a few rows per
/// transaction.
///
/// **Taking turns.** Every write transaction holds the log's
/// ``DecisionLog/writerLock``, as the log's own do: the log's next commit
/// waits at most for one row (1 MiB) to be written, never for the whole
/// checkpoint.
///
///     let log = try DecisionLog(path: "state.sqlite", settings: "window-days=60")
///     let writer = try CheckpointWriter(log: log)
///     try writer.write(events: 0, lines: 0, inputDigest: Digest64().value) { $0.write([Int64](repeating: 7, count: 10)) }
///
/// - Throws: ``SignalStoreError`` when SQLite fails; the previous checkpoint
///   then stays the latest one.
package final class CheckpointWriter {
  private let database: SQLiteDatabase
  private let lock: WriterLock

  /// How many rows a transaction deletes when old rows are cleared: a
  /// commit of the log waits at most for that many.
  private static let rowsDeletedPerTransaction = 4

  /// A writer for `log`'s file, on a new connection (the log's lock stays the log's).
  package init(log: DecisionLog) throws {
    database = try SQLiteDatabase(path: log.path, create: false)
    try database.execute("PRAGMA synchronous=NORMAL")
    lock = log.writerLock
  }

  /// Runs `body` in one write transaction, holding the log's writer lock.
  private func transaction<T>(_ body: () throws -> T) throws -> T {
    try lock.withLock { try database.transaction(body) }
  }

  /// Writes the state `state` writes (``StateWriter/init(chunkBytes:emit:)``)
  /// as the log's latest checkpoint, taken after `events` events were
  /// decided, when the log held `lines` lines, their input digest being
  /// `inputDigest` (see ``DecisionLog/Checkpoint``). `partWritten` is called
  /// after each row is committed, with its index (tests hold the writer there).
  package func write(
    events: Int, lines: Int, inputDigest: UInt64, partWritten: (Int) -> Void = { _ in },
    state: (inout StateWriter) -> Void
  ) throws {
    try clear("filter_checkpoint_old", drop: true)
    try transaction {
      try database.execute(
        "CREATE TABLE IF NOT EXISTS filter_checkpoint_next(part INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
    }
    try clear("filter_checkpoint_next", drop: false)
    let part = try database.prepare("INSERT INTO filter_checkpoint_next(part, bytes) VALUES (?1, ?2)")
    var index: Int64 = 0
    let stateSeal = try withoutActuallyEscaping(partWritten) { partWritten in
      var writer = StateWriter(chunkBytes: DecisionLog.checkpointChunkBytes) { [self] chunk in
        try transaction {
          part.bind(1, index)
          part.bind(2, blob: chunk)
          try part.run()
        }
        partWritten(Int(index))
        index += 1
      }
      state(&writer)
      return try writer.finish()
    }
    try transaction {
      try database.execute(
        """
        ALTER TABLE filter_checkpoint RENAME TO filter_checkpoint_old;
        ALTER TABLE filter_checkpoint_next RENAME TO filter_checkpoint;
        """)
      try DecisionLog.recordCheckpoint(
        events: events, lines: lines, inputDigest: inputDigest, stateSeal: stateSeal, in: database)
    }
    try clear("filter_checkpoint_old", drop: true)
  }

  /// Deletes the rows of `table` (when it exists) a few per transaction,
  /// then, with `drop`, the table.
  private func clear(_ table: String, drop: Bool) throws {
    let exists = try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")
    exists.bind(1, table)
    guard try exists.exists() else { return }
    let delete = try database.prepare(
      "DELETE FROM \(table) WHERE part IN (SELECT part FROM \(table) ORDER BY part LIMIT \(Self.rowsDeletedPerTransaction))"
    )
    var deleted = 0
    repeat {
      deleted = try transaction {
        try delete.run()
        return database.changes
      }
    } while deleted > 0
    if drop { try transaction { try database.execute("DROP TABLE \(table)") } }
  }
}
