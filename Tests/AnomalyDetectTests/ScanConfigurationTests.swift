import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

/// Settings files: defaults that round-trip, partial overrides that change
/// exactly what they name, and a clear error for every way a file is wrong.
@Suite struct ScanConfigurationTests {
  /// Reads `text` as a settings file in `format` named `settings.<format>`.
  func read(_ text: String, _ format: ScanConfiguration.FileFormat = .toml) throws(ScanConfigurationError)
    -> ScanConfiguration
  {
    try ScanConfiguration(parsing: text, format: format, file: "settings.\(format.rawValue)")
  }

  /// The error reading `text` gives (nil when it is accepted).
  func refusal(_ text: String, _ format: ScanConfiguration.FileFormat = .toml) -> ScanConfigurationError? {
    do {
      _ = try read(text, format)
      return nil
    } catch {
      return error
    }
  }

  @Test func theDefaultsMakeTheStandardScanner() throws {
    let scanner = try Scanner(configuration: ScanConfiguration())
    #expect(scanner.detectors.map(\.name) == Scanner.standard.detectors.map(\.name))
    #expect(scanner.policy == .standard)
    #expect(try read("") == ScanConfiguration())
  }

  @Test(arguments: ScanConfiguration.FileFormat.allCases)
  func thePrintedDefaultsReadBackAsTheDefaults(format: ScanConfiguration.FileFormat) throws {
    let printed = ScanConfiguration().fileContents(format: format)
    #expect(try read(printed, format) == ScanConfiguration())
  }

  @Test(arguments: ScanConfiguration.FileFormat.allCases)
  func changedSettingsReadBackUnchanged(format: ScanConfiguration.FileFormat) throws {
    var changed = ScanConfiguration()
    changed.structuredFlow.minScore = 4.25
    changed.lockstep.burstAlpha = 2.5e-5
    changed.circularPayment.search.maxLength = 6
    changed.nearDuplicateText.index.bands = 12
    changed.endorsements = EndorsementPolicy(kinds: ["follow", "vouch"], disapprovalKinds: ["report"])
    #expect(try read(changed.fileContents(format: format), format) == changed)
  }

  @Test func everySectionIsNamedAfterItsDetector() throws {
    guard case let .object(sections) = ScanConfiguration().tree else {
      Issue.record("the settings are a table of sections")
      return
    }
    let expected = Scanner.standard.detectors.map(\.name) + ["engagement-block-test", "endorsements"]
    #expect(Set(sections.keys) == Set(expected))
  }

  @Test func aPartialFileChangesOnlyWhatItNames() throws {
    let toml = try read("[structured-flow]\nmin_score = 7.5\n")
    let json = try read(#"{"structured-flow": {"min_score": 7.5}}"#, .json)
    var expected = ScanConfiguration()
    expected.structuredFlow.minScore = 7.5
    #expect(toml == expected)
    #expect(json == expected)
  }

  @Test func raisingStructuredFlowsMinScoreDropsOnlyTheWeakerFinding() throws {
    // A fan-in of split transfers and a stronger one, in an honest background.
    var set = StructuredFlowDetectorTests.background()
    for (i, (sender, count)) in [("fa", 1), ("fb", 4), ("fc", 3)].enumerated() {
      StructuredFlowDetectorTests.pay(&set, sender, "mule", cents: 321, day: 8 + Int64(i) * 30, count: count)
    }
    for (i, (sender, count)) in [("ga", 2), ("gb", 5), ("gc", 5), ("gd", 4), ("ge", 5)].enumerated() {
      StructuredFlowDetectorTests.pay(&set, sender, "sink", cents: 7_777, day: 5 + Int64(i) * 20, count: count)
    }
    let flows = { (report: ScanReport) in report.clusters.filter { $0.detector.contains("structured-flow") } }
    let before = try Scanner(configuration: ScanConfiguration()).scan(set)
    let scores = flows(before).map(\.score).sorted()
    try #require(scores.count == 2 && scores[0] < scores[1], "two structures of different strength")

    let threshold = (scores[0] + scores[1]) / 2
    let raised = try read("[structured-flow]\nmin_score = \(threshold)\n")
    let after = try Scanner(configuration: raised).scan(set)
    #expect(flows(after).map(\.score) == [scores[1]])
    let others = { (report: ScanReport) in
      report.clusters.filter { !$0.detector.contains("structured-flow") }.map(\.accounts)
    }
    #expect(others(after) == others(before), "no other detector moves")
  }

  @Test func theEndorsementFlagWinsOverTheFileAndKeepsItsDisapprovals() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write(
      "settings.toml", "[endorsements]\nkinds = [\"follow\"]\ndisapproval_kinds = [\"report\"]\n")
    let fromFile = try ScanConfiguration(file: file, endorsementListing: nil)
    #expect(fromFile.endorsements == EndorsementPolicy(kinds: ["follow"], disapprovalKinds: ["report"]))
    let flagged = try ScanConfiguration(file: file, endorsementListing: "like,vouch")
    #expect(flagged.endorsements == EndorsementPolicy(kinds: ["like", "vouch"], disapprovalKinds: ["report"]))
    #expect(try ScanConfiguration(file: nil, endorsementListing: nil) == ScanConfiguration())
  }

  @Test func anUnknownSectionIsRefusedWithTheSectionsThereAre() {
    let error = refusal("[structurd-flow]\nmin_score = 5\n")
    guard case let .unknownKey(file, path, allowed)? = error else {
      Issue.record("expected an unknown key, got \(String(describing: error))")
      return
    }
    #expect(file == "settings.toml" && path == "structurd-flow")
    #expect(allowed.contains("structured-flow"))
    #expect(error!.description.hasPrefix("settings.toml: structurd-flow is not a setting; the sections are "))
  }

  @Test func anUnknownKeyIsRefusedWithTheKeysOfItsSection() {
    let error = refusal(#"{"lockstep": {"windw": 3600}}"#, .json)
    #expect(
      error
        == .unknownKey(
          file: "settings.json", path: "lockstep.windw",
          allowed: ["burst_alpha", "fresh_account_seconds", "minimum_endorsers", "minimum_targets", "window"]))
    #expect(error?.description.contains("lockstep.windw is not a setting; lockstep has burst_alpha") == true)
  }

  @Test func aValueOfTheWrongTypeIsRefused() {
    #expect(
      refusal("[structured-flow]\nmin_score = \"high\"\n")
        == .wrongType(
          file: "settings.toml", path: "structured-flow.min_score", expected: "a number", found: "\"high\""))
    #expect(
      refusal(#"{"spectral": 3}"#, .json)
        == .wrongType(
          file: "settings.json", path: "spectral", expected: "a table of settings", found: "3"))
    #expect(
      refusal("[lockstep]\nminimum_targets = 2.5\n")
        == .wrongType(
          file: "settings.toml", path: "lockstep.minimum_targets", expected: "a whole number (of at most 18 digits)",
          found: "2.5"))
    #expect(
      refusal(#"{"endorsements": {"kinds": [1]}}"#, .json)
        == .wrongType(
          file: "settings.json", path: "endorsements.kinds", expected: "a list of kinds (text)", found: "1"))
    #expect(
      refusal("[1, 2]", .json)
        == .wrongType(
          file: "settings.json", path: "the file", expected: "a table of settings", found: "a list"))
  }

  @Test func aValueOutOfRangeIsRefusedWithWhatIsAllowed() {
    let error = refusal("[structured-flow]\nmin_score = -1\n")
    #expect(
      error
        == .outOfRange(
          file: "settings.toml",
          DetectorSettingError(
            detector: "structured-flow", setting: "min_score", value: "-1.0", allowed: "a number ≥ 0.0")))
    #expect(
      error?.description == "settings.toml: structured-flow.min_score = -1.0 is out of range: allowed is a number ≥ 0.0"
    )
    let nested = refusal(#"{"near-duplicate-text": {"index": {"bands": 0}}}"#, .json)
    #expect(
      nested?.description
        == "settings.json: near-duplicate-text.index.bands = 0 is out of range: allowed is a whole number from 1 to 256"
    )
  }

  @Test func badEndorsementKindsAreRefused() {
    #expect(
      refusal("[endorsements]\nkinds = [\"Follow\"]\n")
        == .badEndorsements(
          file: "settings.toml", path: "endorsements.kinds",
          reason: EndorsementPolicyError.notAKind("Follow").description))
    #expect(
      refusal("[endorsements]\nkinds = [\"follow,like\"]\n")
        == .badEndorsements(
          file: "settings.toml", path: "endorsements.kinds",
          reason: EndorsementPolicyError.notAKind("follow,like").description))
    #expect(
      refusal("[endorsements]\nkinds = []\n")
        == .badEndorsements(
          file: "settings.toml", path: "endorsements.kinds", reason: EndorsementPolicyError.empty.description))
  }

  @Test func aMalformedFileIsRefusedWithWhereItGoesWrong() {
    guard case let .malformed(_, format, reason)? = refusal("[lockstep\n") else {
      Issue.record("a broken TOML header is malformed")
      return
    }
    #expect(format == "TOML" && reason.hasPrefix("line 1, column"))
    guard
      case let .malformed(_, jsonFormat, jsonReason)? = refusal(
        "{\n \"lockstep\": {\n  \"window\": 3600,,\n }\n}", .json)
    else {
      Issue.record("a doubled comma is malformed JSON")
      return
    }
    #expect(jsonFormat == "JSON" && jsonReason.contains("(line 3, column"))
  }

  @Test func anUnreadableFileIsRefusedByName() {
    #expect(throws: ScanConfigurationError.self) { try ScanConfiguration(contentsOfFile: "/nonexistent/settings.toml") }
    do {
      _ = try ScanConfiguration(contentsOfFile: "/nonexistent/settings.toml")
    } catch {
      #expect(error.description.hasPrefix("/nonexistent/settings.toml: cannot be read"))
    }
  }

  @Test func theFileFormatFollowsTheExtension() {
    #expect(ScanConfiguration.FileFormat(path: "a/settings.TOML") == .toml)
    #expect(ScanConfiguration.FileFormat(path: "settings.json") == .json)
  }
}
