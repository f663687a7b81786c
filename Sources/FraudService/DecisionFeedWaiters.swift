import Synchronization

/// The events the decision feed (`GET /v1/decisions`) may show, and its
/// long polls, each waiting for an event after its seq to become durable:
/// woken by the pipeline, not by looking again on a timer.
///
/// The pipeline's last stage calls ``advance(to:)`` with the events durable
/// once a group is (after its commit and, with ``Durability/fsync``, its
/// fsync), just before it answers the group's requests; never for a group
/// whose write or fsync failed. A wait ends when an event after its seq is
/// durable, at its deadline, when its task is cancelled, or when the server
/// shuts down (``close()``). Each ``advance(to:)`` takes one lock, and reads
/// every waiting poll only when there are any (tens, not thousands: each
/// holds a connection).
///
///     let waiters = DecisionFeedWaiters(durable: 0)
///     Task { waiters.advance(to: 1) }  // seq 0 decided and durable
///     await waiters.wait(after: -1, until: .now + .seconds(5))
///     waiters.durable  // 1
final class DecisionFeedWaiters: Sendable {
  private struct State {
    /// Events durable: seq 0 ..< durable.
    var durable: Int
    /// The server is shutting down: no wait begins or lasts.
    var closed = false
    var nextID = 0
    /// The waiting polls by id, each with the seq it waits to see passed.
    var waiting: [Int: (after: Int, continuation: CheckedContinuation<Void, Never>)] = [:]

    /// Whether a poll waiting for an event after `seq` may stop waiting.
    func isOver(after seq: Int) -> Bool { closed || durable - 1 > seq }

    /// Removes the waits that are over and returns their continuations.
    mutating func takeOver() -> [CheckedContinuation<Void, Never>] {
      guard !waiting.isEmpty else { return [] }
      let over = waiting.filter { isOver(after: $0.value.after) }
      for id in over.keys { waiting[id] = nil }
      return over.values.map(\.continuation)
    }
  }

  private let state: Mutex<State>

  /// Waiters over a feed whose events seq 0 ..< `durable` are durable already.
  init(durable: Int) {
    state = Mutex(State(durable: durable))
  }

  /// Events durable: seq 0 ..< this.
  var durable: Int { state.withLock { $0.durable } }

  /// The polls waiting now.
  var count: Int { state.withLock { $0.waiting.count } }

  /// Whether ``close()`` was called.
  var isClosed: Bool { state.withLock { $0.closed } }

  /// Records that seq 0 ..< `durable` are durable, and wakes the polls
  /// waiting for one of them. Costs one lock when nobody waits.
  func advance(to durable: Int) {
    let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard durable > state.durable else { return [] }
      state.durable = durable
      return state.takeOver()
    }
    for continuation in woken { continuation.resume() }
  }

  /// Ends every wait, and every later one at once: the server is shutting
  /// down, and a long poll must not hold up its drain.
  func close() {
    let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.closed = true
      return state.takeOver()
    }
    for continuation in woken { continuation.resume() }
  }

  /// Returns once an event after `seq` is durable, at `deadline`, when the
  /// task is cancelled, or once ``close()`` is called, whichever is first.
  func wait(after seq: Int, until deadline: ContinuousClock.Instant) async {
    let seq = max(seq, -1)  // no event comes before seq 0: -1 already waits for the first
    guard !state.withLock({ $0.isOver(after: seq) }) else { return }
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.waitForDurable(after: seq) }
      group.addTask { try? await Task.sleep(until: deadline) }
      await group.next()
      group.cancelAll()
    }
  }

  /// Returns once an event after `seq` is durable, when the task is
  /// cancelled, or once ``close()`` is called.
  private func waitForDurable(after seq: Int) async {
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        // Cancelled before this point: the handler found nothing to resume,
        // and the flag, set before it ran, is seen here under the lock.
        let waits = state.withLock { state in
          guard !state.isOver(after: seq), !Task.isCancelled else { return false }
          state.waiting[id] = (seq, continuation)
          return true
        }
        if !waits { continuation.resume() }
      }
    } onCancel: {
      state.withLock { $0.waiting.removeValue(forKey: id)?.continuation }?.resume()
    }
  }
}
