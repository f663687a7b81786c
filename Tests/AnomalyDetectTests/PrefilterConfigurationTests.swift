import Testing

@testable import InlinePrefilter

/// A pre-filter setting out of range (a zero time bucket would divide by
/// zero) is refused with its name and the values allowed, wherever a
/// configuration is taken.
@Suite("Prefilter configuration")
struct PrefilterConfigurationTests {
  @Test func theDefaultsAreValid() throws {
    try PrefilterConfiguration().validate()
    var short = PrefilterConfiguration()
    short.windowDays = 1
    short.flows.skim = 0
    short.cycles.minRatio = 1
    try short.validate()
  }

  @Test func aZeroBucketIsRefusedByName() {
    var configuration = PrefilterConfiguration()
    configuration.flows.bucketSeconds = 0
    let expected = PrefilterConfigurationError.outOfRange(
      setting: "flows.bucketSeconds", value: "0", allowed: "from 1 to 3153600000 (seconds)")
    #expect(throws: expected) { try configuration.validate() }
    #expect(
      expected.description
        == "the pre-filter setting flows.bucketSeconds is 0, but it must be from 1 to 3153600000 (seconds)")
  }

  /// Each setting out of range, and the name the error gives it.
  static let outOfRange: [(String, @Sendable (inout PrefilterConfiguration) -> Void)] = [
    ("windowDays", { $0.windowDays = 0 }),
    ("windowDays", { $0.windowDays = 1_000_000 }),
    ("cycles.windowSeconds", { $0.cycles.windowSeconds = -5 }),
    ("cycles.maxHops", { $0.cycles.maxHops = 1 }),
    ("cycles.minRatio", { $0.cycles.minRatio = 0 }),
    ("cycles.minRatio", { $0.cycles.minRatio = .nan }),
    ("cycles.fanLimit", { $0.cycles.fanLimit = 0 }),
    ("cycles.budget", { $0.cycles.budget = 0 }),
    ("cycles.minReturnTurns", { $0.cycles.minReturnTurns = 0 }),
    ("flows.bucketSeconds", { $0.flows.bucketSeconds = .max }),
    ("flows.relayWindowSeconds", { $0.flows.relayWindowSeconds = 0 }),
    ("flows.splitSpanSeconds", { $0.flows.splitSpanSeconds = 0 }),
    ("flows.skim", { $0.flows.skim = 1 }),
    ("flows.skim", { $0.flows.skim = -0.1 }),
    ("flows.maxRelayHops", { $0.flows.maxRelayHops = 0 }),
    ("flows.maxHopChance", { $0.flows.maxHopChance = 2 }),
    ("flows.alpha", { $0.flows.alpha = 0 }),
    ("flows.warmUpAlpha", { $0.flows.warmUpAlpha = 0 }),
    ("flows.fanLimit", { $0.flows.fanLimit = -1 }),
    ("flows.budget", { $0.flows.budget = 0 }),
    ("flows.backgroundDays", { $0.flows.backgroundDays = 0 }),
    ("engagement.minEndorsers", { $0.engagement.minEndorsers = 1 }),
    ("engagement.surprise", { $0.engagement.surprise = .infinity }),
    ("engagement.surprise", { $0.engagement.surprise = 0.5 }),
    ("engagement.syncSeconds", { $0.engagement.syncSeconds = 0 }),
    ("engagement.maxTargetDegree", { $0.engagement.maxTargetDegree = 0 }),
    ("engagement.maxEndorserDegree", { $0.engagement.maxEndorserDegree = 0 }),
    ("engagement.recentTargets", { $0.engagement.recentTargets = 0 }),
    ("profiles.minGroup", { $0.profiles.minGroup = 1 }),
    ("profiles.rareMax", { $0.profiles.rareMax = 0 }),
    ("profiles.burstSeconds", { $0.profiles.burstSeconds = 0 }),
    ("profiles.bioMinJaccard", { $0.profiles.bioMinJaccard = 1.5 }),
  ]

  @Test func eachSettingOutOfRangeIsRefusedByName() {
    for (setting, edit) in Self.outOfRange {
      var configuration = PrefilterConfiguration()
      edit(&configuration)
      do {
        try configuration.validate()
        Issue.record("\(setting): accepted")
      } catch {
        #expect(error.setting == setting)
        #expect(error.description.hasPrefix("the pre-filter setting \(setting) is "), "\(error)")
        #expect(error.description.contains("but it must be "), "\(error)")
      }
    }
  }

  @Test func aFilterSessionRefusesASettingOutOfRange() {
    var configuration = PrefilterConfiguration()
    configuration.profiles.burstSeconds = 0
    #expect(throws: PrefilterConfigurationError.self) { try FilterSession(configuration: configuration) }
  }
}
