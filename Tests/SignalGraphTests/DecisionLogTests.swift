import Testing

@testable import SignalGraph

/// A decision log carries its schema version and refuses files of another
/// version or kind, untouched, instead of misreading them.
@Suite("DecisionLog schema")
struct DecisionLogTests {
  @Test func aNewLogRecordsItsSchemaVersion() throws {
    try withTemporaryDirectory { dir in
      let path = dir + "/state.sqlite"
      do { _ = try DecisionLog(path: path, settings: "s") }
      #expect(try SQLiteDatabase(path: path, create: false).userVersion() == DecisionLog.schemaVersion)
      // Reopening a log of this version works.
      let log = try DecisionLog(path: path, settings: "s")
      #expect(try log.decidedEvents() == 0)
    }
  }

  @Test func aLogOfAnotherVersionIsRefusedWithItsVersion() throws {
    try withTemporaryDirectory { dir in
      for found in [0, DecisionLog.schemaVersion + 1] {
        let path = dir + "/state-\(found).sqlite"
        do { _ = try DecisionLog(path: path, settings: "s") }
        try SQLiteDatabase(path: path, create: false).execute("PRAGMA user_version = \(found)")
        #expect(throws: DecisionLogError.otherSchema(path: path, found: found, supported: DecisionLog.schemaVersion)) {
          try DecisionLog(path: path, settings: "s")
        }
        let message = "\(DecisionLogError.otherSchema(path: path, found: found, supported: DecisionLog.schemaVersion))"
        #expect(message.contains("schema version \(found)") && message.contains("new state file"))
      }
    }
  }

  @Test func anotherSQLiteFileIsRefusedAndLeftAlone() throws {
    try withTemporaryDirectory { dir in
      let path = dir + "/signals.sqlite"
      _ = try SignalStore(path: path)
      #expect(throws: DecisionLogError.notADecisionLog(path: path)) {
        try DecisionLog(path: path, settings: "s")
      }
      #expect(try SQLiteDatabase(path: path, create: false).userVersion() == SignalStore.schemaVersion)
      _ = try SignalStore(path: path, create: false)
    }
  }
}
