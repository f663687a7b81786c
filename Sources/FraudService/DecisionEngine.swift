import InlinePrefilter
import Logging
import SignalGraph

#if canImport(Glibc)
  import Glibc
#endif

/// The durable core of the service, synchronous and single-threaded: the
/// pre-filter, its ``DecisionLog`` and the service's tables (``ServeStore``)
/// in one state file. ``DecisionCore`` owns it, on a thread of its own, and feeds it
/// groups of requests.
///
/// **A group commit.** ``process(_:)`` decides the lines of a group of
/// requests in order and writes them in one transaction of the log's
/// connection: the service's rows (events, ids, account chains,
/// revocations) and the ``DecisionLog`` append (each event's decision lines
/// as one row, stored there only; count, input digest); then the WAL is fsynced once (``Durability/fsync``, by
/// ``CommitQueue``, while the next group is decided). Only then are the
/// requests answered.
///
/// **Checkpoints beside the commits.** When a checkpoint is due (every
/// ``ServeConfiguration/checkpointEvery`` events), the group that reaches
/// it takes a copy of the pre-filter after its commit and a
/// ``BackgroundCheckpoint`` writes it on a thread and a connection of its
/// own (``CheckpointWriter``), while the next groups commit; it becomes the
/// latest checkpoint in one small transaction at its end, so a crash before
/// that restarts from the previous one.
///
/// **In memory.** Which seq took a client id (``ClientIDIndex``) and each
/// account's latest event (``AccountHeads``) are kept in memory, rebuilt
/// from the stored rows at start-up, so that a commit appends rows and
/// touches no index; a retry's stored row is read by seq and its id compared.
///
/// **Restart.** The latest checkpoint is restored when its counts agree with
/// the log, and the stored events after it are replayed through the
/// pre-filter (decisions are deterministic), each checked against its
/// answer in the log, before the first request is taken. The service's rows
/// and the log's commit together, so they hold the same events; a file where
/// they do not is refused.
///
/// **Failure.** If a write throws, the pre-filter is ahead of the file: the
/// caller must stop using the engine (``DecisionCore`` then answers 503 and
/// `/readyz` fails) until a restart recovers from what is on disk.
final class DecisionEngine {
  let configuration: ServeConfiguration
  let metrics: ServiceMetrics
  private let logger: Logger
  private var filter: Prefilter
  // Implicitly unwrapped only so that ``closeStateFile()`` can release them; never nil before it.
  private var log: DecisionLog!
  private var store: ServeStore!
  private var ids = ClientIDIndex()
  private var heads = AccountHeads()
  private var digest = Digest64()
  /// Events covered by the latest complete checkpoint (seq 0 ..< checkpointedEvents).
  private(set) var checkpointedEvents = 0
  /// The events at which the next background checkpoint starts.
  private var checkpointDueAt = 0
  /// The checkpoint being written, if any.
  private var background: BackgroundCheckpoint?
  /// The wall time of a background checkpoint that ended, for the next group to store.
  private var checkpointTimeToStore: Int64?
  /// Called on the checkpoint's thread after each row of a background
  /// checkpoint is written (tests hold the checkpoint there).
  var checkpointPartWritten: (@Sendable (Int) -> Void)?
  private var lastCheckpointTime: Int64
  private var latestTime: Int64

  /// Events decided and durable: seq 0 ..< committedEvents.
  private(set) var committedEvents = 0

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
      guard Self.answer(line.withUnsafeBufferPointer { decide($0) }.decision) == answer else {
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
    committedEvents = stored
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
  private func decide(_ line: UnsafeBufferPointer<UInt8>) -> Decided {
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

  /// Appends the decision lines of `rows` (each event's, `\n`-separated, as one row, where it is in
  /// `answers`) to the log, in the open transaction; the WAL is not synced. Returns the count of rows
  /// the log then holds when `countLines`.
  private func appendToLog(_ rows: [ServeStore.Row], answers: [UInt8], countLines: Bool) throws(ServeError) -> Int {
    do {
      try log.append(
        eventAnswers: { row in
          // Through the buffer's addresses: `rows[i]` would copy each row (retains and releases).
          try answers.withUnsafeBytes { answers in
            try rows.withUnsafeBufferPointer { rows in
              for i in rows.indices { try row(rows[i].seq, UnsafeRawBufferPointer(rebasing: answers[rows[i].answer])) }
            }
          }
        }, decidedEvents: filter.nextSeq, inputDigest: digest.value)
      return countLines ? try log.storedLines() : 0
    } catch {
      throw .state(path: configuration.statePath, problem: "\(error)")
    }
  }

  /// Starts writing a copy of the pre-filter as the next checkpoint, taken
  /// after the group just committed, when the log held `lines` lines.
  private func startBackgroundCheckpoint(lines: Int) {
    do {
      let writer = try CheckpointWriter(log: log)
      background = BackgroundCheckpoint(
        of: filter, lines: lines, inputDigest: digest.value, writer: writer, path: configuration.statePath,
        partWritten: checkpointPartWritten)
    } catch {
      checkpointFailed(ServeError.state(path: configuration.statePath, problem: "\(error)"))
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
  /// only the file), so the commit thread's next group need not wait for it.
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

  /// The earlier event that took the id `id` of `line` (in this group, from
  /// `rows`, whose bytes are in `group` and answers in `answers`, or stored
  /// before it), if any; with its answer when its line is `line` (a retry).
  private func earlier(
    id: UnsafeBufferPointer<UInt8>, of line: UnsafeBufferPointer<UInt8>, hash: UInt64, firstSeq: Int,
    rows: [ServeStore.Row], answers: [UInt8], group: [EventBatch]
  ) throws(ServeError) -> (seq: Int, answer: [UInt8]?)? {
    for seq in ids.seqs(hash: hash) {
      if seq >= firstSeq {
        let row = rows[seq - firstSeq]
        guard let other = row.clientID else { continue }
        let (sameID, sameLine) = group[row.request].bytes.withUnsafeBufferPointer { bytes in
          (bytes[other].elementsEqual(id), bytes[row.line].elementsEqual(line))
        }
        if sameID { return (seq, sameLine ? Array(answers[row.answer]) : nil) }
      } else if let stored = try store.event(seq: seq), let other = stored.clientID, other.elementsEqual(id) {
        return (seq, stored.line.elementsEqual(line) ? stored.answer : nil)
      }
    }
    return nil
  }

  /// Decides a group of requests and commits it (see the type's discussion),
  /// without the fsync: the caller syncs the WAL (``syncWAL(statePath:)``)
  /// before it answers, when ``ServeConfiguration/durability`` asks for it.
  /// Returns each request's response body (``EventsResponse``).
  func process(_ group: [EventBatch]) throws(ServeError) -> [[UInt8]] {
    collectBackgroundCheckpoint()
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
    var due = false
    let lines = try transaction { () throws(ServeError) -> Int in
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
            let decided = decide(line)
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
      guard !rows.isEmpty else { return 0 }
      due = background == nil && filter.nextSeq >= checkpointDueAt
      var meta: [(String, Int64)] = [("latest_time", latestTime)]
      if let time = checkpointTimeToStore { meta.append(("checkpoint_time", time)) }
      try store.write(rows, of: group, revocations: revocations, meta: meta)
      return try appendToLog(rows, answers: answers, countLines: due)
    }
    metrics.count(tally)
    if revoked > 0 { metrics.revocations.increment(by: Int64(revoked)) }
    guard !rows.isEmpty else { return results }
    committedEvents = filter.nextSeq
    checkpointTimeToStore = nil
    if due { startBackgroundCheckpoint(lines: lines) }
    metrics.commitSize.record(Double(rows.count))
    return results
  }

  // MARK: Reads

  /// Up to `limit` events after `seq` with their decision lines, and the committed count.
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
    store = nil  // its statements first: the connection closes with the log, which then releases its lock
    log = nil
  }

  /// Saves the pre-filter's state now if it changed since the last checkpoint; whether it did.
  @discardableResult
  func checkpointNow() throws(ServeError) -> Bool {
    collectBackgroundCheckpoint(waiting: true)
    guard filter.nextSeq > checkpointedEvents else { return false }
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
