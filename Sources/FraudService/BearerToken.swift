import Hummingbird
import Logging

/// The service's bearer token, and the one check of a request's
/// `Authorization` header against it (``BearerTokenMiddleware`` and
/// ``EventsChannelHandler`` both ask it): the token is compared in constant
/// time (every byte is compared whatever the first difference, and a length
/// difference costs the same), and a refusal says why without the token sent.
struct BearerToken: Sendable {
  /// The token's bytes.
  let token: [UInt8]

  /// The answer to a request that may not pass: 401.
  static let refusal = Refusal(
    status: .unauthorized, message: "a valid bearer token is needed (Authorization: Bearer TOKEN)",
    headers: [.wwwAuthenticate: "Bearer"])

  /// Whether a request with the `Authorization` header `authorization` (nil
  /// when it has none) may pass; when it may not, logs the method, the path
  /// and why (never the token sent) to `logger`.
  func admits(authorization: String?, method: HTTPRequest.Method, path: String, logger: Logger) -> Bool {
    guard let problem = problem(authorization: authorization) else { return true }
    logger.notice(
      "unauthorized request", metadata: ["method": "\(method)", "path": "\(path)", "reason": "\(problem)"])
    return false
  }

  /// Why a request whose `Authorization` header is `authorization` (nil
  /// when it has none) may not pass, or nil when it may.
  func problem(authorization: String?) -> String? {
    guard var header = authorization else { return "no Authorization header" }
    // The header's own bytes, not a copy (`withUTF8` copies only a string that is not contiguous UTF-8).
    return header.withUTF8 { bytes -> String? in
      guard bytes.count >= Self.prefix.count, bytes[..<Self.prefix.count].elementsEqual(Self.prefix) else {
        return "not a bearer token"
      }
      return Self.constantTimeEqual(bytes[Self.prefix.count...], token) ? nil : "wrong token"
    }
  }

  /// The scheme before the token (a literal's bytes: nothing allocated).
  private static var prefix: String.UTF8View { "Bearer ".utf8 }

  /// Whether `a` equals `b`, in time that depends on their lengths only.
  static func constantTimeEqual(_ a: Slice<UnsafeBufferPointer<UInt8>>, _ b: [UInt8]) -> Bool {
    guard !b.isEmpty else { return false }
    var difference = UInt8(a.count == b.count ? 0 : 1)
    var i = a.startIndex
    for k in 0..<max(a.count, b.count) {
      let x: UInt8 = a.isEmpty ? 0 : a[i]
      difference |= x ^ b[k % b.count]
      if !a.isEmpty {
        i += 1
        if i == a.endIndex { i = a.startIndex }
      }
    }
    return difference == 0
  }
}
