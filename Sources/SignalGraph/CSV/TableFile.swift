/// One CSV file of a signal set read by column name: the header is matched
/// against the columns a file kind needs, then each row is handed over as a
/// ``TableRow`` whose typed accessors throw errors naming file, line and column.
struct TableFile {
  let path: String
  /// The file name shown in messages (the path as given).
  var displayPath: String { path }

  /// Reads the file, resolving `columns` (required ones must be present,
  /// optional ones may be absent) and calling `body` for every data row.
  /// - Returns: the number of data rows.
  @discardableResult
  func forEachRow(
    required: [String], optional: [String] = [],
    _ body: (inout TableRow) throws -> Void
  ) throws -> Int {
    try forEachRow(
      layout: { header, line in try resolve(header: header, line: line, required: required, optional: optional) }, body)
  }

  /// Reads the file, letting `layout` resolve the columns from the header
  /// (for a header that names two columns alike, which only their position
  /// tells apart) and the header's line, and calling `body` for every data row.
  /// - Returns: the number of data rows.
  @discardableResult
  func forEachRow(
    layout resolveLayout: (_ header: [String], _ line: Int) throws -> TableLayout,
    _ body: (inout TableRow) throws -> Void
  ) throws -> Int {
    var layout = TableLayout(path: path, fieldCount: -1, positions: [], names: [], header: [])
    var rows = 0
    do {
      try CSVReader(path: path).forEachRecord { record in
        try requireUTF8(record, header: layout.header)
        if layout.fieldCount < 0 {
          layout = try resolveLayout(Self.names(of: record), record.line)
          return
        }
        guard record.count == layout.fieldCount else {
          throw SignalSetError.raggedRow(
            path: path, line: record.line, expected: layout.fieldCount, found: record.count)
        }
        // The layout is borrowed in place, not copied, so a row costs no reference counting.
        try withUnsafeMutablePointer(to: &layout) { layout in
          var row = TableRow(record: record, layout: UnsafePointer(layout))
          try body(&row)
        }
        rows += 1
      }
    } catch let error as CSVError {
      throw SignalSetError.malformedCSV(error)
    }
    if layout.fieldCount < 0 { throw SignalSetError.emptyFile(path: path) }
    return rows
  }

  /// The column names of the file's header row, trimmed of spaces.
  /// - Throws: ``SignalSetError`` for an unreadable, empty or malformed file.
  func header() throws -> [String] {
    struct Stop: Error {}
    var names: [String]?
    do {
      try CSVReader(path: path).forEachRecord { record in
        names = Self.names(of: record)
        throw Stop()
      }
    } catch is Stop {
    } catch let error as CSVError {
      throw SignalSetError.malformedCSV(error)
    }
    guard let names else { throw SignalSetError.emptyFile(path: path) }
    return names
  }

  /// Refuses a record with a field that is not UTF-8, naming the field's
  /// column (once the `header` is known).
  private func requireUTF8(_ record: CSVRecord, header: [String]) throws {
    guard UTF8Validation.firstInvalidOffset(record.bytes) != nil else { return }
    for field in 0..<record.count {
      guard let offset = UTF8Validation.firstInvalidOffset(record[field]) else { continue }
      throw SignalSetError.invalidUTF8(
        path: path, line: record.line, column: field < header.count ? header[field] : nil, field: field + 1,
        byte: record[field][offset], offset: offset + 1)
    }
  }

  private static func names(of header: CSVRecord) -> [String] {
    (0..<header.count).map { header.string(at: $0).trimmingASCIISpaces() }
  }

  /// The layout of a contract file: every column named once, the asked-for
  /// ones found by name.
  private func resolve(header names: [String], line: Int, required: [String], optional: [String]) throws -> TableLayout
  {
    var fieldOf: [String: Int] = [:]
    for (i, name) in names.enumerated() where !name.isEmpty {
      if let first = fieldOf.updateValue(i, forKey: name) {
        throw SignalSetError.duplicateColumn(path: path, line: line, column: name, firstField: first + 1, field: i + 1)
      }
    }
    var positions: [Int] = []
    for column in required {
      guard let at = names.firstIndex(of: column) else {
        throw SignalSetError.missingColumn(path: path, column: column)
      }
      positions.append(at)
    }
    for column in optional {
      positions.append(names.firstIndex(of: column) ?? -1)
    }
    return TableLayout(
      path: path, fieldCount: names.count, positions: positions, names: required + optional, header: names)
  }
}

/// A data row of a ``TableFile``, with accessors by column slot (the order in
/// which the columns were asked for: required first, then optional).
struct TableRow {
  let record: CSVRecord
  let layout: UnsafePointer<TableLayout>

  var line: Int { record.line }
  var path: String { layout.pointee.path }
  var positions: [Int] { layout.pointee.positions }

  /// Whether the optional column in `slot` exists and is non-empty here.
  func has(_ slot: Int) -> Bool {
    let position = layout.pointee.positions[slot]
    return position >= 0 && !record[position].isEmpty
  }

  /// The raw bytes of the column in `slot`.
  @inline(__always)
  func bytes(_ slot: Int) -> UnsafeBufferPointer<UInt8> { record[layout.pointee.positions[slot]] }

  /// The bytes of `slot`, which must not be empty.
  func nonEmpty(_ slot: Int, what: String) throws -> UnsafeBufferPointer<UInt8> {
    let value = bytes(slot)
    if value.isEmpty { throw bad(slot, "is empty; \(what) is required") }
    return value
  }

  /// The timestamp in `slot`, within ``Timestamp/validRange``.
  func time(_ slot: Int) throws -> Int64 {
    guard let t = Timestamp.parse(bytes(slot)) else {
      throw bad(slot, "is not a timestamp (integer Unix seconds or ISO-8601 UTC such as 2026-03-01T12:00:00Z)")
    }
    guard Timestamp.validRange.contains(t) else { throw bad(slot, Timestamp.outOfRange) }
    return t
  }

  /// The amount in `slot`.
  func amount(_ slot: Int) throws -> Amount {
    guard let a = Amount(parsing: bytes(slot)) else {
      throw bad(slot, "is not an amount (a non-negative decimal such as 120.50, at most six decimals)")
    }
    return a
  }

  /// The signed rating in `slot`: a finite decimal such as `-3`, `4` or `2.5`.
  func rating(_ slot: Int) throws -> Double {
    guard let r = Self.parseRating(bytes(slot)) else {
      throw bad(slot, "is not a rating (a signed number such as -3, 4 or 2.5)")
    }
    return r
  }

  /// A finite signed decimal (`-10`, `+4`, `2.5`, or with an exponent as
  /// JSON writes large and small numbers: `7.5e+18`, `1e-05`), or `nil`.
  static func parseRating(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    guard !bytes.isEmpty, bytes.count <= 32,
      bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 | 0x20 == 0x65 }),
      let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite
    else { return nil }
    return value
  }

  /// The count in `slot` (a non-negative integer such as a step number), or
  /// `nil` if it is not one.
  func count(_ slot: Int) -> Int64? {
    let value = bytes(slot)
    guard !value.isEmpty, value.count <= 18 else { return nil }
    var n: Int64 = 0
    for c in value {
      guard c >= 0x30 && c <= 0x39 else { return nil }
      n = n * 10 + Int64(c &- 0x30)
    }
    return n
  }

  /// The yes/no flag in `slot`: `1`, `true`, `yes` or `0`, `false`, `no`, in any case.
  func flag(_ slot: Int) throws -> Bool {
    let value = bytes(slot)
    if value.count == 1 && (value[0] == 0x30 || value[0] == 0x31) { return value[0] == 0x31 }  // the common 0/1
    func matches(_ word: String) -> Bool {
      value.count == word.utf8.count && zip(value, word.utf8).allSatisfy { $0 | 0x20 == $1 }
    }
    if matches("1") || matches("true") || matches("yes") { return true }
    if matches("0") || matches("false") || matches("no") { return false }
    throw bad(slot, "is not a yes/no flag (1, true or yes; 0, false or no)")
  }

  /// An error about the value of `slot`.
  func bad(_ slot: Int, _ reason: String) -> SignalSetError {
    .badValue(
      path: path, line: line, column: layout.pointee.names[slot], field: positions[slot] + 1,
      value: String(decoding: bytes(slot), as: UTF8.self), reason: reason)
  }
}

/// Where each asked-for column sits in a file, resolved once from its header.
struct TableLayout {
  let path: String
  let fieldCount: Int
  /// The field position of each column slot, -1 for an absent optional column.
  let positions: [Int]
  /// The column name of each slot.
  let names: [String]
  /// The column name of each field, as the header gives it.
  let header: [String]
}

extension String {
  func trimmingASCIISpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}
