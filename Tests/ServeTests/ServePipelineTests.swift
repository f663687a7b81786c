import Foundation
import Logging
import SignalGraph
import Synchronization
import Testing

@testable import FraudService

/// The service's pipeline (``CommitQueue``, ``GroupWriter``): the commit
/// thread decides a group while the writer writes the one before. A test
/// holds the writer before a chosen group's transaction
/// (``DecisionEngine/groupWriting``), so that the next group is decided with
/// that one in flight, and checks what must hold across it.
@Suite("Serve: the commit thread decides while the writer writes") struct ServePipelineTests {
  /// Holds the writer before the group whose first seq is `seq`, once, until released.
  final class WriterGate: Sendable {
    let seq: Int
    private let reachedFlag = Atomic<Bool>(false)
    private let release = DispatchSemaphore(value: 0)

    init(holding seq: Int) { self.seq = seq }

    /// For ``DecisionEngine/groupWriting``: the group `seq` waits (at most
    /// ``patience``, so that a broken test ends rather than hangs).
    func groupWriting(_ first: Int) {
      guard first == seq, !reachedFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
      _ = release.wait(timeout: .now() + .seconds(ServePipelineTests.patience))
    }

    var reached: Bool { reachedFlag.load(ordering: .acquiring) }

    func open() { release.signal() }
  }

  /// How long a held writer or an awaited condition may take, in seconds:
  /// long, so that a slow machine is not mistaken for a broken pipeline,
  /// and finite, so that a broken test ends rather than hangs.
  static let patience = 600

  /// Whether `condition` holds within ``patience``, looked at every 5 ms,
  /// blocking the calling thread meanwhile.
  ///
  /// Blocking, not `Task.sleep`: a test that holds a stage of the pipeline
  /// must look again before its hold ends. A task that sleeps goes back to
  /// the end of the cooperative pool's queue (2 threads on a 2-core
  /// machine), behind every test of the other suites waiting for a
  /// thread: CI saw one run again only after 600 s, when the hold had let
  /// go. Blocking keeps the test's thread from the submission to the
  /// release of the hold; the pipeline runs on threads of its own.
  static func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .seconds(patience)
    while !condition() {
      guard ContinuousClock.now < deadline else { return false }
      pause(milliseconds: 5)
    }
    return true
  }

  /// Blocks the calling thread for `milliseconds` (see ``eventually(_:)``).
  static func pause(milliseconds: Int) {
    Thread.sleep(forTimeInterval: Double(milliseconds) / 1_000)
  }

  /// A core on `engine`, its writer held by `gate`. The engine's
  /// configuration has ``ServeConfiguration/smallGroupBytes`` 0 (see
  /// ``pipelined(_:)``).
  static func core(_ engine: DecisionEngine, gate: WriterGate) -> DecisionCore {
    core(engine) { gate.groupWriting($0) }
  }

  /// A core on `engine`, `groupWriting` its ``DecisionEngine/groupWriting``.
  static func core(_ engine: DecisionEngine, groupWriting: @escaping @Sendable (Int) -> Void) -> DecisionCore {
    engine.groupWriting = groupWriting
    var logger = Logger(label: "serve-pipeline-test")
    logger.logLevel = .critical
    return DecisionCore(engine: engine, logger: logger)
  }

  /// A core on a new engine for `configuration` (``pipelined(_:)``), its writer held by `gate`.
  static func core(_ configuration: ServeConfiguration, gate: WriterGate) throws -> DecisionCore {
    core(try ServeCheckpointTests.engine(pipelined(configuration)), gate: gate)
  }

  /// `configuration` with every group through the pipeline: the commit
  /// thread never writes a small group itself, so that a group held before
  /// its transaction holds the writer, not the commit thread.
  static func pipelined(_ configuration: ServeConfiguration) -> ServeConfiguration {
    var configuration = configuration
    configuration.smallGroupBytes = 0
    return configuration
  }

  static func batch(_ lines: [String]) -> EventBatch {
    EventBatch(lines: lines.map { Array($0.utf8) })
  }

  /// A flag or a count set on one thread and read on another.
  final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .releasing) }
    var count: Int { value.load(ordering: .acquiring) }
  }

  /// A request submitted now, whose answer (or error) is kept, and whether it came.
  ///
  /// The answer is kept by whichever thread gives it (the callback of
  /// ``DecisionCore/submit(_:reply:)``: a pipeline thread, or the caller's
  /// for a request refused at once): ``done`` says at once whether it
  /// came, with no task of the cooperative pool in between (see
  /// ``ServePipelineTests/eventually(_:)``).
  final class Submitted: Sendable {
    /// No answer came within ``ServePipelineTests/patience``: not an
    /// answer a test could expect, unlike the service's own errors.
    struct NoAnswer: Error, CustomStringConvertible {
      var description: String { "no answer within \(ServePipelineTests.patience) s" }
    }

    private let answer = Mutex<Result<[UInt8], any Error>?>(nil)
    private let answered = DispatchSemaphore(value: 0)

    init(_ core: DecisionCore, _ batch: EventBatch) {
      core.submit(batch) { [self] result in
        answer.withLock { $0 = result }
        answered.signal()
      }
    }

    var done: Bool { answer.withLock { $0 != nil } }

    /// The answer or the error, once it came (blocking for at most ``ServePipelineTests/patience``).
    func result() -> Result<[UInt8], any Error> {
      guard answered.wait(timeout: .now() + .seconds(ServePipelineTests.patience)) == .success else {
        return .failure(NoAnswer())
      }
      answered.signal()  // for a later call
      return answer.withLock { $0! }  // stored before the signal
    }

    /// The response body.
    func value() throws -> [UInt8] { try result().get() }

    /// The response body as text.
    func text() throws -> String { String(decoding: try value(), as: UTF8.self) }
  }

  /// A decision entry as sorted JSON, to compare two.
  static func canonical(_ decision: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: decision, options: [.sortedKeys]), as: UTF8.self)
  }

  static func decisions(_ body: String) throws -> [[String: Any]] {
    try ServeHarness.json(body)["decisions"] as? [[String: Any]] ?? []
  }

  /// A retry of an event whose group is decided but not yet written is
  /// answered from that group (same seq, same answer, nothing decided
  /// again), and only once that group is durable.
  @Test(arguments: [Durability.process, .fsync])
  func aRetryOfAnEventInFlightGetsItsFirstAnswerOnceThatGroupIsWritten(durability: Durability) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = durability
    let gate = WriterGate(holding: 0)
    let core = try Self.core(configuration, gate: gate)
    let a0 = ServeHarness.like(0, id: "a0", src: "fan0", dst: "page")
    let first = Submitted(core, Self.batch([a0, ServeHarness.like(1, id: "a1", src: "fan1", dst: "page")]))
    #expect(Self.eventually { gate.reached }, "the writer did not reach the first group")
    // Decided while the first group is held before its transaction.
    let retry = Submitted(core, Self.batch([a0, ServeHarness.like(2, id: "a2", src: "fan2", dst: "page")]))
    #expect(Self.eventually { core.groupsInFlight == 2 }, "the retry's group was not decided")
    Self.pause(milliseconds: 100)
    #expect(!first.done && !retry.done, "answered before the first group was written")
    gate.open()

    let firstDecisions = try Self.decisions(try first.text())
    let retryDecisions = try Self.decisions(try retry.text())
    #expect(firstDecisions.map { $0["seq"] as? Int } == [0, 1])
    #expect(retryDecisions.map { $0["seq"] as? Int } == [0, 2])
    #expect(try Self.canonical(retryDecisions[0]) == Self.canonical(firstDecisions[0]))
    #expect(try await core.answers(after: -1, limit: 100).map(\.seq) == [0, 1, 2])
    await core.drainAndCheckpoint()

    // After a restart the retry is answered from the file, the same way.
    let restarted = try ServeCheckpointTests.engine(configuration)
    defer { restarted.closeStateFile() }
    #expect(restarted.committedEvents == 3)
    let again = try restarted.process([Self.batch([a0])]).map { String(decoding: $0, as: UTF8.self) }
    #expect(try Self.decisions(again[0]).map { $0["seq"] as? Int } == [0])
    #expect(restarted.committedEvents == 3)
  }

  /// Records the first seq of every group the writer writes, and holds
  /// the writer before each of the groups `held` (their first seqs) until
  /// that one is released.
  final class GroupLog: Sendable {
    private let firsts = Mutex<[Int]>([])
    private let gates: [Int: DispatchSemaphore]

    init(holding held: [Int]) {
      gates = Dictionary(uniqueKeysWithValues: held.map { ($0, DispatchSemaphore(value: 0)) })
    }

    /// For ``DecisionEngine/groupWriting``.
    func groupWriting(_ first: Int) {
      firsts.withLock { $0.append(first) }
      _ = gates[first]?.wait(timeout: .now() + .seconds(ServePipelineTests.patience))
    }

    /// The first seqs of the groups written so far (the one held included).
    var groups: [Int] { firsts.withLock { $0 } }

    func release(_ first: Int) { gates[first]?.signal() }
  }

  /// While the writer writes a group, the commit thread decides up to two
  /// groups ahead of it (``GroupWriter/queueDepth``), each of a third of
  /// the events queued and being written, in order, leaving the rest for
  /// the next group (``CommitQueue``, "Balanced groups"). With the writer
  /// held at group 1, groups 2 and 3 (one event each) are both decided;
  /// four batches of 2 000 events then wait. Once the writer takes groups 2
  /// and 3 (and is held at 2), the commit thread decides one batch (a third
  /// of 8 001 is 2 667), then the next (a third of 6 000 and 2 000), not two
  /// at a time as halves would (4 000).
  @Test(arguments: [Durability.process, .fsync])
  func whileTheWriterWritesTheCommitThreadDecidesTwoGroupsOfAThirdOfWhatIsInFlight(
    durability: Durability
  ) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = durability
    let log = GroupLog(holding: [1, 2])
    let core = Self.core(try ServeCheckpointTests.engine(Self.pipelined(configuration))) { log.groupWriting($0) }
    func batch(_ range: Range<Int>) -> EventBatch {
      Self.batch(range.map { ServeHarness.like($0, id: "b\($0)", src: "u\($0 % 500)", dst: "t\($0 % 40)") })
    }
    _ = try await core.submit(batch(0..<1))  // group 0, written
    let held = Submitted(core, batch(1..<2))  // group 1, held
    #expect(Self.eventually { log.groups == [0, 1] }, "the writer did not reach the second group")
    let second = Submitted(core, batch(2..<3))  // group 2: waits for the writer
    #expect(Self.eventually { core.groupsInFlight == 2 }, "the third group was not decided")
    let third = Submitted(core, batch(3..<4))  // group 3: waits too; the commit thread waits for room
    #expect(Self.eventually { core.groupsInFlight == 3 }, "the fourth group was not decided ahead of the writer")
    let batches = stride(from: 4, to: 8_004, by: 2_000).map { Submitted(core, batch($0..<$0 + 2_000)) }
    log.release(1)
    // The writer now holds groups 2 and 3: the commit thread decides two groups of one batch each.
    #expect(
      Self.eventually { log.groups == [0, 1, 2] && core.groupsInFlight == 4 }, "two groups not decided behind 2 and 3")
    log.release(2)
    for submitted in [held, second, third] + batches { _ = try submitted.value() }
    let groups = log.groups
    #expect(groups.count >= 6 && Array(groups.prefix(6)) == [0, 1, 2, 3, 4, 2_004], "groups began at \(groups)")
    #expect(try await core.answers(after: -1, limit: 10_000).count == 8_004)
    await core.drainAndCheckpoint()
  }

  /// The events of `file`'s `serve_events` as "seq status revoked?".
  static func storedStatuses(_ path: String) throws -> [String] {
    let database = try SQLiteDatabase(path: path, create: false)
    let rows = try database.prepare("SELECT seq, status, revocation IS NOT NULL FROM serve_events ORDER BY seq")
    var out: [String] = []
    while try rows.step() { out.append("\(rows.int64(0)) \(rows.int64(1)) \(rows.int64(2))") }
    return out
  }

  /// A payment that closes a fast conserved cycle revokes the cycle's
  /// earlier hops; with those in a group still in flight, the revocations
  /// are written after their rows, as when all are in one group.
  @Test func aRevocationOfAnEventInFlightIsWrittenAfterIt() async throws {
    let hops = [
      #"{"type":"payment","id":"p1","src":"a","dst":"b","amount":"1000","ts":1767225600}"#,
      #"{"type":"payment","id":"p2","src":"b","dst":"c","amount":"950","ts":1767227400}"#,
    ]
    let close = #"{"type":"payment","id":"p3","src":"c","dst":"a","amount":"900","ts":1767229200}"#

    // The reference: all three in one group, the revocations patched into the group's own rows.
    let reference = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: reference) }
    let referenceConfiguration = ServeHarness.configuration(state: reference)
    let one = try ServeCheckpointTests.engine(referenceConfiguration)
    let together = try one.process([Self.batch(hops), Self.batch([close])]).map { String(decoding: $0, as: UTF8.self) }
    one.closeStateFile()
    let expected = try Self.storedStatuses(referenceConfiguration.statePath)
    #expect(
      expected == [
        "0 \(EventStatus.revoked.rawValue) 1", "1 \(EventStatus.revoked.rawValue) 1",
        "2 \(EventStatus.held.rawValue) 0",
      ])

    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let configuration = ServeHarness.configuration(state: dir)
    let gate = WriterGate(holding: 0)
    let core = try Self.core(configuration, gate: gate)
    let first = Submitted(core, Self.batch(hops))
    #expect(Self.eventually { gate.reached }, "the writer did not reach the first group")
    let closing = Submitted(core, Self.batch([close]))
    #expect(Self.eventually { core.groupsInFlight == 2 }, "the closing payment was not decided")
    gate.open()
    #expect(try first.text() == together[0])
    let answer = try closing.text()
    #expect(answer == together[1])
    let revoked = try ServeHarness.json(answer)["revocations"] as? [[String: Any]]
    #expect(revoked?.map { $0["seq"] as? Int } == [0, 1])
    let score = try await core.score(account: "a")
    #expect(score.revokedSignals == 1 && score.heldSignals == 1)
    await core.drainAndCheckpoint()
    #expect(try Self.storedStatuses(configuration.statePath) == expected)
  }

  /// A write that fails (a trigger refuses the group's first row) fails
  /// that group and the group decided after it, which is never written,
  /// though its retry of the failed group's event was decided; no more
  /// events are taken; a restart recovers from what the file holds.
  @Test(arguments: [Durability.process, .fsync])
  func aFailedWriteFailsTheGroupsDecidedAfterIt(durability: Durability) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = durability
    let events = (0..<8).map { ServeHarness.like($0, id: "f\($0)", src: "fan\($0 % 3)", dst: "page") }
    let gate = WriterGate(holding: 2)
    let core = try Self.core(configuration, gate: gate)
    let sabotage = try SQLiteDatabase(path: configuration.statePath, create: false)
    try sabotage.execute(
      "CREATE TRIGGER refuse BEFORE INSERT ON serve_events WHEN NEW.seq = 2 BEGIN SELECT RAISE(ABORT, 'refused'); END")

    #expect(try await core.submit(Self.batch(Array(events[0..<2]))).count > 0)
    let failing = Submitted(core, Self.batch(Array(events[2..<4])))
    #expect(Self.eventually { gate.reached }, "the writer did not reach the failing group")
    // Decided with the failing group in flight: a retry of its event, and a new one.
    let later = Submitted(core, Self.batch([events[2], events[4]]))
    #expect(Self.eventually { core.groupsInFlight == 2 }, "the later group was not decided")
    #expect(core.notReadyReason == nil)
    gate.open()

    for submitted in [failing, later] {
      let result = submitted.result()
      guard case let .failure(error) = result, case .unavailable? = error as? ServeError else {
        Issue.record("expected 503 (unavailable), got \(result)")
        continue
      }
    }
    #expect(core.notReadyReason?.contains("write to the state file failed") == true)
    await #expect(throws: ServeError.self) { _ = try await core.submit(Self.batch([events[5]])) }
    // Reads still see what was written: the first group only.
    #expect(try await core.answers(after: -1, limit: 100).map(\.seq) == [0, 1])
    await core.drainAndCheckpoint()

    try sabotage.execute("DROP TRIGGER refuse")
    let restarted = try ServeCheckpointTests.engine(configuration)
    defer { restarted.closeStateFile() }
    #expect(restarted.committedEvents == 2)
    let retried = try restarted.process([Self.batch([events[2], events[4]])]).map {
      String(decoding: $0, as: UTF8.self)
    }
    #expect(try Self.decisions(retried[0]).map { $0["seq"] as? Int } == [2, 3])
  }

  /// The checkpoint due in a group still in flight starts only once that
  /// group is committed, and covers exactly the events the log then held
  /// (not those of the group decided meanwhile): a restart from the file
  /// takes it.
  @Test func aCheckpointDueInAGroupInFlightCoversExactlyThatGroup() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.checkpointEvery = 4
    let gate = WriterGate(holding: 0)
    let engine = try ServeCheckpointTests.engine(Self.pipelined(configuration))
    let parts = Counter()
    engine.checkpointPartWritten = { _ in parts.add() }
    let core = Self.core(engine, gate: gate)
    let lines = (0..<9).map { ServeHarness.like($0, id: "k\($0)", src: "fan\($0 % 4)", dst: "page\($0 % 2)") }

    let due = Submitted(core, Self.batch(Array(lines[0..<5])))  // passes 4 events: a checkpoint of 5 is due
    #expect(Self.eventually { gate.reached }, "the writer did not reach the group")
    let next = Submitted(core, Self.batch(Array(lines[5..<7])))
    #expect(Self.eventually { core.groupsInFlight == 2 }, "the next group was not decided")
    Self.pause(milliseconds: 200)
    #expect(parts.count == 0, "the checkpoint started before its group was committed")
    gate.open()
    _ = try due.text()
    _ = try next.text()

    // The checkpoint ends on its own thread: wait until the file records it.
    let meta = try SQLiteDatabase(path: configuration.statePath, create: false)
    func checkpointMeta(_ key: String) throws -> Int? {
      let read = try meta.prepare("SELECT value FROM filter_meta WHERE key = ?1")
      read.bind(1, key)
      return try read.step() ? Int(String(decoding: read.bytes(0), as: UTF8.self)) : nil
    }
    func oldRowsLeft() throws -> Bool {
      try meta.prepare("SELECT 1 FROM sqlite_master WHERE name = 'filter_checkpoint_old'").exists()
    }
    // Recorded, and its thread's last step (dropping the previous checkpoint's table) done.
    #expect(
      Self.eventually { (try? checkpointMeta("checkpoint_events")) != nil && (try? oldRowsLeft()) == false })
    #expect(try checkpointMeta("checkpoint_events") == 5)
    #expect(try checkpointMeta("checkpoint_lines") == 5)
    #expect(parts.count > 0)
    let crashed = try ServeCheckpointTests.crashImage(of: configuration)
    defer {
      try? FileManager.default.removeItem(at: URL(fileURLWithPath: crashed.statePath).deletingLastPathComponent())
    }
    let feed = try await core.answers(after: -1, limit: 100).map {
      "\($0.seq) \(String(decoding: $0.answer, as: UTF8.self))"
    }
    await core.drainAndCheckpoint()

    let restarted = try ServeCheckpointTests.engine(crashed)
    defer { restarted.closeStateFile() }
    #expect(restarted.checkpointedEvents == 5)
    #expect(restarted.committedEvents == 7)
    #expect(try ServeCheckpointTests.feed(restarted) == feed)
  }
}
