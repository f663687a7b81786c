/// How far each signal table of a store reached before an append began, to
/// find the rows of an earlier ingest that a new row repeats.
struct StoredRows {
  let database: SQLiteDatabase
  /// The largest `rowid` of each table before the append (0 when empty).
  let lastRow: [String: Int64]

  init(_ database: SQLiteDatabase) throws {
    self.database = database
    var lastRow: [String: Int64] = [:]
    for table in ["payments", "interactions", "profile_edits"] {
      let max = try database.prepare("SELECT coalesce(max(rowid), 0) FROM \(table)")
      try max.step()
      lastRow[table] = max.int64(0)
    }
    self.lastRow = lastRow
  }

  /// A statement returning the `selected` columns of the first row that
  /// `table` held before the append with `columns` equal to parameters 1, 2,
  /// … (so ``SQLiteStatement/exists()`` tells whether there is one), or `nil`
  /// when the table was empty.
  ///
  /// The index `index` on `indexed` columns is created for it the first time
  /// (a first ingest into an empty table pays nothing); later appends keep it.
  func lookup(
    _ table: String, index: String, on indexed: String, select selected: String = "1", matching columns: [String]
  ) throws -> SQLiteStatement? {
    guard let last = lastRow[table], last > 0 else { return nil }
    try database.execute("CREATE INDEX IF NOT EXISTS \(index) ON \(table)(\(indexed))")
    let equal = columns.enumerated().map { "\($1) = ?\($0 + 1)" }.joined(separator: " AND ")
    return try database.prepare("SELECT \(selected) FROM \(table) WHERE \(equal) AND rowid <= \(last) LIMIT 1")
  }
}
