import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// `POST /v1/events` answered on the connection's event loop, without the
/// hops of a routed request: a Hummingbird channel handler
/// (`HTTP1Channel.Configuration.additionalChannelHandlers`, between the
/// HTTP decoder and Hummingbird's request handling).
///
/// A routed request crosses threads four times: the event loop hands its
/// parts to the connection's task on Swift's cooperative pool, the task
/// hands the events to the commit thread (``DecisionCore``), the answer
/// resumes the task on the pool, and the task hands the response back to
/// the event loop. On a 2-core machine under single-event load those hops
/// cost about three times what deciding and storing the event does
/// (BENCHMARKS.md, issue 13). Here the event loop reads the request, hands
/// its events to the commit thread with a callback, and the callback
/// writes the answer on the event loop: two hops. Only requests with a
/// `Content-Length` of at most ``largestBody`` are taken here; larger
/// batches, whose events outweigh the hops, go to the router.
///
/// **The same endpoint.** The request is checked and answered as the
/// router's route does, by the same code: the token (``BearerToken``), the
/// body limit and the events (``EventsEndpoint``), the metrics by route and
/// status (``ServiceMetrics``), the answer durable before it is written.
///
/// **Order on the connection.** HTTP/1.1 answers requests in order. A
/// request is taken here only when the router owes the connection no
/// response (every request passed on has had its response's end written);
/// while one taken here is decided, later parts wait (``held``) and are
/// read again once it is answered. Everything else goes on to the router.
///
/// **Shutdown.** The server's quiesce event (the graceful shutdown) is held
/// while a request taken here is unanswered, so that the connection is not
/// closed under it; then it goes on, and Hummingbird closes the idle
/// connection. A request with `Connection: close` closes it once answered,
/// as Hummingbird does.
final class EventsChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  private let endpoint: EventsEndpoint
  private let token: BearerToken
  private let metrics: ServiceMetrics
  private let serverName: String

  /// A request taken here, being read.
  private struct Incoming {
    var head: HTTPRequest
    var body: ByteBuffer
    var start: ContinuousClock.Instant
    /// The refusal already due (a wrong token, a body over the limit): the
    /// body is read and dropped, then the refusal is written.
    var refusal: Refusal?
  }

  private var reading: Incoming?
  /// A request taken here is with the core; its answer is not yet written.
  private var deciding = false
  private var closeAfterAnswer = false
  /// Parts read while ``deciding``, read again once the answer is written.
  private var held: [NIOAny] = []
  /// A read from the socket asked for while ``deciding``, to be done after.
  private var readPending = false
  /// Requests passed on to the router whose response has not ended.
  private var passedOn = 0
  /// Between the head and the end of a request passed on.
  private var passingRequest = false
  /// The quiesce event, held while a request taken here is unanswered.
  private var quiesce: Any?
  private var date = HTTPDate()

  /// A handler answering `POST /v1/events` through `endpoint`, for callers with `token`.
  init(endpoint: EventsEndpoint, token: BearerToken, metrics: ServiceMetrics, serverName: String) {
    self.endpoint = endpoint
    self.token = token
    self.metrics = metrics
    self.serverName = serverName
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if deciding { return held.append(data) }
    let part = unwrapInboundIn(data)
    if reading != nil {
      switch part {
      case .body(let bytes): append(bytes)
      case .end: decide(context)
      case .head: context.close(promise: nil)  // a head before the end: the decoder never reads one
      }
      return
    }
    if case .head(let head) = part, !passingRequest, passedOn == 0, Self.takes(head) {
      reading = begin(head)
      return
    }
    switch part {
    case .head:
      passedOn += 1
      passingRequest = true
    case .end: passingRequest = false
    case .body: break
    }
    context.fireChannelRead(data)
  }

  /// No more reads from the socket while a request taken here is decided
  /// (what one read brought waits in ``held``): a client pipelining without
  /// end meets back-pressure, not a growing buffer.
  func read(context: ChannelHandlerContext) {
    guard !deciding else {
      readPending = true
      return
    }
    context.read()
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) { passedOn -= 1 }
    context.write(data, promise: promise)
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is ChannelShouldQuiesceEvent, deciding || reading != nil {
      quiesce = event
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  /// The largest body taken here. Single events and small batches are the
  /// requests whose hops cost as much as their events; a large batch (or a
  /// body of unknown length) goes to the router, so that splitting it does
  /// not hold up the other connections of this event loop.
  static let largestBody = 64 << 10

  /// Whether `head` is a request for this handler: `POST /v1/events` with
  /// a `Content-Length` of at most ``largestBody``.
  static func takes(_ head: HTTPRequest) -> Bool {
    guard head.method == .post, let path = head.path,
      path == EventsEndpoint.path || path.hasPrefix(EventsEndpoint.path + "?"),
      let length = head.headerFields[.contentLength].flatMap({ Int($0) })
    else { return false }
    return length <= largestBody
  }

  /// A request taken here, with the refusal its head already earns.
  private func begin(_ head: HTTPRequest) -> Incoming {
    let fields = head.headerFields
    var incoming = Incoming(head: head, body: ByteBuffer(), start: .now)
    if !token.admits(
      authorization: fields[.authorization], method: head.method, path: EventsEndpoint.path, logger: endpoint.logger)
    {
      incoming.refusal = BearerToken.refusal
    } else if let length = fields[.contentLength].flatMap({ Int($0) }) {
      incoming.refusal = endpoint.refusal(contentLength: length)
    }
    return incoming
  }

  /// Adds `bytes` to the request's body (at most its `Content-Length`,
  /// which the decoder holds it to), or drops them once it is refused.
  private func append(_ bytes: ByteBuffer) {
    guard reading!.refusal == nil else { return }
    var bytes = bytes
    reading!.body.writeBuffer(&bytes)
  }

  /// The request has been read: refuses it, or hands its events to the core.
  private func decide(_ context: ChannelHandlerContext) {
    let incoming = reading!
    reading = nil
    deciding = true
    closeAfterAnswer = incoming.head.headerFields[.connection] == "close"
    let start = incoming.start
    if let refusal = incoming.refusal { return answer(context, refusal, start: start) }
    let batch: EventBatch
    do {
      batch = try endpoint.batch(incoming.body, contentType: incoming.head.headerFields[.contentType])
    } catch {
      return answer(context, error, start: start)
    }
    let loop = context.eventLoop
    let bound = NIOLoopBound((self, context), eventLoop: loop)
    let endpoint = endpoint
    endpoint.core.submit(batch) { result in
      loop.execute {
        let (handler, context) = bound.value
        switch result {
        case .success(let body): handler.write(context, status: .ok, headers: [:], body: body, start: start)
        case .failure(let error): handler.answer(context, endpoint.refusal(for: error), start: start)
        }
      }
    }
  }

  private func answer(_ context: ChannelHandlerContext, _ refusal: Refusal, start: ContinuousClock.Instant) {
    write(
      context, status: refusal.status, headers: refusal.headers, body: JSONResponse.errorBody(refusal.message),
      start: start)
  }

  /// Writes the answer, then reads on: the parts held meanwhile, and the
  /// quiesce event if no request taken here is left.
  private func write(
    _ context: ChannelHandlerContext, status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8],
    start: ContinuousClock.Instant
  ) {
    var fields = headers
    fields[.contentType] = JSONResponse.contentType
    fields[.contentLength] = String(body.count)
    fields[.server] = serverName
    fields[.date] = date.now()
    context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
    context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    metrics.latency(route: EventsEndpoint.path).record(ContinuousClock.now - start)
    metrics.response(route: EventsEndpoint.path, status: status.code)
    deciding = false
    if closeAfterAnswer { return context.close(promise: nil) }
    let parts = held
    held.removeAll()
    for part in parts { channelRead(context: context, data: part) }
    if !parts.isEmpty { context.fireChannelReadComplete() }  // the router's reader delivers what it has on this
    guard !deciding else { return }
    if readPending {
      readPending = false
      context.read()
    }
    if reading == nil, let event = quiesce {
      quiesce = nil
      context.fireUserInboundEventTriggered(event)
    }
  }
}
