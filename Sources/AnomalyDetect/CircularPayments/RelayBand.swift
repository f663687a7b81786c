/// The amounts that pass on one transfer (``RelayChains/passesOn(_:_:skim:)``):
/// its unit payment for payment, or failing that its total as one sum
/// split otherwise, each with at most a share `skim` kept. The floors are
/// worked out once, so that testing a transfer against it is four integer
/// comparisons.
///
///     let band = RelayBand(unit: 100_000_000, total: 300_000_000, skim: 0.1)
///     band.match(unit: 95_000_000, total: 95_000_000)    // 95 of 100 passed on: not by sum
///     band.match(unit: 150_000_000, total: 290_000_000)  // 290 of 300 passed on, by sum
///     band.match(unit: 80_000_000, total: 80_000_000)    // nil: 20 % kept
struct RelayBand {
  /// The unit received, and the least unit that passes it on.
  let unit: Int64, unitFloor: Int64
  /// The total received, and the least total that passes it on.
  let total: Int64, totalFloor: Int64

  /// The band of a transfer of `unit` per payment and `total` in all.
  init(unit: Int64, total: Int64, skim: Double) {
    (self.unit, self.unitFloor) = (unit, RelayChains.bandFloor(unit, skim: skim))
    (self.total, self.totalFloor) = (total, RelayChains.bandFloor(total, skim: skim))
  }

  /// How a transfer of `unit` per payment and `total` in all passes this
  /// one on: the amounts compared and whether as sums (`bySum`), or nil.
  func match(unit next: Int64, total nextTotal: Int64) -> (amount: Int64, received: Int64, bySum: Bool)? {
    if next <= unit && next >= unitFloor { return (next, unit, false) }
    if nextTotal <= total && nextTotal >= totalFloor { return (nextTotal, total, true) }
    return nil
  }
}
