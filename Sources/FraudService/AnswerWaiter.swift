/// Whoever waits for a request's answer (its response body): a suspended
/// task (``DecisionCore/submit(_:)``) or a callback that writes the response
/// on the connection's event loop (``EventsChannelHandler``).
///
/// It is resumed exactly once, by whichever pipeline stage answers the
/// request's group.
struct AnswerWaiter: Sendable {
  private let deliver: @Sendable (Result<[UInt8], any Error>) -> Void

  /// A waiter that hands the answer, or the error, to `deliver`.
  init(_ deliver: @escaping @Sendable (Result<[UInt8], any Error>) -> Void) {
    self.deliver = deliver
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
