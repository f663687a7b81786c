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
    if var header = request.headers[.authorization] {
      // The header's own bytes, not a copy (`withUTF8` copies only a string that is not contiguous UTF-8).
      let verdict = header.withUTF8 { bytes -> String? in
        guard bytes.count >= Self.prefix.count, bytes[..<Self.prefix.count].elementsEqual(Self.prefix) else {
          return "not a bearer token"
        }
        return Self.constantTimeEqual(bytes[Self.prefix.count...], token) ? nil : "wrong token"
      }
      guard let verdict else { return try await next(request, context) }
      problem = verdict
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
