import SignalGraph

/// Every setting of a scan: each detector's ``DenseBlockDetector/Thresholds``
/// and the like, the block test the bought-engagement detectors share, and
/// which interactions endorse. In a settings file each is a section named
/// after its detector (`structured-flow`, …), plus `engagement-block-test`
/// and `endorsements`; a file names only what it changes, the rest keeps its
/// documented default (``init(contentsOfFile:)``).
///
///     var configuration = ScanConfiguration()
///     configuration.structuredFlow.minScore = 5
///     let scanner = try Scanner(configuration: configuration)
///     let report = scanner.scan(try SignalSet(contentsOf: "fixtures/daily-laundering"))
public struct ScanConfiguration: Sendable, Equatable, Codable {
  /// `dense-block`.
  public var denseBlock = DenseBlockDetector.Thresholds()
  /// `lockstep`.
  public var lockstep = LockstepDetector.Thresholds()
  /// `spectral`.
  public var spectral = SpectralSpokeDetector.Thresholds()
  /// `contested-reputation`.
  public var contestedReputation = ContestedReputationDetector.Thresholds()
  /// `engagement-block-test`: the test `dense-block`, `lockstep` and `spectral` share.
  public var engagementBlockTest = EngagementBlockTest.Thresholds()
  /// `circular-payment`.
  public var circularPayment = CircularPaymentDetector.Thresholds()
  /// `gather-scatter`.
  public var gatherScatter = GatherScatterDetector.Thresholds()
  /// `structured-flow`.
  public var structuredFlow = StructuredFlowDetector.Thresholds()
  /// `rare-shared-values`.
  public var rareSharedValues = RareSharedValueDetector.Thresholds()
  /// `near-duplicate-text`.
  public var nearDuplicateText = NearDuplicateTextDetector.Thresholds()
  /// `edit-burst`.
  public var editBurst = EditBehaviourDetector.Thresholds()
  /// `endorsements`: which interaction kinds endorse (`kinds`) and which
  /// disapprove (`disapproval_kinds`); `scan --endorsements` overrides `kinds`.
  public var endorsements = EndorsementPolicy.standard

  /// Every setting at its documented default.
  public init() {}

  /// The detectors these settings make, in the order ``Scanner/standard`` runs them.
  ///
  ///     let detectors = try ScanConfiguration().detectors()
  ///     detectors.map(\.name)   // ["dense-block", "lockstep", …, "edit-burst"]
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public func detectors() throws(DetectorSettingError) -> [any Detector] {
    try boughtEngagementDetectors() + circularPaymentDetectors() + fakeProfileDetectors()
  }

  /// The bought-engagement detectors, in the order they run.
  ///
  ///     try ScanConfiguration().boughtEngagementDetectors().map(\.name)   // ["dense-block", "lockstep", "spectral", "contested-reputation"]
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public func boughtEngagementDetectors() throws(DetectorSettingError) -> [any Detector] {
    [
      try DenseBlockDetector(thresholds: denseBlock, blockTest: engagementBlockTest),
      try LockstepDetector(thresholds: lockstep, blockTest: engagementBlockTest),
      try SpectralSpokeDetector(thresholds: spectral, blockTest: engagementBlockTest),
      try ContestedReputationDetector(thresholds: contestedReputation),
    ]
  }

  /// The circular-payment detectors, in the order they run.
  ///
  ///     try ScanConfiguration().circularPaymentDetectors().map(\.name)   // ["circular-payment", "gather-scatter", "structured-flow"]
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public func circularPaymentDetectors() throws(DetectorSettingError) -> [any Detector] {
    [
      try CircularPaymentDetector(thresholds: circularPayment),
      try GatherScatterDetector(thresholds: gatherScatter),
      try StructuredFlowDetector(thresholds: structuredFlow),
    ]
  }

  /// The fake-profile detectors, in the order they run.
  ///
  ///     try ScanConfiguration().fakeProfileDetectors().map(\.name)   // ["rare-shared-values", "near-duplicate-text", "edit-burst"]
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public func fakeProfileDetectors() throws(DetectorSettingError) -> [any Detector] {
    [
      try RareSharedValueDetector(thresholds: rareSharedValues),
      try NearDuplicateTextDetector(thresholds: nearDuplicateText),
      try EditBehaviourDetector(thresholds: editBurst),
    ]
  }

  /// The name of the endorsement section in a settings file.
  public static let endorsementsSection = "endorsements"

  /// A section name of a settings file.
  struct Section: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// The `endorsements` section, with snake_case keys.
  struct EndorsementSection: Codable {
    var kinds: [String]
    var disapprovalKinds: [String]
    enum CodingKeys: String, CodingKey {
      case kinds
      case disapprovalKinds = "disapproval_kinds"
    }
  }

  /// Settings read from a decoder: every section present (a file is merged
  /// over the defaults first, see ``init(parsing:format:file:)``).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Section.self)
    denseBlock = try c.decode(DenseBlockDetector.Thresholds.self, forKey: Section(DenseBlockDetector().name))
    lockstep = try c.decode(LockstepDetector.Thresholds.self, forKey: Section(LockstepDetector().name))
    spectral = try c.decode(SpectralSpokeDetector.Thresholds.self, forKey: Section(SpectralSpokeDetector().name))
    contestedReputation = try c.decode(
      ContestedReputationDetector.Thresholds.self, forKey: Section(ContestedReputationDetector().name))
    engagementBlockTest = try c.decode(
      EngagementBlockTest.Thresholds.self, forKey: Section(EngagementBlockTest.settingsName))
    circularPayment = try c.decode(
      CircularPaymentDetector.Thresholds.self, forKey: Section(CircularPaymentDetector().name))
    gatherScatter = try c.decode(GatherScatterDetector.Thresholds.self, forKey: Section(GatherScatterDetector().name))
    structuredFlow = try c.decode(
      StructuredFlowDetector.Thresholds.self, forKey: Section(StructuredFlowDetector().name))
    rareSharedValues = try c.decode(
      RareSharedValueDetector.Thresholds.self, forKey: Section(RareSharedValueDetector().name))
    nearDuplicateText = try c.decode(
      NearDuplicateTextDetector.Thresholds.self, forKey: Section(NearDuplicateTextDetector().name))
    editBurst = try c.decode(EditBehaviourDetector.Thresholds.self, forKey: Section(EditBehaviourDetector().name))
    let e = try c.decode(EndorsementSection.self, forKey: Section(Self.endorsementsSection))
    endorsements = EndorsementPolicy(kinds: e.kinds, disapprovalKinds: e.disapprovalKinds)
  }

  /// Writes every section.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Section.self)
    try c.encode(denseBlock, forKey: Section(DenseBlockDetector().name))
    try c.encode(lockstep, forKey: Section(LockstepDetector().name))
    try c.encode(spectral, forKey: Section(SpectralSpokeDetector().name))
    try c.encode(contestedReputation, forKey: Section(ContestedReputationDetector().name))
    try c.encode(engagementBlockTest, forKey: Section(EngagementBlockTest.settingsName))
    try c.encode(circularPayment, forKey: Section(CircularPaymentDetector().name))
    try c.encode(gatherScatter, forKey: Section(GatherScatterDetector().name))
    try c.encode(structuredFlow, forKey: Section(StructuredFlowDetector().name))
    try c.encode(rareSharedValues, forKey: Section(RareSharedValueDetector().name))
    try c.encode(nearDuplicateText, forKey: Section(NearDuplicateTextDetector().name))
    try c.encode(editBurst, forKey: Section(EditBehaviourDetector().name))
    try c.encode(
      EndorsementSection(kinds: endorsements.kinds, disapprovalKinds: endorsements.disapprovalKinds),
      forKey: Section(Self.endorsementsSection))
  }
}
