import Hummingbird

/// A request answered with an error: its status, a message a person
/// understands, and any extra headers (`Retry-After`, `WWW-Authenticate`);
/// the body is `{"error": message}` (``JSONResponse/errorBody(_:)``).
struct Refusal: Error {
  var status: HTTPResponse.Status
  var message: String
  var headers: HTTPFields = [:]

  /// The refusal as a router's response.
  var response: Response { JSONResponse.error(status, message, headers: headers) }
}
