import CSQLite

/// A signal set kept in a SQLite file, to which signal sets are appended.
///
/// Each ``append(_:source:progress:)`` runs in one transaction: either every
/// row of the set is stored or, on any error, the file is left exactly as it
/// was. The schema carries a version (`PRAGMA user_version` and the `meta`
/// table) so that a newer layout is recognised, never misread.
///
///     let store = try SignalStore(path: "signals.sqlite")
///     try store.append(try SignalSet(contentsOf: "fixtures/like-farm"), source: "like-farm")
///     let everything = try store.load()
///
/// Accounts are stored with dense integer ids in the order they were first
/// seen, so a loaded set gives every account the index it has in the file.
public struct SignalStore {
  /// The schema version this fraudscan writes and reads.
  public static let schemaVersion = 1

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
    }
  }

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
                              ts INTEGER NOT NULL);
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
      try insertPayments(set.payments, ids, progress)
      try insertInteractions(set.interactions, ids, progress)
      try insertProfileEdits(set.profileEdits, ids, progress)
      let summary = AppendSummary(
        accountsAdded: ids.added, payments: set.payments.count,
        interactions: set.interactions.count, profileEdits: set.profileEdits.count)
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

  private func insertPayments(_ p: PaymentTable, _ ids: (map: [Int64], added: Int), _ progress: ProgressReporter) throws {
    let insert = try database.prepare("INSERT INTO payments(id, src, dst, amount_micros, ts) VALUES (?, ?, ?, ?, ?)")
    try p.ids.arena.withUnsafeBufferPointer { arena in
      for r in 0..<p.count {
        insert.bind(1, bytes: UnsafeBufferPointer(rebasing: arena[p.ids.starts[r]..<p.ids.starts[r + 1]]))
        insert.bind(2, ids.map[Int(p.source[r])])
        insert.bind(3, ids.map[Int(p.target[r])])
        insert.bind(4, p.amountMicros[r])
        insert.bind(5, p.time[r])
        try insert.run()
        progress.tick("storing payments", r + 1)
      }
    }
  }

  private func insertInteractions(_ i: InteractionTable, _ ids: (map: [Int64], added: Int), _ progress: ProgressReporter) throws {
    let insert = try database.prepare("INSERT INTO interactions(src, dst, kind, ts) VALUES (?, ?, ?, ?)")
    try i.kinds.arena.withUnsafeBufferPointer { arena in
      for r in 0..<i.count {
        let k = Int(i.kind[r])
        insert.bind(1, ids.map[Int(i.source[r])])
        insert.bind(2, ids.map[Int(i.target[r])])
        insert.bind(3, bytes: UnsafeBufferPointer(rebasing: arena[i.kinds.starts[k]..<i.kinds.starts[k + 1]]))
        insert.bind(4, i.time[r])
        try insert.run()
        progress.tick("storing interactions", r + 1)
      }
    }
  }

  private func insertProfileEdits(_ e: ProfileEditTable, _ ids: (map: [Int64], added: Int), _ progress: ProgressReporter) throws {
    let insert = try database.prepare("INSERT INTO profile_edits(account, field, value, ts) VALUES (?, ?, ?, ?)")
    try e.fields.arena.withUnsafeBufferPointer { fields in
      try e.values.arena.withUnsafeBufferPointer { values in
        for r in 0..<e.count {
          let f = Int(e.field[r]), v = Int(e.value[r])
          insert.bind(1, ids.map[Int(e.account[r])])
          insert.bind(2, bytes: UnsafeBufferPointer(rebasing: fields[e.fields.starts[f]..<e.fields.starts[f + 1]]))
          insert.bind(3, bytes: UnsafeBufferPointer(rebasing: values[e.values.starts[v]..<e.values.starts[v + 1]]))
          insert.bind(4, e.time[r])
          try insert.run()
          progress.tick("storing profile edits", r + 1)
        }
      }
    }
  }

  /// The accounts of the store, indexed by their ids.
  private func loadAccounts() throws -> AccountTable {
    var accounts = AccountTable()
    let select = try database.prepare("SELECT id, name, created_at FROM accounts ORDER BY id")
    while try select.step() {
      let index = accounts.index(of: select.bytes(1))
      guard Int64(index) == select.int64(0) else {
        throw SignalStoreError.inconsistent(path: path, reason: "account ids are not dense from 0 (id \(select.int64(0)))")
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
        throw SignalStoreError.inconsistent(path: path, reason: "\(table) refers to account id \(value), which does not exist")
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
    let interactions = try database.prepare("SELECT src, dst, kind, ts FROM interactions ORDER BY rowid")
    while try interactions.step() {
      let kind = set.interactions.kinds.intern(interactions.bytes(2))
      set.interactions.append(
        source: try account(interactions.int64(0), "interactions"), target: try account(interactions.int64(1), "interactions"),
        kind: kind, time: interactions.int64(3))
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
