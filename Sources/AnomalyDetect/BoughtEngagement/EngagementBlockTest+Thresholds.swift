extension EngagementBlockTest {
  /// The documented thresholds of the block test that `dense-block`,
  /// `lockstep` and `spectral` share (one test, so that their scores
  /// compare); in a settings file, the section `engagement-block-test` with
  /// the snake_case keys of ``CodingKeys``:
  ///
  ///     var blockTest = EngagementBlockTest.Thresholds()
  ///     blockTest.familyAlpha = 0.001   // family_alpha = 0.001
  ///     let detector = try DenseBlockDetector(thresholds: .init(), blockTest: blockTest)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The fewest endorsers of a reported block.
    public var minimumEndorsers = 3
    /// The fewest customers (endorsed accounts) of a reported block.
    public var minimumCustomers = 2
    /// The least share of the block's endorser × customer pairs that are endorsements.
    public var minimumFill = 0.5
    /// The least share of a customer's distinct endorsers that must come from the block.
    public var minimumShare = 0.5
    /// A customer with a smaller share from the block is one still when the
    /// block's endorsements of it are a burst for its own rate: their Poisson
    /// tail at its rate over their span is at most this.
    public var customerBurstAlpha = 1e-4
    /// The familywise error rate of a whole search; α = familyAlpha / accounts.
    public var familyAlpha = 0.01
    /// The share of the block's endorsements its synchrony window must hold.
    public var windowShare = 0.8
    /// Endorsers created this long before the window are counted as new (30 days).
    public var newAccountSeconds: Int64 = 30 * 86_400
    /// A block whose endorsements are returned (a ring of accounts endorsing
    /// each other) is reported only when 80 % of them fall within this many
    /// seconds (3 days, CopyCatch's window as in `lockstep`): mutual ties
    /// formed over weeks are a community.
    public var ringSeconds: Int64 = 3 * 86_400

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `minimum_endorsers`, `minimum_customers`,
    /// `minimum_fill`, `minimum_share`, `customer_burst_alpha`, `family_alpha`, `window_share`,
    /// `new_account_seconds`, `ring_seconds`.
    public enum CodingKeys: String, CodingKey {
      case minimumEndorsers = "minimum_endorsers"
      case minimumCustomers = "minimum_customers"
      case minimumFill = "minimum_fill"
      case minimumShare = "minimum_share"
      case customerBurstAlpha = "customer_burst_alpha"
      case familyAlpha = "family_alpha"
      case windowShare = "window_share"
      case newAccountSeconds = "new_account_seconds"
      case ringSeconds = "ring_seconds"
    }
  }

  /// The section name of the block test's thresholds in a settings file.
  public static let settingsName = "engagement-block-test"

  /// A test with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  init(validating thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: Self.settingsName)
    try check.atLeast(thresholds.minimumEndorsers, 2, .minimumEndorsers, "a whole number")
    try check.atLeast(thresholds.minimumCustomers, 1, .minimumCustomers, "a whole number")
    try check.share(thresholds.minimumFill, .minimumFill)
    try check.share(thresholds.minimumShare, .minimumShare)
    try check.share(thresholds.customerBurstAlpha, .customerBurstAlpha)
    try check.share(thresholds.familyAlpha, .familyAlpha)
    try check.share(thresholds.windowShare, .windowShare)
    try check.atLeast(thresholds.newAccountSeconds, 0, .newAccountSeconds, "a whole number of seconds")
    try check.atLeast(thresholds.ringSeconds, 0, .ringSeconds, "a whole number of seconds")
    self.thresholds = thresholds
  }

  var minimumEndorsers: Int { thresholds.minimumEndorsers }
  var minimumCustomers: Int { thresholds.minimumCustomers }
  var minimumFill: Double { thresholds.minimumFill }
  var minimumShare: Double { thresholds.minimumShare }
  var customerBurstAlpha: Double { thresholds.customerBurstAlpha }
  var familyAlpha: Double { thresholds.familyAlpha }
  var windowShare: Double { thresholds.windowShare }
  var newAccountSeconds: Int64 { thresholds.newAccountSeconds }
  var ringSeconds: Int64 { thresholds.ringSeconds }
}
