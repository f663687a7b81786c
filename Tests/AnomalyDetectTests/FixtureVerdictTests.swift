import Foundation
import Testing

@testable import AnomalyDetect
@testable import Evaluation

/// Replay's pass/fail policy: what fails a fixture, as typed shortfalls
/// rather than messages matched back by prefix, and why a fixture path
/// cannot be read.
@Suite struct FixtureVerdictTests {
  let strict = FixtureEvaluationTests().strict

  /// The fixture of ``FixtureEvaluationTests``: three fakes and c1 labelled.
  func fixture() throws -> TemporaryDirectory {
    try FixtureEvaluationTests().fixture(strict)
  }

  /// The repository's `fixtures/NAME`, copied into `dir`.
  static func copyOfFixture(_ name: String, into dir: TemporaryDirectory) throws -> String {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("fixtures/\(name)")
    let copy = dir.path + "/" + name
    try FileManager.default.copyItem(atPath: source.path, toPath: copy)
    return copy
  }

  @Test func aFixtureThatMeetsEverythingPasses() throws {
    let dir = try fixture()
    defer { dir.remove() }
    let replay = FixtureReplay(
      scanner: Scanner(detectors: [FixedDetector(kind: .boughtEngagement, ids: ["f1", "f2", "f3", "c1"])]))
    let verdict = try replay.verdict(dir.path + "/farm")
    #expect(verdict.name == "farm")
    #expect(verdict.prefilter == nil)
    #expect(verdict.shortfalls.isEmpty)
    #expect(verdict.passed)
  }

  /// A detector that fails fails the fixture even when every figure is met:
  /// one shortfall carrying its warning, not a count of matching strings.
  @Test func aDetectorFailureFailsAFixtureWhoseFiguresAreMet() throws {
    let dir = try fixture()
    defer { dir.remove() }
    let replay = FixtureReplay(
      scanner: Scanner(detectors: [
        CholeskyDetector(), FixedDetector(kind: .boughtEngagement, ids: ["f1", "f2", "f3", "c1"]),
      ]))
    let verdict = try replay.verdict(dir.path + "/farm")
    #expect(verdict.evaluation.passed)
    #expect(!verdict.passed)
    #expect(
      verdict.shortfalls == [
        .detectorFailures(["cholesky: matrix is not positive definite: leading minor 2 is not positive"])
      ])
    #expect(verdict.shortfalls.map(\.description) == ["1 detector failure(s)"])
  }

  @Test func unmetDemandsAreShortfallsInTheEvaluationsWords() throws {
    let dir = try fixture()
    defer { dir.remove() }
    let verdict = try FixtureReplay(scanner: Scanner(detectors: [])).verdict(dir.path + "/farm")
    #expect(verdict.shortfalls == [.unmetExpectation("bought_engagement: recall 0.0 < 0.7")])
    #expect(!verdict.passed)
  }

  /// A fixture with an event stream is judged on the pre-filter too: it
  /// passes as committed, and fails once its truth says every event is fraud.
  @Test func aFixtureWithAnEventStreamFailsWhenThePrefilterMissesItsTargets() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let copy = try Self.copyOfFixture("prefilter-stream", into: dir)
    let replay = FixtureReplay(scanner: .standard)
    let good = try replay.verdict(copy)
    #expect(good.prefilter?.meetsTargets == true)
    #expect(good.passed, "\(good.shortfalls)")
    let truth = try String(contentsOfFile: copy + "/events_truth.csv", encoding: .utf8)
    try truth.replacingOccurrences(of: ",0\n", with: ",1\n").write(
      toFile: copy + "/events_truth.csv", atomically: false, encoding: .utf8)
    let bad = try replay.verdict(copy)
    let prefilter = try #require(bad.prefilter)
    #expect(!bad.passed)
    #expect(
      bad.shortfalls.first
        == .prefilterMissedTargets(
          fraudWithheld: prefilter.fraudWithheldShare, honestWithheld: prefilter.honestWithheldShare,
          inflationCut: prefilter.inflationCut))
    #expect(bad.shortfalls.first?.description.hasPrefix("pre-filter withheld") == true)
  }

  @Test func theMissedTargetsReadAsPercentages() {
    let shortfall = ReplayShortfall.prefilterMissedTargets(
      fraudWithheld: 0.5, honestWithheld: 0.0125, inflationCut: 0.9)
    #expect(
      shortfall.description
        == "pre-filter withheld 50.0 % of fraud, 1.25 % of honest signals, cut inflation by 90.0 %")
  }

  // MARK: Why a fixture path cannot be read (it used to be "not a directory" whatever the cause)

  @Test func aMissingPathIsReportedAsMissing() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.path + "/no-such-fixtures"
    #expect(throws: FixtureError.unreadable(path: path, reason: "no such file or directory")) {
      try FixtureReplay.fixtures(under: path)
    }
  }

  @Test func aFileIsReportedAsNotADirectory() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = try dir.write("fixtures.txt", "not a directory")
    #expect(throws: FixtureError.self) { try FixtureReplay.fixtures(under: path) }
    do {
      _ = try FixtureReplay.fixtures(under: path)
    } catch let FixtureError.unreadable(failed, reason) {
      #expect(failed == path)
      #expect(reason.hasPrefix("not a directory"), "\(reason)")
    }
  }

  /// A directory that cannot be listed gives the system's reason. Root reads
  /// any directory, so this is checked only when the tests run as another user.
  @Test(.enabled(if: getuid() != 0, "root can list a directory without permission"))
  func anUnreadableDirectoryGivesTheSystemsReason() throws {
    let dir = try TemporaryDirectory()
    defer {
      chmod(dir.path + "/locked", 0o755)
      dir.remove()
    }
    try dir.write("locked/farm/expected.json", "{}")
    chmod(dir.path + "/locked", 0)
    #expect(throws: FixtureError.unreadable(path: dir.path + "/locked", reason: String(cString: strerror(EACCES)))) {
      try FixtureReplay.fixtures(under: dir.path + "/locked")
    }
  }
}
