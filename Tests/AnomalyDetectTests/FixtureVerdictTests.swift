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

  /// A signal set kept without an event stream (as real data is), whose
  /// expectation file sets `"prefilter"` targets: 300 payments among 60
  /// unlabelled accounts over ten days, a labelled mule paying a labelled
  /// boss 114.99 three times within an hour (written first, dated last: the
  /// stream is put in time order), and the boss paying an unlabelled shop.
  /// With `spread`, the mule's payments lie days apart: no split.
  func realDataLike(in dir: TemporaryDirectory, spread: Bool = false, labels: String = "complete") throws -> String {
    let t0: Int64 = 1_767_225_600
    var payments = "id,src,dst,amount,ts\n"
    for k in Int64(0)..<3 {
      payments += "m\(k),mule,boss,114.99,\(t0 + 10 * 86_400 + (spread ? 2 * k * 86_400 : k * 600))\n"
    }
    for i in 0..<300 {
      let cents = 1_000 + (i * 3_701) % 50_000
      payments +=
        "h\(i),h\(i % 60),h\((i * 7 + 1) % 60),\(cents / 100).\(String(format: "%02d", cents % 100)),\(t0 + Int64(i) * 2_880)\n"
    }
    payments += "c0,boss,shop,20.00,\(t0 + 11 * 86_400)\n"
    try dir.write("data/payments.csv", payments)
    try dir.write("data/labels.csv", "account,label\nmule,circular_payment\nboss,circular_payment\n")
    return try dir.write(
      "expectations/data.json",
      """
      {"description": "a real-data-like set", "data": "../data", "labels": "\(labels)",
       "kinds": {"circular_payment": {"min_precision": 0, "min_recall": 0}}, "max_unlabelled_flagged": 1000,
       "prefilter": {"min_fraud_withheld": 1.0, "max_honest_withheld": 0}}
      """)
  }

  /// Real data without an event stream: replay streams its payments in time
  /// order through the pre-filter, judges each by its accounts' labels, and
  /// holds it to the expectation's own targets.
  @Test func aSetWithoutAStreamHasItsPaymentsStreamedAndJudgedByItsTargets() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try realDataLike(in: dir)
    let replay = FixtureReplay(scanner: Scanner(detectors: []))
    let verdict = try replay.verdict(file)
    let q = try #require(verdict.prefilter)
    #expect(q.events == 304 && q.errors == 0)
    #expect((q.fraud, q.fraudWithheld) == (3, 3))
    #expect((q.honest, q.honestWithheld) == (300, 0))
    #expect(q.cover == 1 && q.buyers == 2)
    #expect(q.targets == PrefilterTargets(minFraudWithheld: 1, maxHonestWithheld: 0, minInflationCut: 0.9))
    #expect(verdict.passed, "\(verdict.shortfalls)")
    // The same payments days apart are no split: the targets are missed.
    _ = try realDataLike(in: dir, spread: true)
    let missed = try replay.verdict(file)
    #expect(missed.prefilter?.fraudWithheld == 0)
    #expect(
      missed.shortfalls.first
        == .prefilterMissedTargets(fraudWithheld: 0, honestWithheld: 0, inflationCut: missed.prefilter!.inflationCut))
  }

  /// With partial labels an unlabelled account's payment is not known to be
  /// honest: the payments cannot be judged, and replay says so.
  @Test func prefilterTargetsOnAPartiallyLabelledSetWithoutAStreamAreRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try realDataLike(in: dir, labels: "partial")
    #expect {
      try FixtureReplay(scanner: Scanner(detectors: [])).verdict(file)
    } throws: { error in
      guard case let FixtureError.invalid(path, reason) = error else { return false }
      return path == file && reason.contains("needs complete labels")
    }
  }

  @Test func prefilterTargetsLeftOutKeepTheIssuesAndReadInATable() throws {
    let json = #"{"min_fraud_withheld": 0.4, "max_honest_withheld": 0.001}"#
    let targets = try JSONDecoder().decode(PrefilterTargets.self, from: Data(json.utf8))
    #expect(targets == PrefilterTargets(minFraudWithheld: 0.4, maxHonestWithheld: 0.001, minInflationCut: 0.9))
    #expect(targets.summary == "≥40 % / ≤0.1 % / ≥90 %")
    #expect(PrefilterTargets().summary == "≥90 % / ≤1 % / ≥90 %")
  }

  /// A target written as a percentage (40 for 40 %) is refused, naming the file and the key.
  @Test func aPrefilterTargetOutsideZeroToOneIsRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write(
      "x.json",
      #"{"description": "d", "data": ".", "kinds": {}, "max_unlabelled_flagged": 0, "prefilter": {"min_fraud_withheld": 40}}"#
    )
    #expect {
      try FixtureExpectation(contentsOf: file)
    } throws: { error in
      guard case let FixtureError.invalid(path, reason) = error else { return false }
      return path == file && reason.contains("a share from 0 to 1") && reason.contains("prefilter.min_fraud_withheld")
    }
  }

  /// A set where no payment joins two labelled accounts gives the pre-filter
  /// nothing to withhold: an error, not a share of 1 by default.
  @Test func aSetWithNoPaymentBetweenLabelledAccountsCannotBeJudged() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try realDataLike(in: dir)
    try dir.write("data/labels.csv", "account,label\nmule,circular_payment\n")
    #expect {
      try FixtureReplay(scanner: Scanner(detectors: [])).verdict(file)
    } throws: { error in
      "\(error)".contains("no payment joins two labelled accounts")
    }
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
