import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

/// Tests of the synthetic signal-set generator (`fraudscan synth`).
/// Every test writes real files into its own temporary directory.
@Suite("Synthesis")
struct SynthesisTests {
  static let files = ["accounts.csv", "payments.csv", "interactions.csv", "profile_edits.csv", "labels.csv"]
  static let requiredColumns: [String: [String]] = [
    "accounts.csv": ["account", "created_at"],
    "payments.csv": ["id", "src", "dst", "amount", "ts"],
    "interactions.csv": ["src", "dst", "kind", "ts"],
    "profile_edits.csv": ["account", "field", "value", "ts"],
    "labels.csv": ["account", "label"],
  ]
  static let windowStart = 1_767_225_600
  static let windowEnd = windowStart + 180 * 86_400

  @Test func sameSeedWritesByteIdenticalFiles() throws {
    try withTemporaryDirectory { a in
      try withTemporaryDirectory { b in
        _ = try SyntheticSignalSet(scale: .tiny, seed: 7).write(to: a)
        _ = try SyntheticSignalSet(scale: .tiny, seed: 7).write(to: b)
        for file in Self.files {
          let first = try Data(contentsOf: a.appendingPathComponent(file))
          let second = try Data(contentsOf: b.appendingPathComponent(file))
          #expect(first == second, "\(file) differs between two runs with the same seed")
        }
      }
    }
  }

  @Test func differentSeedsWriteDifferentFiles() throws {
    try withTemporaryDirectory { a in
      try withTemporaryDirectory { b in
        _ = try SyntheticSignalSet(scale: .tiny, seed: 7).write(to: a)
        _ = try SyntheticSignalSet(scale: .tiny, seed: 8).write(to: b)
        for file in ["payments.csv", "interactions.csv", "profile_edits.csv", "labels.csv"] {
          let first = try Data(contentsOf: a.appendingPathComponent(file))
          let second = try Data(contentsOf: b.appendingPathComponent(file))
          #expect(first != second, "\(file) is the same for seeds 7 and 8")
        }
      }
    }
  }

  @Test func tinySetKeepsTheContract() throws {
    try withTemporaryDirectory { dir in
      let summary = try SyntheticSignalSet(scale: .tiny, seed: 1).write(to: dir.appendingPathComponent("nested/out"))
      let out = dir.appendingPathComponent("nested/out")
      var tables: [String: Table] = [:]
      for file in Self.files {
        let table = try Table(url: out.appendingPathComponent(file))
        for column in Self.requiredColumns[file]! {
          #expect(table.header.contains(column), "\(file) lacks column \(column)")
        }
        for (i, row) in table.rows.enumerated() {
          #expect(row.count == table.header.count, "\(file) row \(i + 2) has \(row.count) fields")
        }
        tables[file] = table
      }

      // Row counts match the summary and the promised size.
      #expect(tables["accounts.csv"]!.rows.count == summary.accounts)
      #expect(tables["payments.csv"]!.rows.count == summary.payments)
      #expect(tables["interactions.csv"]!.rows.count == summary.interactions)
      #expect(tables["profile_edits.csv"]!.rows.count == summary.profileEdits)
      #expect(summary.accounts == 1_000)
      let signals = summary.payments + summary.interactions + summary.profileEdits
      #expect((7_000...14_000).contains(signals), "tiny wrote \(signals) signals")

      // Values are well formed: ids, amounts, kinds, timestamps of both kinds.
      let accounts = Set(tables["accounts.csv"]!.column("account"))
      #expect(accounts.count == summary.accounts)
      var isoCount = 0
      var total = 0
      for file in ["payments.csv", "interactions.csv", "profile_edits.csv"] {
        for ts in tables[file]!.column("ts") {
          let seconds = try #require(Self.parseTimestamp(ts), "\(file): bad timestamp \(ts)")
          #expect((Self.windowStart..<Self.windowEnd).contains(seconds))
          if ts.contains("T") { isoCount += 1 }
          total += 1
        }
      }
      #expect(isoCount > total / 100 && isoCount < total / 25, "\(isoCount) of \(total) ISO timestamps")
      for amount in tables["payments.csv"]!.column("amount") {
        let parts = amount.split(separator: ".", omittingEmptySubsequences: false)
        #expect(
          parts.count == 2 && parts[1].count == 2 && parts.allSatisfy { $0.allSatisfy(\.isNumber) },
          "bad amount \(amount)")
      }
      #expect(Set(tables["payments.csv"]!.column("id")).count == summary.payments)
      #expect(Set(tables["interactions.csv"]!.column("kind")).isSubset(of: ["follow", "like"]))
      for file in ["payments.csv", "interactions.csv"] {
        for id in tables[file]!.column("src") + tables[file]!.column("dst") {
          #expect(accounts.contains(id), "\(file) names unknown account \(id)")
        }
      }
    }
  }

  @Test func labelsUseEveryKindAndNameActiveAccounts() throws {
    try withTemporaryDirectory { dir in
      let summary = try SyntheticSignalSet(scale: .tiny, seed: 3).write(to: dir)
      let labels = try Table(url: dir.appendingPathComponent("labels.csv"))
      let kinds = Set(labels.column("label"))
      #expect(kinds == Set(ManipulationKind.allCases.map(\.rawValue)))
      #expect(summary.fraudAccountsByKind.keys.sorted() == ManipulationKind.allCases.sorted())
      let labelled = Set(labels.column("account"))
      #expect(labelled.count == summary.labeledAccounts)
      let share = Double(labelled.count) / Double(summary.accounts)
      #expect(share >= 0.03 && share <= 0.09, "fraud share \(share)")

      var active = Set<String>()
      for (file, columns) in [
        ("payments.csv", ["src", "dst"]), ("interactions.csv", ["src", "dst"]), ("profile_edits.csv", ["account"]),
      ] {
        let table = try Table(url: dir.appendingPathComponent(file))
        for column in columns { active.formUnion(table.column(column)) }
      }
      for account in labelled {
        #expect(active.contains(account), "labelled \(account) appears in no signal file")
      }
    }
  }

  @Test func amlTypologiesArePlantedWithoutChangingTheRest() throws {
    try withTemporaryDirectory { plain in
      try withTemporaryDirectory { aml in
        _ = try SyntheticSignalSet(scale: .tiny, seed: 3).write(to: plain)
        _ = try SyntheticSignalSet(scale: .tiny, seed: 3, amlTypologies: true).write(to: aml)
        let before = try Table(url: plain.appendingPathComponent("payments.csv"))
        let after = try Table(url: aml.appendingPathComponent("payments.csv"))
        #expect(after.rows.count > before.rows.count)
        // The other kinds' labels are the same.
        let labels = try Table(url: aml.appendingPathComponent("labels.csv"))
        let plainLabels = try Table(url: plain.appendingPathComponent("labels.csv"))
        func others(_ t: Table) -> Set<[String]> { Set(t.rows.filter { $0[t.index("label")] != "circular_payment" }) }
        #expect(others(labels) == others(plainLabels))
        // Every scheme member pays or is paid by another member.
        let members = Set(
          labels.rows.filter { $0[labels.index("label")] == "circular_payment" }.map { $0[labels.index("account")] })
        var touched = Set<String>()
        for row in after.rows {
          let src = row[after.index("src")], dst = row[after.index("dst")]
          if members.contains(src) && members.contains(dst) { touched.formUnion([src, dst]) }
        }
        #expect(touched == members)
      }
    }
  }

  @Test func plantedGroupsHaveTheirShape() throws {
    try withTemporaryDirectory { dir in
      _ = try SyntheticSignalSet(scale: .small, seed: 11).write(to: dir)
      let labels = try Table(url: dir.appendingPathComponent("labels.csv"))
      var byKind: [String: Set<String>] = [:]
      for row in labels.rows { byKind[row[labels.index("label")], default: []].insert(row[labels.index("account")]) }

      // Every ring member both pays and is paid by another ring member.
      let payments = try Table(url: dir.appendingPathComponent("payments.csv"))
      let ring = byKind["circular_payment"]!
      var sends = Set<String>(), receives = Set<String>()
      for row in payments.rows {
        let src = row[payments.index("src")], dst = row[payments.index("dst")]
        if ring.contains(src) && ring.contains(dst) {
          sends.insert(src)
          receives.insert(dst)
        }
      }
      #expect(sends == ring && receives == ring)

      // Every fake profile shares its employer with at least five other fakes.
      let edits = try Table(url: dir.appendingPathComponent("profile_edits.csv"))
      let fakes = byKind["fake_profile"]!
      var employerOf: [String: String] = [:]
      for row in edits.rows where row[edits.index("field")] == "employer" && fakes.contains(row[edits.index("account")])
      {
        employerOf[row[edits.index("account")]] = row[edits.index("value")]
      }
      let sharing = Dictionary(grouping: employerOf.values, by: { $0 }).mapValues(\.count)
      for fake in fakes {
        let employer = try #require(employerOf[fake], "fake \(fake) has no employer")
        #expect(sharing[employer]! >= 6)
      }

      // Every bought-engagement account endorses or is endorsed by another.
      let interactions = try Table(url: dir.appendingPathComponent("interactions.csv"))
      let bought = byKind["bought_engagement"]!
      var involved = Set<String>()
      var celebrityFollowers: [String: Int] = [:]
      for row in interactions.rows {
        let src = row[interactions.index("src")], dst = row[interactions.index("dst")]
        if bought.contains(src) && bought.contains(dst) {
          involved.insert(src)
          involved.insert(dst)
        }
        if row[interactions.index("kind")] == "follow" { celebrityFollowers[dst, default: 0] += 1 }
      }
      #expect(involved == bought)
      // Honest celebrities with over a thousand followers exist and are unlabelled.
      let celebrities = celebrityFollowers.filter { $0.value >= 1_000 }.keys
      #expect(!celebrities.isEmpty)
      for celebrity in celebrities { #expect(!bought.contains(celebrity)) }
    }
  }

  @Test func quotedFieldsReadBack() throws {
    try withTemporaryDirectory { dir in
      let url = dir.appendingPathComponent("q.csv")
      let tricky = ["plain", "a, b", "say \"hi\"", "\"quoted\", and more", "", "line\nbreak"]
      var csv = try CSVWriter(url: url, header: ["n", "value"])
      for (i, value) in tricky.enumerated() {
        csv.decimal(UInt64(i))
        csv.comma()
        csv.field(Array(value.utf8))
        try csv.endRow()
      }
      try csv.close()
      let table = try Table(url: url)
      #expect(table.column("value") == tricky)
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(text.contains("\"a, b\"") && text.contains("\"say \"\"hi\"\"\""))

      // The generator's own profile values include commas and quotes.
      _ = try SyntheticSignalSet(scale: .tiny, seed: 5).write(to: dir)
      let edits = try Table(url: dir.appendingPathComponent("profile_edits.csv"))
      let values = edits.column("value")
      #expect(values.contains("Acme Retail, Inc."))
      #expect(values.contains { $0.contains("\"") })
      #expect(values.contains { $0.hasPrefix("\"") == false && $0.contains(", ") })
    }
  }

  @Test func writerFormatsNumbersAndDates() throws {
    #expect(Timestamp.civilDate(fromDays: 0) == (1970, 1, 1))
    #expect(Timestamp.civilDate(fromDays: 20_513) == (2026, 3, 1))
    try withTemporaryDirectory { dir in
      let url = dir.appendingPathComponent("n.csv")
      var csv = try CSVWriter(url: url, header: ["x"])
      csv.cents(12_050)
      try csv.endRow()
      csv.cents(7)
      try csv.endRow()
      csv.timestamp(1_772_366_400, iso: true)
      try csv.endRow()
      csv.timestamp(1_772_366_400, iso: false)
      try csv.endRow()
      csv.decimal(42, minimumDigits: 6)
      try csv.endRow()
      try csv.close()
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(text == "x\n120.50\n0.07\n2026-03-01T12:00:00Z\n1772366400\n000042\n")
    }
  }

  @Test func unwritableDirectoryIsReported() throws {
    try withTemporaryDirectory { dir in
      let blocker = dir.appendingPathComponent("file")
      try Data("x".utf8).write(to: blocker)
      #expect(throws: SignalSetWriterError.self) {
        _ = try SyntheticSignalSet(scale: .tiny, seed: 1).write(to: blocker.appendingPathComponent("out"))
      }
    }
  }

  // MARK: - Helpers

  static func parseTimestamp(_ text: String) -> Int? {
    if let seconds = Int(text) { return seconds }
    let b = Array(text.utf8)
    guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
    func n(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
    guard let y = n(0..<4), let mo = n(5..<7), let d = n(8..<10), let h = n(11..<13), let mi = n(14..<16),
      let s = n(17..<19)
    else { return nil }
    // days_from_civil (Howard Hinnant)
    let yy = mo <= 2 ? y - 1 : y
    let era = yy / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    return days * 86_400 + h * 3_600 + mi * 60 + s
  }
}

/// A whole CSV file read with a small RFC 4180 reader (test-local, so the
/// generator is checked against an independent parser).
struct Table {
  var header: [String]
  var rows: [[String]]

  init(url: URL) throws {
    let records = Self.parse(Array(try Data(contentsOf: url)))
    header = records.first ?? []
    rows = Array(records.dropFirst())
  }

  func index(_ column: String) -> Int { header.firstIndex(of: column)! }

  func column(_ name: String) -> [String] {
    let i = index(name)
    return rows.map { $0[i] }
  }

  static func parse(_ bytes: [UInt8]) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field: [UInt8] = []
    var i = 0
    var inQuotes = false
    var fieldStarted = false
    func endField() {
      record.append(String(decoding: field, as: UTF8.self))
      field.removeAll()
      fieldStarted = false
    }
    while i < bytes.count {
      let b = bytes[i]
      if inQuotes {
        if b == 0x22 {
          if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
            field.append(0x22)
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.append(b)
        }
      } else if b == 0x22 && field.isEmpty {
        inQuotes = true
        fieldStarted = true
      } else if b == 0x2C {
        endField()
        fieldStarted = true
      } else if b == 0x0A || b == 0x0D {
        if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
        endField()
        records.append(record)
        record = []
      } else {
        field.append(b)
        fieldStarted = true
      }
      i += 1
    }
    if fieldStarted || !field.isEmpty || !record.isEmpty {
      endField()
      records.append(record)
    }
    return records
  }
}

func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("fraudscan-synth-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  try body(dir)
}
