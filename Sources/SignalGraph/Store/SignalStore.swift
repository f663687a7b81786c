import CSQLite

/// A signal set kept in a SQLite file, to which signal sets are appended.
///
/// Each ``append(_:source:progress:)`` runs in one transaction: either every
/// row of the set is stored or, on any error, the file is left exactly as it
/// was. The schema carries a version (`PRAGMA user_version` and the `meta`
/// table) so that a newer layout is recognised, never misread, and an older
/// one is migrated in place when opened (version 1 → 2 adds the
/// interactions' optional `rating` column).
///
///     let store = try SignalStore(path: "signals.sqlite")
///     try store.append(try SignalSet(contentsOf: "fixtures/like-farm"), source: "like-farm")
///     let everything = try store.load()
///
/// Accounts are stored with dense integer ids in the order they were first
/// seen, so a loaded set gives every account the index it has in the file.
///
/// Ingesting a set again never doubles it. A payment `id` names one payment:
/// a payment whose id is already stored with the same source, target, amount
/// and time is skipped, and one whose id is stored with anything different is
/// a ``SignalStoreError/conflictingPayment(path:source:id:stored:new:)`` that
/// stores nothing. Interactions and profile edits carry no id: a row equal in
/// every column to one stored by an earlier ingest is skipped (within one set,
/// equal rows are all kept, as the set gives them).
public struct SignalStore {
  /// The schema version this fraudscan writes and reads.
  public static let schemaVersion = 2

  let database: SQLiteDatabase

  /// The path of the database file.
  public var path: String { database.path }

  /// Opens the store at `path`, creating the file and schema if `create` is
  /// true and the file is new.
  ///
  /// An existing file is checked first with SQLite's `PRAGMA quick_check`
  /// (every page and record well-formed, every index entry in range; the
  /// cost is one read of the file, see BENCHMARKS.md), so a truncated or
  /// damaged store is refused instead of read with altered rows.
  /// - Throws: ``SignalStoreError`` if the file cannot be opened, is damaged,
  ///   is not a fraudscan store, or has a newer schema.
  public init(path: String, create: Bool = true) throws {
    database = try SQLiteDatabase(path: path, create: create)
    try Self.requireIntact(database)
    try database.execute("PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL")
    let version = try database.userVersion()
    if version == 0 {
      let tables = try database.prepare("SELECT count(*) FROM sqlite_master")
      try tables.step()
      guard tables.int64(0) == 0 else { throw SignalStoreError.notAStore(path: path) }
      try database.transaction { try database.execute(Self.schema) }
    } else if version > Self.schemaVersion {
      throw SignalStoreError.newerSchema(path: path, found: version, supported: Self.schemaVersion)
    } else if version < Self.schemaVersion {
      try database.transaction { try database.execute(Self.migrations[version...].joined(separator: "\n")) }
    }
  }

  /// The statements taking a store of version *v* to *v* + 1, at index *v*
  /// (index 0 unused: a new store gets the whole ``schema``).
  static let migrations = [
    "",
    """
    ALTER TABLE interactions ADD COLUMN rating REAL;
    UPDATE meta SET value = '2' WHERE key = 'schema_version';
    PRAGMA user_version = 2;
    """,
  ]

  /// Throws ``SignalStoreError/damaged(path:problems:)`` unless SQLite's
  /// quick check of the whole file passes.
  static func requireIntact(_ database: SQLiteDatabase) throws {
    var problems: [String] = []
    do {
      let check = try database.prepare("PRAGMA quick_check(5)")
      while try check.step() { problems.append(String(decoding: check.bytes(0), as: UTF8.self)) }
    } catch let SignalStoreError.sqlite(_, message) {
      problems.append(message)
    }
    guard problems != ["ok"] else { return }
    throw SignalStoreError.damaged(path: database.path, problems: problems)
  }

  static let schema = """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '\(schemaVersion)'), ('created_by', 'fraudscan');
    CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER);
    CREATE TABLE payments(id TEXT NOT NULL, src INTEGER NOT NULL, dst INTEGER NOT NULL,
                          amount_micros INTEGER NOT NULL, ts INTEGER NOT NULL);
    CREATE TABLE interactions(src INTEGER NOT NULL, dst INTEGER NOT NULL, kind TEXT NOT NULL,
                              ts INTEGER NOT NULL, rating REAL);
    CREATE TABLE profile_edits(account INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
                               ts INTEGER NOT NULL);
    CREATE TABLE ingests(id INTEGER PRIMARY KEY, source TEXT NOT NULL, accounts_added INTEGER NOT NULL,
                         payments INTEGER NOT NULL, interactions INTEGER NOT NULL,
                         profile_edits INTEGER NOT NULL);
    PRAGMA user_version = \(schemaVersion);
    """

  /// What one append added.
  public struct AppendSummary: Sendable, Equatable {
    /// Accounts new to the store.
    public var accountsAdded: Int
    /// Rows added per table.
    public var payments: Int, interactions: Int, profileEdits: Int
    /// Signals of the set already in the store, skipped (see ``SignalStore``).
    public var duplicatesSkipped = 0
    /// All signal rows added.
    public var signals: Int { payments + interactions + profileEdits }
  }

  /// Appends every account and signal of `set` in one transaction.
  ///
  /// Accounts already in the store keep their id; a known creation time
  /// fills one the store lacked. `source` is recorded in the `ingests` table.
  /// - Complexity: O(*n*) in the rows of `set` plus the accounts stored.
  @discardableResult
  public func append(_ set: SignalSet, source: String, progress: ProgressReporter = .silent) throws -> AppendSummary {
    try database.transaction {
      let ids = try mergeAccounts(set.accounts)
      let storedBefore = try StoredRows(database)
      let payments = try insertPayments(set.payments, ids, storedBefore, source: source, progress)
      let interactions = try insertInteractions(set.interactions, ids, storedBefore, progress)
      let profileEdits = try insertProfileEdits(set.profileEdits, ids, storedBefore, progress)
      let summary = AppendSummary(
        accountsAdded: ids.added, payments: payments, interactions: interactions, profileEdits: profileEdits,
        duplicatesSkipped: set.signalCount - payments - interactions - profileEdits)
      let ingest = try database.prepare(
        "INSERT INTO ingests(source, accounts_added, payments, interactions, profile_edits) VALUES (?, ?, ?, ?, ?)")
      ingest.bind(1, source)
      ingest.bind(2, Int64(summary.accountsAdded))
      ingest.bind(3, Int64(summary.payments))
      ingest.bind(4, Int64(summary.interactions))
      ingest.bind(5, Int64(summary.profileEdits))
      try ingest.run()
      progress.finish()
      return summary
    }
  }

  /// Maps every account of the set to its id in the store, inserting new ones.
  private func mergeAccounts(_ accounts: AccountTable) throws -> (map: [Int64], added: Int) {
    var known = try loadAccounts()
    let insert = try database.prepare("INSERT INTO accounts(id, name, created_at) VALUES (?, ?, ?)")
    let fill = try database.prepare("UPDATE accounts SET created_at = ? WHERE id = ? AND created_at IS NULL")
    var map = [Int64](repeating: 0, count: accounts.count)
    var added = 0
    try accounts.ids.arena.withUnsafeBufferPointer { arena in
      for a in 0..<accounts.count {
        let name = UnsafeBufferPointer(rebasing: arena[accounts.ids.starts[a]..<accounts.ids.starts[a + 1]])
        let created = accounts.createdAt[a]
        if let id = known.ids.index(of: name) {
          map[a] = Int64(id)
          if created != AccountTable.unknownTime && known.createdAt[Int(id)] == AccountTable.unknownTime {
            fill.bind(1, created)
            fill.bind(2, Int64(id))
            try fill.run()
          }
        } else {
          let id = known.index(of: name)
          map[a] = Int64(id)
          insert.bind(1, Int64(id))
          insert.bind(2, bytes: name)
          if created == AccountTable.unknownTime { insert.bindNull(3) } else { insert.bind(3, created) }
          try insert.run()
          added += 1
        }
      }
    }
    return (map, added)
  }

  /// Inserts the payments whose id is not stored yet; returns how many.
  ///
  /// An id repeated inside the set is found in memory, one stored by an
  /// earlier ingest through an index on the id (made by the first append
  /// that meets stored payments).
  private func insertPayments(
    _ p: PaymentTable, _ ids: (map: [Int64], added: Int), _ before: StoredRows, source: String,
    _ progress: ProgressReporter
  ) throws -> Int {
    let insert = try database.prepare("INSERT INTO payments(id, src, dst, amount_micros, ts) VALUES (?, ?, ?, ?, ?)")
    let earlier = try before.lookup(
      "payments", index: "payments_by_id", on: "id", select: "src, dst, amount_micros, ts", matching: ["id"])
    var seen = StringInterner()
    seen.reserveCapacity(p.count)
    var firstRowOfId: [Int] = []
    firstRowOfId.reserveCapacity(p.count)
    var inserted = 0
    try p.ids.arena.withUnsafeBufferPointer { arena in
      func columns(_ r: Int) -> PaymentColumns {
        (ids.map[Int(p.source[r])], ids.map[Int(p.target[r])], p.amountMicros[r], p.time[r])
      }
      func conflict(_ id: UnsafeBufferPointer<UInt8>, stored: PaymentColumns, new: PaymentColumns) throws
        -> SignalStoreError
      {
        .conflictingPayment(
          path: path, source: source, id: String(decoding: id, as: UTF8.self),
          stored: try describePayment(stored), new: try describePayment(new))
      }
      for r in 0..<p.count {
        let id = UnsafeBufferPointer(rebasing: arena[p.ids.starts[r]..<p.ids.starts[r + 1]])
        let row = columns(r)
        let distinct = seen.count
        let k = Int(seen.intern(id))
        if k < distinct {
          let first = columns(firstRowOfId[k])
          if first == row { continue }
          throw try conflict(id, stored: first, new: row)
        }
        firstRowOfId.append(r)
        if let earlier {
          earlier.bind(1, bytes: id)
          defer { earlier.reset() }
          if try earlier.step() {
            let old = (earlier.int64(0), earlier.int64(1), earlier.int64(2), earlier.int64(3))
            if old == row { continue }
            throw try conflict(id, stored: old, new: row)
          }
        }
        insert.bind(1, bytes: id)
        insert.bind(2, row.src)
        insert.bind(3, row.dst)
        insert.bind(4, row.amount)
        insert.bind(5, row.time)
        try insert.run()
        inserted += 1
        progress.tick("storing payments", r + 1)
      }
    }
    return inserted
  }

  /// A payment's stored columns but its id.
  private typealias PaymentColumns = (src: Int64, dst: Int64, amount: Int64, time: Int64)

  /// `alice → bob 10.25 at 1970-01-01T00:01:40Z`, for a payment's stored columns.
  private func describePayment(_ row: PaymentColumns) throws -> String {
    let name = try database.prepare("SELECT name FROM accounts WHERE id = ?")
    func account(_ id: Int64) throws -> String {
      name.bind(1, id)
      defer { name.reset() }
      return try name.step() ? String(decoding: name.bytes(0), as: UTF8.self) : "#\(id)"
    }
    return
      "\(try account(row.src)) → \(try account(row.dst)) \(Amount(micros: row.amount)) at \(Timestamp.iso8601(row.time))"
  }

  /// Inserts the interactions no earlier ingest stored; returns how many.
  private func insertInteractions(
    _ i: InteractionTable, _ ids: (map: [Int64], added: Int), _ before: StoredRows, _ progress: ProgressReporter
  ) throws -> Int {
    let insert = try database.prepare("INSERT INTO interactions(src, dst, kind, ts, rating) VALUES (?, ?, ?, ?, ?)")
    let earlier = try before.lookup(
      "interactions", index: "interactions_by_pair", on: "src, dst, ts", matching: ["src", "dst", "kind", "ts"])
    var inserted = 0
    try i.kinds.arena.withUnsafeBufferPointer { arena in
      for r in 0..<i.count {
        let k = Int(i.kind[r])
        let kind = UnsafeBufferPointer(rebasing: arena[i.kinds.starts[k]..<i.kinds.starts[k + 1]])
        func bindRow(_ statement: SQLiteStatement) {
          statement.bind(1, ids.map[Int(i.source[r])])
          statement.bind(2, ids.map[Int(i.target[r])])
          statement.bind(3, bytes: kind)
          statement.bind(4, i.time[r])
        }
        if let earlier {
          bindRow(earlier)
          if try earlier.exists() { continue }
        }
        bindRow(insert)
        if let rating = i.rating(at: r) { insert.bind(5, rating) } else { insert.bindNull(5) }
        try insert.run()
        inserted += 1
        progress.tick("storing interactions", r + 1)
      }
    }
    return inserted
  }

  /// Inserts the profile edits no earlier ingest stored; returns how many.
  private func insertProfileEdits(
    _ e: ProfileEditTable, _ ids: (map: [Int64], added: Int), _ before: StoredRows, _ progress: ProgressReporter
  ) throws -> Int {
    let insert = try database.prepare("INSERT INTO profile_edits(account, field, value, ts) VALUES (?, ?, ?, ?)")
    let earlier = try before.lookup(
      "profile_edits", index: "profile_edits_by_account", on: "account, ts",
      matching: ["account", "field", "value", "ts"])
    var inserted = 0
    try e.fields.arena.withUnsafeBufferPointer { fields in
      try e.values.arena.withUnsafeBufferPointer { values in
        for r in 0..<e.count {
          let f = Int(e.field[r]), v = Int(e.value[r])
          func bindRow(_ statement: SQLiteStatement) {
            statement.bind(1, ids.map[Int(e.account[r])])
            statement.bind(2, bytes: UnsafeBufferPointer(rebasing: fields[e.fields.starts[f]..<e.fields.starts[f + 1]]))
            statement.bind(3, bytes: UnsafeBufferPointer(rebasing: values[e.values.starts[v]..<e.values.starts[v + 1]]))
            statement.bind(4, e.time[r])
          }
          if let earlier {
            bindRow(earlier)
            if try earlier.exists() { continue }
          }
          bindRow(insert)
          try insert.run()
          inserted += 1
          progress.tick("storing profile edits", r + 1)
        }
      }
    }
    return inserted
  }

  /// The accounts of the store, indexed by their ids.
  private func loadAccounts() throws -> AccountTable {
    var accounts = AccountTable()
    let select = try database.prepare("SELECT id, name, created_at FROM accounts ORDER BY id")
    while try select.step() {
      let index = accounts.index(of: select.bytes(1))
      guard Int64(index) == select.int64(0) else {
        throw SignalStoreError.inconsistent(
          path: path, reason: "account ids are not dense from 0 (id \(select.int64(0)))")
      }
      if !select.isNull(2) { accounts.setCreatedAt(select.int64(2), for: index) }
    }
    return accounts
  }

  /// Reads the whole store into memory.
  /// - Complexity: O(*n*) in the rows stored.
  public func load(progress: ProgressReporter = .silent) throws -> SignalSet {
    var set = SignalSet()
    set.accounts = try loadAccounts()
    let n = Int64(set.accounts.count)
    func account(_ value: Int64, _ table: String) throws -> Int32 {
      guard value >= 0 && value < n else {
        throw SignalStoreError.inconsistent(
          path: path, reason: "\(table) refers to account id \(value), which does not exist")
      }
      return Int32(value)
    }
    let payments = try database.prepare("SELECT id, src, dst, amount_micros, ts FROM payments ORDER BY rowid")
    while try payments.step() {
      set.payments.ids.append(payments.bytes(0))
      set.payments.appendColumns(
        source: try account(payments.int64(1), "payments"), target: try account(payments.int64(2), "payments"),
        amount: Amount(micros: payments.int64(3)), time: payments.int64(4))
      progress.tick("loading payments", set.payments.count)
    }
    let interactions = try database.prepare("SELECT src, dst, kind, ts, rating FROM interactions ORDER BY rowid")
    while try interactions.step() {
      let kind = set.interactions.kinds.intern(interactions.bytes(2))
      set.interactions.append(
        source: try account(interactions.int64(0), "interactions"),
        target: try account(interactions.int64(1), "interactions"),
        kind: kind, time: interactions.int64(3), rating: interactions.isNull(4) ? nil : interactions.double(4))
      progress.tick("loading interactions", set.interactions.count)
    }
    let edits = try database.prepare("SELECT account, field, value, ts FROM profile_edits ORDER BY rowid")
    while try edits.step() {
      let field = set.profileEdits.fields.intern(edits.bytes(1))
      let value = set.profileEdits.values.intern(edits.bytes(2))
      set.profileEdits.append(
        account: try account(edits.int64(0), "profile_edits"), field: field, value: value, time: edits.int64(3))
      progress.tick("loading profile edits", set.profileEdits.count)
    }
    progress.finish()
    return set
  }
}
