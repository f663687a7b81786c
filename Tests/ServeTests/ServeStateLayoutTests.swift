import Foundation
import Logging
import SignalGraph
import Testing

@testable import FraudService

/// The state file's layout: each decision line stored once (in the decision
/// log), and files of an earlier layout refused with a message that says so.
@Suite("Serve: the state file's layout") struct ServeStateLayoutTests {
  @Test func eachEventsDecisionLinesAreStoredOnceInTheLog() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let configuration = ServeHarness.configuration(state: dir)
    let engine = try ServeCheckpointTests.engine(configuration)
    _ = try engine.process(ServeCheckpointTests.group(0, 9))
    let feed = try ServeCheckpointTests.feed(engine)
    engine.closeStateFile()

    let database = try SQLiteDatabase(path: configuration.statePath, create: false)
    let columns = try database.prepare("SELECT name FROM pragma_table_info('serve_events')")
    var names: [String] = []
    while try columns.step() { names.append(String(decoding: columns.bytes(0), as: UTF8.self)) }
    #expect(!names.contains("answer"))
    // One log row per event, row seq + 1, holding the event's lines as answered.
    let rows = try database.prepare("SELECT n, event_seq, line FROM filter_lines ORDER BY n")
    var logged: [String] = []
    while try rows.step() {
      #expect(rows.int64(0) == rows.int64(1) + 1)
      logged.append("\(rows.int64(1)) \(String(decoding: rows.bytes(2), as: UTF8.self))")
    }
    #expect(logged == feed)
    #expect(logged.count == 9)
  }

  @Test func aStateFileOfTheEarlierLayoutIsRefusedSayingSo() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let configuration = ServeHarness.configuration(state: dir)
    let windowDays = configuration.prefilter.windowDays
    do {
      _ = try DecisionLog(path: configuration.statePath, settings: "serve window-days=\(windowDays) format=2")
    }
    let error = #expect(throws: ServeError.self) { _ = try ServeCheckpointTests.engine(configuration) }
    #expect(error?.description.contains("format=2") == true)
    #expect(error?.description.contains("format=\(ServeStore.format)") == true)
  }
}
