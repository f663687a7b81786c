import Foundation
import Logging

/// The one owner of the durable core (``DecisionEngine``): every event of
/// every request passes through it, in arrival order, so seqs are a single
/// stream exactly as in `fraudscan filter`.
///
/// **The commit thread.** The engine lives on a thread of its own, not on
/// Swift's cooperative pool: a commit blocks on SQLite and on the WAL's
/// fsync, and on a 2-core machine the pool has 2 threads, which must stay
/// free for the HTTP requests. Requests hand their work to it through a
/// locked queue, and its answers resume them.
///
/// **Group commit.** ``submit(_:)`` queues a request's lines and suspends.
/// The thread takes everything queued, has the engine decide and commit it as
/// one group (one transaction, one fsync), and only then resumes those
/// requests: a decision is answered only after it is committed. Whatever
/// arrives while a group commits goes into the next group, so groups grow
/// with the load and an idle server commits a lone request at once. The
/// queue is bounded (``ServeConfiguration/maxQueuedEvents``): past it a
/// request is refused at once (503 with `Retry-After`).
///
/// Reads (the decision feed, scores, gauges) run on the same thread, between
/// groups: they see committed state only.
///
/// **Failure.** If a commit fails, the pre-filter is ahead of the file: the
/// core stops taking events (503, `/readyz` fails) until a restart recovers
/// from what is on disk.
final class DecisionCore: Sendable {
  private let queue: CommitQueue

  /// Opens the state file (taking its lock), restores the latest checkpoint,
  /// replays the events after it, and starts the commit thread.
  init(configuration: ServeConfiguration, metrics: ServiceMetrics, logger: Logger) throws(ServeError) {
    let engine = try DecisionEngine(configuration: configuration, metrics: metrics, logger: logger)
    queue = CommitQueue(engine: engine, limit: configuration.maxQueuedEvents, metrics: metrics, logger: logger)
    let queue = queue
    let thread = Thread { queue.run() }
    thread.name = "fraudscan-commit"
    thread.start()
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
      queue.submit(batch, continuation)
    }
  }

  /// Up to `limit` events after `seq` with their decision lines, in seq order.
  func answers(after seq: Int, limit: Int) async throws -> [(seq: Int, answer: [UInt8])] {
    try await queue.read { engine throws(ServeError) in try engine.answers(after: seq, limit: limit) }
  }

  /// The score report of `account`.
  func score(account: String) async throws -> AccountScoreReport {
    try await queue.read { engine throws(ServeError) in try engine.score(account: account) }
  }

  /// Refreshes the gauges read at scrape time.
  func refreshGauges() async {
    _ = try? await queue.read { engine throws(ServeError) in engine.refreshGauges() }
  }

  /// Why events are not taken (a failed write, or shutting down), or nil when ready.
  var notReadyReason: String? { queue.notReadyReason }

  /// Stops taking events, lets the groups queued before commit, checkpoints
  /// the state so that a restart replays nothing, and closes the state file
  /// (releasing its lock: not left to whenever the last reference goes).
  func drainAndCheckpoint() async {
    await queue.drain()
  }
}
