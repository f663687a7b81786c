import Foundation
import HTTPTypes
import SplitMix
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `fraudscan serve` binary, kills it with SIGKILL while
/// clients are sending events, restarts it on the same state file, and checks
/// that every decision a client got an answer for is still served, unchanged.
@Suite("Serve: kill -9 and restart") struct ServeKillTests {
  static let binary: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/fraudscan")

  /// A port nobody listens on now.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  static func start(state: String, tokenFile: String, port: Int) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = [
      "serve", "--state", state, "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile, "--log-level", "warning",
    ]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
  }

  static func waitUntilHealthy(_ port: Int) async throws {
    for _ in 0..<300 {
      if (try? await ServeHarness.request(port, .get, "/healthz", token: nil).status) == 200 { return }
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("the server did not come up on port \(port)")
  }

  /// "seq verdict id" for each decision of a `POST /v1/events` answer.
  static func decisions(_ body: String) throws -> [String] {
    let json = try ServeHarness.json(body)
    return (json["decisions"] as? [[String: Any]] ?? []).map {
      "\($0["seq"] as? Int ?? -1) \($0["decision"] as? String ?? "") \($0["id"] as? String ?? "")"
    }
  }

  /// Four clients send batches with ids (unique to `round`) until the
  /// server dies; each returns what was acknowledged ("seq verdict id") and
  /// the batch it was sending. The server is killed after `delay`.
  static func sendUntilKilled(port: Int, round: Int, server: Process, delay: Duration) async throws -> [(
    [String], String
  )] {
    try await withThrowingTaskGroup(of: ([String], String).self) { group in
      for client in 0..<4 {
        group.addTask {
          var lines: [String] = []
          for batch in 0..<10_000 {
            let body = (0..<10).map {
              ServeHarness.like(
                round * 10_000_000 + client * 100_000 + batch * 10 + $0, id: "k\(round)-\(client)-\(batch)-\($0)",
                src: "s\((batch + $0) % 40)", dst: "d\($0 % 3)")
            }.joined(separator: "\n")
            guard let answer = try? await ServeHarness.request(port, .post, "/v1/events", body: body),
              answer.status == 200
            else {
              return (lines, body)
            }
            lines += try Self.decisions(answer.body)
          }
          return (lines, "")
        }
      }
      try await Task.sleep(for: delay)
      kill(server.processIdentifier, SIGKILL)
      var all: [([String], String)] = []
      for try await part in group { all.append(part) }
      return all
    }
  }

  /// Every admit or hold the server serves through `/v1/decisions`, by seq.
  static func served(port: Int) async throws -> [Int: String] {
    var served: [Int: String] = [:]
    var after = -1
    while true {
      let page = try ServeHarness.json(
        try await ServeHarness.request(port, .get, "/v1/decisions?after=\(after)&limit=10000").body)
      let decisions = page["decisions"] as? [[String: Any]] ?? []
      if decisions.isEmpty { break }
      for d in decisions where d["decision"] as? String != "revoke" {
        served[d["seq"] as? Int ?? -1] = d["decision"] as? String
      }
      after = page["next"] as? Int ?? after
    }
    return served
  }

  /// Ten kills at seeded random moments (0.1 s to 1.5 s into each round of
  /// load), each followed by a restart on the same state file: after every
  /// restart, every decision acknowledged in any round so far is served
  /// unchanged, and the batches in flight at the kill, retried, are decided
  /// exactly once (a seq never names two ids; a second retry changes nothing).
  @Test(
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: binary.path), "needs the built fraudscan binary (swift build)"))
  func killedServerKeepsEveryAcknowledgedDecision() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let state = dir.appendingPathComponent("state.sqlite").path
    let tokenFile = dir.appendingPathComponent("token").path
    try (ServeHarness.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
    let port = try Self.freePort()
    var server = try Self.start(state: state, tokenFile: tokenFile, port: port)
    defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
    try await Self.waitUntilHealthy(port)

    var random = SplitMix64(seed: 0x5EED)
    var acknowledged: [String] = []
    var idOfSeq: [Int: String] = [:]
    for round in 0..<10 {
      let delay = Duration.milliseconds(Int(random.next() % 1_400) + 100)
      let sent = try await Self.sendUntilKilled(port: port, round: round, server: server, delay: delay)
      server.waitUntilExit()
      acknowledged += sent.flatMap(\.0)
      for line in sent.flatMap(\.0) {
        let parts = line.split(separator: " ")
        idOfSeq[Int(parts[0]) ?? -1] = String(parts[2])
      }

      server = try Self.start(state: state, tokenFile: tokenFile, port: port)
      try await Self.waitUntilHealthy(port)
      let served = try await Self.served(port: port)
      let lost = acknowledged.filter { line in
        let parts = line.split(separator: " ")
        return served[Int(parts[0]) ?? -1] != String(parts[1])
      }
      #expect(lost.isEmpty, "round \(round): acknowledged but lost or changed after kill -9: \(lost.prefix(5))")

      for (_, inFlight) in sent where !inFlight.isEmpty {
        let first = try await ServeHarness.request(port, .post, "/v1/events", body: inFlight)
        let second = try await ServeHarness.request(port, .post, "/v1/events", body: inFlight)
        #expect(first.status == 200)
        #expect(second.body == first.body)
        for line in try Self.decisions(first.body) {
          let parts = line.split(separator: " ")
          let seq = Int(parts[0]) ?? -1, id = String(parts[2])
          #expect(idOfSeq[seq] == nil || idOfSeq[seq] == id, "round \(round): seq \(seq) decided for two ids")
          idOfSeq[seq] = id
          acknowledged.append(line)
        }
      }
    }
    #expect(acknowledged.count >= 100)
    kill(server.processIdentifier, SIGTERM)
    server.waitUntilExit()
    #expect(server.terminationStatus == 0)
  }
}
