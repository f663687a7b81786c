import SignalGraph

/// The ids the pre-filter gives names: accounts, profile field names and
/// profile values, each forgotten once idle (``WindowedInterner``) so that
/// its id can be reused.
struct PrefilterNames: Sendable {
  /// Account names.
  var accounts = WindowedInterner()
  /// Profile field names.
  var fields = WindowedInterner()
  /// Profile values (bios excepted: they are clustered, not interned).
  var values = WindowedInterner()

  /// Forgets the names unseen since `cutoff` and says which ids were released.
  mutating func release(idleBefore cutoff: Int64) -> ReleasedIds {
    ReleasedIds(
      accounts: Self.mask(accounts.release(idleBefore: cutoff), count: accounts.idCapacity),
      values: Self.mask(values.release(idleBefore: cutoff), count: values.idCapacity),
      fields: Self.mask(fields.release(idleBefore: cutoff), count: fields.idCapacity))
  }

  /// `ids` as a membership mask over `count` ids, or nil when empty.
  private static func mask(_ ids: [Int32], count: Int) -> [Bool]? {
    guard !ids.isEmpty else { return nil }
    var mask = [Bool](repeating: false, count: count)
    for id in ids { mask[Int(id)] = true }
    return mask
  }
}
