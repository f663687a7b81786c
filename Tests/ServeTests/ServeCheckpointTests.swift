import Foundation
import Logging
import Synchronization
import Testing

@testable import FraudService

/// The pre-filter's checkpoint is written beside the group commits
/// (``BackgroundCheckpoint``): groups keep committing while it is written,
/// and a crash at any moment of it restarts from a whole checkpoint.
@Suite("Serve: checkpoints beside the group commits") struct ServeCheckpointTests {
  /// Holds a background checkpoint after its first row until released.
  final class Gate: Sendable {
    let reached = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    private let held = Atomic<Bool>(false)

    /// For ``DecisionEngine/checkpointPartWritten``: the first call waits
    /// (at most ``ServePipelineTests/patience``).
    func partWritten(_ part: Int) {
      guard !held.exchange(true, ordering: .relaxed) else { return }
      reached.signal()
      _ = release.wait(timeout: .now() + .seconds(ServePipelineTests.patience))
    }
  }

  static func engine(_ configuration: ServeConfiguration) throws -> DecisionEngine {
    var logger = Logger(label: "serve-checkpoint-test")
    logger.logLevel = .warning
    return try DecisionEngine(configuration: configuration, metrics: ServiceMetrics(), logger: logger)
  }

  /// `count` like events from `first` on, each its own request, as one group.
  static func group(_ first: Int, _ count: Int) -> [EventBatch] {
    (first..<(first + count)).map {
      EventBatch(lines: [Array(ServeHarness.like($0, id: "c\($0)", src: "fan\($0 % 7)", dst: "page\($0 % 3)").utf8)])
    }
  }

  /// What a crash would leave: the state file and its WAL as they are now.
  static func crashImage(of configuration: ServeConfiguration) throws -> ServeConfiguration {
    let dir = try ServeHarness.temporaryDirectory()
    var copy = configuration
    copy.statePath = dir.appendingPathComponent("state.sqlite").path
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: configuration.statePath + suffix) {
      try FileManager.default.copyItem(atPath: configuration.statePath + suffix, toPath: copy.statePath + suffix)
    }
    return copy
  }

  static func feed(_ engine: DecisionEngine) throws -> [String] {
    try engine.answers(after: -1, limit: 10_000).map { "\($0.seq) \(String(decoding: $0.answer, as: UTF8.self))" }
  }

  @Test func groupsCommitWhileACheckpointIsWrittenAndACrashAtAnyMomentRestartsFromAWholeOne() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.checkpointEvery = 10
    let engine = try Self.engine(configuration)
    let gate = Gate()
    engine.checkpointPartWritten = { gate.partWritten($0) }

    _ = try engine.process(Self.group(0, 12))  // due: a checkpoint of events 0 ..< 12 starts
    #expect(gate.reached.wait(timeout: .now() + 30) == .success, "the checkpoint did not start")

    // The checkpoint is held after its first row: groups commit meanwhile, at once.
    let start = ContinuousClock.now
    for first in stride(from: 12, to: 42, by: 6) { _ = try engine.process(Self.group(first, 6)) }
    #expect(ContinuousClock.now - start < .seconds(10), "a commit waited for the checkpoint")
    #expect(engine.committedEvents == 42)
    #expect(engine.checkpointedEvents == 0)
    let midway = try Self.crashImage(of: configuration)
    defer {
      try? FileManager.default.removeItem(at: URL(fileURLWithPath: midway.statePath).deletingLastPathComponent())
    }
    let feedMidway = try Self.feed(engine)

    gate.release.signal()
    engine.collectBackgroundCheckpoint(waiting: true)
    #expect(engine.checkpointedEvents == 12)
    _ = try engine.process(Self.group(42, 5))
    let after = try Self.crashImage(of: configuration)
    defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: after.statePath).deletingLastPathComponent()) }
    let feedAfter = try Self.feed(engine)
    engine.closeStateFile()
    #expect(feedAfter.count == 47)

    // Crashed while the checkpoint was written: no checkpoint yet, every event replayed, nothing changed.
    let restartedMidway = try Self.engine(midway)
    #expect(restartedMidway.checkpointedEvents == 0)
    #expect(restartedMidway.committedEvents == 42)
    #expect(try Self.feed(restartedMidway) == feedMidway)
    // Its next checkpoint clears the rows the crashed one left and completes.
    _ = try restartedMidway.process(Self.group(42, 5))
    restartedMidway.collectBackgroundCheckpoint(waiting: true)
    #expect(restartedMidway.checkpointedEvents == 47)
    #expect(try Self.feed(restartedMidway) == feedAfter)
    restartedMidway.closeStateFile()
    let again = try Self.engine(midway)
    #expect(again.checkpointedEvents == 47)
    #expect(try Self.feed(again) == feedAfter)
    again.closeStateFile()

    // Crashed after it: restored from the checkpoint of 12 events, the 35 after it replayed unchanged.
    let restartedAfter = try Self.engine(after)
    #expect(restartedAfter.checkpointedEvents == 12)
    #expect(restartedAfter.committedEvents == 47)
    #expect(try Self.feed(restartedAfter) == feedAfter)
    restartedAfter.closeStateFile()
  }
}
