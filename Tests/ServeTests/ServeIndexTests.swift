import Foundation
import Testing

@testable import FraudService

/// The in-memory indexes that replace SQLite indexes on the write path, and
/// their rebuild from the stored rows after a restart.
@Suite("Serve: in-memory id index and account chains") struct ServeIndexTests {
  @Test func idIndexKeepsEveryCandidateOfAHashThroughGrowth() {
    var index = ClientIDIndex()
    // Far more entries than the initial slots of a shard, all landing in a few shards.
    for seq in 0..<50_000 { index.insert(hash: UInt64(seq % 7 + 1) << 56 | UInt64(seq + 1), seq: seq) }
    #expect(index.count == 50_000)
    #expect(index.seqs(hash: 3 << 56 | 3) == [2])
    #expect(index.seqs(hash: 0xDEAD_BEEF) == [])
    // Two ids with the same hash: both seqs are candidates, oldest first.
    index.insert(hash: 42, seq: 60_001)
    index.insert(hash: 42, seq: 60_000)
    #expect(index.seqs(hash: 42) == [60_000, 60_001])
    #expect(ClientIDIndex.hash(Array("p1".utf8)) == ClientIDIndex.hash(Array("p1".utf8)))
    #expect(ClientIDIndex.hash(Array("p1".utf8)) != ClientIDIndex.hash(Array("p2".utf8)))
  }

  @Test func accountHeadsReturnThePreviousEvent() {
    var heads = AccountHeads()
    #expect(heads.replace("alice", with: 3) == nil)
    #expect(heads.replace("bob", with: 3) == nil)
    #expect(heads.replace("alice", with: 8) == 3)
    #expect(heads["alice"] == 8)
    #expect(heads["carol"] == nil)
    #expect(heads.count == 2)
  }

  /// The byte-keyed table through many growths: names that share prefixes,
  /// non-ASCII names, lookups by `String` and by bytes agree.
  @Test func accountHeadsKeepEveryAccountThroughGrowth() {
    var heads = AccountHeads()
    let names = (0..<30_000).map { $0 % 3 == 0 ? "é\($0)ü" : String(repeating: "a", count: $0 % 40) + "\($0)" }
    for (seq, name) in names.enumerated() { #expect(heads.replace(name, with: seq) == nil) }
    #expect(heads.count == names.count)
    for (seq, name) in names.enumerated() where seq % 7 == 0 {
      #expect(heads.replace(name, with: seq + 100_000) == seq)
    }
    for (seq, name) in names.enumerated() {
      let expected = seq % 7 == 0 ? seq + 100_000 : seq
      #expect(heads[name] == expected)
      #expect(Array(name.utf8).withUnsafeBufferPointer { heads[bytes: $0] } == expected)
    }
    #expect(heads[""] == nil)
    #expect(heads["a"] == nil)
    #expect(heads["é0"] == nil)
    #expect(heads.count == names.count)
  }

  /// Ids, conflicts and scores after a restart come from the rebuilt
  /// in-memory indexes: they must answer as the server before the restart did.
  @Test func aRestartRebuildsTheIdIndexAndTheAccountChains() async throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.checkpointEvery = 9
    let events = (0..<40).map {
      ServeHarness.like(
        $0, id: "x\($0)", src: $0 % 2 == 0 ? "fan\($0 % 4)" : "fän\($0 % 4)",
        dst: $0 % 5 == 0 ? "fän\(($0 + 1) % 4)" : "page\($0 % 3)")
    }
    // Non-ASCII names too: the heads are keyed by the names' UTF-8 bytes, rebuilt from SQLite's.
    let scored = ["fan0", "f%C3%A4n1", "f%C3%A4n3", "page2", "nobody"]
    let (answers, scores) = try await ServeHarness.withServer(configuration) { port in
      var answers: [String] = []
      for start in stride(from: 0, to: events.count, by: 8) {
        let body = events[start..<(start + 8)].joined(separator: "\n")
        answers.append(try await ServeHarness.request(port, .post, "/v1/events", body: body).body)
      }
      var scores: [String] = []
      for account in scored {
        scores.append(try await ServeHarness.request(port, .get, "/v1/accounts/\(account)/score").body)
      }
      return (answers, scores)
    }
    let fan1 = try ServeHarness.json(scores[1])
    #expect((fan1["admittedSignals"] as? Int ?? 0) + (fan1["heldSignals"] as? Int ?? 0) > 0, "fän1 has signals")
    try await ServeHarness.withServer(configuration) { port in
      for account in scored.indices {
        let after = try await ServeHarness.request(port, .get, "/v1/accounts/\(scored[account])/score").body
        #expect(after == scores[account], "score of \(scored[account]) after the restart")
      }
      // Every batch retried after the restart gets its first answer back, and nothing is decided.
      for start in stride(from: 0, to: events.count, by: 8) {
        let body = events[start..<(start + 8)].joined(separator: "\n")
        #expect(try await ServeHarness.request(port, .post, "/v1/events", body: body).body == answers[start / 8])
      }
      // An id of a stored event reused for another event is refused.
      let reused = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(99, id: "x7"))
      #expect(reused.body.contains(#"{"id":"x7","decision":"error""#))
      let next = try await ServeHarness.request(port, .post, "/v1/events", body: ServeHarness.like(41, id: "x41"))
      #expect(next.body.contains(#""seq":40"#))
      // A new event extends the chains rebuilt from the file.
      let newcomer = try ServeHarness.json(try await ServeHarness.request(port, .get, "/v1/accounts/u41/score").body)
      #expect(newcomer["admittedSignals"] as? Int == 1)
      let page = try ServeHarness.json(try await ServeHarness.request(port, .get, "/v1/accounts/t1/score").body)
      #expect(page["admittedSignals"] as? Int == 1)
    }
  }
}
