import Logging

/// The one owner of the durable core (``DecisionEngine``): every event of
/// every request passes through it, in arrival order, so seqs are a single
/// stream exactly as in `fraudscan filter`.
///
/// **Group commit.** ``submit(_:)`` queues a request's lines and suspends;
/// one flush loop takes everything queued since its last round (the requests
/// that arrived together), has the engine decide and commit it as one group,
/// and only then resumes those requests: a decision is answered only after
/// it is committed. The queue is bounded (``ServeConfiguration/maxQueuedEvents``):
/// past it a request is refused at once (503 with `Retry-After`).
///
/// **Failure.** If a commit fails, the pre-filter is ahead of the file: the
/// core stops taking events (503, `/readyz` fails) until a restart recovers
/// from what is on disk.
actor DecisionCore {
  /// What one event line of a request got.
  typealias Answer = DecisionEngine.Answer

  private struct Pending {
    var lines: [[UInt8]]
    var continuation: CheckedContinuation<[Answer], any Error>
  }

  private let engine: DecisionEngine
  private let limit: Int
  private let metrics: ServiceMetrics
  private let logger: Logger
  private var queue: [Pending] = []
  private var queuedEvents = 0
  private var flushing = false
  private var closing = false
  private var failure: String?
  private var closed = false

  /// Opens the state file (taking its lock), restores the latest checkpoint and replays the events after it.
  init(configuration: ServeConfiguration, metrics: ServiceMetrics, logger: Logger) throws(ServeError) {
    engine = try DecisionEngine(configuration: configuration, metrics: metrics, logger: logger)
    limit = configuration.maxQueuedEvents
    self.metrics = metrics
    self.logger = logger
  }

  /// Decides `lines` (one request) in the next group commit and returns, per line, its answer, once durable.
  ///
  /// - Throws: ``ServeError/overloaded(queuedEvents:limit:)`` when the queue
  ///   is full, ``ServeError/batchTooLarge(events:limit:)`` when it could
  ///   never take the request, ``ServeError/unavailable(reason:)`` when
  ///   shutting down or stopped.
  func submit(_ lines: [[UInt8]]) async throws -> [Answer] {
    if let failure { throw ServeError.unavailable(reason: failure) }
    if closing { throw ServeError.unavailable(reason: "shutting down") }
    guard lines.count <= limit else { throw ServeError.batchTooLarge(events: lines.count, limit: limit) }
    guard queuedEvents + lines.count <= limit else {
      throw ServeError.overloaded(queuedEvents: queuedEvents, limit: limit)
    }
    return try await withCheckedThrowingContinuation { continuation in
      queue.append(Pending(lines: lines, continuation: continuation))
      queuedEvents += lines.count
      metrics.queuedEvents.set(to: Double(queuedEvents))
      if !flushing {
        flushing = true
        Task { await self.flushLoop() }
      }
    }
  }

  private func flushLoop() async {
    while !queue.isEmpty {
      // Let requests that arrived meanwhile join this group.
      await Task.yield()
      let group = queue
      queue.removeAll()
      queuedEvents = 0
      metrics.queuedEvents.set(to: 0)
      if let failure {
        for p in group { p.continuation.resume(throwing: ServeError.unavailable(reason: failure)) }
        continue
      }
      do {
        let answers = try engine.process(group.map(\.lines))
        for (p, a) in zip(group, answers) { p.continuation.resume(returning: a) }
      } catch {
        let reason = "a write to the state file failed (\(error)); restart the service to recover from the file"
        failure = reason
        logger.critical("write to the state file failed; no more events are taken", metadata: ["error": "\(error)"])
        for p in group { p.continuation.resume(throwing: ServeError.unavailable(reason: reason)) }
      }
    }
    flushing = false
  }

  /// Up to `limit` events after `seq` with their decision lines, in seq order.
  func answers(after seq: Int, limit: Int) throws(ServeError) -> [(seq: Int, answer: [UInt8])] {
    guard !closed else { throw .unavailable(reason: "shut down") }
    return try engine.answers(after: seq, limit: limit)
  }

  /// The score report of `account`.
  func score(account: String) throws(ServeError) -> AccountScoreReport {
    guard !closed else { throw .unavailable(reason: "shut down") }
    return try engine.score(account: account)
  }

  /// Refreshes the gauges read at scrape time.
  func refreshGauges() {
    guard !closed else { return }
    engine.refreshGauges()
  }

  /// Why events are not taken (a failed write, or shutting down), or nil when ready.
  var notReadyReason: String? { failure ?? (closing ? "shutting down" : nil) }

  /// Stops taking events, waits for the group in progress, checkpoints the
  /// state so that a restart replays nothing, and closes the state file
  /// (releasing its lock: not left to whenever the last reference goes).
  func drainAndCheckpoint() async {
    closing = true
    while flushing { try? await Task.sleep(for: .milliseconds(5)) }
    defer {
      engine.closeStateFile()
      closed = true
    }
    guard failure == nil else { return }
    do {
      let written = try engine.checkpointNow()
      logger.info(
        written ? "checkpoint written on shutdown" : "stopped; the checkpoint was up to date",
        metadata: ["events": "\(engine.committedEvents)"])
    } catch {
      logger.error(
        "checkpoint on shutdown failed; a restart replays from the previous one", metadata: ["error": "\(error)"])
    }
  }
}
