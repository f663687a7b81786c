import Foundation

/// The writer stage of the service's pipeline (``CommitQueue``): a thread
/// that writes each group the commit thread decided (``DecidedGroup``), in
/// one transaction per group (``DecisionEngine/write(_:)``) and in the
/// order they were decided, then hands it on (to the sync stage, which
/// fsyncs and answers, or straight to its requests without an fsync).
///
/// **Three stages.** The commit thread decides group N+2 (or N+3, with
/// N+2 waiting here) while this thread writes group N+1 and the sync
/// stage fsyncs group N. At most
/// ``queueDepth`` decided groups wait for this thread: the commit thread
/// takes its next requests only while fewer do (``waitForRoom()``), so that
/// it may decide one group ahead and this thread, done with a group, finds
/// the next one decided rather than waiting for it. This thread takes the
/// groups waiting only once the next stage is ready for them (`ready`, the
/// sync stage having taken what it was given). Requests arriving meanwhile
/// wait to join a larger group: a small group costs a transaction and an
/// fsync as a large one does.
///
/// **Failure.** When a write fails, nothing later is written or answered
/// but with 503: that group's requests and every later group's (already
/// queued here, or handed over after) fail with
/// ``ServeError/unavailable(reason:)``, and the checkpoint a failed group
/// carries is abandoned. `failed` tells the queue first, which stops
/// taking events. The groups written before stay written and are answered.
///
/// **Idle.** When the writer holds no group, the commit thread may write a
/// small one itself (``writeIfIdle(_:)``), counted as taken meanwhile, so
/// that the writer's thread takes nothing until it is written and handed on.
///
/// The queue is guarded by ``condition``; the rest is the thread's own.
final class GroupWriter: @unchecked Sendable {
  /// A decided group and the requests waiting for its answers (``DecidedGroup/responses``, in the same order).
  struct Job {
    var group: DecidedGroup
    var waiting: [AnswerWaiter]
  }

  private let condition = NSCondition()
  private var queue: [Job] = []
  /// Groups taken by the thread and not yet handed on (or failed).
  private var taken = 0
  private var stopping = false
  private var finished = false
  /// Why groups are not written any more (the thread's own, or the
  /// commit thread's while it writes a group in its stead: ``writeIfIdle(_:)``).
  private var failure: String?

  private let write: (DecidedGroup) throws(ServeError) -> Void
  private let ready: () -> Void
  private let written: (Job) -> Void
  private let failed: (ServeError) -> String

  /// A writer that writes each group with `write`, hands each written one
  /// to `written`, waits for `ready` before it takes the next, and reports
  /// a failed write to `failed`, which returns the reason later requests
  /// are refused with. Its thread runs from ``start()`` to ``stop()``.
  init(
    write: @escaping (DecidedGroup) throws(ServeError) -> Void, ready: @escaping () -> Void,
    written: @escaping (Job) -> Void, failed: @escaping (ServeError) -> String
  ) {
    self.write = write
    self.ready = ready
    self.written = written
    self.failed = failed
  }

  /// Starts the thread.
  func start() {
    Thread.start(named: "serve-writer") { [self] in run() }
  }

  /// Queues a decided group, after every group submitted before it.
  func submit(_ job: Job) {
    condition.lock()
    queue.append(job)
    condition.broadcast()
    condition.unlock()
  }

  /// Writes `job` on the calling thread and hands it on, when the writer
  /// is idle (no group queued nor being written); returns false, having
  /// done nothing, otherwise.
  func writeIfIdle(_ job: Job) -> Bool {
    condition.lock()
    guard queue.isEmpty && taken == 0 && !stopping else {
      condition.unlock()
      return false
    }
    taken = 1
    condition.unlock()
    handle(job)
    condition.lock()
    taken = 0  // no broadcast: the caller is the only thread that waits for it, and the writer's would wake for nothing
    condition.unlock()
    return true
  }

  /// The most decided groups waiting for the thread (not yet taken):
  /// two, so that the commit thread decides the next group while one
  /// waits. With one, the two threads took turns waiting for each other
  /// whenever their groups took unequal times (each of them asleep about a
  /// fifth of the time under batches, measured); more would only hold more
  /// requests decided and unanswered.
  static let queueDepth = 2

  /// Waits until fewer than ``queueDepth`` groups wait for the thread (or
  /// it has ended): the commit thread then decides its next group.
  func waitForRoom() {
    condition.lock()
    while queue.count >= Self.queueDepth && !finished { condition.wait() }
    condition.unlock()
  }

  /// Waits until every group submitted is written and handed on, or
  /// failed: the log's connection is then free for the commit thread.
  func waitUntilIdle() {
    condition.lock()
    while (!queue.isEmpty || taken > 0) && !finished { condition.wait() }
    condition.unlock()
  }

  /// Groups submitted and not yet written and handed on (nor failed).
  var groupsInFlight: Int {
    condition.lock()
    defer { condition.unlock() }
    return queue.count + taken
  }

  /// Lets the thread write (or fail) what it holds, then end; returns once it has.
  func stop() {
    condition.lock()
    stopping = true
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }

  private func run() {
    while true {
      ready()
      condition.lock()
      while queue.isEmpty && !stopping { condition.wait() }
      if queue.isEmpty {
        finished = true
        condition.broadcast()
        condition.unlock()
        return
      }
      let jobs = queue
      queue.removeAll(keepingCapacity: true)
      taken = jobs.count
      condition.broadcast()  // the commit thread may decide its next group
      condition.unlock()

      for job in jobs { handle(job) }

      condition.lock()
      taken = 0
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Writes one group and hands it on, or fails its requests.
  private func handle(_ job: Job) {
    if let failure {
      job.group.abandon(.unavailable(reason: failure))
      for waiter in job.waiting { waiter.resume(throwing: ServeError.unavailable(reason: failure)) }
      return
    }
    do throws(ServeError) {
      try write(job.group)
    } catch {
      let reason = failed(error)
      failure = reason
      for waiter in job.waiting { waiter.resume(throwing: ServeError.unavailable(reason: reason)) }
      return
    }
    written(job)
  }
}
