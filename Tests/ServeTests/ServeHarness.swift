import Foundation
import FraudService
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore

/// Starts real servers on loopback ports for the tests, and talks to them over HTTP.
enum ServeHarness {
  static let token = "test-token-0123456789"

  /// A fresh directory for one test's state file.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fraudscan-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func configuration(state: URL) -> ServeConfiguration {
    var c = ServeConfiguration(statePath: state.appendingPathComponent("state.sqlite").path, token: token)
    c.port = 0
    c.durability = .process
    return c
  }

  /// Runs `body` against a server started with `configuration`, then shuts it down gracefully.
  static func withServer<T: Sendable>(
    _ configuration: ServeConfiguration, _ body: @Sendable (Int) async throws -> T
  ) async throws -> T {
    var logger = Logger(label: "serve-test")
    logger.logLevel = .warning
    let server = try FraudServer(configuration: configuration, logger: logger, handlesSignals: false)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let port = await server.port()
      do {
        let value = try await body(port)
        await server.shutdown()
        try await group.waitForAll()
        return value
      } catch {
        await server.shutdown()
        try? await group.waitForAll()
        throw error
      }
    }
  }

  /// Whether the server's `fraudscan_long_polls_waiting` gauge reads
  /// `count` within 20 s (read every 20 ms from `/metrics`).
  static func longPollsWaiting(_ port: Int, reach count: Int) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
      let metrics = try await request(port, .get, "/metrics").body
      if metrics.split(separator: "\n").contains(where: {
        $0 == "fraudscan_long_polls_waiting \(count)" || $0 == "fraudscan_long_polls_waiting \(count).0"
      }) {
        return true
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    return false
  }

  /// One HTTP request on a new connection.
  static func request(
    _ port: Int, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = ServeHarness.token,
    contentType: String = "application/x-ndjson"
  ) async throws -> (status: Int, body: String, headers: HTTPFields) {
    var headers: HTTPFields = [:]
    if let token { headers[.authorization] = "Bearer \(token)" }
    if body != nil { headers[.contentType] = contentType }
    let request = TestClient.Request(uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
      try await client.execute(request)
    }
    return (response.head.status.code, response.body.map { String(buffer: $0) } ?? "", response.head.headerFields)
  }

  /// Parses a JSON object.
  static func json(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
  }

  /// An endorsement event with a client id.
  static func like(_ i: Int, id: String? = nil, src: String? = nil, dst: String? = nil) -> String {
    let idPart = id.map { #""id":"\#($0)","# } ?? ""
    return
      #"{"type":"interaction",\#(idPart)"src":"\#(src ?? "u\(i)")","dst":"\#(dst ?? "t\(i % 5)")","kind":"like","ts":\#(1_767_225_600 + i)}"#
  }
}
