extension PrefilterConfiguration {
  /// The longest time setting accepted, in seconds (100 years): far beyond
  /// any use, and far enough from `Int64.max` that stream times plus it
  /// cannot overflow.
  static let longestSeconds: Int64 = 100 * 365 * 86_400

  /// Checks that every setting is within the values the pre-filter works
  /// with: windows and time buckets of at least a second (a zero bucket
  /// would divide by zero), counts and limits of at least one, shares and
  /// chances between 0 and 1. `fraudscan filter`, `fraudscan serve` and
  /// ``FilterSession`` call it before building a ``Prefilter``.
  ///
  ///     var configuration = PrefilterConfiguration()
  ///     configuration.windowDays = 30
  ///     try configuration.validate()
  ///
  /// - Throws: ``PrefilterConfigurationError/outOfRange(setting:value:allowed:)``
  ///   for the first setting out of range, named by its path
  ///   (`flows.bucketSeconds`) with the range allowed.
  public func validate() throws(PrefilterConfigurationError) {
    try Self.check("windowDays", windowDays, in: 1...36_500, "days")
    let seconds = 1...Self.longestSeconds
    try Self.check("cycles.windowSeconds", cycles.windowSeconds, in: seconds, "seconds")
    try Self.check("cycles.maxHops", cycles.maxHops, in: 2...64, "payments")
    try Self.checkShare("cycles.minRatio", cycles.minRatio, zeroAllowed: false)
    try Self.check("cycles.fanLimit", cycles.fanLimit, in: 1...Int.max, "payments")
    try Self.check("cycles.budget", cycles.budget, in: 1...Int.max, "accounts")
    try Self.check("cycles.minReturnTurns", cycles.minReturnTurns, in: 1...Int.max, "round trips")
    try Self.check("flows.bucketSeconds", flows.bucketSeconds, in: seconds, "seconds")
    try Self.check("flows.relayWindowSeconds", flows.relayWindowSeconds, in: seconds, "seconds")
    try Self.check("flows.splitSpanSeconds", flows.splitSpanSeconds, in: seconds, "seconds")
    try Self.checkShare("flows.skim", flows.skim, zeroAllowed: true, oneAllowed: false)
    try Self.check("flows.maxRelayHops", flows.maxRelayHops, in: 1...64, "relays")
    try Self.checkShare("flows.maxHopChance", flows.maxHopChance, zeroAllowed: false)
    try Self.checkShare("flows.alpha", flows.alpha, zeroAllowed: false)
    try Self.checkShare("flows.warmUpAlpha", flows.warmUpAlpha, zeroAllowed: false)
    try Self.check("flows.fanLimit", flows.fanLimit, in: 1...Int.max, "payments")
    try Self.check("flows.budget", flows.budget, in: 1...Int.max, "hops")
    try Self.check("flows.backgroundDays", flows.backgroundDays, in: 1...3_650, "days")
    try Self.check("flows.linkWindowSeconds", flows.linkWindowSeconds, in: seconds, "seconds")
    try Self.checkShare("flows.linkTolerance", flows.linkTolerance, zeroAllowed: true, oneAllowed: false)
    try Self.checkShare("flows.linkAlpha", flows.linkAlpha, zeroAllowed: false)
    try Self.check("flows.fanWindowSeconds", flows.fanWindowSeconds, in: seconds, "seconds")
    try Self.check("flows.minFanSenders", flows.minFanSenders, in: 2...Int.max, "senders")
    try Self.check("flows.fanWarmUpSeconds", flows.fanWarmUpSeconds, in: 0...Self.longestSeconds, "seconds")
    try Self.checkShare("flows.fanTolerance", flows.fanTolerance, zeroAllowed: false, oneAllowed: false)
    try Self.check("flows.fanMaxRead", flows.fanMaxRead, in: 1...4_096, "payments")
    try Self.check("engagement.minEndorsers", engagement.minEndorsers, in: 2...Int.max, "endorsers")
    if !(engagement.surprise >= 1 && engagement.surprise.isFinite) {
      throw .outOfRange(
        setting: "engagement.surprise", value: "\(engagement.surprise)", allowed: "a finite number of at least 1")
    }
    try Self.check("engagement.syncSeconds", engagement.syncSeconds, in: seconds, "seconds")
    try Self.check("engagement.maxTargetDegree", engagement.maxTargetDegree, in: 1...Int.max, "endorsers")
    try Self.check("engagement.maxEndorserDegree", engagement.maxEndorserDegree, in: 1...Int.max, "targets")
    try Self.check("engagement.recentTargets", engagement.recentTargets, in: 1...Int.max, "targets")
    try Self.check("profiles.minGroup", profiles.minGroup, in: 2...Int.max, "accounts")
    try Self.check("profiles.rareMax", profiles.rareMax, in: 1...Int.max, "accounts")
    try Self.check("profiles.burstSeconds", profiles.burstSeconds, in: seconds, "seconds")
    try Self.checkShare("profiles.bioMinJaccard", profiles.bioMinJaccard, zeroAllowed: false)
  }

  /// Throws when `value` of `setting` lies outside `range`, counted in `unit`.
  private static func check<T: BinaryInteger>(_ setting: String, _ value: T, in range: ClosedRange<T>, _ unit: String)
    throws(PrefilterConfigurationError)
  {
    guard !range.contains(value) else { return }
    let allowed =
      range.upperBound == T(Int.max) || range.upperBound == T(Int64.max)
      ? "at least \(range.lowerBound) (\(unit))" : "from \(range.lowerBound) to \(range.upperBound) (\(unit))"
    throw .outOfRange(setting: setting, value: "\(value)", allowed: allowed)
  }

  /// Throws when `value` of `setting` is not a share between 0 and 1
  /// (0 and 1 included as the flags say).
  private static func checkShare(
    _ setting: String, _ value: Double, zeroAllowed: Bool, oneAllowed: Bool = true
  ) throws(PrefilterConfigurationError) {
    let aboveZero = zeroAllowed ? value >= 0 : value > 0
    let belowOne = oneAllowed ? value <= 1 : value < 1
    guard !(aboveZero && belowOne) else { return }
    let low = zeroAllowed ? "at least 0" : "more than 0"
    let high = oneAllowed ? "at most 1" : "less than 1"
    throw .outOfRange(setting: setting, value: "\(value)", allowed: "\(low) and \(high)")
  }
}
