import SignalGraph

/// The service's own tables in the state file, beside the ``DecisionLog``'s:
///
/// - `serve_events`: every event line taken, by seq, with its client `id`
///   (unique, the durable id → seq map), the decision lines it produced
///   (its own, then the revocations it caused) and its standing
///   (``EventStatus``), which a later revocation updates;
/// - `serve_accounts`: (account, seq) for every account an event names, for
///   the score endpoint;
/// - `serve_meta`: the latest event time and the last checkpoint's wall time.
///
/// The event lines are the service's input stream: a restart replays them
/// after the latest checkpoint, as `fraudscan filter --state` replays stdin.
///
/// It uses SignalGraph's SQLite wrapper (``SQLiteDatabase``), through its
/// own connection, and words SQLite's failures as ``ServeError/state(path:problem:)``.
///
/// - Complexity: one B-tree insert per event and per account it names.
final class ServeStore {
  private let path: String
  private let connection: SQLiteDatabase
  private let insertEvent: SQLiteStatement
  private let insertAccount: SQLiteStatement
  private let revoke: SQLiteStatement
  private let byClientID: SQLiteStatement
  private let after: SQLiteStatement
  private let setMeta: SQLiteStatement

  /// One event to store.
  struct Row {
    var seq: Int
    var clientID: [UInt8]?
    var line: [UInt8]
    var answer: [UInt8]
    var status: EventStatus
    var revocation: [UInt8]?
    var accounts: [String]
  }

  /// An event found by its client id.
  struct Stored {
    var seq: Int
    var line: [UInt8]
    var answer: [UInt8]
  }

  init(path: String) throws(ServeError) {
    self.path = path
    (
      connection, insertEvent, insertAccount, revoke, byClientID, after, setMeta
    ) = try Self.sqlite(path) { () throws in
      let connection = try SQLiteDatabase(path: path, create: true)
      try connection.execute(
        """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=NORMAL;
        CREATE TABLE IF NOT EXISTS serve_events(
          seq INTEGER PRIMARY KEY, client_id BLOB UNIQUE, line BLOB NOT NULL,
          answer BLOB NOT NULL, status INTEGER NOT NULL, revocation BLOB);
        CREATE TABLE IF NOT EXISTS serve_accounts(
          account TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(account, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS serve_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """)
      return (
        connection,
        try connection.prepare(
          "INSERT INTO serve_events(seq, client_id, line, answer, status, revocation) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        try connection.prepare("INSERT OR IGNORE INTO serve_accounts(account, seq) VALUES (?1, ?2)"),
        try connection.prepare(
          "UPDATE serve_events SET status = \(EventStatus.revoked.rawValue), revocation = ?2 WHERE seq = ?1 AND status = \(EventStatus.admitted.rawValue)"
        ),
        try connection.prepare("SELECT seq, line, answer FROM serve_events WHERE client_id = ?1"),
        try connection.prepare("SELECT seq, answer FROM serve_events WHERE seq > ?1 ORDER BY seq LIMIT ?2"),
        try connection.prepare("INSERT OR REPLACE INTO serve_meta(key, value) VALUES (?1, ?2)")
      )
    }
  }

  /// Runs `body`, wording a SQLite failure as the state file's problem.
  private static func sqlite<T>(_ path: String, _ body: () throws -> T) throws(ServeError) -> T {
    do {
      return try body()
    } catch let error as ServeError {
      throw error
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
  }

  private func sqlite<T>(_ body: () throws -> T) throws(ServeError) -> T {
    try Self.sqlite(path, body)
  }

  /// Binds `bytes` as a blob, or NULL when there are none.
  private static func bind(_ statement: SQLiteStatement, _ index: Int32, _ bytes: [UInt8]?) {
    if let bytes { statement.bind(index, blob: bytes[...]) } else { statement.bindNull(index) }
  }

  /// The number of events stored (seq 0 ..< n).
  func eventCount() throws(ServeError) -> Int {
    let (maxPlusOne, count) = try sqlite { () throws -> (Int64, Int64) in
      let count = try connection.prepare("SELECT COALESCE(MAX(seq) + 1, 0), COUNT(*) FROM serve_events")
      guard try count.step() else { return (0, 0) }
      return (count.int64(0), count.int64(1))
    }
    guard maxPlusOne == count else { throw .stateInconsistent(path: path, reason: "the stored events have gaps") }
    return Int(count)
  }

  /// A value of `serve_meta`.
  func meta(_ key: String) throws(ServeError) -> Int64? {
    try sqlite {
      let read = try connection.prepare("SELECT value FROM serve_meta WHERE key = ?1")
      read.bind(1, key)
      return try read.step() ? read.int64(0) : nil
    }
  }

  /// The event stored under `clientID`, if any.
  func event(clientID: [UInt8]) throws(ServeError) -> Stored? {
    try sqlite {
      defer { byClientID.reset() }
      byClientID.bind(1, blob: clientID[...])
      guard try byClientID.step() else { return nil }
      return Stored(seq: Int(byClientID.int64(0)), line: byClientID.blob(1), answer: byClientID.blob(2))
    }
  }

  /// Stores `rows`, marks `revocations` (seq, revoke line) and sets `meta`, in one transaction.
  func write(_ rows: [Row], revocations: [(seq: Int, line: [UInt8])], meta: [(String, Int64)]) throws(ServeError) {
    try sqlite {
      try connection.transaction {
        for row in rows {
          insertEvent.bind(1, Int64(row.seq))
          Self.bind(insertEvent, 2, row.clientID)
          insertEvent.bind(3, blob: row.line[...])
          insertEvent.bind(4, blob: row.answer[...])
          insertEvent.bind(5, Int64(row.status.rawValue))
          Self.bind(insertEvent, 6, row.revocation)
          try insertEvent.run()
          for account in row.accounts {
            insertAccount.bind(1, account)
            insertAccount.bind(2, Int64(row.seq))
            try insertAccount.run()
          }
        }
        for (seq, line) in revocations {
          revoke.bind(1, Int64(seq))
          revoke.bind(2, blob: line[...])
          try revoke.run()
        }
        for (key, value) in meta {
          setMeta.bind(1, key)
          setMeta.bind(2, value)
          try setMeta.run()
        }
      }
    }
  }

  /// Up to `limit` events after `seq`, with their decision lines, in seq order.
  func answers(after seq: Int, limit: Int) throws(ServeError) -> [(seq: Int, answer: [UInt8])] {
    try sqlite {
      defer { after.reset() }
      after.bind(1, Int64(seq))
      after.bind(2, Int64(limit))
      var out: [(seq: Int, answer: [UInt8])] = []
      while try after.step() { out.append((Int(after.int64(0)), after.blob(1))) }
      return out
    }
  }

  /// Calls `body` with every stored event from `seq` on, in order (for the replay at start-up).
  func forEachEvent(from seq: Int, _ body: (Int, [UInt8], [UInt8]) throws(ServeError) -> Void) throws(ServeError) {
    let read = try sqlite {
      let read = try connection.prepare("SELECT seq, line, answer FROM serve_events WHERE seq >= ?1 ORDER BY seq")
      read.bind(1, Int64(seq))
      return read
    }
    while try sqlite({ try read.step() }) { try body(Int(read.int64(0)), read.blob(1), read.blob(2)) }
  }

  /// One stored event of an account, for its score.
  struct AccountEvent {
    var seq: Int
    var line: [UInt8]
    var answer: [UInt8]
    var status: EventStatus
    var revocation: [UInt8]?
  }

  /// The latest `limit` events that name `account`, newest first.
  func events(ofAccount account: String, limit: Int) throws(ServeError) -> [AccountEvent] {
    try sqlite {
      let read = try connection.prepare(
        """
        SELECT e.seq, e.line, e.answer, e.status, e.revocation FROM serve_accounts a
        JOIN serve_events e ON e.seq = a.seq WHERE a.account = ?1 ORDER BY a.seq DESC LIMIT ?2
        """)
      read.bind(1, account)
      read.bind(2, Int64(limit))
      var out: [AccountEvent] = []
      while try read.step() {
        out.append(
          AccountEvent(
            seq: Int(read.int64(0)), line: read.blob(1), answer: read.blob(2),
            status: EventStatus(rawValue: Int(read.int64(3))) ?? .malformed,
            revocation: read.isNull(4) ? nil : read.blob(4)))
      }
      return out
    }
  }
}
