import SignalGraph

/// The service's own tables in the state file, beside the ``DecisionLog``'s,
/// written through the log's connection and in its transactions (one commit
/// per group for both):
///
/// - `serve_events`: every event line taken, by seq, with its client `id`
///   (the durable id → seq map; ``ClientIDIndex`` finds a seq in memory),
///   its standing (``EventStatus``), which a later revocation updates (with
///   the revocation's line), and for each account it names (`account_a`,
///   `account_b`) the seq of that account's previous event (`prev_a`,
///   `prev_b`): the account index as chains, whose heads ``AccountHeads``
///   keeps in memory;
/// - `serve_meta`: the latest event time and the last checkpoint's wall time.
///
/// The decision lines an event produced (its own, then the revocations it
/// caused) are stored once, in the decision log: event `seq`'s are the log's
/// row `n = seq + 1` (``DecisionLog/append(eventAnswers:decidedEvents:inputDigest:checkpoint:)``),
/// which the reads here join by that key.
///
/// Rows are only appended in seq order (and a revoked one updated), so a
/// group's rows fill the table's last pages: no index takes scattered inserts.
/// The event lines are the service's input stream: a restart replays them
/// after the latest checkpoint, as `fraudscan filter --state` replays stdin.
///
/// Its connection is the log's, which the writer thread uses while a group
/// is in flight (``GroupWriter``); the reads here run on the commit thread
/// only while no group is (``CommitQueue/read(_:)`` waits for that). A
/// retry's earlier event is read by seq on a connection of its own
/// (``StoredEventReader``), while the writer writes.
///
/// SQLite's failures are worded as ``ServeError/state(path:problem:)``.
///
/// - Complexity: one append per event.
final class ServeStore {
  /// The tables' layout, recorded in the log's settings (`format=`): a file
  /// of another layout is refused when it is opened.
  static let format = 3

  private let path: String
  private let connection: SQLiteDatabase
  private let insertEvent: SQLiteStatement
  private let revoke: SQLiteStatement
  private let accountEvent: SQLiteStatement
  private let after: SQLiteStatement
  private let setMeta: SQLiteStatement

  /// One event to store: its bytes are where the request left them (one
  /// buffer per request, ``EventBatch``) and its answer in the group's
  /// answer buffer, so a row holds no array of its own (a revocation aside).
  struct Row {
    var seq: Int
    /// The request of the group written whose bytes hold the event line.
    var request: Int
    /// Where the event line is in that request's bytes.
    var line: Range<Int>
    /// Where its client id is in those bytes, if it has one.
    var clientID: Range<Int>?
    /// Where its decision lines (`\n`-separated) are in the group's answer buffer: stored by the log, not here.
    var answer: Range<Int>
    var status: EventStatus
    var revocation: [UInt8]? = nil
    /// The accounts the event names (each once), with the seq of each one's previous event.
    var accountA: (account: String, previous: Int?)? = nil
    var accountB: (account: String, previous: Int?)? = nil
  }

  /// The service's tables on `connection`, the ``DecisionLog``'s, created if needed.
  init(connection: SQLiteDatabase, path: String) throws(ServeError) {
    self.path = path
    self.connection = connection
    (insertEvent, revoke, accountEvent, after, setMeta) = try Self.sqlite(path) { () throws in
      try connection.execute(
        """
        CREATE TABLE IF NOT EXISTS serve_events(
          seq INTEGER PRIMARY KEY, client_id BLOB, line BLOB NOT NULL,
          status INTEGER NOT NULL, revocation BLOB,
          account_a TEXT, prev_a INTEGER, account_b TEXT, prev_b INTEGER);
        CREATE TABLE IF NOT EXISTS serve_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """)
      return (
        try connection.prepare(
          """
          INSERT INTO serve_events(seq, client_id, line, status, revocation, account_a, prev_a, account_b, prev_b)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
          """),
        try connection.prepare(
          "UPDATE serve_events SET status = \(EventStatus.revoked.rawValue), revocation = ?2 WHERE seq = ?1 AND status = \(EventStatus.admitted.rawValue)"
        ),
        try connection.prepare(
          """
          SELECT e.line, l.line, e.status, e.revocation, e.account_a, e.prev_a, e.account_b, e.prev_b
          FROM \(Self.eventsWithAnswers) WHERE e.seq = ?1
          """),
        try connection.prepare("SELECT event_seq, line FROM filter_lines WHERE n > ?1 + 1 ORDER BY n LIMIT ?2"),
        try connection.prepare("INSERT OR REPLACE INTO serve_meta(key, value) VALUES (?1, ?2)")
      )
    }
  }

  /// The events (`e`) beside their answers (`l.line`) in the decision log, which holds event `seq`'s as row `seq + 1`.
  static let eventsWithAnswers = "serve_events e JOIN filter_lines l ON l.n = e.seq + 1"

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

  /// Runs `body` in one read transaction, unless one is open: a statement
  /// outside a transaction takes and drops the file's locks on its own.
  private func reading<T>(_ body: () throws -> T) throws(ServeError) -> T {
    try sqlite {
      if connection.isInTransaction { return try body() }
      try connection.execute("BEGIN")
      defer { try? connection.execute("COMMIT") }
      return try body()
    }
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

  /// Stores `rows`, whose bytes are in the requests of `group`, marks
  /// `revocations` (seq, revoke line) and sets `meta`, in the transaction
  /// open on the connection (or one of its own).
  func write(
    _ rows: [Row], of group: [EventBatch], revocations: [(seq: Int, line: [UInt8])], meta: [(String, Int64)]
  ) throws(ServeError) {
    try sqlite {
      try connection.transactionUnlessOpen {
        try group.withUnsafeBufferPointer { group in
          try rows.withUnsafeBufferPointer { rows in
            for i in rows.indices { try insert(rows, i, group[rows[i].request].bytes) }
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

  /// Binds an account and the seq of its previous event at `column` and the next one (NULLs when none).
  private func bindAccount(_ column: Int32, _ account: (account: String, previous: Int?)?) {
    guard let account else {
      insertEvent.bindNull(column)
      insertEvent.bindNull(column + 1)
      return
    }
    insertEvent.bind(column, account.account)
    if let previous = account.previous {
      insertEvent.bind(column + 1, Int64(previous))
    } else {
      insertEvent.bindNull(column + 1)
    }
  }

  /// Inserts `rows[i]` (not its answer, which the log stores), its bytes
  /// bound where they are in its request's `bytes` (not copied), its fields
  /// read in place (a copy of the row would cost retains and releases).
  private func insert(_ rows: UnsafeBufferPointer<Row>, _ i: Int, _ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { bytes in
      insertEvent.bind(1, Int64(rows[i].seq))
      if let id = rows[i].clientID {
        insertEvent.bind(2, borrowedBlob: UnsafeRawBufferPointer(rebasing: bytes[id]))
      } else {
        insertEvent.bindNull(2)
      }
      insertEvent.bind(3, borrowedBlob: UnsafeRawBufferPointer(rebasing: bytes[rows[i].line]))
      insertEvent.bind(4, Int64(rows[i].status.rawValue))
      Self.bind(insertEvent, 5, rows[i].revocation)
      bindAccount(6, rows[i].accountA)
      bindAccount(8, rows[i].accountB)
      try insertEvent.run()
    }
  }

  /// Up to `limit` events after `seq`, with their decision lines (the log's rows), in seq order.
  func answers(after seq: Int, limit: Int) throws(ServeError) -> [(seq: Int, answer: [UInt8])] {
    try reading {
      defer { after.reset() }
      after.bind(1, Int64(seq))
      after.bind(2, Int64(limit))
      var out: [(seq: Int, answer: [UInt8])] = []
      while try after.step() { out.append((Int(after.int64(0)), after.blob(1))) }
      return out
    }
  }

  /// Calls `body` with every stored event from `seq` on and its answer, in
  /// order (for the replay at start-up); an event whose log row is missing
  /// is skipped, which the caller notices by its seqs.
  func forEachEvent(from seq: Int, _ body: (Int, [UInt8], [UInt8]) throws(ServeError) -> Void) throws(ServeError) {
    let read = try sqlite {
      let read = try connection.prepare(
        "SELECT e.seq, e.line, l.line FROM \(Self.eventsWithAnswers) WHERE e.seq >= ?1 ORDER BY e.seq")
      read.bind(1, Int64(seq))
      return read
    }
    while try sqlite({ try read.step() }) { try body(Int(read.int64(0)), read.blob(1), read.blob(2)) }
  }

  /// Calls `body` with the seq, client id and accounts' UTF-8 bytes (each
  /// nil when none) of every stored event, in seq order: what the in-memory
  /// indexes are rebuilt from. The bytes are SQLite's, valid during the call only.
  func forEachKey(
    _ body: (Int, UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) -> Void
  ) throws(ServeError) {
    try sqlite {
      let read = try connection.prepare("SELECT seq, client_id, account_a, account_b FROM serve_events ORDER BY seq")
      while try read.step() {
        let id = read.isNull(1) ? nil : read.bytes(1)
        let a = read.isNull(2) ? nil : read.bytes(2)
        let b = read.isNull(3) ? nil : read.bytes(3)
        body(Int(read.int64(0)), id, a, b)
      }
    }
  }

  /// One stored event of an account, for its score.
  struct AccountEvent {
    var seq: Int
    var line: [UInt8]
    var answer: [UInt8]
    var status: EventStatus
    var revocation: [UInt8]?
  }

  /// The latest `limit` events that name `account`, newest first, walking
  /// its chain from `head` (its latest event, from ``AccountHeads``).
  ///
  /// - Throws: ``ServeError/stateInconsistent(path:reason:)`` when a row of
  ///   the chain does not name the account (the file was edited).
  func events(ofAccount account: String, head: Int?, limit: Int) throws(ServeError) -> [AccountEvent] {
    let path = path
    return try reading { () throws -> [AccountEvent] in
      defer { accountEvent.reset() }
      let name = Array(account.utf8)
      var out: [AccountEvent] = []
      var next = head
      while let seq = next, out.count < limit {
        accountEvent.reset()
        accountEvent.bind(1, Int64(seq))
        guard try accountEvent.step() else {
          throw ServeError.stateInconsistent(path: path, reason: "the events of \(account) name a missing event \(seq)")
        }
        out.append(
          AccountEvent(
            seq: seq, line: accountEvent.blob(0), answer: accountEvent.blob(1),
            status: EventStatus(rawValue: Int(accountEvent.int64(2))) ?? .malformed,
            revocation: accountEvent.isNull(3) ? nil : accountEvent.blob(3)))
        if !accountEvent.isNull(4), accountEvent.bytes(4).elementsEqual(name) {
          next = accountEvent.isNull(5) ? nil : Int(accountEvent.int64(5))
        } else if !accountEvent.isNull(6), accountEvent.bytes(6).elementsEqual(name) {
          next = accountEvent.isNull(7) ? nil : Int(accountEvent.int64(7))
        } else {
          throw ServeError.stateInconsistent(path: path, reason: "stored event \(seq) does not name \(account)")
        }
        if let previous = next, previous >= seq {
          throw ServeError.stateInconsistent(
            path: path, reason: "stored event \(seq) links \(account) to a later event \(previous)")
        }
      }
      return out
    }
  }
}
