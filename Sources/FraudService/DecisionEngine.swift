import InlinePrefilter
import Logging
import SignalGraph

#if canImport(Glibc)
  import Glibc
#endif

/// The durable core of the service, synchronous and single-threaded: the
/// pre-filter, its ``DecisionLog`` and the service's tables (``ServeStore``)
/// in one state file. ``DecisionCore`` (an actor) owns it and feeds it
/// groups of requests.
///
/// **A group commit.** ``process(_:)`` decides the lines of a group of
/// requests in order, writes them in one transaction of the service's tables
/// (events, ids, answers, account index, revocations), then one
/// ``DecisionLog`` append (decision lines, count, input digest, and a
/// checkpoint when due), and optionally fsyncs the WAL. Only after it
/// returns are the requests answered.
///
/// **Restart.** The latest checkpoint is restored when its counts agree with
/// the log, and the stored events after it are replayed through the
/// pre-filter (decisions are deterministic): those the log holds are checked
/// against the stored answers, and those stored but not yet in the log (a
/// crash between the two writes) are decided again and appended, with the
/// same decisions, before the first request is taken.
///
/// **Failure.** If a write throws, the pre-filter is ahead of the file: the
/// caller must stop using the engine (``DecisionCore`` then answers 503 and
/// `/readyz` fails) until a restart recovers from what is on disk.
final class DecisionEngine {
  /// What one event line of a request got.
  struct Answer: Sendable {
    /// How it was answered.
    enum Outcome: Sendable {
      /// Decided now.
      case decided
      /// A retry of an event already decided (same id, same line): the stored answer.
      case duplicate
      /// The id names another event: not decided.
      case conflict
    }
    /// The raw client id, when the line had one.
    var clientID: [UInt8]?
    /// The decision lines: the event's own, then the revocations it caused, `\n`-separated.
    var lines: [UInt8]
    var outcome: Outcome
  }

  let configuration: ServeConfiguration
  let metrics: ServiceMetrics
  private let logger: Logger
  private var filter: Prefilter
  // Implicitly unwrapped only so that ``closeStateFile()`` can release them; never nil before it.
  private var log: DecisionLog!
  private var store: ServeStore!
  private var digest = Digest64()
  private var lastCheckpointEvents = 0
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
    let settings = "serve window-days=\(configuration.prefilter.windowDays) format=1"
    do {
      log = try DecisionLog(path: path, settings: settings)
    } catch let error as SignalStoreError {
      throw .state(path: path, problem: error.description)
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
    store = try ServeStore(path: path)
    filter = Prefilter(configuration: configuration.prefilter)
    latestTime = try store.meta("latest_time") ?? Int64.min
    lastCheckpointTime = try store.meta("checkpoint_time") ?? Self.wallClock()
    try recover(path: path)
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
        lastCheckpointEvents = restored.checkpoint.events
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
    guard stored >= decided else {
      throw .stateInconsistent(path: path, reason: "the log decided \(decided) events, only \(stored) are stored")
    }
    var lines: [(seq: Int, line: String)] = []
    let replayFrom = filter.nextSeq
    if decided > 0, decided == replayFrom, let decidedDigest, digest.value != decidedDigest {
      throw .stateInconsistent(path: path, reason: "the checkpoint's input digest differs from the log's")
    }
    try store.forEachEvent(from: replayFrom) { (seq, line, answer) throws(ServeError) in
      guard seq == filter.nextSeq else {
        throw .stateInconsistent(path: path, reason: "stored event \(seq) out of order")
      }
      let (decision, _, _, _) = decide(line)
      let own = decision.jsonLine
      var bytes = Array(own.utf8)
      var produced = [(seq, own)]
      for r in decision.revocations {
        let l = r.jsonLine
        bytes.append(0x0A)
        bytes += l.utf8
        produced.append((seq, l))
      }
      guard bytes == answer else { throw .stateDiverged(path: path, seq: seq) }
      if seq >= decided { lines += produced }
      if seq == decided - 1, let decidedDigest, digest.value != decidedDigest {
        throw .stateInconsistent(
          path: path, reason: "the digest of the first \(decided) stored events differs from the log's")
      }
    }
    guard filter.nextSeq == stored else {
      throw .stateInconsistent(path: path, reason: "replayed \(filter.nextSeq) events of \(stored)")
    }
    if stored > decided {
      // Stored and answered in the service's tables, but the log append did not happen: complete it.
      try appendToLog(lines, checkpoint: false)
    }
    committedEvents = stored
    logger.info(
      "state opened",
      metadata: [
        "state": "\(path)", "events": "\(stored)", "restoredFromCheckpoint": "\(replayFrom)",
        "replayed": "\(stored - replayFrom)", "completedLogAppend": "\(stored - decided)",
      ])
  }

  /// Decides one line: the decision, the event's kind for metrics, the accounts it names, its time.
  private func decide(_ line: [UInt8]) -> (Decision, String, [String], Int64?) {
    let seq = filter.nextSeq
    digest.update(line)
    do {
      let event = try EventParser.parse(line: line, seq: seq)
      let decision = filter.decide(event)
      switch event {
      case let .payment(_, s, t, _, time): return (decision, "payment", s == t ? [s] : [s, t], time)
      case let .interaction(s, t, _, time, _): return (decision, "interaction", s == t ? [s] : [s, t], time)
      case let .profileEdit(a, _, _, time): return (decision, "profile_edit", [a], time)
      }
    } catch {
      return (filter.reject(error), "malformed", [], nil)
    }
  }

  private func appendToLog(_ lines: [(seq: Int, line: String)], checkpoint: Bool) throws(ServeError) {
    do {
      try log.append(
        lines, decidedEvents: filter.nextSeq, inputDigest: digest.value, checkpointOf: checkpoint ? filter : nil)
    } catch {
      throw .state(path: configuration.statePath, problem: "\(error)")
    }
    if configuration.durability == .fsync { try syncWAL() }
    if checkpoint {
      lastCheckpointEvents = filter.nextSeq
      lastCheckpointTime = Self.wallClock()
    }
  }

  /// Flushes the WAL to the disk: both connections' commits are in it.
  private func syncWAL() throws(ServeError) {
    let path = configuration.statePath + "-wal"
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }  // no WAL yet: nothing written since the last checkpoint of the database
    defer { close(fd) }
    guard fsync(fd) == 0 else {
      throw .state(path: path, problem: "fsync failed: \(String(cString: strerror(errno)))")
    }
  }

  private func conflictLine(_ seq: Int) -> [UInt8] {
    Array(
      #"{"decision":"error","reasons":["this id names another event (seq \#(seq)), which was decided; this one is not"]}"#
        .utf8)
  }

  /// Decides a group of requests and commits it (see the type's discussion).
  func process(_ group: [[[UInt8]]]) throws(ServeError) -> [[Answer]] {
    let firstSeq = filter.nextSeq
    var rows: [ServeStore.Row] = []
    var inGroup: [[UInt8]: Int] = [:]
    var revocations: [(seq: Int, line: [UInt8])] = []
    var logLines: [(seq: Int, line: String)] = []
    var results: [[Answer]] = []
    results.reserveCapacity(group.count)
    for request in group {
      var answers: [Answer] = []
      answers.reserveCapacity(request.count)
      for line in request {
        let id = ClientID.scan(line)
        if let id {
          var earlier: ServeStore.Stored?
          if let r = inGroup[id] {
            earlier = ServeStore.Stored(seq: rows[r].seq, line: rows[r].line, answer: rows[r].answer)
          } else {
            earlier = try store.event(clientID: id)
          }
          if let earlier {
            let same = earlier.line == line
            answers.append(
              Answer(
                clientID: id, lines: same ? earlier.answer : conflictLine(earlier.seq),
                outcome: same ? .duplicate : .conflict))
            metrics.event(kind: "any", outcome: same ? "duplicate" : "conflict")
            continue
          }
        }
        let seq = filter.nextSeq
        let (decision, kind, accounts, time) = decide(line)
        if let time { latestTime = max(latestTime, time) }
        let own = decision.jsonLine
        logLines.append((seq, own))
        var answer = Array(own.utf8)
        for r in decision.revocations {
          let l = r.jsonLine
          logLines.append((seq, l))
          let bytes = Array(l.utf8)
          answer.append(0x0A)
          answer += bytes
          if r.seq >= firstSeq {
            if rows[r.seq - firstSeq].status == .admitted {
              rows[r.seq - firstSeq].status = .revoked
              rows[r.seq - firstSeq].revocation = bytes
            }
          } else {
            revocations.append((r.seq, bytes))
          }
          metrics.revocations.increment()
        }
        let status: EventStatus
        switch decision.verdict {
        case .admit: status = .admitted
        case .hold: status = .held
        case .revoke, .error: status = .malformed
        }
        rows.append(
          ServeStore.Row(
            seq: seq, clientID: id, line: line, answer: answer, status: status, revocation: nil, accounts: accounts))
        if let id { inGroup[id] = rows.count - 1 }
        answers.append(Answer(clientID: id, lines: answer, outcome: .decided))
        metrics.event(kind: kind, outcome: decision.verdict.rawValue)
      }
      results.append(answers)
    }
    guard !rows.isEmpty else { return results }
    let due = filter.nextSeq - lastCheckpointEvents >= configuration.checkpointEvery
    var meta: [(String, Int64)] = [("latest_time", latestTime)]
    if due { meta.append(("checkpoint_time", Self.wallClock())) }
    try store.write(rows, revocations: revocations, meta: meta)
    try appendToLog(logLines, checkpoint: due)
    committedEvents = filter.nextSeq
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
    let events = try store.events(ofAccount: account, limit: configuration.maxScoreSignals)
    return AccountScoreReport(
      account: account, events: events, limit: configuration.maxScoreSignals,
      referenceTime: latestTime == .min ? nil : latestTime)
  }

  /// Refreshes the gauges that are read at scrape time.
  func refreshGauges() {
    metrics.record(filter.footprint)
    metrics.checkpointAge.set(to: Double(max(0, Self.wallClock() - lastCheckpointTime)))
    metrics.eventsSinceCheckpoint.set(to: Double(filter.nextSeq - lastCheckpointEvents))
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
    log = nil
    store = nil
  }

  /// Saves the pre-filter's state now if it changed since the last checkpoint; whether it did.
  @discardableResult
  func checkpointNow() throws(ServeError) -> Bool {
    guard filter.nextSeq > lastCheckpointEvents else { return false }
    try store.write([], revocations: [], meta: [("checkpoint_time", Self.wallClock())])
    try appendToLog([], checkpoint: true)
    return true
  }
}
