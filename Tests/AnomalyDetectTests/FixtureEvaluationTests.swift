import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import Evaluation

/// A detector that flags a fixed set of accounts, by id, to drive evaluation by hand.
struct FixedDetector: Detector {
  let name = "fixed"
  let kind: ManipulationKind
  let ids: [String]

  func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let members = ids.compactMap { set.accounts.ids.index(of: $0) }
    return [Finding(kind: kind, detector: name, score: 1, accounts: members, evidence: "fixed")]
  }
}

@Suite struct FixtureEvaluationTests {
  static let signals = """
    src,dst,kind,ts
    f1,c1,like,1767225600
    f2,c1,like,1767225601
    f3,c1,like,1767225602
    h1,h2,follow,1767225603
    """
  static let labels =
    "account,label\nf1,bought_engagement\nf2,bought_engagement\nf3,bought_engagement\nc1,bought_engagement\n"

  func fixture(_ expected: String) throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try dir.write("farm/interactions.csv", Self.signals)
    try dir.write("farm/labels.csv", Self.labels)
    try dir.write("farm/expected.json", expected)
    return dir
  }

  let strict = """
    {"description": "three fakes like c1", "kinds": {"bought_engagement": {"min_precision": 0.9, "min_recall": 0.7}},
     "max_unlabelled_flagged": 0}
    """

  @Test func precisionAndRecallAreCountedOverAccounts() throws {
    let dir = try fixture(strict)
    defer { dir.remove() }
    // Flags 3 of the 4 labelled accounts plus one honest account.
    let replay = FixtureReplay(
      scanner: Scanner(detectors: [FixedDetector(kind: .boughtEngagement, ids: ["f1", "f2", "c1", "h1"])]))
    let result = try replay.evaluate(dir.path + "/farm").evaluation
    let bought = try #require(result.kinds.first { $0.kind == .boughtEngagement })
    #expect(bought.labelled == 4)
    #expect(bought.flagged == 4)
    #expect(bought.correct == 3)
    #expect(bought.precision == 0.75)
    #expect(bought.recall == 0.75)
    #expect(!bought.passed)  // precision 0.75 < 0.9
    #expect(result.unlabelledFlagged == 1)
    #expect(result.unlabelledExamples == ["h1"])
    #expect(result.shortfalls.count == 2)  // precision, and one unlabelled account
    #expect(!result.passed)
  }

  @Test func aPerfectDetectorPasses() throws {
    let dir = try fixture(strict)
    defer { dir.remove() }
    let replay = FixtureReplay(
      scanner: Scanner(detectors: [FixedDetector(kind: .boughtEngagement, ids: ["f1", "f2", "f3", "c1"])]))
    let results = try replay.run(dir.path)
    #expect(results.count == 1)
    #expect(results[0].name == "farm")
    #expect(results[0].passed)
  }

  @Test func anEmptyReportFailsAnEnforcedMinimumButNotAPendingOne() throws {
    let dir = try fixture(strict)
    defer { dir.remove() }
    let empty = FixtureReplay(scanner: Scanner(detectors: []))
    let enforced = try empty.evaluate(dir.path + "/farm").evaluation
    #expect(!enforced.passed)
    #expect(enforced.shortfalls == ["bought_engagement: recall 0.0 < 0.7"])

    try dir.write(
      "farm/expected.json",
      """
      {"description": "d", "kinds": {"bought_engagement": {"min_precision": 0.9, "min_recall": 0.7, "pending": "no detector"}},
       "max_unlabelled_flagged": 0}
      """)
    let pending = try empty.evaluate(dir.path + "/farm").evaluation
    #expect(pending.passed)
    #expect(pending.kinds.first { $0.kind == .boughtEngagement }?.recall == 0)
  }

  @Test func flaggingTheWrongKindCountsAgainstPrecisionOfThatKind() throws {
    let dir = try fixture(strict)
    defer { dir.remove() }
    let replay = FixtureReplay(scanner: Scanner(detectors: [FixedDetector(kind: .fakeProfile, ids: ["f1"])]))
    let result = try replay.evaluate(dir.path + "/farm").evaluation
    let fake = try #require(result.kinds.first { $0.kind == .fakeProfile })
    #expect(fake.flagged == 1)
    #expect(fake.precision == 0)
    #expect(result.unlabelledFlagged == 0)  // f1 carries a label, of another kind
  }

  @Test func badExpectationsNameTheFile() throws {
    let dir = try fixture(
      #"{"description": "d", "kinds": {"bought_engagement": {"min_precision": 0.9}}, "max_unlabelled_flagged": 0}"#)
    defer { dir.remove() }
    let path = dir.path + "/farm/expected.json"
    #expect(throws: FixtureError.invalid(path: path, reason: "missing key \"min_recall\" at kinds.bought_engagement")) {
      try FixtureExpectation(contentsOf: path)
    }
    try dir.write(
      "farm/expected.json",
      #"{"description": "d", "kinds": {"likes": {"min_precision": 1, "min_recall": 1}}, "max_unlabelled_flagged": 0}"#)
    #expect(throws: FixtureError.invalid(path: path, reason: "unknown kind \"likes\" under \"kinds\"")) {
      try FixtureExpectation(contentsOf: path)
    }
    try dir.write("farm/expected.json", "{ not json")
    #expect(throws: FixtureError.self) { try FixtureExpectation(contentsOf: path) }
  }

  @Test func aDirectoryWithoutFixturesIsAnError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("notes/readme.txt", "nothing here")
    #expect(throws: FixtureError.noFixtures(path: dir.path)) { try FixtureReplay.fixtures(under: dir.path) }
  }

  @Test func targetsRoundTripThroughExpectedJSON() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let targets = FixtureExpectation.targets(description: "synthetic")
    #expect(targets.kinds.count == 3)
    #expect(targets.kinds.values.allSatisfy { $0.minPrecision == 0.9 && $0.minRecall == 0.9 && $0.pending == nil })
    let path = dir.path + "/expected.json"
    try targets.jsonData().write(to: URL(fileURLWithPath: path))
    #expect(try FixtureExpectation(contentsOf: path) == targets)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("\"min_precision\"") && text.contains("\"max_unlabelled_flagged\""))
  }
}
