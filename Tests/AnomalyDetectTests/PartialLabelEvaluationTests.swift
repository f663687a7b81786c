import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import Evaluation

/// Evaluation on partially labelled real data: `honest` labels, precision on
/// labelled accounts, the account ranking's figures, and expectation files
/// that replay a signal set kept outside the repository, in place.
@Suite struct PartialLabelEvaluationTests {
  static let signals = FixtureEvaluationTests.signals
  /// f1–f3 fakes and c1 their customer; h1 known honest; h2 unknown.
  static let labels = FixtureEvaluationTests.labels + "h1,honest\n"

  static let partial = """
    {"description": "partial", "data": "../../../shared/otc", "labels": "partial",
     "kinds": {"bought_engagement": {"min_precision": 0.9, "min_recall": 0.5, "max_honest_in_top_50": 0}}}
    """

  /// A checkout `repo/` with `fixtures/realdata/otc.json`, and `shared/otc/` beside it.
  static func layout(_ expectation: String = partial, data: Bool = true) throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try dir.write("repo/fixtures/realdata/otc.json", expectation)
    try dir.write(
      "repo/fixtures/farm/expected.json", #"{"description": "x", "kinds": {}, "max_unlabelled_flagged": 9}"#)
    try dir.write("repo/fixtures/farm/interactions.csv", signals)
    if data {
      try dir.write("shared/otc/interactions.csv", signals)
      try dir.write("shared/otc/labels.csv", labels)
    }
    return dir
  }

  static func replay(_ ids: [String]) -> FixtureReplay {
    FixtureReplay(scanner: Scanner(detectors: [FixedDetector(kind: .boughtEngagement, ids: ids)]))
  }

  @Test func unlabelledAccountsAreUnknownWhenLabelsArePartial() throws {
    let dir = try Self.layout()
    defer { dir.remove() }
    // f1, f2 and c1 are right, h1 is known honest, h2 unknown: precision on labelled 3 / 4.
    let result = try Self.replay(["f1", "f2", "c1", "h1", "h2"]).evaluate(dir.path + "/repo/fixtures/realdata/otc.json")
      .evaluation
    #expect(result.name == "otc")
    let bought = try #require(result.kinds.first { $0.kind == .boughtEngagement })
    #expect(bought.correct == 3 && bought.flaggedHonest == 1)
    #expect(bought.precision == 0.75 && bought.recall == 0.75)
    #expect(bought.honestInTop50 == 1)
    #expect(result.unlabelledFlagged == 1)
    #expect(result.shortfalls.count == 2)  // precision, and the honest account in the top 50; h2 counts for nothing
    let clean = try Self.replay(["f1", "f2", "c1", "h2"]).evaluate(dir.path + "/repo/fixtures/realdata/otc.json")
      .evaluation
    #expect(clean.passed)
  }

  @Test func theRankingGivesPrecisionAtKAndAveragePrecision() {
    // Known truth: a b are positives, x honest; c is a positive never ranked.
    let figures = FixtureEvaluation.rankingFigures(["a", "x", "b"], positives: ["a", "b", "c"]) { $0 == "x" }
    #expect(figures.at10 == 2.0 / 3)
    #expect(abs(figures.averagePrecision - (1 + 2.0 / 3) / 3) < 1e-12)
    #expect(figures.honestInTop50 == 1)
  }

  @Test func theAccountRankingOrdersByBestClusterScore() {
    let report = ScanReport(
      clusters: [
        Cluster(rank: 1, kind: .boughtEngagement, detector: "d", score: 9, accounts: ["a", "b"], evidence: "x"),
        Cluster(rank: 2, kind: .boughtEngagement, detector: "d", score: 4, accounts: ["b", "c"], evidence: "x"),
        Cluster(rank: 3, kind: .fakeProfile, detector: "d", score: 2, accounts: ["a"], evidence: "x"),
      ], detectors: ["d"], signals: 1)
    let ranking = report.accountRanking(of: .boughtEngagement)
    #expect(ranking.map(\.account) == ["a", "b", "c"])
    #expect(ranking.map(\.clusterRank) == [1, 1, 2])
    #expect(
      report.accountsCSV()
        == "account,kind,score,cluster_rank\na,bought_engagement,9.0,1\nb,bought_engagement,9.0,1\nc,bought_engagement,4.0,2\na,fake_profile,2.0,3\n"
    )
  }

  @Test func replayFindsExpectationFilesBesideFixtureDirectories() throws {
    let dir = try Self.layout()
    defer { dir.remove() }
    let found = try FixtureReplay.fixtures(under: dir.path + "/repo/fixtures").map {
      ($0 as NSString).lastPathComponent
    }
    #expect(found == ["farm", "otc.json"])
    #expect(
      try FixtureReplay.fixtures(under: dir.path + "/repo/fixtures/realdata").map { ($0 as NSString).lastPathComponent }
        == ["otc.json"])
  }

  @Test func theDataPathIsResolvedFromTheFileNotTheWorkingDirectory() throws {
    let dir = try Self.layout()
    defer { dir.remove() }
    let located = try FixtureReplay.locate(dir.path + "/repo/fixtures/realdata/otc.json")
    #expect(located.directory == URL(fileURLWithPath: dir.path + "/shared/otc").standardizedFileURL.path)
    // The same through a path relative to the working directory (which tests
    // running side by side must not change): up to the root, then down.
    let depth =
      URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents.count - 1
    let relative =
      String(repeating: "../", count: depth) + String(dir.path.drop { $0 == "/" }) + "/repo/fixtures/realdata/otc.json"
    #expect(try FixtureReplay.locate(relative).directory == located.directory)
  }

  @Test func aMissingDataDirectoryIsAClearErrorNotASkip() throws {
    let dir = try Self.layout(data: false)
    defer { dir.remove() }
    #expect {
      try Self.replay([]).evaluate(dir.path + "/repo/fixtures/realdata/otc.json")
    } throws: { error in
      guard case let FixtureError.missingData(path, data, _) = error else { return false }
      return path.hasSuffix("otc.json") && data == "../../../shared/otc" && "\(error)".contains("is not there")
    }
  }

  @Test func anExpectationFileWithoutDataIsRejected() throws {
    let dir = try Self.layout(#"{"description": "x", "labels": "partial", "kinds": {}}"#)
    defer { dir.remove() }
    #expect(throws: FixtureError.self) { try FixtureReplay.locate(dir.path + "/repo/fixtures/realdata/otc.json") }
  }
}
