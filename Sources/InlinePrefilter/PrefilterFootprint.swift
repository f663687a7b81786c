/// What a ``Prefilter`` holds in memory right now, counted by kind. Each
/// count is bounded by the traffic of the last window
/// (``PrefilterConfiguration/windowDays``), not by the length of the stream;
/// a service can export it as a gauge.
///
///     var filter = Prefilter()
///     _ = filter.decide(.interaction(source: "a", target: "b", kind: "like", time: 1_767_225_600))
///     let footprint = filter.footprint
///     print(footprint.accounts, footprint.endorsements)
public struct PrefilterFootprint: Sendable, Equatable {
  /// Accounts remembered (seen within ``PrefilterConfiguration/idleSeconds``).
  public var accounts = 0
  /// The account id range: the length of every per-account array. It stays
  /// near the largest number of accounts remembered at once, since the ids
  /// of forgotten accounts are reused.
  public var accountIdRange = 0
  /// Distinct profile values and field names remembered.
  public var profileValues = 0
  /// Payments kept for the cycle and relay searches (the last cycle window
  /// and the last relay window: a payment may be counted once by each).
  public var payments = 0
  /// Distinct endorser–target edges kept for the dense-block state (the last window).
  public var endorsements = 0
  /// Co-endorsed target pairs counted (the last window).
  public var targetPairs = 0
  /// Profile edits kept for the ring search (the last burst window).
  public var profileEdits = 0
  /// (account, value) pairs counted for rarity (the last window).
  public var rarityCounters = 0
  /// Bios in the MinHash index (two generations of four burst windows each).
  public var bios = 0

  /// Nothing held.
  init() {}
}

extension Prefilter {
  /// What the pre-filter holds now: its names, and what each check adds
  /// (``PrefilterCheck/addFootprint(to:)``).
  ///
  /// - Complexity: O(accounts + kept profile edits).
  public var footprint: PrefilterFootprint {
    var footprint = PrefilterFootprint()
    footprint.accounts = names.accounts.count
    footprint.accountIdRange = names.accounts.idCapacity
    footprint.profileValues = names.values.count + names.fields.count
    for check in checks { check.addFootprint(to: &footprint) }
    return footprint
  }
}
