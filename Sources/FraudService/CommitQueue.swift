import Foundation
import Logging

/// The queue between the requests and the commit thread of ``DecisionCore``,
/// and the thread's loop (``run()``).
///
/// Everything but ``engine`` is guarded by ``condition``; ``engine`` is
/// touched by the commit thread only (hence `@unchecked Sendable`).
final class CommitQueue: @unchecked Sendable {
  typealias Answer = DecisionEngine.Answer

  private enum Job {
    /// The lines of one request, and the request waiting for their answers.
    case events([[UInt8]], CheckedContinuation<[Answer], any Error>)
    /// Work on the engine between groups; it resumes its own caller.
    case read(@Sendable (DecisionEngine) -> Void)
  }

  private let engine: DecisionEngine
  private let limit: Int
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

  init(engine: DecisionEngine, limit: Int, metrics: ServiceMetrics, logger: Logger) {
    self.engine = engine
    self.limit = limit
    self.metrics = metrics
    self.logger = logger
  }

  /// Why events are not taken, or nil.
  var notReadyReason: String? {
    condition.lock()
    defer { condition.unlock() }
    return failure ?? (closing ? "shutting down" : nil)
  }

  /// Queues a request's lines, or refuses them at once (see ``DecisionCore/submit(_:)``).
  func submit(_ lines: [[UInt8]], _ continuation: CheckedContinuation<[Answer], any Error>) {
    condition.lock()
    defer { condition.unlock() }
    if let failure { return continuation.resume(throwing: ServeError.unavailable(reason: failure)) }
    if closing { return continuation.resume(throwing: ServeError.unavailable(reason: "shutting down")) }
    guard lines.count <= limit else {
      return continuation.resume(throwing: ServeError.batchTooLarge(events: lines.count, limit: limit))
    }
    guard queuedEvents + lines.count <= limit else {
      return continuation.resume(throwing: ServeError.overloaded(queuedEvents: queuedEvents, limit: limit))
    }
    jobs.append(.events(lines, continuation))
    queuedEvents += lines.count
    metrics.queuedEvents.set(to: Double(queuedEvents))
    condition.signal()
  }

  /// Runs `body` on the commit thread, between groups.
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

  /// The commit thread: takes everything queued, commits the events as one
  /// group, answers them, runs the reads; until closed and empty.
  func run() {
    while true {
      condition.lock()
      while jobs.isEmpty && !closed { condition.wait() }
      if jobs.isEmpty {
        finished = true
        let waiting = drained
        drained.removeAll()
        condition.unlock()
        for continuation in waiting { continuation.resume() }
        return
      }
      let taken = jobs
      jobs.removeAll(keepingCapacity: true)
      queuedEvents = 0
      let failed = failure
      condition.unlock()
      metrics.queuedEvents.set(to: 0)

      var group: [[[UInt8]]] = []
      var waiting: [CheckedContinuation<[Answer], any Error>] = []
      var reads: [@Sendable (DecisionEngine) -> Void] = []
      for job in taken {
        switch job {
        case let .events(lines, continuation):
          group.append(lines)
          waiting.append(continuation)
        case let .read(body): reads.append(body)
        }
      }
      if !group.isEmpty { commit(group, waiting, failed: failed) }
      for read in reads { read(engine) }
    }
  }

  private func commit(
    _ group: [[[UInt8]]], _ waiting: [CheckedContinuation<[Answer], any Error>], failed: String?
  ) {
    if let failed {
      for continuation in waiting { continuation.resume(throwing: ServeError.unavailable(reason: failed)) }
      return
    }
    do throws(ServeError) {
      let answers = try engine.process(group)
      for (continuation, answer) in zip(waiting, answers) { continuation.resume(returning: answer) }
    } catch {
      let reason = "a write to the state file failed (\(error)); restart the service to recover from the file"
      condition.lock()
      failure = reason
      condition.unlock()
      logger.critical("write to the state file failed; no more events are taken", metadata: ["error": "\(error)"])
      for continuation in waiting { continuation.resume(throwing: ServeError.unavailable(reason: reason)) }
    }
  }
}
