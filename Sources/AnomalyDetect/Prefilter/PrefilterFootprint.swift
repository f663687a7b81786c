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
  public var accounts: Int
  /// The account id range: the length of every per-account array. It stays
  /// near the largest number of accounts remembered at once, since the ids
  /// of forgotten accounts are reused.
  public var accountIdRange: Int
  /// Distinct profile values and field names remembered.
  public var profileValues: Int
  /// Payments kept for the cycle search (the last cycle window).
  public var payments: Int
  /// Distinct endorser–target edges kept for the dense-block state (the last window).
  public var endorsements: Int
  /// Co-endorsed target pairs counted (the last window).
  public var targetPairs: Int
  /// Profile edits kept for the ring search (the last burst window).
  public var profileEdits: Int
  /// (account, value) pairs counted for rarity (the last window).
  public var rarityCounters: Int
  /// Bios in the MinHash index (two generations of four burst windows each).
  public var bios: Int
}

extension Prefilter {
  /// What the pre-filter holds now.
  ///
  /// - Complexity: O(accounts + kept profile edits).
  public var footprint: PrefilterFootprint {
    PrefilterFootprint(
      accounts: accounts.count, accountIdRange: accounts.idCapacity,
      profileValues: values.count + fields.count,
      payments: cycles.paymentsKept,
      endorsements: engagement.edgesKept, targetPairs: engagement.pairsKept,
      profileEdits: profiles.editsKept, rarityCounters: profiles.rarityCountersKept, bios: profiles.biosIndexed)
  }
}
