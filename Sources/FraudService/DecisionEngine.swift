import InlinePrefilter
import Logging
import SignalGraph
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The durable core of the service: the pre-filter, its ``DecisionLog``
/// and the service's tables (``ServeStore``) in one state file.
/// ``DecisionCore`` owns it and feeds it groups of requests through
/// ``CommitQueue``, whose threads it runs on.
///
/// **A group, in two steps.** ``decide(_:)`` decides the lines of a group
/// of requests in order, all in memory (parsing, the pre-filter, the client
/// id index, the account heads), and returns a ``DecidedGroup``: the rows,
/// each event's decision lines, the revocations of earlier groups' events,
/// the meta values and the answers. ``write(_:)`` then writes it in one
/// transaction of the log's connection: the service's rows (events, ids,
/// account chains, revocations) and the ``DecisionLog`` append (each event's
/// decision lines as one row, stored there only; count, input digest). The
/// WAL is then fsynced (``Durability/fsync``, by ``CommitQueue``'s sync
/// stage), and only then are the requests answered. ``process(_:)`` does
/// both steps at once.
///
/// **Two threads.** In the service, the commit thread decides group N+1
/// while the writer thread (``GroupWriter``) writes group N, in the order
/// decided. ``write(_:)`` is the one method called on the writer thread; it
/// touches only the log's connection (``ServeStore``, ``DecisionLog``), the
/// committed count (``committedEvents``, atomic), the metrics and what the
/// group carries. The commit thread calls it too, for a small group, but
/// only while the writer holds no group (``GroupWriter/writeIfIdle(_:)``),
/// so one thread at a time writes. Everything else runs on the commit thread, which uses the
/// log's connection (reads, ``checkpointNow()``, ``closeStateFile()``) only
/// while no group is in flight (``CommitQueue`` waits for the writer). A
/// SQLite connection serves one thread at a time: the commit thread's own
/// reads while groups are in flight go through a connection of their own
/// (``StoredEventReader``).
///
/// **Groups in flight.** A group decided but not yet committed is kept
/// (``DecidedGroup``, immutable) until its commit: a retry of one of its
/// events is answered from it, not from SQLite, which does not hold it yet;
/// a revocation of one of its events is written by the later group, after
/// it (an `UPDATE` of its admitted row). Its answers go out only after its
/// own commit and fsync, and every later group's after theirs, so a retry
/// answered from an unwritten group is never acknowledged before that group
/// is durable.
///
/// **Checkpoints beside the commits.** When a checkpoint is due (every
/// ``ServeConfiguration/checkpointEvery`` events), the group that reaches
/// it takes a copy of the pre-filter at the end of its decisions; once the
/// writer has committed that group, a ``BackgroundCheckpoint`` writes the
/// copy, with the log's line count of that commit, on a thread and a
/// connection of its own (``CheckpointWriter``), while the next groups are
/// decided and written: the checkpoint covers exactly the events the log
/// held at that commit. It becomes the latest checkpoint in one small
/// transaction at its end, so a crash before that restarts from the previous one.
///
/// **In memory.** Which seq took a client id (``ClientIDIndex``) and each
/// account's latest event (``AccountHeads``) are kept in memory, rebuilt
/// from the stored rows at start-up, so that a commit appends rows and
/// touches no index; a retry's earlier event is found by seq (in the group
/// being decided, a group in flight, or the file) and its id compared.
///
/// **Restart.** The latest checkpoint is restored when its counts agree with
/// the log, and the stored events after it are replayed through the
/// pre-filter (decisions are deterministic), each checked against its
/// answer in the log, before the first request is taken. The service's rows
/// and the log's commit together, so they hold the same events; a file where
/// they do not is refused.
///
/// **Failure.** If a write throws, the pre-filter is ahead of the file (by
/// that group and any decided after it): the caller must stop using the
/// engine, and write no later group (``DecisionCore`` then answers 503 and
/// `/readyz` fails) until a restart recovers from what is on disk.
final class DecisionEngine {
  let configuration: ServeConfiguration
  let metrics: ServiceMetrics
  private let logger: Logger
  private var filter: Prefilter
  // Implicitly unwrapped only so that ``closeStateFile()`` can release them; never nil before it.
  private var log: DecisionLog!
  private var store: ServeStore!
  private var reader: StoredEventReader!
  private var ids = ClientIDIndex()
  private var heads = AccountHeads()
  private var digest = Digest64()
  /// Groups decided whose commit was not yet seen, oldest first (commit thread only).
  private var inFlight: [DecidedGroup] = []
  /// Events covered by the latest complete checkpoint (seq 0 ..< checkpointedEvents).
  private(set) var checkpointedEvents = 0
  /// The events at which the next background checkpoint starts.
  private var checkpointDueAt = 0
  /// The checkpoint being written (or waiting for its group's commit), if any.
  private var background: BackgroundCheckpoint?
  /// The wall time of a background checkpoint that ended, for the next group to store.
  private var checkpointTimeToStore: Int64?
  /// Called on the checkpoint's thread after each row of a background
  /// checkpoint is written (tests hold the checkpoint there).
  var checkpointPartWritten: (@Sendable (Int) -> Void)?
  /// Called before each group is written, on the thread that writes it (the
  /// writer's, or the commit thread's for a small group), with its first
  /// seq (tests hold the writer there, with the group in flight).
  var groupWriting: (@Sendable (Int) -> Void)?
  /// Called before each fsync of the WAL by the service's pipeline, on the
  /// thread that runs it, with ``committedEvents`` then; a throw stands for
  /// a failed fsync (tests watch, hold or fail the fsync there).
  var walSyncing: (@Sendable (Int) throws(ServeError) -> Void)?
  private var lastCheckpointTime: Int64
  private var latestTime: Int64
  /// See ``committedEvents``: stored by the thread that writes a group, read by any.
  private let committed = Atomic<Int>(0)

  /// Events whose group's transaction has committed: seq 0 ..< committedEvents
  /// (durable once the sync stage has fsynced after it). Safe from any thread.
  var committedEvents: Int { committed.load(ordering: .acquiring) }

  /// Events decided: seq 0 ..< decidedEvents, ahead of ``committedEvents``
  /// by the groups in flight (commit thread only).
  var decidedEvents: Int { filter.nextSeq }

  /// Opens the state file (taking its lock), restores the latest checkpoint and replays the events after it.
  init(configuration: ServeConfiguration, metrics: ServiceMetrics, logger: Logger) throws(ServeError) {
    self.configuration = configuration
    self.metrics = metrics
    self.logger = logger
    do throws(PrefilterConfigurationError) {
      try configuration.prefilter.validate()
    } catch {
      throw .prefilterSettings(error)
    }
    let path = configuration.statePath
    let settings = "serve window-days=\(configuration.prefilter.windowDays) format=\(ServeStore.format)"
    do {
      log = try DecisionLog(path: path, settings: settings)
    } catch let error as SignalStoreError {
      throw .state(path: path, problem: error.description)
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
    store = try ServeStore(connection: log.connection, path: path)
    reader = try StoredEventReader(path: path)
    filter = Prefilter(configuration: configuration.prefilter)
    latestTime = try store.meta("latest_time") ?? Int64.min
    lastCheckpointTime = try store.meta("checkpoint_time") ?? Self.wallClock()
    try recover(path: path)
    checkpointDueAt = checkpointedEvents + configuration.checkpointEvery
    try rebuildIndexes()
  }

  /// Fills the in-memory id index and account heads from the stored rows.
  private func rebuildIndexes() throws(ServeError) {
    let start = ContinuousClock.now
    try store.forEachKey { seq, id, a, b in
      if let id { ids.insert(hash: ClientIDIndex.hash(id), seq: seq) }
      if let a { _ = heads.replace(bytes: a, with: seq) }
      if let b { _ = heads.replace(bytes: b, with: seq) }
    }
    logger.info(
      "in-memory indexes rebuilt",
      metadata: [
        "ids": "\(ids.count)", "idIndexBytes": "\(ids.memoryBytes)", "accounts": "\(heads.count)",
        "seconds": "\(ContinuousClock.now - start)",
      ])
  }

  static func wallClock() -> Int64 { Int64(time(nil)) }

  private func recover(path: String) throws(ServeError) {
    let decided: Int
    let decidedDigest: UInt64?
    do {
      decided = try log.decidedEvents()
      decidedDigest = try log.decidedDigest()
      switch try log.restoredPrefilter(configuration: configuration.prefilter) {
      case nil: break
      case let .success(restored):
        filter = restored.filter
        digest = Digest64(value: restored.checkpoint.inputDigest)
        checkpointedEvents = restored.checkpoint.events
      case let .failure(problem):
        logger.warning(
          "the stored checkpoint cannot be used; replaying every stored event",
          metadata: ["state": "\(path)", "problem": "\(problem)"])
      }
    } catch let error as ServeError {
      throw error
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
    let stored = try store.eventCount()
    guard stored == decided else {
      throw .stateInconsistent(path: path, reason: "the log decided \(decided) events, \(stored) are stored")
    }
    let replayFrom = filter.nextSeq
    if decided > 0, decided == replayFrom, let decidedDigest, digest.value != decidedDigest {
      throw .stateInconsistent(path: path, reason: "the checkpoint's input digest differs from the log's")
    }
    try store.forEachEvent(from: replayFrom) { (seq, line, answer) throws(ServeError) in
      guard seq == filter.nextSeq else {
        throw .stateInconsistent(path: path, reason: "stored event \(seq) out of order")
      }
      guard Self.answer(line.withUnsafeBufferPointer { decideLine($0) }.decision) == answer else {
        throw .stateDiverged(path: path, seq: seq)
      }
      if seq == decided - 1, let decidedDigest, digest.value != decidedDigest {
        throw .stateInconsistent(
          path: path, reason: "the digest of the first \(decided) stored events differs from the log's")
      }
    }
    guard filter.nextSeq == stored else {
      throw .stateInconsistent(path: path, reason: "replayed \(filter.nextSeq) events of \(stored)")
    }
    committed.store(stored, ordering: .releasing)
    logger.info(
      "state opened",
      metadata: [
        "state": "\(path)", "events": "\(stored)", "restoredFromCheckpoint": "\(replayFrom)",
        "replayed": "\(stored - replayFrom)",
      ])
  }

  /// One line decided: the decision, the event's kind for metrics, the accounts it names (each once), its time.
  private struct Decided {
    var decision: Decision
    var kind: EventTally.Kind
    var accounts: (String?, String?) = (nil, nil)
    var time: Int64?
  }

  /// Decides one line.
  private func decideLine(_ line: UnsafeBufferPointer<UInt8>) -> Decided {
    let seq = filter.nextSeq
    digest.update(UnsafeRawBufferPointer(line))
    do {
      let event = try EventParser.parse(line: line, seq: seq)
      let decision = filter.decide(event)
      switch event {
      case let .payment(_, s, t, _, time):
        return Decided(decision: decision, kind: .payment, accounts: (s, s == t ? nil : t), time: time)
      case let .interaction(s, t, _, time, _):
        return Decided(decision: decision, kind: .interaction, accounts: (s, s == t ? nil : t), time: time)
      case let .profileEdit(a, _, _, time):
        return Decided(decision: decision, kind: .profileEdit, accounts: (a, nil), time: time)
      }
    } catch {
      return Decided(decision: filter.reject(error), kind: .malformed)
    }
  }

  /// Runs `body` in one write transaction of the log's connection (the service's rows and the log's lines).
  private func transaction<T>(_ body: () throws(ServeError) -> T) throws(ServeError) -> T {
    do {
      return try log.transaction { () throws -> T in try body() }
    } catch let error as ServeError {
      throw error
    } catch {
      throw .state(path: configuration.statePath, problem: "\(error)")
    }
  }

  /// Appends the decision lines of `group`'s rows (each event's,
  /// `\n`-separated, as one row) to the log with its decided count and
  /// input digest, in the open transaction; the WAL is not synced. Returns
  /// the count of rows the log then holds when `countLines`.
  private func appendToLog(_ group: DecidedGroup, countLines: Bool) throws(ServeError) -> Int {
    do {
      try log.append(
        eventAnswers: { row in
          // Through the buffer's addresses: `rows[i]` would copy each row (retains and releases).
          try group.answers.withUnsafeBytes { answers in
            try group.rows.withUnsafeBufferPointer { rows in
              for i in rows.indices { try row(rows[i].seq, UnsafeRawBufferPointer(rebasing: answers[rows[i].answer])) }
            }
          }
        }, decidedEvents: group.endSeq, inputDigest: group.inputDigest)
      return countLines ? try log.storedLines() : 0
    } catch {
      throw .state(path: configuration.statePath, problem: "\(error)")
    }
  }

  /// A copy of the pre-filter as it is now (the end of a group's
  /// decisions), to be written as the next checkpoint once that group is
  /// committed (``BackgroundCheckpoint/start(lines:)``); nil when its
  /// connection cannot be opened (logged, and tried again later).
  private func makeBackgroundCheckpoint() -> BackgroundCheckpoint? {
    do {
      let writer = try CheckpointWriter(log: log)
      return BackgroundCheckpoint(
        of: filter, inputDigest: digest.value, writer: writer, path: configuration.statePath,
        partWritten: checkpointPartWritten)
    } catch {
      checkpointFailed(ServeError.state(path: configuration.statePath, problem: "\(error)"))
      return nil
    }
  }

  /// Takes in the background checkpoint's end, when it has ended (or, with
  /// `waiting`, once it ends): the latest checkpoint is then the new one, or
  /// the previous one stays if it failed.
  func collectBackgroundCheckpoint(waiting: Bool = false) {
    guard let running = background, let result = waiting ? running.wait() : running.result else { return }
    background = nil
    switch result {
    case .success:
      checkpointedEvents = running.events
      checkpointDueAt = running.events + configuration.checkpointEvery
      lastCheckpointTime = Self.wallClock()
      checkpointTimeToStore = lastCheckpointTime
    case let .failure(error):
      checkpointFailed(error)
    }
  }

  /// Logs a failed background checkpoint: the previous one stays the
  /// latest, and the next is tried after another ``ServeConfiguration/checkpointEvery`` events.
  private func checkpointFailed(_ error: ServeError) {
    checkpointDueAt = filter.nextSeq + configuration.checkpointEvery
    logger.error(
      "checkpoint failed; a restart replays from the previous one", metadata: ["error": "\(error)"])
  }

  /// The decision lines of `decision`, `\n`-separated: its own, then each revocation's.
  private static func answer(_ decision: Decision) -> [UInt8] {
    var answer: [UInt8] = []
    appendAnswer(decision, to: &answer)
    return answer
  }

  /// Appends the decision lines of `decision` to `answer`, `\n`-separated:
  /// its own, then each revocation's, which `revocation` is given with its
  /// line as it is appended.
  private static func appendAnswer(
    _ decision: Decision, to answer: inout [UInt8], revocation: (Decision, ArraySlice<UInt8>) -> Void = { _, _ in }
  ) {
    decision.appendJSONLine(to: &answer)
    for r in decision.revocations {
      answer.append(0x0A)
      let start = answer.count
      r.appendJSONLine(to: &answer)
      revocation(r, answer[start...])
    }
  }

  /// Flushes the WAL to the disk: the last commit is in it.
  private func syncWAL() throws(ServeError) {
    try Self.syncWAL(statePath: configuration.statePath)
  }

  /// Flushes the WAL of the state file at `statePath` to the disk: every
  /// commit made before the call is in it. Safe from any thread (it touches
  /// only the file), so the sync stage runs it while the next groups are
  /// decided and written.
  static func syncWAL(statePath: String) throws(ServeError) {
    let path = statePath + "-wal"
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }  // no WAL yet: nothing written since the last checkpoint of the database
    defer { close(fd) }
    guard fsync(fd) == 0 else {
      throw .state(path: path, problem: "fsync failed: \(String(cString: strerror(errno)))")
    }
  }

  private static func conflictLine(_ seq: Int) -> [UInt8] {
    Array(
      #"{"decision":"error","reasons":["this id names another event (seq \#(seq)), which was decided; this one is not"]}"#
        .utf8)
  }

  /// The earlier event that took the id `id` of `line`, if any; with its
  /// answer when its line is `line` (a retry). It is looked for in this
  /// group (from `rows`, whose bytes are in `group` and answers in
  /// `answers`), then in the groups in flight, then in the file: an event
  /// before the oldest group in flight is committed, so the reader's next
  /// transaction sees it.
  private func earlier(
    id: UnsafeBufferPointer<UInt8>, of line: UnsafeBufferPointer<UInt8>, hash: UInt64, firstSeq: Int,
    rows: [ServeStore.Row], answers: [UInt8], group: [EventBatch]
  ) throws(ServeError) -> (seq: Int, answer: [UInt8]?)? {
    for seq in ids.seqs(hash: hash) {
      let found: (clientID: ArraySlice<UInt8>?, line: ArraySlice<UInt8>, answer: ArraySlice<UInt8>)
      if seq >= firstSeq {
        found = DecidedGroup.event(seq: seq, firstSeq: firstSeq, rows: rows, answers: answers, requests: group)
      } else if let unwritten = inFlight.last(where: { $0.holds(seq: seq) }) {
        found = unwritten.event(seq: seq)
      } else if let stored = try reader.event(seq: seq) {
        found = (stored.clientID?[...], stored.line[...], stored.answer[...])
      } else {
        continue
      }
      guard let other = found.clientID, other.elementsEqual(id) else { continue }
      return (seq, found.line.elementsEqual(line) ? Array(found.answer) : nil)
    }
    return nil
  }

  /// Decides a group of requests and writes it at once (``decide(_:)``
  /// then ``write(_:)``, on the calling thread), without the fsync: the
  /// caller syncs the WAL (``syncWAL(statePath:)``) before it answers, when
  /// ``ServeConfiguration/durability`` asks for it. Returns each request's
  /// response body (``EventsResponse``).
  func process(_ group: [EventBatch]) throws(ServeError) -> [[UInt8]] {
    let decided = try decide(group)
    try write(decided)
    return decided.responses
  }

  /// Decides a group of requests, in memory (see the type's discussion):
  /// the group to hand to ``write(_:)``, which must write the groups in the
  /// order they were decided. The pre-filter, the id index and the account
  /// heads are then ahead of the file until that write commits.
  ///
  /// - Throws: ``ServeError/state(path:problem:)`` when a retry's earlier
  ///   event cannot be read; the pre-filter may then be ahead of every
  ///   group, as after a failed write.
  func decide(_ group: [EventBatch]) throws(ServeError) -> DecidedGroup {
    collectBackgroundCheckpoint()
    let written = committedEvents
    inFlight.removeAll { $0.endSeq <= written }
    let firstSeq = filter.nextSeq
    let events = group.reduce(0) { $0 + $1.count }
    var rows: [ServeStore.Row] = []
    rows.reserveCapacity(events)
    // Every decided event's decision lines, one after the other: rows name their ranges.
    var answers: [UInt8] = []
    answers.reserveCapacity(events * 64)
    var revocations: [(seq: Int, line: [UInt8])] = []
    var results: [[UInt8]] = []
    results.reserveCapacity(group.count)
    var tally = EventTally()
    var revoked = 0
    for request in group.indices {
      var response = EventsResponse(events: group[request].count)
      try group[request].bytes.withUnsafeBufferPointer { (bytes) throws(ServeError) in
        for range in group[request].lines {
          let line = UnsafeBufferPointer(rebasing: bytes[range])
          let relative = ClientID.range(in: line)
          let idBytes = relative.map { UnsafeBufferPointer(rebasing: line[$0]) }
          let hash = idBytes.map { ClientIDIndex.hash($0) }
          if let idBytes, let hash,
            let earlier = try earlier(
              id: idBytes, of: line, hash: hash, firstSeq: firstSeq, rows: rows, answers: answers, group: group)
          {
            let answer = earlier.answer ?? Self.conflictLine(earlier.seq)
            answer.withUnsafeBufferPointer { response.add(lines: $0, id: idBytes) }
            tally.add(kind: .any, outcome: earlier.answer != nil ? .duplicate : .conflict)
            continue
          }
          let seq = filter.nextSeq
          let decided = decideLine(line)
          let decision = decided.decision
          if let time = decided.time { latestTime = max(latestTime, time) }
          let start = answers.count
          Self.appendAnswer(decision, to: &answers) { r, line in
            let bytes = Array(line)
            if r.seq >= firstSeq {
              if rows[r.seq - firstSeq].status == .admitted {
                rows[r.seq - firstSeq].status = .revoked
                rows[r.seq - firstSeq].revocation = bytes
              }
            } else {
              // An earlier group's event (committed, or in flight): the UPDATE is written after its row.
              revocations.append((r.seq, bytes))
            }
            revoked += 1
          }
          let answer = start..<answers.count
          let status: EventStatus
          switch decision.verdict {
          case .admit: status = .admitted
          case .hold: status = .held
          case .revoke, .error: status = .malformed
          }
          let id = relative.map { ($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound) }
          var row = ServeStore.Row(
            seq: seq, request: request, line: range, clientID: id, answer: answer, status: status)
          if let a = decided.accounts.0 { row.accountA = (a, heads.replace(a, with: seq)) }
          if let b = decided.accounts.1 { row.accountB = (b, heads.replace(b, with: seq)) }
          rows.append(row)
          if let hash { ids.insert(hash: hash, seq: seq) }
          answers.withUnsafeBufferPointer {
            response.add(lines: UnsafeBufferPointer(rebasing: $0[answer]), id: idBytes)
          }
          switch decision.verdict {
          case .admit: tally.add(kind: decided.kind, outcome: .admit)
          case .hold: tally.add(kind: decided.kind, outcome: .hold)
          case .error: tally.add(kind: decided.kind, outcome: .error)
          case .revoke: break
          }
        }
      }
      results.append(response.body())
    }
    var meta: [(String, Int64)] = []
    var checkpoint: BackgroundCheckpoint?
    if !rows.isEmpty {
      meta.append(("latest_time", latestTime))
      if let time = checkpointTimeToStore { meta.append(("checkpoint_time", time)) }
      checkpointTimeToStore = nil
      if background == nil && filter.nextSeq >= checkpointDueAt {
        checkpoint = makeBackgroundCheckpoint()
        background = checkpoint
      }
    }
    let decided = DecidedGroup(
      requests: group, firstSeq: firstSeq, rows: rows, answers: answers, revocations: revocations, meta: meta,
      inputDigest: digest.value, responses: results, tally: tally, revoked: revoked, checkpoint: checkpoint)
    if !rows.isEmpty { inFlight.append(decided) }
    return decided
  }

  /// Writes a group ``decide(_:)`` returned, in one transaction of the
  /// log's connection (the next group decided after the last one written),
  /// then starts the checkpoint it carries; a group of retries only writes
  /// nothing. The WAL is not synced. Called on the writer thread in the
  /// service; see the type's discussion for what it may touch.
  ///
  /// - Throws: ``ServeError/state(path:problem:)`` when the transaction
  ///   fails (rolled back; the checkpoint the group carries is abandoned):
  ///   no later group may be written.
  func write(_ group: DecidedGroup) throws(ServeError) {
    groupWriting?(group.firstSeq)
    if !group.rows.isEmpty {
      precondition(group.firstSeq == committedEvents, "groups are written in the order they were decided")
      let lines: Int
      do {
        lines = try transaction { () throws(ServeError) -> Int in
          try store.write(group.rows, of: group.requests, revocations: group.revocations, meta: group.meta)
          return try appendToLog(group, countLines: group.checkpoint != nil)
        }
      } catch {
        group.abandon(error)
        throw error
      }
      committed.store(group.endSeq, ordering: .releasing)
      group.checkpoint?.start(lines: lines)
      metrics.commitSize.record(Double(group.rows.count))
    }
    metrics.count(group.tally)
    if group.revoked > 0 { metrics.revocations.increment(by: Int64(group.revoked)) }
  }

  // MARK: Reads

  /// Up to `limit` events after `seq` with their decision lines, in seq order.
  func answers(after seq: Int, limit: Int) throws(ServeError) -> [(seq: Int, answer: [UInt8])] {
    try store.answers(after: seq, limit: limit)
  }

  /// The score report of `account` from its stored signals.
  func score(account: String) throws(ServeError) -> AccountScoreReport {
    let events = try store.events(ofAccount: account, head: heads[account], limit: configuration.maxScoreSignals)
    return AccountScoreReport(
      account: account, events: events, limit: configuration.maxScoreSignals,
      referenceTime: latestTime == .min ? nil : latestTime)
  }

  /// Refreshes the gauges that are read at scrape time.
  func refreshGauges() {
    collectBackgroundCheckpoint()
    metrics.record(filter.footprint)
    metrics.checkpointAge.set(to: Double(max(0, Self.wallClock() - lastCheckpointTime)))
    metrics.eventsSinceCheckpoint.set(to: Double(filter.nextSeq - checkpointedEvents))
    metrics.decidedEvents.set(to: Double(committedEvents))
    var size: Int64 = 0
    for suffix in ["", "-wal"] {
      var info = stat()
      if stat(configuration.statePath + suffix, &info) == 0 { size += Int64(info.st_size) }
    }
    metrics.stateBytes.set(to: Double(size))
  }

  /// Closes the state file and releases its lock, so that another server
  /// (in this process too) can open it at once. The engine is unusable after.
  func closeStateFile() {
    collectBackgroundCheckpoint(waiting: true)
    inFlight.removeAll()
    reader = nil
    store = nil  // its statements first: the connection closes with the log, which then releases its lock
    log = nil
  }

  /// Saves the pre-filter's state now if it changed since the last
  /// checkpoint; whether it did. Every group decided must be written first
  /// (the writer is idle): the checkpoint is of the decided state.
  @discardableResult
  func checkpointNow() throws(ServeError) -> Bool {
    collectBackgroundCheckpoint(waiting: true)
    guard filter.nextSeq > checkpointedEvents else { return false }
    guard committedEvents == filter.nextSeq else {
      throw .state(
        path: configuration.statePath,
        problem: "\(filter.nextSeq - committedEvents) decided events are not written; no checkpoint of them")
    }
    try transaction { () throws(ServeError) in
      try store.write([], of: [], revocations: [], meta: [("checkpoint_time", Self.wallClock())])
      do {
        try log.append([], decidedEvents: filter.nextSeq, inputDigest: digest.value, checkpointOf: filter)
      } catch {
        throw .state(path: configuration.statePath, problem: "\(error)")
      }
    }
    checkpointedEvents = filter.nextSeq
    checkpointDueAt = checkpointedEvents + configuration.checkpointEvery
    lastCheckpointTime = Self.wallClock()
    if configuration.durability == .fsync { try syncWAL() }
    return true
  }
}
