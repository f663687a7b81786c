import Foundation
import NIOCore
import Testing

@testable import FraudService

/// A request's lines kept in its body (``EventBatch``) from the HTTP body to
/// the group commit, and each request's answer built in one buffer: the
/// same answers as line by line, within a group, across requests of one
/// group, and after a restart.
@Suite("Serve: request bodies kept whole through the group commit") struct ServeBatchTests {
  @Test func splittingKeepsRangesAndDropsBlankLinesAndCarriageReturns() {
    let body = "a\r\n\n  \r\nbc\n\r\nd"
    let batch = EventLines.split(ByteBuffer(string: body), singleObject: false)
    #expect(batch.lines.map { Array(batch.bytes[$0]) } == ["a", "bc", "d"].map { Array($0.utf8) })
    let single = EventLines.split(ByteBuffer(string: "{\"a\":\r\n 1}\n"), singleObject: true)
    #expect(single.lines.map { String(decoding: single.bytes[$0], as: UTF8.self) } == ["{\"a\":   1} "])
    #expect(EventLines.split(ByteBuffer(string: " \r\n\n"), singleObject: false).count == 0)
    #expect(EventLines.split(ByteBuffer(string: " \n"), singleObject: true).count == 0)
  }

  /// Requests of one group that retry or reuse each other's ids, then the
  /// same requests after a restart: every answer is the first one, and
  /// nothing is decided twice.
  @Test func retriesWithinAGroupAndAfterARestartGetTheFirstAnswers() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let configuration = ServeHarness.configuration(state: dir)
    func batch(_ lines: [String]) -> EventBatch {
      EventLines.split(ByteBuffer(string: lines.joined(separator: "\r\n") + "\n\n"), singleObject: false)
    }
    let first = batch((0..<5).map { ServeHarness.like($0, id: "g\($0)", src: "fan\($0 % 2)", dst: "page") })
    // Retries of g1 and g3 around a new event, the new one repeated, and g0's id on another event.
    let second = batch([
      ServeHarness.like(1, id: "g1", src: "fan1", dst: "page"), ServeHarness.like(7, id: "g7"),
      ServeHarness.like(3, id: "g3", src: "fan1", dst: "page"), ServeHarness.like(7, id: "g7"),
      ServeHarness.like(99, id: "g0"), ServeHarness.like(8, id: "g8"),
    ])
    let engine = try ServeCheckpointTests.engine(configuration)
    let answers = try engine.process([first, second]).map { String(decoding: $0, as: UTF8.self) }
    #expect(engine.committedEvents == 7)
    let decisions = try ServeHarness.json(answers[1])["decisions"] as? [[String: Any]]
    #expect(decisions?.map { $0["seq"] as? Int } == [1, 5, 3, 5, nil, 6])
    #expect(decisions?.map { $0["id"] as? String } == ["g1", "g7", "g3", "g7", "g0", "g8"])
    #expect(answers[1].contains(#"{"id":"g0","decision":"error""#))
    let alone = try engine.process([first]).map { String(decoding: $0, as: UTF8.self) }
    #expect(alone == [answers[0]])
    engine.closeStateFile()

    let restarted = try ServeCheckpointTests.engine(configuration)
    defer { restarted.closeStateFile() }
    #expect(restarted.committedEvents == 7)
    let again = try restarted.process([second, first]).map { String(decoding: $0, as: UTF8.self) }
    #expect(again == [answers[1], answers[0]])
    #expect(restarted.committedEvents == 7)
  }
}
