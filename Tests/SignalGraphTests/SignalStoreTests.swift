import Foundation
import Testing

@testable import SignalGraph

/// The first set appended in the store tests: alice and bob, no creation times.
let firstSet: [String: String] = [
  "accounts.csv": "account\nalice\nbob\n",
  "payments.csv": "id,src,dst,amount,ts\nq1,alice,bob,10.25,100\n",
]

/// The second set: a new account before and after a known one (bob, whose
/// creation time it fills in), and rows in every table.
let secondSet: [String: String] = [
  "accounts.csv": "account,created_at\ncarol,5\nbob,77\nalice,\nzed,6\n",
  "payments.csv": "id,src,dst,amount,ts\nq2,carol,alice,1.5,200\nq3,zed,bob,0,201\n",
  "interactions.csv": "src,dst,kind,ts\ncarol,alice,follow,300\nzed,carol,boost,301\n",
  "profile_edits.csv": "account,field,value,ts\nzed,phone,555,400\ncarol,bio,last,401\n",
]

func readSet(_ files: [String: String]) throws -> SignalSet {
  try withSignalSet(files) { try SignalSet(contentsOf: $0) }
}

/// Row counts of every table of the store, through its own connection.
func rowCounts(_ store: SignalStore) throws -> [String: Int64] {
  var counts: [String: Int64] = [:]
  for table in ["meta", "accounts", "payments", "interactions", "profile_edits", "ingests"] {
    let statement = try store.database.prepare("SELECT count(*) FROM \(table)")
    try statement.step()
    counts[table] = statement.int64(0)
  }
  return counts
}

/// Runs `body` with a temporary directory `root` and a store at
/// `root/signals.sqlite` (its `path`) that holds the set `files`.
func withStore<T>(
  holding files: [String: String], _ body: (_ root: String, _ path: String, _ store: SignalStore) throws -> T
) throws -> T {
  try withTemporaryDirectory { root in
    let path = filePath(root, "signals.sqlite")
    let store = try SignalStore(path: path)
    try store.append(try readSet(files), source: "first")
    return try body(root, path, store)
  }
}

func fileBytes(_ path: String) throws -> Data {
  try Data(contentsOf: URL(fileURLWithPath: path))
}

@Suite("SignalStore") struct SignalStoreTests {
  @Test func roundTripKeepsAccountsInOrderAndEverySignal() throws {
    try withTemporaryDirectory { root in
      let directory = try writeSignalSet(sampleFiles, in: root)
      let original = try SignalSet(contentsOf: directory)
      let path = filePath(root, "signals.sqlite")
      let summary = try SignalStore(path: path).append(original, source: directory)
      #expect(summary == .init(accountsAdded: 6, payments: 3, interactions: 3, profileEdits: 4))
      #expect(summary.signals == 10)

      // A fresh connection reads back exactly what was read from CSV.
      let loaded = try SignalStore(path: path, create: false).load()
      #expect(SetSnapshot(loaded) == SetSnapshot(original))
      #expect(loaded.interactions.kind == original.interactions.kind)
      #expect(loaded.interactions.kinds[InteractionTable.follow] == "follow")
      #expect(loaded.interactions.kinds[InteractionTable.like] == "like")
      #expect(loaded.payments.amountMicros == [120_500_000, 1, 7_000_000])
      #expect(loaded.profileEdits.value[0] == loaded.profileEdits.value[1])
      #expect(GraphIndex(loaded).paymentsOut.offsets == GraphIndex(original).paymentsOut.offsets)
      #expect(SignalStatistics(loaded) == SignalStatistics(original))
    }
  }

  @Test func appendingMergesAccountsAndFillsCreationTimes() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      let first = try store.append(try readSet(firstSet), source: "first")
      #expect(first.accountsAdded == 2)
      let second = try store.append(try readSet(secondSet), source: "second")
      #expect(second == .init(accountsAdded: 2, payments: 2, interactions: 2, profileEdits: 2))
      // A known creation time is never overwritten, and an unknown one never erases.
      let third = try store.append(
        try readSet(["accounts.csv": "account,created_at\nbob,99\ncarol,\n", "payments.csv": "id,src,dst,amount,ts\n"]),
        source: "third")
      #expect(third == .init(accountsAdded: 0, payments: 0, interactions: 0, profileEdits: 0))

      let s = SetSnapshot(try SignalStore(path: path).load())
      #expect(s.accounts == ["alice", "bob", "carol", "zed"])
      #expect(s.createdAt == [AccountTable.unknownTime, 77, 5, 6])
      #expect(
        s.payments == [
          .init(id: "q1", src: "alice", dst: "bob", micros: 10_250_000, time: 100),
          .init(id: "q2", src: "carol", dst: "alice", micros: 1_500_000, time: 200),
          .init(id: "q3", src: "zed", dst: "bob", micros: 0, time: 201),
        ])
      #expect(
        s.interactions == [
          .init(src: "carol", dst: "alice", kind: "follow", time: 300),
          .init(src: "zed", dst: "carol", kind: "boost", time: 301),
        ])
      #expect(
        s.edits == [
          .init(account: "zed", field: "phone", value: "555", time: 400),
          .init(account: "carol", field: "bio", value: "last", time: 401),
        ])
      let sources = try store.database.prepare("SELECT source, accounts_added FROM ingests ORDER BY id")
      var rows: [String] = []
      while try sources.step() {
        rows.append("\(String(decoding: sources.bytes(0), as: UTF8.self))=\(sources.int64(1))")
      }
      #expect(rows == ["first=2", "second=2", "third=0"])
    }
  }

  @Test func aSetThatFailsToLoadLeavesTheStoreByteIdentical() throws {
    try withStore(holding: firstSet) { root, path, store in
      let before = try fileBytes(path)
      var bad = secondSet
      bad["payments.csv"] = "id,src,dst,amount,ts\nq2,carol,alice,1.5,200\nq3,zed,bob,lots,201\n"
      let directory = try writeSignalSet(bad, in: root, name: "bad")
      #expect(throws: SignalSetError.self) {
        try store.append(try SignalSet(contentsOf: directory), source: directory)
      }
      #expect(try fileBytes(path) == before)
      #expect(SetSnapshot(try store.load()) == SetSnapshot(try readSet(firstSet)))
    }
  }

  /// A real SQLite failure part-way through `append`: a trigger aborts one
  /// statement after earlier ones in the same transaction have run. The
  /// store must afterwards hold exactly what it held before, byte for byte.
  @Test(arguments: [
    ("accounts insert after others", "BEFORE INSERT ON accounts WHEN NEW.name = 'zed'"),
    ("accounts creation-time fill", "BEFORE UPDATE ON accounts"),
    ("second payment", "BEFORE INSERT ON payments WHEN NEW.id = 'q3'"),
    ("interactions", "BEFORE INSERT ON interactions WHEN NEW.kind = 'boost'"),
    ("last profile edit", "BEFORE INSERT ON profile_edits WHEN NEW.value = 'last'"),
    ("ingest record, the very last insert", "BEFORE INSERT ON ingests"),
  ])
  func aFailureInTheMiddleOfAppendRollsEverythingBack(place: String, trigger: String) throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      try store.append(try readSet(firstSet), source: "first")
      try store.database.execute(
        "CREATE TRIGGER simulated_failure \(trigger) BEGIN SELECT RAISE(ABORT, 'simulated failure'); END")
      let bytes = try fileBytes(path)
      let counts = try rowCounts(store)
      let snapshot = SetSnapshot(try store.load())
      let second = try readSet(secondSet)

      #expect(Comment(rawValue: place)) {
        try store.append(second, source: "second")
      } throws: { error in
        guard case let SignalStoreError.sqlite(p, message) = error else { return false }
        return p == path && message.contains("simulated failure")
      }
      #expect(try fileBytes(path) == bytes, "file changed")
      #expect(try rowCounts(store) == counts)
      #expect(SetSnapshot(try SignalStore(path: path).load()) == snapshot)
      #expect(!FileManager.default.fileExists(atPath: path + "-journal"))

      // The store is still usable, and the same set goes in whole once the cause is gone.
      try store.database.execute("DROP TRIGGER simulated_failure")
      try store.append(second, source: "second")
      #expect(try rowCounts(store)["payments"] == 3)
      #expect(SetSnapshot(try store.load()).createdAt == [AccountTable.unknownTime, 77, 5, 6])
    }
  }

  /// Another connection reading the store holds a shared lock, so the
  /// append's COMMIT cannot get its exclusive lock: every row already
  /// inserted in the transaction must be rolled back.
  @Test func aCommitBlockedByAReaderRollsBack() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      try store.append(try readSet(firstSet), source: "first")
      try store.database.execute("PRAGMA busy_timeout = 50")
      let counts = try rowCounts(store)
      let snapshot = SetSnapshot(try store.load())
      let bytes = try fileBytes(path)

      let reader = try SQLiteDatabase(path: path, create: false)
      try reader.execute("BEGIN; SELECT count(*) FROM accounts;")
      #expect {
        try store.append(try readSet(secondSet), source: "second")
      } throws: { error in
        guard case let SignalStoreError.sqlite(p, message) = error else { return false }
        return p == path && message.contains("locked")
      }
      try reader.execute("COMMIT")

      #expect(try fileBytes(path) == bytes)
      #expect(try rowCounts(store) == counts)
      #expect(SetSnapshot(try SignalStore(path: path).load()) == snapshot)
      try store.append(try readSet(secondSet), source: "second")
      #expect(try rowCounts(store)["accounts"] == 4)
    }
  }

  @Test func anAppendBlockedByAnotherWriterChangesNothing() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      try store.append(try readSet(firstSet), source: "first")
      try store.database.execute("PRAGMA busy_timeout = 50")
      let counts = try rowCounts(store)
      let writer = try SQLiteDatabase(path: path, create: false)
      try writer.execute("BEGIN IMMEDIATE")
      #expect(throws: SignalStoreError.self) { try store.append(try readSet(secondSet), source: "second") }
      try writer.execute("ROLLBACK")
      #expect(try rowCounts(store) == counts)
    }
  }

  @Test func schemaVersionIsTwoAndReopeningKeepsTheData() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      #expect(SignalStore.schemaVersion == 2)
      #expect(try store.database.userVersion() == 2)
      let meta = try store.database.prepare("SELECT value FROM meta WHERE key = 'schema_version'")
      #expect(try meta.step())
      #expect(String(decoding: meta.bytes(0), as: UTF8.self) == "2")
      try store.append(try readSet(firstSet), source: "first")
      let again = try SignalStore(path: path, create: false)
      #expect(try rowCounts(again)["meta"] == 2)
      #expect(SetSnapshot(try again.load()).accounts == ["alice", "bob"])
    }
  }

  @Test func aNewerSchemaIsRejected() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      try SignalStore(path: path).database.execute("PRAGMA user_version = 3")
      #expect(throws: SignalStoreError.newerSchema(path: path, found: 3, supported: 2)) {
        try SignalStore(path: path)
      }
      #expect(throws: SignalStoreError.newerSchema(path: path, found: 3, supported: 2)) {
        try SignalSource(path: path).load()
      }
    }
  }

  @Test func aSQLiteFileThatIsNotAStoreIsRejectedAndLeftAlone() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "other.sqlite")
      let other = try SQLiteDatabase(path: path, create: true)
      try other.execute("CREATE TABLE notes(text TEXT)")
      #expect(try SignalSource(path: path) == .store(path))
      #expect(throws: SignalStoreError.notAStore(path: path)) { try SignalStore(path: path) }
      #expect(throws: SignalStoreError.notAStore(path: path)) { try SignalSource(path: path).load() }
      let tables = try other.prepare("SELECT group_concat(name) FROM sqlite_master")
      try tables.step()
      #expect(String(decoding: tables.bytes(0), as: UTF8.self) == "notes")
      #expect(try other.userVersion() == 0)
    }
  }

  @Test func openingWithoutCreateNeverMakesAFile() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "absent.sqlite")
      #expect {
        try SignalStore(path: path, create: false)
      } throws: { error in
        guard case let SignalStoreError.cannotOpen(p, _) = error else { return false }
        return p == path
      }
      #expect(!FileManager.default.fileExists(atPath: path))
    }
  }

  @Test func aTextFileIsNotOpenedAsAStore() throws {
    try withTemporaryDirectory { root in
      let path = try writeFile(root, "notes.sqlite", "id,src,dst\nthis is not a database at all, just text\n")
      let before = try fileBytes(path)
      #expect(throws: SignalStoreError.self) { try SignalStore(path: path) }
      #expect(try fileBytes(path) == before)
    }
  }

  /// Ingesting the same set twice used to double every payment and
  /// interaction, changing scores and ring evidence (issue 16, item 8).
  @Test func ingestingTheSameSetAgainChangesNoSignal() throws {
    try withStore(holding: secondSet) { _, _, store in
      let once = SetSnapshot(try store.load())
      let again = try store.append(try readSet(secondSet), source: "again")
      #expect(again == .init(accountsAdded: 0, payments: 0, interactions: 0, profileEdits: 0, duplicatesSkipped: 6))
      #expect(SetSnapshot(try store.load()) == once)
      #expect(try rowCounts(store)["ingests"] == 2)
    }
  }

  /// A set overlapping an earlier one adds only what is new; rows repeated
  /// inside one set are all kept, as the set gives them.
  @Test func anOverlappingSetAddsOnlyItsNewSignals() throws {
    try withStore(holding: secondSet) { _, _, store in
      var more = secondSet
      more["payments.csv"]! += "q4,zed,carol,2,202\nq4,zed,carol,2,202\n"
      more["interactions.csv"]! += "carol,alice,like,300\ncarol,alice,like,300\n"
      more["profile_edits.csv"]! += "zed,phone,556,400\n"
      let summary = try store.append(try readSet(more), source: "more")
      #expect(summary == .init(accountsAdded: 0, payments: 1, interactions: 2, profileEdits: 1, duplicatesSkipped: 7))
      let s = SetSnapshot(try store.load())
      #expect(s.payments.map(\.id) == ["q2", "q3", "q4"])
      #expect(s.interactions.count == 4)
      #expect(s.edits.count == 3)
    }
  }

  /// A repeated payment id with other content is refused: the id names one
  /// payment, so one of the two is wrong. Nothing of the set is stored.
  @Test func aRepeatedPaymentIdWithOtherContentIsRefused() throws {
    try withStore(holding: secondSet) { _, path, store in
      let before = try fileBytes(path)
      var changed = secondSet
      changed["payments.csv"] = "id,src,dst,amount,ts\nq9,zed,bob,1,1\nq3,zed,bob,0.5,201\n"
      #expect(
        throws: SignalStoreError.conflictingPayment(
          path: path, source: "changed", id: "q3", stored: "zed → bob 0.00 at 1970-01-01T00:03:21Z",
          new: "zed → bob 0.50 at 1970-01-01T00:03:21Z")
      ) { try store.append(try readSet(changed), source: "changed") }
      #expect(try fileBytes(path) == before)
      // Inside one set too.
      let twice = try readSet(["payments.csv": "id,src,dst,amount,ts\nz1,a,b,1,1\nz1,a,c,1,1\n"])
      #expect(throws: SignalStoreError.self) { try store.append(twice, source: "twice") }
      #expect(try fileBytes(path) == before)
    }
  }

  /// A store cut short (its last kilobyte gone) used to load silently with
  /// altered rows (issue 16, item 7); the quick check at open refuses it.
  @Test func aTruncatedStoreIsRefusedWhenOpened() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      var set = SignalSet()
      for i in 0..<3_000 {
        set.addPayment(
          id: "p\(i)", source: "a\(i % 97)", target: "b\(i % 89)", amount: Amount(micros: Int64(i)), time: Int64(i))
      }
      try SignalStore(path: path).append(set, source: "many")
      let bytes = try fileBytes(path)
      try bytes.prefix(bytes.count - 1_024).write(to: URL(fileURLWithPath: path))
      #expect {
        try SignalStore(path: path, create: false)
      } throws: { error in
        guard case let SignalStoreError.damaged(p, problems) = error else { return false }
        return p == path && !problems.isEmpty && "\(error)".contains("damaged")
      }
      // An intact store opens as before.
      let intact = filePath(root, "intact.sqlite")
      try SignalStore(path: intact).append(set, source: "many")
      #expect(try SignalStore(path: intact, create: false).load().payments.count == 3_000)
    }
  }

  @Test func rowsThatPointAtNoAccountAreInconsistent() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "signals.sqlite")
      let store = try SignalStore(path: path)
      try store.append(try readSet(firstSet), source: "first")
      try store.database.execute("INSERT INTO interactions(src, dst, kind, ts) VALUES (0, 9, 'like', 1)")
      #expect {
        try store.load()
      } throws: { error in
        guard case let SignalStoreError.inconsistent(p, reason) = error else { return false }
        return p == path && reason.contains("interactions") && reason.contains("9")
      }
    }
  }
}

@Suite("SignalSource") struct SignalSourceTests {
  @Test func recognisesADirectoryAStoreAndRejectsAnythingElse() throws {
    try withTemporaryDirectory { root in
      let directory = try writeSignalSet(sampleFiles, in: root)
      let fromDirectory = try SignalSource(path: directory)
      #expect(fromDirectory == .directory(directory))
      #expect(fromDirectory.path == directory)
      let set = try fromDirectory.load()

      let storePath = filePath(root, "signals.sqlite")
      try SignalStore(path: storePath).append(set, source: directory)
      let fromStore = try SignalSource(path: storePath)
      #expect(fromStore == .store(storePath))
      #expect(SetSnapshot(try fromStore.load()) == SetSnapshot(set))

      let text = try writeFile(root, "readme.txt", "SQLite format 2 is not it\n")
      #expect {
        try SignalSource(path: text)
      } throws: { error in
        guard case let SignalSetError.notASignalSet(p, _) = error else { return false }
        return p == text
      }
      let empty = try writeFile(root, "empty.sqlite", "")
      #expect(throws: SignalSetError.self) { try SignalSource(path: empty) }
      let missing = filePath(root, "missing")
      #expect(throws: SignalSetError.notASignalSet(path: missing, reason: "no such file or directory")) {
        try SignalSource(path: missing)
      }
    }
  }
}
