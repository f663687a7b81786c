/// Money passed on: an amount that passes on one received keeps at most a
/// share `skim` of it and adds nothing. The one home of that test, for the
/// scan's `structured-flow` detector and the pre-filter's flow check alike.
///
/// A band is built for one transfer received, its unit (payment for
/// payment) and its total (one sum split otherwise), with their floors
/// worked out once, so that testing another transfer against it is four
/// integer comparisons. Public and `@inlinable` for one reason: the
/// scan's innermost relay loop, in another module, must inline it (as a
/// `package` type its body did not cross the module boundary, which cost
/// the scan 5 % of its instructions).
///
///     let band = RelayBand(unit: 100_000_000, total: 300_000_000, skim: 0.1)
///     band.match(unit: 95_000_000, total: 95_000_000)    // 95 of 100 passed on: not by sum
///     band.match(unit: 150_000_000, total: 290_000_000)  // 290 of 300 passed on, by sum
///     band.match(unit: 80_000_000, total: 80_000_000)    // nil: 20 % kept
///     RelayBand.passesOn(97_000_000, 100_000_000, skim: 0.05)  // true
public struct RelayBand {
  /// The unit received, and the least unit that passes it on.
  public let unit: Int64, unitFloor: Int64
  /// The total received, and the least total that passes it on.
  public let total: Int64, totalFloor: Int64

  /// The band of a transfer of `unit` per payment and `total` in all.
  @inlinable
  public init(unit: Int64, total: Int64, skim: Double) {
    (self.unit, self.unitFloor) = (unit, Self.floor(of: unit, skim: skim))
    (self.total, self.totalFloor) = (total, Self.floor(of: total, skim: skim))
  }

  /// How a transfer of `unit` per payment and `total` in all passes this
  /// one on: the amounts compared and whether as sums (`bySum`), or nil.
  @inlinable
  public func match(unit next: Int64, total nextTotal: Int64) -> (amount: Int64, received: Int64, bySum: Bool)? {
    if next <= unit && next >= unitFloor { return (next, unit, false) }
    if nextTotal <= total && nextTotal >= totalFloor { return (nextTotal, total, true) }
    return nil
  }

  /// The least amount that passes on `received` with at most `skim` kept:
  /// `received` · (1 − `skim`), rounded up (an amount is whole micro-units).
  @inlinable
  public static func floor(of received: Int64, skim: Double) -> Int64 {
    Int64((Double(received) * (1 - skim)).rounded(.up))
  }

  /// Whether `amount` passes on `received`: no more than arrived, and at
  /// most `skim` of it kept.
  @inlinable
  public static func passesOn(_ amount: Int64, _ received: Int64, skim: Double) -> Bool {
    amount <= received && amount >= floor(of: received, skim: skim)
  }

  /// Whether the sum `amount` passes on the sum `received` (sums of many
  /// payments, added up as `Double`s).
  @inlinable
  public static func sumPassesOn(_ amount: Double, _ received: Double, skim: Double) -> Bool {
    amount <= received && amount >= (1 - skim) * received
  }
}
