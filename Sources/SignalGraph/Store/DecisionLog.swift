/// The durable log of a pre-filter run: every decision line it emitted, in
/// order, tagged with the seq of the event that produced it, plus how many
/// events are fully decided, the settings the run used, and the latest
/// checkpoint of the pre-filter's state (opaque sealed bytes, written and
/// read in rows of ``checkpointChunkBytes``, so that neither holds the
/// whole state in memory a second time).
///
/// Batches are appended in one transaction each, together with a checkpoint
/// when one is given, so after a crash the log holds a whole number of
/// batches (a prefix of the run) and a checkpoint taken at one of them.
/// Each batch and each checkpoint also records the ``Digest64`` of the input
/// lines consumed so far, so a restart can tell that its input is the same.
///
/// One log has one writer: opening takes an exclusive lock on `path.lock`
/// (``ExclusiveFileLock``), held while the object lives, and a second open,
/// from this process or another, is refused at once. A ``CheckpointWriter``
/// made from the log writes a checkpoint on a second connection while the
/// log goes on committing; the two take turns per transaction (``writerLock``).
///
///     let log = try DecisionLog(path: "state.sqlite", settings: "window-days=60")
///     try log.append([(0, #"{"seq":0,"decision":"admit"}"#)], decidedEvents: 1, inputDigest: Digest64().value)
///     try log.decidedEvents()   // 1
///
/// - Throws: ``DecisionLogError`` when the file is a log of another schema
///   version (``schemaVersion``) or not a log; ``SignalStoreError`` when
///   SQLite fails, `inconsistent` when the file was written with other
///   settings, `locked` when another run has it open.
package final class DecisionLog {
  private let lock: ExclusiveFileLock
  private let database: SQLiteDatabase
  private let insert: SQLiteStatement
  private let insertEvent: SQLiteStatement
  private let setCount: SQLiteStatement
  private let setDigest: SQLiteStatement
  /// Taken around each write transaction of this connection and of a
  /// ``CheckpointWriter``'s, so that the two never wait in SQLite's busy handler.
  let writerLock = WriterLock()
  /// The file's path, for a ``CheckpointWriter``'s connection.
  let path: String

  /// The schema version this fraudscan writes and reads, kept in the file
  /// as `PRAGMA user_version` (as ``SignalStore/schemaVersion`` is). A log of
  /// another version is refused, not misread.
  package static let schemaVersion = 1

  /// The size of the rows a checkpoint is written in: what checkpointing
  /// holds in memory besides the state itself. (Logs written before kept
  /// rows of 64 MiB; they read the same, as the rows' bytes put end to end
  /// are the checkpoint.)
  package static let checkpointChunkBytes = 1 << 20

  /// Opens (creating if needed) the log at `path`; `settings` must equal those
  /// of the run that created it.
  ///
  /// - Throws: ``DecisionLogError`` when the file is a log of another schema
  ///   version or another kind of SQLite file (which is left unchanged);
  ///   ``SignalStoreError`` when SQLite fails, the settings differ or another
  ///   run has the log open.
  package init(path: String, settings: String) throws {
    lock = try ExclusiveFileLock(path: path + ".lock", lockedResource: path)
    self.path = path
    let database = try SQLiteDatabase(path: path, create: true)
    self.database = database
    let version = try database.userVersion()
    let names = try Self.tables(in: database)
    if version == 0 && names.isEmpty {
      try database.execute("PRAGMA journal_mode=WAL")
      try database.transaction { try database.execute(Self.schema) }
    } else if names.isDisjoint(with: ["filter_meta", "filter_lines"]) {
      throw DecisionLogError.notADecisionLog(path: path)
    } else if version != Self.schemaVersion {
      throw DecisionLogError.otherSchema(path: path, found: version, supported: Self.schemaVersion)
    }
    try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    let read = try database.prepare("SELECT value FROM filter_meta WHERE key = 'settings'")
    if try read.step() {
      let stored = String(decoding: read.bytes(0), as: UTF8.self)
      if stored != settings {
        throw SignalStoreError.inconsistent(path: path, reason: "the state was written with \(stored), not \(settings)")
      }
    } else {
      let write = try database.prepare("INSERT INTO filter_meta(key, value) VALUES ('settings', ?1)")
      write.bind(1, settings)
      try write.run()
    }
    insert = try database.prepare("INSERT INTO filter_lines(event_seq, line) VALUES (?1, ?2)")
    insertEvent = try database.prepare("INSERT INTO filter_lines(n, event_seq, line) VALUES (?1 + 1, ?1, ?2)")
    setCount = try database.prepare("UPDATE filter_meta SET value = ?1 WHERE key = 'decided_events'")
    setDigest = try database.prepare("INSERT OR REPLACE INTO filter_meta(key, value) VALUES ('decided_digest', ?1)")
  }

  /// The log's SQLite connection, for tables of the same file whose writes
  /// must commit in the same transactions as the log's (the service's
  /// `ServeStore`): one connection, one commit, one WAL sync per group.
  package var connection: SQLiteDatabase { database }

  /// Runs `body` in one write transaction of the log's connection: what it
  /// writes through ``connection`` and the ``append(_:decidedEvents:inputDigest:checkpoint:)``
  /// calls it makes commit together, or not at all when it throws.
  package func transaction<T>(_ body: () throws -> T) throws -> T {
    try writerLock.withLock { try database.transaction(body) }
  }

  /// Runs `body` in the transaction open on the connection, or in one of its own (``transaction(_:)``).
  private func transactionUnlessOpen<T>(_ body: () throws -> T) throws -> T {
    database.isInTransaction ? try body() : try transaction(body)
  }

  /// The names of the tables in `database` (the statement is finalised on return).
  private static func tables(in database: SQLiteDatabase) throws -> Set<String> {
    let tables = try database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    var names: Set<String> = []
    while try tables.step() { names.insert(String(decoding: tables.bytes(0), as: UTF8.self)) }
    return names
  }

  /// The tables of a new log, at ``schemaVersion``.
  static let schema = """
    CREATE TABLE filter_lines(n INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL, line TEXT NOT NULL);
    CREATE TABLE filter_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE filter_checkpoint(part INTEGER PRIMARY KEY, bytes BLOB NOT NULL);
    INSERT INTO filter_meta(key, value) VALUES ('decided_events', '0');
    PRAGMA user_version = \(schemaVersion);
    """

  /// How many decision lines are stored: a checkpoint's ``Checkpoint/lines``
  /// when it is taken now.
  package func storedLines() throws -> Int {
    let maxLine = try database.prepare("SELECT COALESCE(MAX(n), 0) FROM filter_lines")
    _ = try maxLine.step()
    return Int(maxLine.int64(0))
  }

  /// How many events (seq 0 ..< n) have their decisions stored.
  package func decidedEvents() throws -> Int {
    try meta("decided_events") ?? 0
  }

  /// The digest of the input lines of the decided events (``Digest64``), if recorded.
  package func decidedDigest() throws -> UInt64? {
    try meta("decided_digest").map { UInt64(bitPattern: Int64($0)) }
  }

  private func meta(_ key: String) throws -> Int? {
    let read = try database.prepare("SELECT value FROM filter_meta WHERE key = ?1")
    read.bind(1, key)
    guard try read.step() else { return nil }
    return Int(String(decoding: read.bytes(0), as: UTF8.self))
  }

  /// A saved state, taken after `events` events were decided, when the log
  /// held `lines` lines. Its bytes stay in the log, read a row at a time
  /// through ``state`` while the log is open.
  package struct Checkpoint {
    /// Events decided when it was taken (seq 0 ..< events).
    package var events: Int
    /// Decision lines stored when it was taken.
    package var lines: Int
    /// The state's sealed bytes (``StateWriter/sealed()``), as the rows that hold them.
    package var state: StateChunks
    /// The ``Digest64`` of the input lines of those events.
    package var inputDigest: UInt64
    /// Whether `events`, `lines` and `inputDigest` are those stored with
    /// `state` (not edited or damaged since).
    package var countsSealed: Bool
  }

  /// Appends `lines` and records that `decidedEvents` events, whose input
  /// lines have the digest `inputDigest`, are decided, atomically (in its
  /// own transaction, or in the caller's ``transaction(_:)``); with
  /// `checkpoint`, the state after those events replaces the stored
  /// checkpoint in the same transaction: what `checkpoint` writes, sealed,
  /// in rows of ``checkpointChunkBytes`` (``StateWriter/init(chunkBytes:emit:)``).
  ///
  ///     let log = try DecisionLog(path: "state.sqlite", settings: "window-days=60")
  ///     try log.append([(0, #"{"seq":0,"decision":"admit"}"#)], decidedEvents: 1, inputDigest: 7) {
  ///       $0.write([Int64](repeating: 42, count: 1_000))
  ///     }
  package func append(
    _ lines: [(seq: Int, line: String)], decidedEvents: Int, inputDigest: UInt64,
    checkpoint: ((inout StateWriter) -> Void)? = nil
  ) throws {
    try transactionUnlessOpen {
      for (seq, line) in lines {
        insert.bind(1, Int64(seq))
        insert.bind(2, line)
        try insert.run()
      }
      try recordDecided(decidedEvents, inputDigest: inputDigest, checkpoint: checkpoint)
    }
  }

  /// Appends, as ``append(_:decidedEvents:inputDigest:checkpoint:)`` does,
  /// one row per event: `answers` calls the function it is given once per
  /// event, in order, with its seq and its decision lines (its own, then the
  /// revocations it caused, `\n`-separated), stored as row `seq + 1` without
  /// being copied first. This is what `fraudscan serve` stores, and stores
  /// only here: it reads an event's answer back from its row (`n = seq + 1`).
  /// The events must be the log's next ones.
  ///
  ///     let log = try DecisionLog(path: "state.sqlite", settings: "serve window-days=60")
  ///     let answer = Array(#"{"seq":0,"decision":"admit"}"#.utf8)
  ///     try log.append(eventAnswers: { row in try answer.withUnsafeBytes { try row(0, $0) } }, decidedEvents: 1, inputDigest: 7)
  package func append(
    eventAnswers answers: ((_ seq: Int, _ lines: UnsafeRawBufferPointer) throws -> Void) throws -> Void,
    decidedEvents: Int, inputDigest: UInt64, checkpoint: ((inout StateWriter) -> Void)? = nil
  ) throws {
    try transactionUnlessOpen {
      try answers { seq, lines in
        insertEvent.bind(1, Int64(seq))
        insertEvent.bind(2, borrowedText: lines)
        try insertEvent.run()
      }
      try recordDecided(decidedEvents, inputDigest: inputDigest, checkpoint: checkpoint)
    }
  }

  /// Records the decided count and input digest, and replaces the checkpoint when one is given.
  private func recordDecided(
    _ decidedEvents: Int, inputDigest: UInt64, checkpoint: ((inout StateWriter) -> Void)?
  ) throws {
    setCount.bind(1, String(decidedEvents))
    try setCount.run()
    setDigest.bind(1, String(Int64(bitPattern: inputDigest)))
    try setDigest.run()
    if let checkpoint { try replaceCheckpoint(checkpoint, events: decidedEvents, inputDigest: inputDigest) }
  }

  private func replaceCheckpoint(
    _ write: (inout StateWriter) -> Void, events: Int, inputDigest: UInt64
  ) throws {
    try database.execute("DELETE FROM filter_checkpoint")
    let part = try database.prepare("INSERT INTO filter_checkpoint(part, bytes) VALUES (?1, ?2)")
    var index: Int64 = 0
    var writer = StateWriter(chunkBytes: Self.checkpointChunkBytes) { chunk in
      part.bind(1, index)
      part.bind(2, blob: chunk)
      try part.run()
      index += 1
    }
    write(&writer)
    let stateSeal = try writer.finish()
    try Self.recordCheckpoint(
      events: events, lines: try storedLines(), inputDigest: inputDigest, stateSeal: stateSeal, in: database)
  }

  /// Records in `database`'s open transaction the counts and input digest of
  /// the checkpoint whose state's seal is `stateSeal`, sealed with it: what
  /// makes the rows of `filter_checkpoint` the latest checkpoint.
  static func recordCheckpoint(
    events: Int, lines: Int, inputDigest: UInt64, stateSeal: UInt64, in database: SQLiteDatabase
  ) throws {
    let seal = Self.seal(
      events: events, lines: lines, inputDigest: inputDigest, stateSeal: withUnsafeBytes(of: stateSeal) { Array($0) })
    try database.execute(
      """
      INSERT OR REPLACE INTO filter_meta(key, value) VALUES ('checkpoint_events', '\(events)');
      INSERT OR REPLACE INTO filter_meta(key, value) VALUES ('checkpoint_digest', '\(Int64(bitPattern: inputDigest))');
      INSERT OR REPLACE INTO filter_meta(key, value) VALUES ('checkpoint_lines', '\(lines)');
      INSERT OR REPLACE INTO filter_meta(key, value) VALUES ('checkpoint_seal', '\(Int64(bitPattern: seal))');
      """)
  }

  /// Binds a checkpoint's counts and input digest to its bytes (through
  /// `stateSeal`, their last 8, the state's own checksum when it is sealed),
  /// so that an edited count or digest is noticed (``Checkpoint/countsSealed``).
  private static func seal(events: Int, lines: Int, inputDigest: UInt64, stateSeal: [UInt8]) -> UInt64 {
    var digest = Digest64()
    withUnsafeBytes(of: (Int64(events), Int64(lines), inputDigest)) { digest.update($0) }
    digest.update(stateSeal)
    return digest.value
  }

  /// The latest checkpoint, or `nil` if none was stored.
  package func checkpoint() throws -> Checkpoint? {
    guard let events = try meta("checkpoint_events"), let lines = try meta("checkpoint_lines"),
      let digest = try meta("checkpoint_digest")
    else { return nil }
    let parts = try database.prepare("SELECT part FROM filter_checkpoint ORDER BY part")
    var rows: [Int64] = []
    while try parts.step() { rows.append(parts.int64(0)) }
    // The state's last 8 bytes, its seal, from the last rows (the last may be shorter than 8).
    let tail = try database.prepare("SELECT substr(bytes, -8) FROM filter_checkpoint ORDER BY part DESC LIMIT 2")
    var stateSeal: [UInt8] = []
    while stateSeal.count < 8, try tail.step() { stateSeal = tail.blob(0) + stateSeal }
    let inputDigest = UInt64(bitPattern: Int64(digest))
    let sealed =
      try meta("checkpoint_seal").map { UInt64(bitPattern: Int64($0)) }
      == Self.seal(events: events, lines: lines, inputDigest: inputDigest, stateSeal: Array(stateSeal.suffix(8)))
    let database = database
    let state = StateChunks(count: rows.count) { (index: Int) throws(StateReaderError) -> [UInt8] in
      do {
        let row = try database.prepare("SELECT bytes FROM filter_checkpoint WHERE part = ?1")
        row.bind(1, rows[index])
        guard try row.step() else { throw StateReaderError.truncated }
        return row.blob(0)
      } catch let error as StateReaderError {
        throw error
      } catch {
        throw .unreadable("\(error)")
      }
    }
    return Checkpoint(events: events, lines: lines, state: state, inputDigest: inputDigest, countsSealed: sealed)
  }

  /// Whether the first `lines` stored lines are exactly those of events
  /// 0 ..< `events`, all decided (each event logs one line or more): how a checkpoint's counts are checked
  /// against the log before they are trusted to skip input.
  package func holdsPrefix(events: Int, lines: Int) throws -> Bool {
    guard events >= 0, lines >= 0, events <= (try decidedEvents()) else { return false }
    func seqOfLine(_ n: Int) throws -> Int? {
      let seq = try database.prepare("SELECT event_seq FROM filter_lines WHERE n = ?1")
      seq.bind(1, Int64(n))
      return try seq.step() ? Int(seq.int64(0)) : nil
    }
    if lines > 0 {
      guard try seqOfLine(lines) == events - 1 else { return false }
    }
    if let next = try seqOfLine(lines + 1) { return next == events }
    return events == 0 || lines > 0
  }

  /// The stored lines in emission order, one at a time, after the first
  /// `skipping` (a checkpoint's `lines`).
  package func lines(skipping: Int = 0) throws -> Cursor {
    let statement = try database.prepare("SELECT event_seq, line FROM filter_lines WHERE n > ?1 ORDER BY n")
    statement.bind(1, Int64(skipping))
    return Cursor(statement: statement)
  }

  /// Reads stored lines in order.
  package final class Cursor {
    private let statement: SQLiteStatement
    init(statement: SQLiteStatement) { self.statement = statement }

    /// The next stored line and the seq of the event that produced it, or `nil` at the end.
    package func next() throws -> (seq: Int, line: String)? {
      guard try statement.step() else { return nil }
      return (Int(statement.int64(0)), String(decoding: statement.bytes(1), as: UTF8.self))
    }
  }
}
