import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter

/// A state file that was damaged or edited, a restart on another or a
/// shorter input, an unfinished last line and a second run on the same file:
/// each gets a clear refusal or a correct result, never a silent skip.
@Suite("Filter session: hostile state and input")
struct FilterSessionStateTests {
  typealias Stream = PrefilterStreamTests

  /// Runs SQL on a closed state file, the way someone editing it would.
  static func edit(_ state: String, _ sql: String) throws {
    try SQLiteDatabase(path: state, create: false).execute(sql)
  }

  /// The session's output and its checkpoint problem, over `lines`.
  /// Runs the tiny stream's first 500 events with a checkpoint at 300, runs
  /// `sql` on the closed state file, and restarts on the whole stream: the
  /// restart's checkpoint problem, and whether the two runs together wrote
  /// exactly what one uninterrupted run writes.
  static func restart(afterEditing sql: String) throws -> (problem: PrefilterCheckpointError?, complete: Bool) {
    let (dir, lines) = try Stream.tinyStream()
    defer { dir.remove() }
    let whole = try Stream.run(lines[...], state: nil)
    let state = dir.path + "/state.sqlite"
    let first = try Stream.run(lines[..<500], state: state, checkpointEvery: 300)
    try Self.edit(state, sql)
    let problem = try FilterSession(statePath: state, checkpointEvery: 300).checkpointProblem
    let second = try Stream.run(lines[...], state: state, checkpointEvery: 300)
    return (problem, first + second == whole)
  }

  @Test func aDamagedCheckpointIsRefusedAndTheInputReplayedFromItsStart() throws {
    // One byte of the stored blob changed (to 0x5A, or 0xA5 if it was 0x5A).
    let (problem, complete) = try Self.restart(
      afterEditing: """
        UPDATE filter_checkpoint SET bytes = substr(bytes, 1, 999)
          || CASE WHEN substr(bytes, 1000, 1) = x'5A' THEN x'A5' ELSE x'5A' END || substr(bytes, 1001) WHERE part = 0
        """)
    #expect(problem == .checksumMismatch)
    #expect(complete)
  }

  @Test(arguments: ["-1", "999999999", "299", "x"])
  func anEditedCheckpointCountIsRefused(events: String) throws {
    let (problem, complete) = try Self.restart(
      afterEditing: "UPDATE filter_meta SET value = '\(events)' WHERE key = 'checkpoint_events'")
    // Unreadable ("x"): as if there were no checkpoint, a replay from the start.
    #expect(problem == (events == "x" ? nil : .disagreesWithLog))
    #expect(complete)
  }

  /// An edited input digest would otherwise stop every restart with a false "input differs".
  @Test func anEditedCheckpointDigestIsRefused() throws {
    let (problem, complete) = try Self.restart(
      afterEditing: "UPDATE filter_meta SET value = '12345' WHERE key = 'checkpoint_digest'")
    #expect(problem == .disagreesWithLog)
    #expect(complete)
  }

  @Test(arguments: [1_000_000, 300])
  func aRestartOnAnotherInputIsRefused(checkpointEvery: Int) throws {
    let (dir, lines) = try Stream.tinyStream()
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    _ = try Stream.run(lines[..<500], state: state, checkpointEvery: checkpointEvery)
    // A space at the end of line 11: the same event and decision, but not the same input.
    var other = Array(lines)
    other[10] += Array(" ".utf8)
    #expect(throws: FilterSessionError.inputDiffers(line: checkpointEvery > 500 ? 500 : 300)) {
      try Stream.run(other[...], state: state, checkpointEvery: checkpointEvery)
    }
    // The same input still resumes.
    #expect(try Stream.run(lines[...], state: state, checkpointEvery: checkpointEvery).count > 0)
  }

  @Test(arguments: [1_000_000, 300])
  func aRestartOnAShorterInputIsRefused(checkpointEvery: Int) throws {
    let (dir, lines) = try Stream.tinyStream()
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    _ = try Stream.run(lines[..<500], state: state, checkpointEvery: checkpointEvery)
    var session = try FilterSession(statePath: state, checkpointEvery: checkpointEvery)
    for line in lines[..<400] { #expect(try session.feed(line).isEmpty) }
    #expect(throws: FilterSessionError.inputEndsEarly(lines: 400, decided: 500)) { try session.finish() }
  }

  @Test func aLastLineWithoutANewlineIsLeftUndecidedWithAStateFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let line = #"{"type":"interaction","src":"a","dst":"b","kind":"follow","ts":1767225600}"#
    let cut = Array((line + "\n" + line.prefix(30)).utf8)
    // Without a state file, the unfinished line is decided (here: an error line).
    var plain = try FilterSession()
    var out = try cut.withUnsafeBytes { try plain.consume($0) }
    out += try plain.finish()
    #expect(out.split(separator: "\n").count == 2 && out.contains(#""seq":1,"decision":"error""#))
    // With one, it waits: the run ends with one decision, and a restart on the completed line decides it.
    let state = dir.path + "/state.sqlite"
    do {
      var session = try FilterSession(statePath: state)
      var first = try cut.withUnsafeBytes { try session.consume($0) }
      first += try session.finish()
      try session.commit()
      #expect(first == "{\"seq\":0,\"decision\":\"admit\"}\n")
      #expect(session.unfinishedLineBytes == 30)
    }
    var restarted = try FilterSession(statePath: state)
    let whole = Array((line + "\r\n" + line + "\n").utf8)
    var second = try whole.withUnsafeBytes { try restarted.consume($0) }
    second += try restarted.finish()
    #expect(second == "{\"seq\":1,\"decision\":\"admit\"}\n")
    #expect(restarted.unfinishedLineBytes == 0)
  }

  @Test func aSecondSessionOnTheSameStateFileIsRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    do {
      let first = try FilterSession(statePath: state)
      #expect(throws: SignalStoreError.locked(path: state)) { try FilterSession(statePath: state) }
      withExtendedLifetime(first) {}
    }
    // Released with the first session.
    _ = try FilterSession(statePath: state)
  }
}
