import Hummingbird
import Logging

/// Lets a request through only with `Authorization: Bearer TOKEN`
/// (``BearerToken``); otherwise 401, logged with the method, path and why,
/// never with the token sent.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: BearerToken
  let logger: Logger

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    guard
      token.admits(
        authorization: request.headers[.authorization], method: request.method, path: request.uri.path, logger: logger)
    else {
      return BearerToken.refusal.response
    }
    return try await next(request, context)
  }
}
