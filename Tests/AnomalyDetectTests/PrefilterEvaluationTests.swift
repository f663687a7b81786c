import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import Evaluation
@testable import SignalSynthesis

/// The pre-filter's evaluation never reports targets it could not measure.
@Suite("Prefilter evaluation")
struct PrefilterEvaluationTests {
  /// A tiny synthetic stream with its truth and buyers files.
  static func stream() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    _ = try SyntheticSignalSet(scale: .tiny, seed: 11).write(to: URL(fileURLWithPath: dir.path), stream: true)
    return dir
  }

  /// A missing buyers file used to mean "no buyers": an inflation cut of 1
  /// and the targets "met" without being tested.
  @Test func aMissingBuyersFileIsAnErrorNamingIt() throws {
    let dir = try Self.stream()
    defer { dir.remove() }
    try FileManager.default.removeItem(atPath: dir.path + "/events_buyers.csv")
    do {
      _ = try PrefilterEvaluation(directory: dir.path)
      Issue.record("evaluated a stream without its buyers")
    } catch let PrefilterEvaluationError.unreadable(path, _) {
      #expect(path.hasSuffix("events_buyers.csv"))
    }
  }

  @Test func aBuyersFileListingNoBuyerOfAStreamWithFraudIsAnError() throws {
    let dir = try Self.stream()
    defer { dir.remove() }
    try Data("account\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/events_buyers.csv"))
    #expect {
      try PrefilterEvaluation(directory: dir.path)
    } throws: { error in
      guard case let PrefilterEvaluationError.malformed(path, _) = error else { return false }
      return path.hasSuffix("events_buyers.csv") && "\(error)".contains("no buyer")
    }
  }

  @Test func aBuyerTheStreamNeverNamesIsAnError() throws {
    let dir = try Self.stream()
    defer { dir.remove() }
    let path = dir.path + "/events_buyers.csv"
    let buyers = try String(contentsOfFile: path, encoding: .utf8)
    try Data((buyers + (buyers.hasSuffix("\n") ? "" : "\n") + "nobody-at-all\n").utf8).write(
      to: URL(fileURLWithPath: path))
    #expect {
      try PrefilterEvaluation(directory: dir.path)
    } throws: { error in
      "\(error)".contains("nobody-at-all")
    }
  }
}
