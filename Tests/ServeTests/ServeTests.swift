import Foundation
import FraudService
import HTTPTypes
import HummingbirdTesting
import SplitMix
import Testing

@Suite("Serve: the pre-filter over HTTP") struct ServeTests {
  @Test func answersSingleEventsAndBatches() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let single = try await ServeHarness.request(
        port, .post, "/v1/events",
        body: """
          {"type":"payment","id":"p1","src":"a","dst":"b",
           "amount":"120.50","ts":1767225600}
          """, contentType: "application/json")
      #expect(single.status == 200)
      #expect(single.body == #"{"decisions":[{"id":"p1","seq":0,"decision":"admit"}],"revocations":[]}"#)
      let batch = (1...3).map { ServeHarness.like($0) }.joined(separator: "\n") + "\n"
      let answered = try await ServeHarness.request(port, .post, "/v1/events", body: batch)
      #expect(answered.status == 200)
      let decisions = try #require(try ServeHarness.json(answered.body)["decisions"] as? [[String: Any]])
      #expect(decisions.map { $0["seq"] as? Int } == [1, 2, 3])
      #expect(decisions.allSatisfy { $0["decision"] as? String == "admit" })
      #expect(try await ServeHarness.request(port, .get, "/healthz", token: nil).status == 200)
      #expect(try await ServeHarness.request(port, .get, "/readyz", token: nil).status == 200)
      let metrics = try await ServeHarness.request(port, .get, "/metrics", token: nil)
      #expect(metrics.status == 200)
      #expect(metrics.body.contains(#"fraudscan_events_total{kind="interaction",outcome="admit"} 3"#))
      #expect(metrics.body.contains("fraudscan_request_duration_seconds_bucket"))
      #expect(metrics.body.contains("fraudscan_checkpoint_age_seconds"))
      #expect(metrics.body.contains("fraudscan_prefilter_accounts"))
    }
  }

  @Test func refusesMissingAndWrongTokens() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let event = ServeHarness.like(1)
      let none = try await ServeHarness.request(port, .post, "/v1/events", body: event, token: nil)
      #expect(none.status == 401)
      #expect(none.headers[.wwwAuthenticate] == "Bearer")
      #expect(try await ServeHarness.request(port, .post, "/v1/events", body: event, token: "wrong").status == 401)
      #expect(
        try await ServeHarness.request(port, .post, "/v1/events", body: event, token: ServeHarness.token + "x").status
          == 401)
      #expect(try await ServeHarness.request(port, .get, "/v1/decisions", token: "").status == 401)
      #expect(try await ServeHarness.request(port, .get, "/v1/accounts/a/score", token: nil).status == 401)
      // Nothing was decided.
      let feed = try await ServeHarness.request(port, .get, "/v1/decisions")
      #expect(feed.body == #"{"decisions":[],"next":-1}"#)
    }
  }

  @Test func refusesOversizedBodiesWith413() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.maxBodyBytes = 1_024
    configuration.maxQueuedEvents = 4
    try await ServeHarness.withServer(configuration) { port in
      let big = (0..<40).map { ServeHarness.like($0) }.joined(separator: "\n")
      #expect(try await ServeHarness.request(port, .post, "/v1/events", body: big).status == 413)
      // More events than the queue can ever take: 413 too, nothing decided.
      let five = (0..<5).map { ServeHarness.like($0) }.joined(separator: "\n")
      #expect(try await ServeHarness.request(port, .post, "/v1/events", body: five).status == 413)
      let small = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(1))
      #expect(small.status == 200)
      #expect(small.body.contains(#""seq":0"#))
    }
  }

  @Test func overCapacityGets503WithRetryAfterNotAQueue() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.durability = .fsync  // slower commits: requests pile up behind them
    configuration.maxQueuedEvents = 8  // one request of 8 fills the queue
    try await ServeHarness.withServer(configuration) { port in
      let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
        for client in 0..<32 {
          group.addTask {
            let body = (0..<8).map { ServeHarness.like(client * 8 + $0) }.joined(separator: "\n")
            let answer = try await ServeHarness.request(port, .post, "/v1/events", body: body)
            return (answer.status, answer.headers[.retryAfter])
          }
        }
        var all: [(Int, String?)] = []
        for try await a in group { all.append(a) }
        return all
      }
      #expect(answers.allSatisfy { $0.0 == 200 || ($0.0 == 503 && $0.1 == "1") })
      #expect(answers.contains { $0.0 == 503 })
      #expect(answers.contains { $0.0 == 200 })
      // What was refused was not decided: the stream holds exactly the accepted events.
      let accepted = answers.filter { $0.0 == 200 }.count * 8
      let feed = try ServeHarness.json(try await ServeHarness.request(port, .get, "/v1/decisions?after=-1").body)
      #expect((feed["decisions"] as? [Any])?.count == accepted)
    }
  }

  @Test func aMalformedEventGetsAnErrorAndTheBatchGoesOn() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let batch = [
        ServeHarness.like(1), #"{"type":"payment","id":"x","src":"a"#, #"{"type":"nope","ts":1}"#, ServeHarness.like(2),
      ]
      .joined(separator: "\r\n")
      let answered = try await ServeHarness.request(port, .post, "/v1/events", body: batch)
      #expect(answered.status == 200)
      let decisions = try #require(try ServeHarness.json(answered.body)["decisions"] as? [[String: Any]])
      #expect(decisions.map { $0["decision"] as? String } == ["admit", "error", "error", "admit"])
      #expect(decisions.map { $0["seq"] as? Int } == [0, 1, 2, 3])
      #expect((decisions[2]["reasons"] as? [String])?.first?.contains("nope") == true)
    }
  }

  @Test func aRetryGetsTheSameDecisionsAndChangesNothing() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let batch = (0..<6).map { ServeHarness.like($0, id: "e\($0)") }.joined(separator: "\n")
      let first = try await ServeHarness.request(port, .post, "/v1/events", body: batch)
      let second = try await ServeHarness.request(port, .post, "/v1/events", body: batch)
      #expect(first.status == 200)
      #expect(second.body == first.body)
      // The same id twice in one batch is one event.
      let twice = [ServeHarness.like(10, id: "n1"), ServeHarness.like(10, id: "n1")].joined(separator: "\n")
      let both = try ServeHarness.json(try await ServeHarness.request(port, .post, "/v1/events", body: twice).body)
      let pair = try #require(both["decisions"] as? [[String: Any]])
      #expect(pair.map { $0["seq"] as? Int } == [6, 6])
      // An id reused for another event is refused, without a seq.
      let reused = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(99, id: "e0"))
      #expect(reused.body.contains(#"{"id":"e0","decision":"error""#))
      #expect(!reused.body.contains("\"seq\""))
      let feed = try ServeHarness.json(try await ServeHarness.request(port, .get, "/v1/decisions?after=-1").body)
      #expect((feed["decisions"] as? [Any])?.count == 7)
      #expect(feed["next"] as? Int == 6)
      let metrics = try await ServeHarness.request(port, .get, "/metrics", token: nil)
      #expect(metrics.body.contains(#"fraudscan_events_total{kind="any",outcome="duplicate"} 7"#))
    }
  }

  @Test func aRestartOnTheSameStateKeepsAcknowledgedDecisions() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.checkpointEvery = 7  // a checkpoint mid-way, and events after it to replay
    let sameFile = configuration
    let batch = (0..<20).map { ServeHarness.like($0, id: "r\($0)", src: "farm\($0 % 6)", dst: "page\($0 % 2)") }
    let before = try await ServeHarness.withServer(configuration) { port in
      for chunk in stride(from: 0, to: batch.count, by: 5) {
        let body = batch[chunk..<(chunk + 5)].joined(separator: "\n")
        #expect(try await ServeHarness.request(port, .post, "/v1/events", body: body).status == 200)
      }
      // One server per state file.
      #expect(throws: ServeError.self) {
        _ = try FraudServer(configuration: sameFile, logger: .init(label: "second"), handlesSignals: false)
      }
      return try await ServeHarness.request(port, .get, "/v1/decisions?after=-1").body
    }
    try await ServeHarness.withServer(configuration) { port in
      #expect(try await ServeHarness.request(port, .get, "/v1/decisions?after=-1").body == before)
      // A retry after the restart is answered from the state, and a new event continues the seqs.
      let retry = try await ServeHarness.request(port, .post, "/v1/events", body: batch[3])
      #expect(retry.body.contains(#""id":"r3","seq":3"#))
      let next = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(50, id: "r50"))
      #expect(next.body.contains(#""seq":20"#))
    }
  }

  /// The decision feed after `lines` were sent in batches of 5 to a
  /// server on a new state file that checkpoints every 7 events; with
  /// `restartAfter`, the server is shut down after that many lines and a
  /// new one continues on the same file, from its checkpoint.
  static func feed(_ lines: [String], restartAfter: Int?) async throws -> String {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.checkpointEvery = 7
    let parts = restartAfter.map { [lines[..<$0], lines[$0...]] } ?? [lines[...]]
    var feed = ""
    for part in parts {
      feed = try await ServeHarness.withServer(configuration) { port in
        for start in stride(from: part.startIndex, to: part.endIndex, by: 5) {
          let body = part[start..<min(start + 5, part.endIndex)].joined(separator: "\n")
          #expect(try await ServeHarness.request(port, .post, "/v1/events", body: body).status == 200)
        }
        return try await ServeHarness.request(port, .get, "/v1/decisions?after=-1&limit=1000").body
      }
    }
    return feed
  }

  /// Events out of timestamp order (shuffled 10 at a time), the server
  /// stopped half-way and restarted on its state file: the decisions are
  /// those of one uninterrupted server.
  @Test func anOutOfOrderStreamRestartedFromItsCheckpointDecidesAsAnUninterruptedServer() async throws {
    var random = SplitMix64(seed: 77)
    var times = (0..<80).map { 1_767_225_600 + $0 * 40 }
    for start in stride(from: 0, to: times.count, by: 10) {
      for i in stride(from: start + 9, to: start, by: -1) {
        times.swapAt(i, start + Int(random.next() % UInt64(i - start + 1)))
      }
    }
    let lines = times.enumerated().map { i, time in
      #"{"type":"interaction","id":"o\#(i)","src":"fan\#(i % 9)","dst":"page\#(i % 3)","kind":"like","ts":\#(time)}"#
    }
    let uninterrupted = try await Self.feed(lines, restartAfter: nil)
    #expect(uninterrupted.contains(#""seq":79"#))
    for cut in [33, 50] {
      #expect(try await Self.feed(lines, restartAfter: cut) == uninterrupted, "restarted after \(cut)")
    }
  }

  @Test func longPollReturnsWhenADecisionArrives() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The poll would wait 60 s, longer than the client's 15 s timeout: it is
    // answered only if the decision ends it. Loose bounds: the server's poll
    // and this test run on the cooperative pool, which other suites' tests
    // can keep busy for seconds.
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      async let polled = ServeHarness.request(port, .get, "/v1/decisions?after=-1&wait=60")
      #expect(try await ServeHarness.longPollsWaiting(port, reach: 1))
      _ = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(1))
      let start = ContinuousClock.now
      let answer = try await polled
      #expect(ContinuousClock.now - start < .seconds(15))
      #expect(answer.body == #"{"decisions":[{"seq":0,"decision":"admit"}],"next":0}"#)
      #expect(try await ServeHarness.longPollsWaiting(port, reach: 0))
      let empty = try await ServeHarness.request(port, .get, "/v1/decisions?after=0&wait=0.1")
      #expect(empty.body == #"{"decisions":[],"next":0}"#)
    }
  }

  @Test func aWaitThatIsNotANumberIsRefusedAndTheServerGoesOn() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      for wait in ["nan", "NaN", "-nan"] {
        let refused = try await ServeHarness.request(port, .get, "/v1/decisions?after=-1&wait=\(wait)")
        #expect(refused.status == 400, "wait=\(wait)")
        #expect(refused.body.contains("wait"), "wait=\(wait): \(refused.body)")
      }
      // Out of range is clamped, not refused: at most the server's longest wait, at least none.
      let none = try await ServeHarness.request(port, .get, "/v1/decisions?after=-1&wait=-inf")
      #expect(none.status == 200 && none.body == #"{"decisions":[],"next":-1}"#)
      _ = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(1))
      let polled = try await ServeHarness.request(port, .get, "/v1/decisions?after=-1&wait=inf")
      #expect(polled.body == #"{"decisions":[{"seq":0,"decision":"admit"}],"next":0}"#)
    }
  }

  @Test func aShutdownEndsLongPollsInsteadOfWaitingForThem() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The poll would wait 60 s, longer than the client's 15 s timeout: it is
    // answered only if the shutdown ends it.
    let (poll, shutdownStart) = try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let poll = Task { try await ServeHarness.request(port, .get, "/v1/decisions?after=-1&wait=60") }
      // Shut down once the poll waits: a connection whose request has not
      // arrived yet would be closed as idle instead (on a busy machine).
      let waiting = try await ServeHarness.longPollsWaiting(port, reach: 1)
      #expect(waiting)
      return (poll, ContinuousClock.now)
    }
    #expect(ContinuousClock.now - shutdownStart < .seconds(30))
    let answer = try await poll.value
    #expect(answer.body == #"{"decisions":[],"next":-1}"#)
  }

  @Test func scoresAnAccountFromAdmittedAndWithheldSignals() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let events = [
        #"{"type":"payment","id":"p1","src":"alice","dst":"bob","amount":"100","ts":1767225600}"#,
        #"{"type":"profile_edit","account":"alice","field":"employer","value":"Acme","ts":1767225700}"#,
        ServeHarness.like(3, src: "carol", dst: "alice"),
      ]
      _ = try await ServeHarness.request(port, .post, "/v1/events", body: events.joined(separator: "\n"))
      let answer = try await ServeHarness.request(port, .get, "/v1/accounts/alice/score")
      #expect(answer.status == 200)
      let report = try ServeHarness.json(answer.body)
      #expect(report["account"] as? String == "alice")
      #expect(report["admittedSignals"] as? Int == 3)
      let score = try #require(report["score"] as? Int)
      #expect(score > 350 && score <= 950)
      #expect(report["scoreWithWithheld"] as? Int == score)
      let unknown = try ServeHarness.json(try await ServeHarness.request(port, .get, "/v1/accounts/nobody/score").body)
      #expect(unknown["score"] as? Int == 350)
    }
  }

  @Test func concurrentClientsShareOneOrderedStream() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await ServeHarness.withServer(ServeHarness.configuration(state: dir)) { port in
      let seqs = try await withThrowingTaskGroup(of: [Int].self) { group in
        for client in 0..<8 {
          group.addTask {
            var mine: [Int] = []
            for round in 0..<5 {
              let body = (0..<4).map {
                ServeHarness.like(client * 100 + round * 4 + $0, id: "c\(client)-\(round)-\($0)")
              }
              .joined(separator: "\n")
              let answer = try ServeHarness.json(
                try await ServeHarness.request(port, .post, "/v1/events", body: body).body)
              mine += (answer["decisions"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            }
            return mine
          }
        }
        var all: [Int] = []
        for try await part in group { all += part }
        return all
      }
      #expect(seqs.sorted() == Array(0..<160))
    }
  }
}
