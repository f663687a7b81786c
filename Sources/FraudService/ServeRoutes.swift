import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP endpoints (see `docs/openapi.yaml`), over one ``DecisionCore``.
struct ServeRoutes: Sendable {
  let core: DecisionCore
  let configuration: ServeConfiguration
  let metrics: ServiceMetrics
  let logger: Logger

  /// The token every `/v1` call needs.
  var token: BearerToken { BearerToken(token: Array(configuration.token.utf8)) }

  /// `POST /v1/events`, as ``EventsChannelHandler`` answers it too.
  var events: EventsEndpoint {
    EventsEndpoint(core: core, maxBodyBytes: configuration.maxBodyBytes, logger: logger)
  }

  func build() -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.get("/healthz") { _, _ in JSONResponse.ok(Array(#"{"status":"ok"}"#.utf8)) }
    router.get("/readyz") { _, _ in
      if let reason = core.notReadyReason { return JSONResponse.error(.serviceUnavailable, reason) }
      return JSONResponse.ok(Array(#"{"status":"ready"}"#.utf8))
    }
    router.get("/metrics") { _, _ in
      await core.refreshGauges()
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
    let v1 = router.group("v1").add(
      middleware: BearerTokenMiddleware(token: token, logger: logger))
    v1.post("events") { request, _ in try await postEvents(request) }
    v1.get("decisions") { request, _ in try await getDecisions(request) }
    v1.get("accounts/:id/score") { _, context in
      guard let raw = context.parameters.get("id") else { return JSONResponse.error(.badRequest, "no account id") }
      let account = raw.removingPercentEncoding ?? raw
      let report = try await core.score(account: account)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return JSONResponse.ok(Array(try encoder.encode(report)))
    }
    return router
  }

  private func postEvents(_ request: Request) async throws -> Response {
    let endpoint = events
    if let length = request.headers[.contentLength].flatMap({ Int($0) }),
      let refusal = endpoint.refusal(contentLength: length)
    {
      return refusal.response
    }
    do {
      let body: ByteBuffer
      do {
        body = try await request.body.collect(upTo: configuration.maxBodyBytes)
      } catch is NIOTooManyBytesError {
        throw endpoint.bodyTooLarge
      }
      let batch = try endpoint.batch(body, contentType: request.headers[.contentType])
      do {
        return JSONResponse.ok(try await core.submit(batch))
      } catch {
        throw endpoint.refusal(for: error)
      }
    } catch let refusal as Refusal {
      return refusal.response
    }
  }

  private func getDecisions(_ request: Request) async throws -> Response {
    let query = request.uri.queryParameters
    let after = query.get("after", as: Int.self) ?? -1
    let limit = min(max(query.get("limit", as: Int.self) ?? 1_000, 1), 10_000)
    let asked = query.get("wait", as: Double.self) ?? 0
    guard !asked.isNaN else {
      return JSONResponse.error(.badRequest, "wait: '\(query["wait"] ?? "")' is not a number of seconds")
    }
    let wait = min(max(asked, 0), Double(configuration.maxWaitSeconds))
    let deadline = ContinuousClock.now + .milliseconds(Int64(wait * 1_000))
    var rows = try await core.answers(after: after, limit: limit)
    // Long-poll: wait until a decision after `after` is durable (the pipeline wakes
    // the poll as the group that holds it becomes durable), the wait is over, or the
    // server shuts down (a long poll must not hold up the drain). A waiting poll does
    // not look again on a timer and takes no turn on the commit thread.
    if rows.isEmpty, ContinuousClock.now < deadline {
      rows = try await metrics.waitingPoll {
        var rows = rows
        try await withGracefulShutdownHandler {
          while rows.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled, !core.longPollsEnded {
            await core.waitForDecision(after: after, until: deadline)
            guard core.durableEvents - 1 > max(after, -1) else { continue }
            rows = try await core.answers(after: after, limit: limit)
          }
        } onGracefulShutdown: {
          core.endLongPolls()
        }
        return rows
      }
    }
    var out: [UInt8] = Array(#"{"decisions":["#.utf8)
    var first = true
    for row in rows {
      for line in row.answer.split(separator: 0x0A) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out += line
      }
    }
    out += #"],"next":"#.utf8
    out += String(rows.last?.seq ?? after).utf8
    out.append(UInt8(ascii: "}"))
    return JSONResponse.ok(out)
  }
}
