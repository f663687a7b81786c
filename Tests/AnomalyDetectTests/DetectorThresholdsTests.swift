import Testing

@testable import AnomalyDetect

/// Every detector's `init(thresholds:)` refuses a setting out of its range,
/// naming the setting as a settings file does and what is allowed.
@Suite struct DetectorThresholdsTests {
  typealias Refusal = DetectorSettingError

  /// The error `make` gives for the defaults `thresholds` after `change`.
  func refused<T>(
    _ thresholds: T, _ change: (inout T) -> Void, by make: (T) throws(Refusal) -> any Detector
  ) -> Refusal? {
    var changed = thresholds
    change(&changed)
    do {
      _ = try make(changed)
      return nil
    } catch {
      return error
    }
  }

  @Test func theDefaultsAreAccepted() throws {
    #expect(try ScanConfiguration().detectors().count == Scanner.standard.detectors.count)
  }

  @Test func boughtEngagementDetectorsRefuseSettingsOutOfRange() {
    let dense = { (t: DenseBlockDetector.Thresholds) throws(Refusal) -> any Detector in
      try DenseBlockDetector(thresholds: t)
    }
    #expect(
      refused(DenseBlockDetector.Thresholds(), { $0.patience = 0 }, by: dense)
        == Refusal(detector: "dense-block", setting: "patience", value: "0", allowed: "a whole number ≥ 1"))
    let lockstep = { (t: LockstepDetector.Thresholds) throws(Refusal) -> any Detector in
      try LockstepDetector(thresholds: t)
    }
    #expect(refused(LockstepDetector.Thresholds(), { $0.burstAlpha = 0 }, by: lockstep)?.setting == "burst_alpha")
    let spectral = { (t: SpectralSpokeDetector.Thresholds) throws(Refusal) -> any Detector in
      try SpectralSpokeDetector(thresholds: t)
    }
    #expect(
      refused(SpectralSpokeDetector.Thresholds(), { $0.rank = 0 }, by: spectral)
        == Refusal(detector: "spectral", setting: "rank", value: "0", allowed: "a whole number from 1 to 200"))
    let contested = { (t: ContestedReputationDetector.Thresholds) throws(Refusal) -> any Detector in
      try ContestedReputationDetector(thresholds: t)
    }
    #expect(
      refused(ContestedReputationDetector.Thresholds(), { $0.falseDiscoveryRate = 1.5 }, by: contested)
        == Refusal(
          detector: "contested-reputation", setting: "false_discovery_rate", value: "1.5",
          allowed: "a number greater than 0 and at most 1"))
    let blockTest = { (t: EngagementBlockTest.Thresholds) throws(Refusal) -> any Detector in
      try DenseBlockDetector(thresholds: .init(), blockTest: t)
    }
    #expect(
      refused(EngagementBlockTest.Thresholds(), { $0.windowShare = 0 }, by: blockTest)
        == Refusal(
          detector: "engagement-block-test", setting: "window_share", value: "0.0",
          allowed: "a number greater than 0 and at most 1"))
  }

  @Test func paymentDetectorsRefuseSettingsOutOfRange() {
    let circular = { (t: CircularPaymentDetector.Thresholds) throws(Refusal) -> any Detector in
      try CircularPaymentDetector(thresholds: t)
    }
    #expect(
      refused(CircularPaymentDetector.Thresholds(), { $0.maxHopRatio = 0.5 }, by: circular)
        == Refusal(
          detector: "circular-payment", setting: "max_hop_ratio", value: "0.5",
          allowed: "a number at least min_hop_ratio (0.8)"))
    let gather = { (t: GatherScatterDetector.Thresholds) throws(Refusal) -> any Detector in
      try GatherScatterDetector(thresholds: t)
    }
    #expect(
      refused(GatherScatterDetector.Thresholds(), { $0.maxHopGap = -1 }, by: gather)
        == Refusal(
          detector: "gather-scatter", setting: "max_hop_gap", value: "-1", allowed: "a whole number of seconds ≥ 0"))
    let flow = { (t: StructuredFlowDetector.Thresholds) throws(Refusal) -> any Detector in
      try StructuredFlowDetector(thresholds: t)
    }
    #expect(
      refused(StructuredFlowDetector.Thresholds(), { $0.bucketSeconds = 0 }, by: flow)
        == Refusal(
          detector: "structured-flow", setting: "bucket_seconds", value: "0", allowed: "a whole number of seconds ≥ 1"))
    #expect(refused(StructuredFlowDetector.Thresholds(), { $0.skim = 1 }, by: flow)?.setting == "skim")
  }

  @Test func profileDetectorsRefuseSettingsOutOfRange() {
    let rare = { (t: RareSharedValueDetector.Thresholds) throws(Refusal) -> any Detector in
      try RareSharedValueDetector(thresholds: t)
    }
    #expect(
      refused(RareSharedValueDetector.Thresholds(), { $0.minAccounts = 1 }, by: rare)
        == Refusal(detector: "rare-shared-values", setting: "min_accounts", value: "1", allowed: "a whole number ≥ 2"))
    let text = { (t: NearDuplicateTextDetector.Thresholds) throws(Refusal) -> any Detector in
      try NearDuplicateTextDetector(thresholds: t)
    }
    #expect(refused(NearDuplicateTextDetector.Thresholds(), { $0.threshold = 0 }, by: text)?.setting == "threshold")
    #expect(
      refused(NearDuplicateTextDetector.Thresholds(), { $0.index.rowsPerBand = 0 }, by: text)
        == Refusal(
          detector: "near-duplicate-text.index", setting: "rows_per_band", value: "0",
          allowed: "a whole number from 1 to 64"))
    let burst = { (t: EditBehaviourDetector.Thresholds) throws(Refusal) -> any Detector in
      try EditBehaviourDetector(thresholds: t)
    }
    #expect(
      refused(EditBehaviourDetector.Thresholds(), { $0.minBurstAccounts = 1 }, by: burst)?.setting
        == "min_burst_accounts")
  }
}
