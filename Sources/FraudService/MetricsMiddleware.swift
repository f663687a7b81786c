import Hummingbird

/// Records each response's latency and status by route.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: ServiceMetrics

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let start = ContinuousClock.now
    let route = Self.route(request.uri.path)
    do {
      let response = try await next(request, context)
      metrics.latency(route: route).record(ContinuousClock.now - start)
      metrics.response(route: route, status: response.status.code)
      return response
    } catch {
      metrics.latency(route: route).record(ContinuousClock.now - start)
      metrics.response(route: route, status: (error as? any HTTPResponseError)?.status.code ?? 500)
      throw error
    }
  }

  /// The route's label: the path with the account id left out.
  static func route(_ path: String) -> String {
    if path.hasPrefix("/v1/accounts/") { return "/v1/accounts/{id}/score" }
    switch path {
    case "/v1/events", "/v1/decisions", "/healthz", "/readyz", "/metrics": return path
    default: return "other"
    }
  }
}
