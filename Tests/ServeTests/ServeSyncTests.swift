import Foundation
import Logging
import SignalGraph
import Synchronization
import Testing

@testable import FraudService

/// Small groups on one thread (``CommitQueue``): with the writer idle, the
/// commit thread writes a small group itself, and with the sync stage idle
/// it fsyncs and answers it too; a large group, or one written while the
/// sync stage is busy, goes to the sync stage. A test watches each fsync as
/// it begins (``DecisionEngine/walSyncing``): on which thread, with how many
/// events committed; it holds one there, or fails it.
@Suite("Serve: a small group on one thread, a large one through the pipeline") struct ServeSyncTests {
  /// What each fsync saw as it began; holds the first one on a chosen
  /// thread until released, or fails the first one that begins with at
  /// least a chosen count committed.
  final class SyncWatch: Sendable {
    struct Seen: Sendable {
      var committed: Int
      var thread: String
    }

    private let seen = Mutex<[Seen]>([])
    private let holdOn: String?
    private let failFrom: Int?
    private let reachedFlag = Atomic<Bool>(false)
    private let failedFlag = Atomic<Bool>(false)
    private let release = DispatchSemaphore(value: 0)

    init(holdingOn thread: String? = nil, failingFrom committed: Int? = nil) {
      holdOn = thread
      failFrom = committed
    }

    /// For ``DecisionEngine/walSyncing``.
    func walSyncing(_ committed: Int) throws(ServeError) {
      let thread = Thread.current.name ?? ""
      seen.withLock { $0.append(Seen(committed: committed, thread: thread)) }
      if thread == holdOn, !reachedFlag.exchange(true, ordering: .acquiringAndReleasing) {
        _ = release.wait(timeout: .now() + .seconds(ServePipelineTests.patience))
      }
      if let failFrom, committed >= failFrom, !failedFlag.exchange(true, ordering: .acquiringAndReleasing) {
        throw .state(path: "test", problem: "fsync failed (test)")
      }
    }

    var fsyncs: [Seen] { seen.withLock { $0 } }

    /// The most events committed when an fsync began: every event before is durable once it ends.
    var covered: Int { fsyncs.map(\.committed).max() ?? 0 }

    var reached: Bool { reachedFlag.load(ordering: .acquiring) }

    func open() { release.signal() }
  }

  /// A core on a new engine for `configuration`, its fsyncs watched by
  /// `watch` and its writes (``DecisionEngine/groupWriting``) seen by `writing`.
  static func core(
    _ configuration: ServeConfiguration, watch: SyncWatch, writing: (@Sendable (Int) -> Void)? = nil
  ) throws -> (DecisionCore, DecisionEngine) {
    let engine = try ServeCheckpointTests.engine(configuration)
    engine.walSyncing = { committed throws(ServeError) in try watch.walSyncing(committed) }
    engine.groupWriting = writing
    var logger = Logger(label: "serve-sync-test")
    logger.logLevel = .critical
    return (DecisionCore(engine: engine, logger: logger), engine)
  }

  static func fsyncConfiguration(_ dir: URL) -> ServeConfiguration {
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = .fsync
    return configuration
  }

  /// `count` events from `first` on, with ids, in one request.
  static func events(_ first: Int, _ count: Int) -> EventBatch {
    ServePipelineTests.batch(
      (first..<(first + count)).map { ServeHarness.like($0, id: "e\($0)", src: "fan\($0 % 7)", dst: "page\($0 % 3)") })
  }

  /// The seqs a response body gives its events.
  static func seqs(_ body: [UInt8]) throws -> [Int] {
    try ServePipelineTests.decisions(String(decoding: body, as: UTF8.self)).compactMap { $0["seq"] as? Int }
  }

  /// One request at a time, then several at once: each is answered only
  /// after an fsync that began with its event committed, all on the commit thread.
  @Test func aSmallGroupIsWrittenAndFsyncedByTheCommitThreadBeforeItIsAnswered() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let watch = SyncWatch()
    let (core, _) = try Self.core(Self.fsyncConfiguration(dir), watch: watch)

    for i in 0..<4 {
      let seqs = try Self.seqs(try await core.submit(Self.events(i, 1)))
      #expect(seqs == [i])
      #expect(watch.covered > i, "answered before an fsync covered seq \(i)")
    }
    let together = (4..<12).map { i in
      Task.immediate { () throws -> (seqs: [Int], covered: Int) in
        let body = try await core.submit(Self.events(i, 1))
        return (try Self.seqs(body), watch.covered)
      }
    }
    var seen: [Int] = []
    for task in together {
      let (seqs, covered) = try await task.value
      #expect(seqs.count == 1 && covered > seqs[0], "answered before an fsync covered it: \(seqs), \(covered)")
      seen += seqs
    }
    #expect(seen.sorted() == Array(4..<12))
    #expect(!watch.fsyncs.isEmpty && watch.fsyncs.allSatisfy { $0.thread == "serve-commit" })
    await core.drainAndCheckpoint()
  }

  /// A large group goes through the writer to the sync stage, held there in
  /// its fsync; a small group written meanwhile (by the commit thread: the
  /// writer is idle) is not fsynced where it was written (it would be
  /// answered first) but handed to the sync stage after the large one.
  @Test func aSmallGroupWrittenWhileTheSyncStageIsBusyWaitsForIt() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let watch = SyncWatch(holdingOn: "serve-fsync")
    let (core, engine) = try Self.core(Self.fsyncConfiguration(dir), watch: watch)
    let large = Self.events(0, 1_000)
    #expect(large.bytes.count > ServeConfiguration(statePath: "", token: "").smallGroupBytes)

    let first = ServePipelineTests.Submitted(core, large)
    #expect(ServePipelineTests.eventually { watch.reached }, "the sync stage did not take the large group")
    let second = ServePipelineTests.Submitted(core, Self.events(1_000, 1))
    #expect(
      ServePipelineTests.eventually { engine.committedEvents == 1_001 && core.groupsInFlight == 0 },
      "the small group was not written")
    ServePipelineTests.pause(milliseconds: 100)
    #expect(!first.done && !second.done, "answered before the large group's fsync ended")
    watch.open()

    #expect(try Self.seqs(try first.value()) == Array(0..<1_000))
    #expect(try Self.seqs(try second.value()) == [1_000])
    #expect(watch.fsyncs.map(\.thread) == ["serve-fsync", "serve-fsync"])
    #expect(watch.fsyncs.last?.committed == 1_001)
    await core.drainAndCheckpoint()
  }

  /// A long poll waiting for a decision is woken once that decision's fsync
  /// has ended, not when its group is committed.
  @Test func aLongPollWakesOnceItsDecisionIsFsyncedNotWhenCommitted() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let watch = SyncWatch(holdingOn: "serve-commit")
    let (core, engine) = try Self.core(Self.fsyncConfiguration(dir), watch: watch)
    let woken = Atomic<Bool>(false)
    let poll = Task {
      await core.waitForDecision(after: -1, until: .now + .seconds(ServePipelineTests.patience))
      woken.store(true, ordering: .releasing)
    }
    let event = ServePipelineTests.Submitted(core, Self.events(0, 1))
    #expect(ServePipelineTests.eventually { watch.reached }, "the commit thread did not fsync the event")
    ServePipelineTests.pause(milliseconds: 100)
    #expect(engine.committedEvents == 1 && core.durableEvents == 0)
    #expect(!woken.load(ordering: .acquiring) && !event.done, "woken before the fsync ended")
    watch.open()
    await poll.value
    #expect(core.durableEvents == 1)
    #expect(try Self.seqs(try event.value()) == [0])
    #expect(try await core.answers(after: -1, limit: 10).map(\.seq) == [0])
    await core.drainAndCheckpoint()
    #expect(core.longPollsEnded)  // the commit thread ended: nothing more is decided
  }

  /// A failed fsync fails its group with 503, on either path, and the
  /// service takes no more events.
  @Test(arguments: [1, 1_000])
  func aFailedFsyncFailsItsGroupAndEveryLaterOne(size: Int) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let watch = SyncWatch(failingFrom: 3)
    let (core, _) = try Self.core(Self.fsyncConfiguration(dir), watch: watch)

    #expect(try Self.seqs(try await core.submit(Self.events(0, 2))) == [0, 1])
    await #expect(throws: ServeError.self) { _ = try await core.submit(Self.events(2, size)) }
    #expect(core.notReadyReason?.contains("fsync of the state file failed") == true)
    await #expect(throws: ServeError.self) { _ = try await core.submit(Self.events(2 + size, 1)) }
    #expect(watch.fsyncs.last?.thread == (size == 1 ? "serve-commit" : "serve-fsync"))
    // The failed group's rows are in the file (committed) but were never
    // acknowledged: the decision feed does not show them, and a long poll
    // for them waits out its time.
    let feed = try await core.answers(after: -1, limit: 10_000)
    #expect(feed.map(\.seq) == [0, 1])
    #expect(core.durableEvents == 2)
    let start = ContinuousClock.now
    await core.waitForDecision(after: 1, until: start + .milliseconds(100))
    #expect(ContinuousClock.now - start >= .milliseconds(100))
    await core.drainAndCheckpoint()
  }

  /// A small group whose write fails on the commit thread fails with 503,
  /// and so does every later request: nothing after a failure.
  @Test(arguments: [Durability.process, .fsync])
  func aFailedWriteOnTheCommitThreadFailsItAndEveryLaterGroup(durability: Durability) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = durability
    let watch = SyncWatch()
    let writers = Mutex<[String]>([])
    let (core, engine) = try Self.core(configuration, watch: watch) { _ in
      let thread = Thread.current.name ?? ""
      writers.withLock { $0.append(thread) }
    }
    let sabotage = try SQLiteDatabase(path: configuration.statePath, create: false)
    try sabotage.execute(
      "CREATE TRIGGER refuse BEFORE INSERT ON serve_events WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'refused'); END")

    #expect(try Self.seqs(try await core.submit(Self.events(0, 2))) == [0, 1])
    await #expect(throws: ServeError.self) { _ = try await core.submit(Self.events(2, 2)) }
    #expect(core.notReadyReason?.contains("write to the state file failed") == true)
    await #expect(throws: ServeError.self) { _ = try await core.submit(Self.events(4, 1)) }
    #expect(writers.withLock { $0 } == ["serve-commit", "serve-commit"])
    #expect(engine.committedEvents == 2)
    #expect(watch.covered == (durability == .fsync ? 2 : 0))
    await core.drainAndCheckpoint()
  }
}
