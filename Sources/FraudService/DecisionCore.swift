import Foundation
import Logging

/// The one owner of the durable core (``DecisionEngine``): every event of
/// every request passes through it, in arrival order, so seqs are a single
/// stream exactly as in `fraudscan filter`.
///
/// **Threads of its own.** The engine lives on threads of its own (the
/// commit thread, the writer, the sync stage: ``CommitQueue``), not on
/// Swift's cooperative pool: a group blocks on SQLite and on the WAL's
/// fsync, and on a 2-core machine the pool has 2 threads, which must stay
/// free for the HTTP requests. Requests hand their work to the commit
/// thread through a locked queue, and the pipeline's last stage answers
/// them: it resumes a routed request's task (``submit(_:)``), or calls the
/// callback of a request read on its event loop (``submit(_:reply:)``,
/// ``EventsChannelHandler``).
/// The threads are named `serve-commit`, `serve-writer`, `serve-fsync` and
/// `serve-checkpt` (``Foundation/Thread/start(named:_:)``).
///
/// **Group commit, pipelined.** ``submit(_:)`` queues a request's lines and
/// suspends. The commit thread takes what is queued (everything, or while the
/// writer writes, a third of what is queued and being written: ``CommitQueue``)
/// and decides it as one group, in memory; the writer thread writes that group
/// in one transaction while the commit thread decides the next; the sync stage
/// fsyncs the WAL once for the groups written meanwhile, and only then are
/// those requests resumed: a decision is answered only after it is committed
/// and synced.
/// A small group (single events) meeting an idle writer and sync stage is
/// written, fsynced and answered by the commit thread itself: no hand-over.
/// Whatever arrives while a stage is busy goes into the next group, so
/// groups grow with the load and an idle server commits a lone request at
/// once. The queue is bounded (``ServeConfiguration/maxQueuedEvents``):
/// past it a request is refused at once (503 with `Retry-After`).
///
/// Reads (the decision feed, scores, gauges) run on the commit thread,
/// between groups, once every group decided before is written and synced:
/// they see durable state only.
///
/// **Failure.** If a write fails, the pre-filter is ahead of the file: the
/// groups decided after it are failed with 503 and never written, and the
/// core stops taking events (503, `/readyz` fails) until a restart recovers
/// from what is on disk.
final class DecisionCore: Sendable {
  private let queue: CommitQueue

  /// Opens the state file (taking its lock), restores the latest checkpoint,
  /// replays the events after it, and starts the commit thread.
  convenience init(configuration: ServeConfiguration, metrics: ServiceMetrics, logger: Logger) throws(ServeError) {
    self.init(
      engine: try DecisionEngine(configuration: configuration, metrics: metrics, logger: logger), logger: logger)
  }

  /// Starts the commit thread on `engine`, opened already (tests set its hooks first).
  init(engine: DecisionEngine, logger: Logger) {
    queue = CommitQueue(
      engine: engine, limit: engine.configuration.maxQueuedEvents, metrics: engine.metrics, logger: logger)
    let queue = queue
    Thread.start(named: "serve-commit") { queue.run() }
  }

  deinit { queue.close() }

  /// Decides `batch` (one request) in the next group commit and returns the
  /// response body (``EventsResponse``), once durable.
  ///
  /// - Throws: ``ServeError/overloaded(queuedEvents:limit:)`` when the queue
  ///   is full, ``ServeError/batchTooLarge(events:limit:)`` when it could
  ///   never take the request, ``ServeError/unavailable(reason:)`` when
  ///   shutting down or stopped.
  func submit(_ batch: EventBatch) async throws -> [UInt8] {
    try await withCheckedThrowingContinuation { continuation in
      queue.submit(batch, AnswerWaiter(continuation))
    }
  }

  /// Decides `batch` as ``submit(_:)`` does, and hands the response body or
  /// the error to `reply`, on whichever pipeline thread answers it (once
  /// durable), or at once on the caller's thread when the request is refused.
  func submit(_ batch: EventBatch, reply: @escaping @Sendable (Result<[UInt8], any Error>) -> Void) {
    queue.submit(batch, AnswerWaiter(reply))
  }

  /// Up to `limit` durable events after `seq` with their decision lines, in
  /// seq order. Only durable ones: after a failed fsync the rows committed
  /// before it are in the file but were never acknowledged, and are not shown.
  func answers(after seq: Int, limit: Int) async throws -> [(seq: Int, answer: [UInt8])] {
    let rows = try await queue.read { engine throws(ServeError) in try engine.answers(after: seq, limit: limit) }
    let durable = queue.feed.durable  // read after the rows: it only grows
    return Array(rows.prefix { $0.seq < durable })
  }

  /// The score report of `account`.
  func score(account: String) async throws -> AccountScoreReport {
    try await queue.read { engine throws(ServeError) in try engine.score(account: account) }
  }

  /// Refreshes the gauges read at scrape time.
  func refreshGauges() async {
    _ = try? await queue.read { engine throws(ServeError) in engine.refreshGauges() }
  }

  /// Returns once a decision after `seq` is durable (``answers(after:limit:)``
  /// then has it), at `deadline`, when the task is cancelled, or once the
  /// long polls are ended: a long poll waits here without a turn on the
  /// commit thread and without looking again on a timer (``DecisionFeedWaiters``).
  func waitForDecision(after seq: Int, until deadline: ContinuousClock.Instant) async {
    await queue.feed.wait(after: seq, until: deadline)
  }

  /// Events durable, seq 0 ..< this, as the decision feed's long polls see them.
  var durableEvents: Int { queue.feed.durable }

  /// Ends every long poll's wait, now and later: the server is shutting down.
  func endLongPolls() { queue.feed.close() }

  /// Whether the long polls are ended: ``endLongPolls()`` was called, or
  /// the commit thread has ended (nothing more is decided).
  var longPollsEnded: Bool { queue.feed.isClosed }

  /// Groups decided and not yet written: how far the writer is behind the commit thread.
  var groupsInFlight: Int { queue.groupsInFlight }

  /// Why events are not taken (a failed write, or shutting down), or nil when ready.
  var notReadyReason: String? { queue.notReadyReason }

  /// Stops taking events, lets the groups queued before be written, checkpoints
  /// the state so that a restart replays nothing, and closes the state file
  /// (releasing its lock: not left to whenever the last reference goes).
  func drainAndCheckpoint() async {
    await queue.drain()
  }
}
