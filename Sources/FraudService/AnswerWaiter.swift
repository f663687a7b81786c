import Synchronization

/// Whoever waits for a request's answer (its response body): a suspended
/// task (``DecisionCore/submit(_:)``) or a callback that writes the response
/// on the connection's event loop (``EventsChannelHandler``).
///
/// It is resumed exactly once, by whichever pipeline stage answers the
/// request's group.
///
/// A continuation traps when resumed twice; a callback would not, so debug
/// builds check that each waiter is answered once.
struct AnswerWaiter: Sendable {
  private let deliver: @Sendable (Result<[UInt8], any Error>) -> Void

  /// A waiter that hands the answer, or the error, to `deliver`.
  init(_ deliver: @escaping @Sendable (Result<[UInt8], any Error>) -> Void) {
    #if DEBUG
      let answered = Answered()
      self.deliver = { result in
        precondition(!answered.flag.exchange(true, ordering: .relaxed), "a request answered twice")
        deliver(result)
      }
    #else
      self.deliver = deliver
    #endif
  }

  /// A waiter that resumes `continuation`.
  init(_ continuation: CheckedContinuation<[UInt8], any Error>) {
    deliver = { continuation.resume(with: $0) }
  }

  /// Answers with `answer`.
  func resume(returning answer: [UInt8]) { deliver(.success(answer)) }

  /// Answers with `error`.
  func resume(throwing error: any Error) { deliver(.failure(error)) }
}

#if DEBUG
  /// Whether a waiter was answered (debug builds).
  private final class Answered: Sendable {
    let flag = Atomic<Bool>(false)
  }
#endif
