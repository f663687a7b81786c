import Foundation
import FraudService
import HTTPTypes
import Logging
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One keep-alive HTTP/1.1 connection on a plain socket, so that a test can
/// pipeline requests, send a body in parts, and see the server close. Its
/// blocking reads run on a thread of their own, not on Swift's cooperative
/// pool, which the server's routed requests need (two threads on two cores).
/// One test uses it at a time.
final class RawConnection: @unchecked Sendable {
  private let fd: Int32
  private var buffer: [UInt8] = []
  /// Whether a read has found the connection's end (closed or reset by the server).
  private(set) var sawEnd = false

  /// How a read ended.
  private enum Read { case data, closed, timedOut }

  /// Connects to `127.0.0.1:port`; a read waits at most `timeout` seconds.
  init(port: Int, timeout: Int = 10) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
  }

  deinit { close(fd) }

  /// Sends `text` as it is.
  func send(_ text: String) {
    let bytes = Array(text.utf8)
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard n > 0 else { return }
      sent += n
    }
  }

  /// A request's bytes: `method path`, the bearer token unless nil, a body with its length.
  static func request(
    _ method: String, _ path: String, body: String? = nil, token: String? = ServeHarness.token,
    headers: [String] = []
  ) -> String {
    var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"] + headers
    if let token { lines.append("Authorization: Bearer \(token)") }
    if let body { lines.append("Content-Length: \(body.utf8.count)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
  }

  /// The next response's status, headers (lower-cased names) and body (its
  /// `Content-Length` bytes), or nil when the connection closed or the read timed out first.
  func response() async -> (status: Int, headers: [String: String], body: String)? {
    await Self.offPool { self.blockingResponse() }
  }

  /// Whether the server closed the connection (a read finds its end, not a
  /// timeout), once the responses before it were read.
  func isClosed() async -> Bool {
    await Self.offPool { self.buffer.isEmpty && self.readMore() == .closed }
  }

  private static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
  }

  private func blockingResponse() -> (status: Int, headers: [String: String], body: String)? {
    while true {
      if let end = headerEnd() {
        let lines = String(decoding: buffer[..<end], as: UTF8.self).split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
          let parts = line.split(separator: ":", maxSplits: 1)
          if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        if buffer.count >= end + 4 + length {
          let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
          buffer.removeFirst(end + 4 + length)
          return (status, headers, body)
        }
      }
      guard readMore() == .data else { return nil }
    }
  }

  private func headerEnd() -> Int? {
    guard buffer.count >= 4 else { return nil }
    for i in 0...(buffer.count - 4)
    where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
      return i
    }
    return nil
  }

  private func readMore() -> Read {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if n > 0 {
      buffer += chunk[..<n]
      return .data
    }
    guard n == 0 || errno == ECONNRESET else { return .timedOut }
    sawEnd = true
    return .closed
  }
}

/// `POST /v1/events` is answered on the connection's event loop (the
/// service's events handler) and every other request by the router: on one
/// connection they must still be answered in order, refused alike, and
/// drained on shutdown.
@Suite("Serve: events and routed requests on one connection") struct ServeConnectionTests {
  /// `fraudscan_event_loop_responses_total`: the answers the events handler wrote.
  static func eventLoopResponses(_ port: Int) async throws -> Int {
    let metrics = try await ServeHarness.request(port, .get, "/metrics", token: nil).body
    let line = metrics.split(separator: "\n").first { $0.hasPrefix("fraudscan_event_loop_responses_total ") }
    return Int(line?.split(separator: " ").last ?? "") ?? -1
  }

  /// Runs `body` with a server on a new state file (`maxBodyBytes` its body
  /// limit) and one raw connection to it.
  static func withConnection(
    maxBodyBytes: Int? = nil, idleTimeoutSeconds: Double? = nil, readTimeout: Int = 10,
    _ body: @Sendable (RawConnection, Int) async throws -> Void
  ) async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
    if let idleTimeoutSeconds { configuration.idleTimeoutSeconds = idleTimeoutSeconds }
    try await ServeHarness.withServer(configuration) { port in
      try await body(try RawConnection(port: port, timeout: readTimeout), port)
    }
  }

  /// `fraudscan_idle_connections_closed_total`.
  static func idleCloses(_ port: Int) async throws -> Int {
    let metrics = try await ServeHarness.request(port, .get, "/metrics", token: nil).body
    let line = metrics.split(separator: "\n").first { $0.hasPrefix("fraudscan_idle_connections_closed_total ") }
    return Int(line?.split(separator: " ").last ?? "") ?? -1
  }

  // MARK: Idle connections

  /// A keep-alive connection answered, then idle past the timeout, is
  /// closed; so is one that never sends a byte.
  @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
    try await Self.withConnection(idleTimeoutSeconds: 0.5) { connection, port in
      connection.send(RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1)))
      #expect(await connection.response()?.status == 200)
      #expect(await connection.isClosed())
      let silent = try RawConnection(port: port)
      #expect(await silent.isClosed())
      #expect(try await Self.idleCloses(port) >= 2)
    }
  }

  /// Where a client stops sending a request.
  enum Stall: String, CaseIterable, Sendable {
    /// In its header (it never becomes a part).
    case header
    /// In its body, a request this handler takes.
    case body
    /// In the chunked body of a request passed on to the router.
    case routedBody
  }

  /// A client that stops sending a request, wherever it stops, is closed.
  @Test(arguments: Stall.allCases) func aRequestItsClientStoppedSendingIsClosed(_ stall: Stall) async throws {
    try await Self.withConnection(idleTimeoutSeconds: 0.5) { connection, _ in
      let request = RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1))
      switch stall {
      case .header: connection.send(String(request.prefix(20)))
      case .body: connection.send(String(request.dropLast(5)))
      case .routedBody:
        let chunk = ServeHarness.like(1)
        connection.send(
          "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(ServeHarness.token)\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n\(String(chunk.utf8.count, radix: 16))\r\n\(chunk)\r\n")
      }
      #expect(await connection.isClosed())
    }
  }

  /// A client that pipelines requests for large answers and stops reading
  /// them is closed once the socket has been full for the timeout, before
  /// all its answers are written (it is not waited for for ever).
  @Test func aClientThatStopsReadingItsAnswersIsClosed() async throws {
    try await Self.withConnection(idleTimeoutSeconds: 0.5) { connection, port in
      let batch = (0..<2_000).map { ServeHarness.like($0, id: "e\($0)") }.joined(separator: "\n")
      #expect(try await ServeHarness.request(port, .post, "/v1/events", body: batch).status == 200)
      let pages = 200
      for _ in 0..<pages { connection.send(RawConnection.request("GET", "/v1/decisions?after=0")) }
      try await Task.sleep(for: .seconds(3))
      var answered = 0
      while await connection.response() != nil { answered += 1 }
      // Some answers were written before the close; a loaded machine's
      // kernel may drop them unread, when requests the server had not read
      // yet make its close a reset. So only: not every page was answered.
      #expect(answered < pages && connection.sawEnd)
    }
  }

  /// A long poll that waits longer than the idle timeout is the router's
  /// request in progress: it is answered, and the connection closed only
  /// once it idles after that.
  @Test func aLongPollLongerThanTheIdleTimeoutIsAnswered() async throws {
    try await Self.withConnection(idleTimeoutSeconds: 0.5) { connection, _ in
      connection.send(RawConnection.request("GET", "/v1/decisions?after=0&wait=2"))
      #expect(await connection.response()?.status == 200)
      #expect(await connection.isClosed())
    }
  }

  /// With the timeout off (0), an idle connection stays open.
  @Test func withoutAnIdleTimeoutAnIdleConnectionStaysOpen() async throws {
    try await Self.withConnection(idleTimeoutSeconds: 0, readTimeout: 2) { connection, _ in
      connection.send(RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1)))
      #expect(await connection.response()?.status == 200)
      #expect(await connection.isClosed() == false)  // the read timed out: still open
      connection.send(RawConnection.request("POST", "/v1/events", body: ServeHarness.like(2)))
      #expect(await connection.response()?.status == 200)
    }
  }

  @Test func pipelinedEventsRequestsAreAllTakenAndAnsweredInOrder() async throws {
    try await Self.withConnection { connection, port in
      connection.send(
        RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1, id: "a"))
          + RawConnection.request("POST", "/v1/events", body: ServeHarness.like(2, id: "b"), token: "wrong")
          + RawConnection.request("POST", "/v1/events?trace=1", body: "\n")
          + RawConnection.request("POST", "/v1/events", body: ServeHarness.like(3, id: "c")))
      let first = try #require(await connection.response())
      #expect(first.status == 200)
      #expect(first.body.contains(#""id":"a","seq":0"#))
      let refused = try #require(await connection.response())
      #expect(refused.status == 401)
      #expect(refused.headers["www-authenticate"] == "Bearer")
      let empty = try #require(await connection.response())
      #expect(empty.status == 400)
      #expect(empty.body == #"{"error":"the body holds no event"}"#)
      #expect(await connection.response()?.body.contains(#""id":"c","seq":1"#) == true)
      #expect(try await Self.eventLoopResponses(port) == 4)
    }
  }

  @Test func pipelinedRequestsOfBothKindsAreAnsweredInOrder() async throws {
    try await Self.withConnection { connection, _ in
      connection.send(
        RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1, id: "a"))
          + RawConnection.request("GET", "/healthz", token: nil)
          + RawConnection.request("POST", "/v1/events", body: ServeHarness.like(2, id: "b"), token: "wrong")
          + RawConnection.request("GET", "/v1/decisions?after=-1")
          + RawConnection.request("POST", "/v1/events", body: ServeHarness.like(3, id: "c"))
          + RawConnection.request("POST", "/v1/events?trace=1", body: "\n"))
      let first = try #require(await connection.response())
      #expect(first.status == 200)
      #expect(first.body.contains(#""id":"a","seq":0"#))
      #expect(await connection.response()?.body == #"{"status":"ok"}"#)
      #expect(await connection.response()?.status == 401)
      let feed = try #require(await connection.response())
      #expect(feed.status == 200)
      let decided = try ServeHarness.json(feed.body)
      #expect((decided["decisions"] as? [Any])?.count == 1)  // "a" only: "b" was refused
      #expect(decided["next"] as? Int == 0)
      #expect(await connection.response()?.body.contains(#""id":"c","seq":1"#) == true)
      let empty = try #require(await connection.response())
      #expect(empty.status == 400)
      #expect(empty.body == #"{"error":"the body holds no event"}"#)
    }
  }

  @Test func aMalformedRequestPipelinedAfterATakenOneIsAnsweredAfterIt() async throws {
    try await Self.withConnection { connection, _ in
      connection.send(
        RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1, id: "a")) + "NOT HTTP AT ALL\r\n\r\n")
      let first = try #require(await connection.response())
      #expect(first.status == 200)
      #expect(first.body.contains(#""id":"a","seq":0"#))
      #expect(await connection.response()?.status == 400)
    }
  }

  @Test func eventsAnswersCarryTheRoutersHeaders() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let routed = try await ServeHarness.request(port, .get, "/healthz", token: nil).headers
      let events = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(1)).headers
      #expect(try await Self.eventLoopResponses(port) == 1)  // a single event goes to the events handler
      #expect(events[.server] == routed[.server])
      #expect(events[.contentType] == "application/json")
      let format = DateFormatter()
      format.locale = Locale(identifier: "en_US_POSIX")
      format.timeZone = TimeZone(identifier: "GMT")
      format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
      let stamps = try [routed, events].map { try #require(format.date(from: $0[.date] ?? "")) }
      #expect(abs(stamps[0].timeIntervalSince(stamps[1])) <= 2)
    }
  }

  /// A body over a limit of 1 000 bytes: sent in chunks of unknown total
  /// (the router reads it, and stops at the limit), or announced by its
  /// `Content-Length` (the events handler refuses it from its head).
  static let oversized: [(request: String, refusal: String)] = {
    let chunk = String(repeating: ServeHarness.like(1) + "\n", count: 8)  // about 800 bytes a chunk
    let size = String(chunk.utf8.count, radix: 16)
    let chunked =
      RawConnection.request("POST", "/v1/events", headers: ["Transfer-Encoding: chunked"])
      + "\(size)\r\n\(chunk)\r\n\(size)\r\n\(chunk)\r\n0\r\n\r\n"
    let announced = RawConnection.request(
      "POST", "/v1/events", body: (1...20).map { ServeHarness.like($0) }.joined(separator: "\n"))
    return [(chunked, "larger than the limit of 1000 bytes"), (announced, "bytes, more than the limit of 1000")]
  }()

  @Test(arguments: 0..<2) func aBodyOverTheLimitGets413AndTheConnectionGoesOn(_ index: Int) async throws {
    try await Self.withConnection(maxBodyBytes: 1_000) { connection, _ in
      connection.send(
        Self.oversized[index].request
          + RawConnection.request("POST", "/v1/events", body: ServeHarness.like(9, id: "after")))
      let refused = try #require(await connection.response())
      #expect(refused.status == 413)
      #expect(refused.body.contains(Self.oversized[index].refusal))
      #expect(await connection.response()?.body.contains(#""id":"after","seq":0"#) == true)
    }
  }

  @Test func connectionCloseIsHonouredAfterTheAnswer() async throws {
    try await Self.withConnection { connection, _ in
      connection.send(
        RawConnection.request("POST", "/v1/events", body: ServeHarness.like(1), headers: ["Connection: close"]))
      #expect(await connection.response()?.status == 200)
      #expect(await connection.isClosed())
    }
  }

  @Test func aShutdownWaitsForAnEventsRequestHalfSent() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var logger = Logger(label: "serve-test")
    logger.logLevel = .warning
    let server = try FraudServer(
      configuration: ServeHarness.configuration(state: dir), logger: logger, handlesSignals: false)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let connection = try RawConnection(port: await server.port())
      let body = ServeHarness.like(1, id: "late")
      let request = RawConnection.request("POST", "/v1/events", body: body)
      let split = request.index(request.endIndex, offsetBy: -10)
      connection.send(String(request[..<split]))
      try await Task.sleep(for: .milliseconds(300))
      group.addTask { await server.shutdown() }
      try await Task.sleep(for: .milliseconds(300))
      connection.send(String(request[split...]))
      let answer = try #require(await connection.response())
      #expect(answer.status == 200)
      #expect(answer.body.contains(#""id":"late","seq":0"#))
      #expect(await connection.isClosed())
      try await group.waitForAll()
    }
  }
}
