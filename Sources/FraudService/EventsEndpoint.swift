import Hummingbird
import Logging
import NIOCore

/// What `POST /v1/events` answers, whichever path carries the request (the
/// router's route in ``ServeRoutes``, or ``EventsChannelHandler`` on the
/// connection's event loop): the body limit, how a body becomes event lines,
/// and which status each refusal gets.
struct EventsEndpoint: Sendable {
  /// The path of the endpoint.
  static let path = "/v1/events"

  let core: DecisionCore
  /// ``ServeConfiguration/maxBodyBytes``.
  let maxBodyBytes: Int
  let logger: Logger

  /// The refusal of a body announced as `length` bytes, when that is over the limit.
  func refusal(contentLength length: Int) -> Refusal? {
    guard length > maxBodyBytes else { return nil }
    return Refusal(
      status: .contentTooLarge, message: "the body has \(length) bytes, more than the limit of \(maxBodyBytes)")
  }

  /// The refusal of a body found larger than the limit as it is read.
  var bodyTooLarge: Refusal {
    Refusal(status: .contentTooLarge, message: "the body is larger than the limit of \(maxBodyBytes) bytes")
  }

  /// The event lines of `body`: one JSON event when the content type is
  /// `application/json`, else NDJSON (``EventLines``).
  ///
  /// - Throws: a 400 ``Refusal`` when the body holds no event.
  func batch(_ body: ByteBuffer, contentType: String?) throws(Refusal) -> EventBatch {
    let single = contentType.map { $0.lowercased().hasPrefix("application/json") } ?? false
    let batch = EventLines.split(body, singleObject: single)
    guard batch.count > 0 else { throw Refusal(status: .badRequest, message: "the body holds no event") }
    return batch
  }

  /// The answer to a request whose events ``DecisionCore`` did not decide.
  func refusal(for error: any Error) -> Refusal {
    guard let error = error as? ServeError else {
      logger.error("events not decided", metadata: ["error": "\(error)"])
      return Refusal(status: .internalServerError, message: "\(error)")
    }
    switch error {
    case .overloaded:
      return Refusal(status: .serviceUnavailable, message: error.description, headers: [.retryAfter: "1"])
    case .batchTooLarge:
      return Refusal(status: .contentTooLarge, message: error.description)
    case .unavailable:
      return Refusal(status: .serviceUnavailable, message: error.description, headers: [.retryAfter: "5"])
    default:
      logger.error("events not decided", metadata: ["error": "\(error)"])
      return Refusal(status: .internalServerError, message: error.description)
    }
  }
}
