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
/// response (every request passed on has had its response's end written)
/// and has not been told to close it. While one taken here is decided,
/// whatever the decoder reads next (parts and errors alike) waits in
/// ``held`` and goes on, in order, once it is answered; reads from the
/// socket pause meanwhile, and while the socket is not writable (a client
/// that does not read its answers meets back-pressure, not a growing buffer).
///
/// **Closing.** The server's quiesce event (the graceful shutdown) is held
/// while a request taken here is unanswered, so that the connection is not
/// closed under it; then it goes on, and Hummingbird closes the idle
/// connection. A request with `Connection: close` half-closes the
/// connection once answered (as Hummingbird does), and what the client
/// sends after it is read and dropped.
///
/// **Idle connections.** `HTTPConnectionStateHandler` never sees the
/// requests taken here, so Hummingbird's idle timeout would close a
/// connection under one. The server puts an `IdleStateHandler` before this
/// handler instead (``ServeConfiguration/idleTimeoutSeconds``), and this
/// handler decides on its read-idle event (``idleEventTriggered(_:)``). It
/// closes the connection when nothing is read from the client for the
/// timeout, its last answer was written at least the timeout before, and
/// the server owes it nothing it is working on: a request decided here
/// keeps the connection, and so does one the router is answering (a long
/// poll may wait for minutes). What a stalled client holds is closed: idle
/// between requests, a request it stopped sending (one byte a minute of a
/// header never becomes a part; a body stopped half-way, here or routed),
/// and answers it stopped reading (the socket unwritable for the timeout).
/// The event goes no further.
final class EventsChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// The largest body taken here. Single events and small batches are the
  /// requests whose hops cost as much as their events; a large batch (or a
  /// body of unknown length) goes to the router, so that splitting it does
  /// not hold up the other connections of this event loop.
  static let largestBody = 64 << 10

  private let endpoint: EventsEndpoint
  private let token: BearerToken
  private let metrics: ServiceMetrics
  private let serverName: String
  /// The idle timeout (``ServeConfiguration/idleTimeoutSeconds``), if any.
  private let idleTimeout: TimeAmount?

  /// A request taken here, being read.
  private struct Incoming {
    var head: HTTPRequest
    var body: ByteBuffer
    var start: ContinuousClock.Instant
    /// The refusal already due (a wrong token, a body over the limit): the
    /// body is read and dropped, then the refusal is written.
    var refusal: Refusal?
  }

  /// What the decoder passed on while a request taken here was decided.
  private enum Held {
    case part(NIOAny)
    case error(any Error)
  }

  private var reading: Incoming?
  /// A request taken here is with the core; its answer is not yet written.
  private var deciding = false
  private var closeAfterAnswer = false
  /// Parts and errors read while ``deciding``, passed on in order once the answer is written.
  private var held: [Held] = []
  /// ``resume(_:)`` is passing ``held`` on (a part it passes on may start
  /// and finish another request, whose answer must not resume again).
  private var resuming = false
  /// A read from the socket asked for while reads are paused, to be done after.
  private var readPending = false
  /// Requests passed on to the router whose response has not ended.
  private var passedOn = 0
  /// Between the head and the end of a request passed on.
  private var passingRequest = false
  /// The router was asked to close the connection (`Connection: close`):
  /// nothing after it is taken here.
  private var routerCloses = false
  /// The connection is half-closed after a `Connection: close` answered here.
  private var closed = false
  /// The quiesce event arrived while a request taken here was unanswered.
  private var quiesceHeld = false
  /// When the last answer's end was written (here or by the router).
  private var lastAnswer = NIODeadline.now()
  /// Since when the socket has not been writable, while it is not.
  private var unwritableSince: NIODeadline?
  private var date = HTTPDate()

  /// A handler answering `POST /v1/events` through `endpoint`, for callers
  /// with `token`, closing the connection once idle for `idleTimeout`.
  init(
    endpoint: EventsEndpoint, token: BearerToken, metrics: ServiceMetrics, serverName: String,
    idleTimeout: TimeAmount? = nil
  ) {
    self.endpoint = endpoint
    self.token = token
    self.metrics = metrics
    self.serverName = serverName
    self.idleTimeout = idleTimeout
  }

  // MARK: - Inbound

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if closed { return }
    if deciding {
      held.append(.part(data))
      return
    }
    let part = unwrapInboundIn(data)
    if reading != nil {
      switch part {
      case .body(let bytes): append(bytes)
      case .end: decide(context)
      case .head: context.close(promise: nil)  // a head before the end: the decoder never reads one
      }
      return
    }
    if case .head(let head) = part, !passingRequest, passedOn == 0, !routerCloses, let length = Self.length(head) {
      reading = begin(head, length: length)
      return
    }
    switch part {
    case .head(let head):
      passedOn += 1
      passingRequest = true
      if head.headerFields[.connection] == "close" { routerCloses = true }
    case .end: passingRequest = false
    case .body: break
    }
    context.fireChannelRead(data)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if deciding { return held.append(.error(error)) }
    reading = nil  // a request broken off: the router answers the error and closes
    context.fireErrorCaught(error)
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let idle = event as? IdleStateHandler.IdleStateEvent {
      if idleEventTriggered(idle) {
        metrics.idleConnectionsClosed.increment()
        context.close(promise: nil)
      }
      return
    }
    if event is ChannelShouldQuiesceEvent, deciding || reading != nil || !held.isEmpty {
      quiesceHeld = true
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    unwritableSince = context.channel.isWritable ? nil : (unwritableSince ?? .now())
    if context.channel.isWritable, readPending, !deciding {
      readPending = false
      context.read()
    }
    context.fireChannelWritabilityChanged()
  }

  // MARK: - Outbound

  /// No reads from the socket while a request taken here is decided (what
  /// one read brought waits in ``held``) or while the socket is not writable.
  func read(context: ChannelHandlerContext) {
    guard !deciding, context.channel.isWritable else {
      readPending = true
      return
    }
    context.read()
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) {
      passedOn = max(passedOn - 1, 0)
      lastAnswer = .now()
    }
    context.write(data, promise: promise)
  }

  // MARK: - Idle

  /// Whether the read-idle event `event` closes the connection: nothing
  /// read for the timeout, no answer written within it, and nothing owed
  /// that the server is working on. A request decided here, or answered by
  /// the router while its client has sent all of it, is work in progress;
  /// a request its client is still sending is not (a routed one only when
  /// the router owes no earlier answer), nor is an answer the client stopped
  /// reading for the timeout.
  func idleEventTriggered(_ event: IdleStateHandler.IdleStateEvent) -> Bool {
    guard event == .read, let timeout = idleTimeout, !deciding else { return false }
    let now = NIODeadline.now()
    if let since = unwritableSince, now - since >= timeout { return true }
    guard now - lastAnswer >= timeout else { return false }
    return passedOn == 0 || (passedOn == 1 && passingRequest)
  }

  // MARK: - A request taken here

  /// The body length of `head` when it is a request for this handler:
  /// `POST /v1/events` with a `Content-Length` of at most ``largestBody``.
  static func length(_ head: HTTPRequest) -> Int? {
    guard head.method == .post, let path = head.path,
      path == EventsEndpoint.path || path.hasPrefix(EventsEndpoint.path + "?"),
      let length = head.headerFields[.contentLength].flatMap({ Int($0) }), (0...largestBody).contains(length)
    else { return nil }
    return length
  }

  /// A request taken here, with the refusal its head already earns.
  private func begin(_ head: HTTPRequest, length: Int) -> Incoming {
    let allowed = token.admits(
      authorization: head.headerFields[.authorization], method: head.method, path: EventsEndpoint.path,
      logger: endpoint.logger)
    let refusal = allowed ? endpoint.refusal(contentLength: length) : BearerToken.refusal
    let body = ByteBuffer()
    var incoming = Incoming(head: head, body: body, start: .now, refusal: refusal)
    if refusal == nil { incoming.body.reserveCapacity(length) }
    return incoming
  }

  /// Adds `bytes` to the request's body (at most its `Content-Length`,
  /// which the decoder holds it to), or drops them once it is refused.
  private func append(_ bytes: ByteBuffer) {
    guard var incoming = reading, incoming.refusal == nil else { return }
    reading = nil  // the body is uniquely referenced while it grows
    var bytes = bytes
    incoming.body.writeBuffer(&bytes)
    reading = incoming
  }

  /// The request has been read: refuses it, or hands its events to the core.
  private func decide(_ context: ChannelHandlerContext) {
    guard let incoming = reading else { return }
    reading = nil
    deciding = true
    closeAfterAnswer = incoming.head.headerFields[.connection] == "close"
    let start = incoming.start
    if let refusal = incoming.refusal { return respond(context, refusal, start: start) }
    let batch: EventBatch
    do {
      batch = try endpoint.batch(incoming.body, contentType: incoming.head.headerFields[.contentType])
    } catch {
      return respond(context, error, start: start)
    }
    let loop = context.eventLoop
    let bound = NIOLoopBound((self, context), eventLoop: loop)
    let endpoint = endpoint
    endpoint.core.submit(batch) { result in
      loop.execute {
        let (handler, context) = bound.value
        switch result {
        case .success(let body): handler.respond(context, status: .ok, headers: [:], body: body, start: start)
        case .failure(let error): handler.respond(context, endpoint.refusal(for: error), start: start)
        }
      }
    }
  }

  private func respond(_ context: ChannelHandlerContext, _ refusal: Refusal, start: ContinuousClock.Instant) {
    respond(
      context, status: refusal.status, headers: refusal.headers, body: JSONResponse.errorBody(refusal.message),
      start: start)
  }

  /// Writes the answer, then reads on (``resume(_:)``).
  private func respond(
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
    metrics.eventLoopResponses.increment()
    lastAnswer = .now()
    deciding = false
    if closeAfterAnswer {
      closed = true
      held.removeAll()
      readPending = false
      context.read()  // read on, and drop, until the client closes its side
      return context.close(mode: .output, promise: nil)
    }
    resume(context)
  }

  /// Passes on what was held, in order, until another request taken here
  /// is decided; then, if none is, reads on and lets the quiesce event go.
  private func resume(_ context: ChannelHandlerContext) {
    guard !resuming else { return }
    resuming = true
    var passed = false
    while !deciding, !held.isEmpty {
      switch held.removeFirst() {
      case .part(let data):
        passed = true
        channelRead(context: context, data: data)
      case .error(let error): errorCaught(context: context, error: error)
      }
    }
    resuming = false
    if passed { context.fireChannelReadComplete() }  // the router's reader delivers what it has on this
    guard !deciding, !closed else { return }
    if readPending, context.channel.isWritable {
      readPending = false
      context.read()
    }
    if reading == nil, quiesceHeld {
      quiesceHeld = false
      context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
  }
}
