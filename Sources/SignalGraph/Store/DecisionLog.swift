/// The durable log of a pre-filter run: every decision line it emitted, in
/// order, tagged with the seq of the event that produced it, plus how many
/// events are fully decided and the settings the run used.
///
/// Batches are appended in one transaction each, so after a crash the log
/// holds a whole number of batches: a prefix of the run.
///
///     let log = try DecisionLog(path: "state.sqlite", settings: "window-days=60")
///     try log.append([(0, #"{"seq":0,"decision":"admit"}"#)], decidedEvents: 1)
///     try log.decidedEvents()   // 1
///
/// - Throws: ``SignalStoreError`` when SQLite fails, or `inconsistent` when the
///   file was written with other settings.
public final class DecisionLog {
  private let database: SQLiteDatabase
  private let insert: SQLiteStatement
  private let setCount: SQLiteStatement

  /// Opens (creating if needed) the log at `path`; `settings` must equal those
  /// of the run that created it.
  public init(path: String, settings: String) throws {
    database = try SQLiteDatabase(path: path, create: true)
    try database.execute(
      """
      PRAGMA journal_mode=WAL;
      PRAGMA synchronous=NORMAL;
      CREATE TABLE IF NOT EXISTS filter_lines(n INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS filter_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT OR IGNORE INTO filter_meta(key, value) VALUES ('decided_events', '0');
      """)
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
    setCount = try database.prepare("UPDATE filter_meta SET value = ?1 WHERE key = 'decided_events'")
  }

  /// How many events (seq 0 ..< n) have their decisions stored.
  public func decidedEvents() throws -> Int {
    let read = try database.prepare("SELECT value FROM filter_meta WHERE key = 'decided_events'")
    guard try read.step() else { return 0 }
    return Int(String(decoding: read.bytes(0), as: UTF8.self)) ?? 0
  }

  /// Appends `lines` and records that `decidedEvents` events are decided, atomically.
  public func append(_ lines: [(seq: Int, line: String)], decidedEvents: Int) throws {
    try database.transaction {
      for (seq, line) in lines {
        insert.bind(1, Int64(seq))
        insert.bind(2, line)
        try insert.run()
      }
      setCount.bind(1, String(decidedEvents))
      try setCount.run()
    }
  }

  /// The stored lines in emission order, one at a time.
  public func lines() throws -> Cursor { Cursor(statement: try database.prepare("SELECT event_seq, line FROM filter_lines ORDER BY n")) }

  /// Reads stored lines in order.
  public final class Cursor {
    private let statement: SQLiteStatement
    init(statement: SQLiteStatement) { self.statement = statement }

    /// The next stored line and the seq of the event that produced it, or `nil` at the end.
    public func next() throws -> (seq: Int, line: String)? {
      guard try statement.step() else { return nil }
      return (Int(statement.int64(0)), String(decoding: statement.bytes(1), as: UTF8.self))
    }
  }
}
