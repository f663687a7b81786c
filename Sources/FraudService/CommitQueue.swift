import Foundation
import Logging

/// The queue between the requests and the service's pipeline, and the
/// commit thread's loop (``run()``).
///
/// **The pipeline.** Three threads, each working on one group at a time: the
/// commit thread (``run()``) takes what is queued (see "Balanced groups") and
/// decides it as one group, in memory (``DecisionEngine/decide(_:)``); the
/// writer thread (``GroupWriter``) writes the group before it in one SQLite
/// transaction (``DecisionEngine/write(_:)``); with ``Durability/fsync``, the
/// sync stage (``runSync()``) fsyncs the WAL once for the groups written
/// meanwhile and only then answers them. Without an fsync
/// (``Durability/process``), the writer answers a group once its transaction
/// has committed.
///
/// **Small groups on one thread.** Three stages pay for themselves on large
/// groups (batches), which keep each stage busy. A small group
/// (``ServeConfiguration/smallGroupBytes``, e.g. single events) costs little
/// to write and to fsync (about 0.2 ms), and handing it on costs a thread
/// wake-up per stage, on a machine whose cores are busy with the HTTP
/// requests. So when the writer is idle, the commit thread writes a small
/// group itself (``GroupWriter/writeIfIdle(_:)``), and when the sync stage
/// is idle, the thread that wrote a small group fsyncs and answers it:
/// commonly one thread, and no hand-over. Meanwhile requests queue up and
/// form the next group, as they do while the writer is busy.
///
/// **Balanced groups.** While the writer writes a group, the commit
/// thread takes from the queue a third (``groupShares``) of the events
/// queued and being written (at least ``balancedEvents``; all of them when
/// the writer is idle), and leaves the rest queued, in order, for the next
/// group. The clients wait for their answers before they send more, so
/// the events in flight are about constant, shared among the group being
/// written, the group being decided and the queue. Taking everything let
/// the two stages fall out of step under batches: the requests a written
/// group answers came back as the next group, so a large group and a small
/// one took turns, and the stage with the small one waited for the other.
/// Taking half brought the two groups to one size but left the queue empty
/// whenever a group was taken, so that the commit thread then waited for
/// the answered clients' next requests. A third keeps the groups of one
/// size and a group's worth in reserve in the queue (measured at 64
/// connections: a fifth of two cores idle with halves, an eighth with
/// thirds, a tenth with thirds and ``GroupWriter/queueDepth`` 2).
///
/// **Invariants.**
/// - *Durable before acknowledged*: a request is answered only after its
///   group's transaction committed and, with ``Durability/fsync``, after an
///   fsync that began after that commit.
/// - *In order*: groups are written in the order they were decided (one
///   writer at a time and a FIFO queue: the commit thread writes a group
///   only when the writer holds none), handed to the sync stage in that
///   order and answered in it (a group is fsynced where it was written only
///   when the sync stage holds none), so a group is never answered before an earlier one;
///   a retry answered from a group still in flight is answered after it.
/// - *Nothing after a failure*: when a write (or an fsync) fails, no later
///   group is written or answered but with 503, and no more events are
///   taken (``notReadyReason``) until a restart.
/// - *Reads see durable state*: reads (``read(_:)``: the decision feed,
///   scores, gauges, the shutdown checkpoint) wait until the writer is idle
///   and every written group is synced, then run on the commit thread,
///   which is then the only user of the log's connection.
/// - *The feed shows durable decisions*: the decision feed (``feed``)
///   advances over a group once it is durable, just before its requests
///   are answered (so a client answered finds its decision there), and
///   never over a group whose write or fsync failed.
/// - *Bounded*: the commit thread takes its next requests only while
///   fewer than ``GroupWriter/queueDepth`` decided groups wait for the
///   writer, and the writer its next groups only once the sync stage has
///   taken the previous ones, so groups grow while a stage is busy instead
///   of queueing small ones.
///
/// The queue is guarded by ``condition``, the sync stage by
/// ``syncCondition`` (never both held at once), the writer's queue by its
/// own lock; ``engine`` is touched by the commit thread, and by the writer
/// through ``DecisionEngine/write(_:)`` only (hence `@unchecked Sendable`).
final class CommitQueue: @unchecked Sendable {
  /// A request's response body.
  typealias Answer = [UInt8]

  private enum Job {
    /// The lines of one request, and the request waiting for their answers.
    case events(EventBatch, AnswerWaiter)
    /// Work on the engine between groups; it resumes its own caller.
    case read(@Sendable (DecisionEngine) -> Void)
  }

  private let engine: DecisionEngine
  private let limit: Int
  /// ``ServeConfiguration/smallGroupBytes``.
  private let smallGroupBytes: Int
  private let metrics: ServiceMetrics
  private let logger: Logger
  private let condition = NSCondition()
  private var jobs: [Job] = []
  private var queuedEvents = 0
  private var failure: String?
  /// No more events are taken (shutting down).
  private var closing = false
  /// The thread ends once the jobs queued are done; nothing more is queued.
  private var closed = false
  /// The thread has ended.
  private var finished = false
  private var drained: [CheckedContinuation<Void, Never>] = []
  /// The events of the last group the commit thread handed on: the one the
  /// writer writes (or is about to) while the commit thread decides the next.
  private var writtenEvents = 0

  /// The shares the events in flight are taken in while the writer writes
  /// (``run()``, "Balanced groups" above): the group written, the group
  /// decided, and a group's worth left queued.
  static let groupShares = 3

  /// The least events a group is held to while the writer writes another
  /// (``run()``): below it, the group's own costs (a transaction, an fsync,
  /// the hand-overs) would start to count, and with fewer events in flight
  /// there is nothing to balance.
  static let balancedEvents = 2_048

  /// A written group waiting for the fsync: its requests, their answers,
  /// and the events committed with it (seq 0 ..< through).
  private struct Unsynced {
    var waiting: [AnswerWaiter]
    var answers: [Answer]
    var through: Int
  }

  /// The state file whose WAL the sync stage fsyncs, or nil when nothing is fsynced (``Durability/process``).
  private let syncedPath: String?
  /// ``DecisionEngine/walSyncing``, as set before the queue was made.
  private let walSyncing: (@Sendable (Int) throws(ServeError) -> Void)?
  private let syncCondition = NSCondition()
  private var unsynced: [Unsynced] = []
  /// Events durable: seq 0 ..< syncedThrough.
  private var syncedThrough = 0
  private var syncFailure: String?
  /// A thread (the sync stage's, or the one that wrote a small group) is
  /// fsyncing and answering groups (taken from ``unsynced``, or its own).
  private var syncing = false
  /// The commit thread waits for ``syncedThrough`` (``waitUntilSynced()``):
  /// only then is it woken when a group is synced, and not the sync
  /// stage's thread with it, for nothing, each group, on a busy core.
  private var readWaiting = false
  private var syncStopping = false
  private var syncFinished = false

  /// The writer stage; set once in `init`, its thread runs within ``run()``.
  private var writer: GroupWriter!

  /// The events the decision feed may show (durable ones) and its long
  /// polls, woken as groups become durable.
  let feed: DecisionFeedWaiters

  init(engine: DecisionEngine, limit: Int, metrics: ServiceMetrics, logger: Logger) {
    self.engine = engine
    self.limit = limit
    self.metrics = metrics
    self.logger = logger
    let configuration = engine.configuration
    smallGroupBytes = configuration.smallGroupBytes
    syncedPath = configuration.durability == .fsync ? configuration.statePath : nil
    syncedThrough = engine.committedEvents
    feed = DecisionFeedWaiters(durable: engine.committedEvents)
    walSyncing = engine.walSyncing
    // Unowned: the writer's thread ends within ``run()``, which holds the queue.
    writer = GroupWriter(
      write: { [engine] group throws(ServeError) in try engine.write(group) },
      ready: { [unowned self] in waitForSyncToStart() },
      written: { [unowned self] job in written(job) },
      failed: { [unowned self] error in writeFailed(error) })
  }

  /// Groups decided and not yet written (the writer's queue and the group it writes).
  var groupsInFlight: Int { writer.groupsInFlight }

  /// Why events are not taken, or nil.
  var notReadyReason: String? {
    condition.lock()
    defer { condition.unlock() }
    return failure ?? (closing ? "shutting down" : nil)
  }

  /// Queues a request's lines, or refuses them at once (see ``DecisionCore/submit(_:)``).
  /// A refusal is answered after the lock is let go: the waiter may be a
  /// callback, and it is not to run under the queue's lock.
  func submit(_ lines: EventBatch, _ waiter: AnswerWaiter) {
    condition.lock()
    let refusal: ServeError?
    if let failure {
      refusal = .unavailable(reason: failure)
    } else if closing {
      refusal = .unavailable(reason: "shutting down")
    } else if lines.count > limit {
      refusal = .batchTooLarge(events: lines.count, limit: limit)
    } else if queuedEvents + lines.count > limit {
      refusal = .overloaded(queuedEvents: queuedEvents, limit: limit)
    } else {
      refusal = nil
      jobs.append(.events(lines, waiter))
      queuedEvents += lines.count
      metrics.queuedEvents.set(to: Double(queuedEvents))
      condition.signal()
    }
    condition.unlock()
    if let refusal { waiter.resume(throwing: refusal) }
  }

  /// Runs `body` on the commit thread, between groups, once every group
  /// decided before is written and synced (it sees durable state only).
  func read<T: Sendable>(_ body: @escaping @Sendable (DecisionEngine) throws(ServeError) -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      condition.lock()
      defer { condition.unlock() }
      guard !closed else { return continuation.resume(throwing: ServeError.unavailable(reason: "shut down")) }
      jobs.append(
        .read { engine in
          do throws(ServeError) {
            continuation.resume(returning: try body(engine))
          } catch {
            continuation.resume(throwing: error)
          }
        })
      condition.signal()
    }
  }

  /// Stops taking events; returns once the jobs queued before are done, a
  /// checkpoint is written and the state file is closed.
  func drain() async {
    await withCheckedContinuation { continuation in
      condition.lock()
      defer { condition.unlock() }
      closing = true
      if finished { return continuation.resume() }
      drained.append(continuation)
      if closed { return }  // a drain already asked for: its end resumes this one too
      jobs.append(.read { [self] engine in checkpointAndClose(engine) })
      closed = true
      condition.signal()
    }
  }

  /// Ends the thread after the jobs queued, closing the state file (the core was released without a drain).
  func close() {
    condition.lock()
    defer { condition.unlock() }
    closing = true
    guard !closed else { return }
    jobs.append(.read { engine in engine.closeStateFile() })
    closed = true
    condition.signal()
  }

  private func checkpointAndClose(_ engine: DecisionEngine) {
    defer { engine.closeStateFile() }
    condition.lock()
    let failed = failure != nil
    condition.unlock()
    guard !failed else { return }
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

  /// The commit thread: takes what is queued (a third of what is queued and being
  /// written while the writer writes, see "Balanced groups" above), decides the
  /// events as one group and hands it to the writer, runs the reads once the
  /// pipeline has caught up; until closed and empty. Starts and ends the writer
  /// and the sync stage.
  func run() {
    if syncedPath != nil {
      Thread.start(named: "serve-fsync") { [self] in runSync() }
    }
    writer.start()
    while true {
      writer.waitForRoom()
      condition.lock()
      while jobs.isEmpty && !closed { condition.wait() }
      if jobs.isEmpty {
        condition.unlock()
        writer.stop()
        stopSync()
        condition.lock()
        finished = true
        let waiting = drained
        drained.removeAll()
        condition.unlock()
        feed.close()  // nothing more is decided
        for continuation in waiting { continuation.resume() }
        return
      }
      // A third of what is queued and being written, while the writer writes (see "Balanced groups").
      let share = (queuedEvents + writtenEvents) / Self.groupShares
      let taken = takeJobs(upTo: writer.groupsInFlight > 0 ? max(share, Self.balancedEvents) : .max)
      let queued = queuedEvents
      let failed = failure
      condition.unlock()
      metrics.queuedEvents.set(to: Double(queued))

      var group: [EventBatch] = []
      var waiting: [AnswerWaiter] = []
      var reads: [@Sendable (DecisionEngine) -> Void] = []
      for job in taken {
        switch job {
        case let .events(lines, waiter):
          group.append(lines)
          waiting.append(waiter)
        case let .read(body): reads.append(body)
        }
      }
      if !group.isEmpty {
        writtenEvents = group.reduce(0) { $0 + $1.count }
        decide(group, waiting, failed: failed)
      }
      if !reads.isEmpty {
        waitUntilSynced()
        for read in reads { read(engine) }
      }
    }
  }

  /// Takes the jobs queued, from the first, while their events come to at
  /// most `limit` (the first always taken); the caller holds ``condition``.
  private func takeJobs(upTo limit: Int) -> [Job] {
    var end = 0, events = 0
    for job in jobs {
      if case .events(let lines, _) = job {
        guard end == 0 || events + lines.count <= limit else { break }
        events += lines.count
      }
      end += 1
    }
    let taken = Array(jobs[..<end])
    jobs.removeFirst(end)
    queuedEvents -= events
    return taken
  }

  /// The sync stage's thread: fsyncs the WAL once for every group written
  /// meanwhile, then answers them; until stopped and empty.
  private func runSync() {
    guard let path = syncedPath else { return }
    while true {
      syncCondition.lock()
      while unsynced.isEmpty && !syncStopping { syncCondition.wait() }
      if unsynced.isEmpty {
        syncFinished = true
        syncCondition.broadcast()
        syncCondition.unlock()
        return
      }
      let taken = unsynced
      unsynced.removeAll(keepingCapacity: true)
      syncing = true
      syncCondition.broadcast()  // the writer may take its next group
      syncCondition.unlock()
      syncAndAnswer(taken, path: path)
    }
  }

  /// Fsyncs the WAL of the state file at `path` once for `taken` (written
  /// groups, in order; the caller holds the sync stage, ``syncing``),
  /// answers their requests, and releases the stage.
  private func syncAndAnswer(_ taken: [Unsynced], path: String) {
    syncCondition.lock()
    var problem = syncFailure
    syncCondition.unlock()
    if problem == nil {
      do throws(ServeError) {
        try walSyncing?(engine.committedEvents)
        try DecisionEngine.syncWAL(statePath: path)
      } catch {
        // After a failed fsync the kernel may have dropped the pages: nothing later is acknowledged either.
        problem = "fsync of the state file failed (\(error)); restart the service to recover from the file"
        logger.critical("fsync of the state file failed; no more events are taken", metadata: ["error": "\(error)"])
        condition.lock()
        failure = failure ?? problem
        condition.unlock()
      }
    }
    syncCondition.lock()
    if let problem {
      syncFailure = problem
    } else if let last = taken.last {
      syncedThrough = last.through
    }
    if readWaiting || problem != nil { syncCondition.broadcast() }
    syncCondition.unlock()
    // The feed first: a client answered reads its own decision in the feed.
    if problem == nil, let last = taken.last { feed.advance(to: last.through) }
    for group in taken {
      if let problem {
        for waiter in group.waiting { waiter.resume(throwing: ServeError.unavailable(reason: problem)) }
      } else {
        for (waiter, answer) in zip(group.waiting, group.answers) { waiter.resume(returning: answer) }
      }
    }
    syncCondition.lock()
    syncing = false  // nobody waits for it: a broadcast would only wake the sync stage's thread for nothing
    syncCondition.unlock()
  }

  /// Waits until the sync stage has taken the groups handed to it (the
  /// writer's `ready`): at most one group is fsynced while the next is
  /// written, and what arrives meanwhile waits to join a larger group (tiny
  /// groups would each cost a commit, and their WAL frames an fsync).
  private func waitForSyncToStart() {
    guard syncedPath != nil else { return }
    syncCondition.lock()
    while !unsynced.isEmpty && syncFailure == nil && !syncFinished { syncCondition.wait() }
    syncCondition.unlock()
  }

  /// Waits until every group decided is written (or failed) and every
  /// written one synced (or the sync stage failed): the writer is idle.
  private func waitUntilSynced() {
    writer.waitUntilIdle()
    guard syncedPath != nil else { return }
    let committed = engine.committedEvents
    syncCondition.lock()
    readWaiting = true
    while syncedThrough < committed && syncFailure == nil && !syncFinished { syncCondition.wait() }
    readWaiting = false
    syncCondition.unlock()
  }

  /// Lets the sync stage answer what it holds, then end; returns once it has.
  private func stopSync() {
    guard syncedPath != nil else { return }
    syncCondition.lock()
    syncStopping = true
    syncCondition.broadcast()
    while !syncFinished { syncCondition.wait() }
    syncCondition.unlock()
  }

  /// Decides `group` and writes a small one itself when the writer is
  /// idle, or hands it to the writer; or fails its requests
  /// when the service stopped taking events (`failed`) or it cannot be decided.
  private func decide(
    _ group: [EventBatch], _ waiting: [AnswerWaiter], failed: String?
  ) {
    if let failed {
      for waiter in waiting { waiter.resume(throwing: ServeError.unavailable(reason: failed)) }
      return
    }
    do throws(ServeError) {
      let job = GroupWriter.Job(group: try engine.decide(group), waiting: waiting)
      if !(isSmall(job.group) && writer.writeIfIdle(job)) { writer.submit(job) }
    } catch {
      let reason = "a read of the state file failed (\(error)); restart the service to recover from the file"
      condition.lock()
      failure = failure ?? reason
      condition.unlock()
      logger.critical("read of the state file failed; no more events are taken", metadata: ["error": "\(error)"])
      for waiter in waiting { waiter.resume(throwing: ServeError.unavailable(reason: reason)) }
    }
  }

  /// Whether `group` is small (``ServeConfiguration/smallGroupBytes``):
  /// written and fsynced on the thread that has it when the next stage is idle.
  private func isSmall(_ group: DecidedGroup) -> Bool {
    group.requests.reduce(0) { $0 + $1.bytes.count } <= smallGroupBytes
  }

  /// A group written (on the writer's thread, or the commit thread's for a
  /// small group): answered at once without an fsync; fsynced and answered
  /// on this thread when it is small and the sync stage is idle (so that it
  /// is not answered before an earlier group); otherwise handed to the sync stage.
  private func written(_ job: GroupWriter.Job) {
    guard let path = syncedPath else {
      feed.advance(to: job.group.endSeq)
      for (waiter, answer) in zip(job.waiting, job.group.responses) { waiter.resume(returning: answer) }
      return
    }
    let group = Unsynced(waiting: job.waiting, answers: job.group.responses, through: job.group.endSeq)
    syncCondition.lock()
    if isSmall(job.group) && unsynced.isEmpty && !syncing {
      syncing = true
      syncCondition.unlock()
      syncAndAnswer([group], path: path)
      return
    }
    unsynced.append(group)
    syncCondition.broadcast()
    syncCondition.unlock()
  }

  /// A write failed (on the writer's thread): no more events are taken.
  /// Returns why, for the requests the writer fails.
  private func writeFailed(_ error: ServeError) -> String {
    let reason = "a write to the state file failed (\(error)); restart the service to recover from the file"
    condition.lock()
    failure = failure ?? reason
    condition.unlock()
    logger.critical("write to the state file failed; no more events are taken", metadata: ["error": "\(error)"])
    return reason
  }
}
