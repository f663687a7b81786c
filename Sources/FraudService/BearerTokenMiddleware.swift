import Hummingbird
import Logging

/// Lets a request through only with `Authorization: Bearer TOKEN`, the
/// token compared in constant time (every byte is compared whatever the
/// first difference, and a length difference costs the same); otherwise
/// 401, logged with the method, path and why, never with the token sent.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: [UInt8]
  let logger: Logger

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let problem: String
    if let header = request.headers[.authorization] {
      let bytes = Array(header.utf8)
      let prefix = Array("Bearer ".utf8)
      if bytes.count >= prefix.count, bytes[..<prefix.count].elementsEqual(prefix) {
        if Self.constantTimeEqual(bytes[prefix.count...], token) { return try await next(request, context) }
        problem = "wrong token"
      } else {
        problem = "not a bearer token"
      }
    } else {
      problem = "no Authorization header"
    }
    logger.notice(
      "unauthorized request",
      metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "reason": "\(problem)"])
    return JSONResponse.error(
      .unauthorized, "a valid bearer token is needed (Authorization: Bearer TOKEN)",
      headers: [.wwwAuthenticate: "Bearer"])
  }

  /// Whether `a` equals `b`, in time that depends on their lengths only.
  static func constantTimeEqual(_ a: ArraySlice<UInt8>, _ b: [UInt8]) -> Bool {
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
