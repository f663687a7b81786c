/// The payments of a scheme's held transfers that the withheld amounts do
/// not count (splits held on their own, see
/// ``IncrementalFlowCheck/withheld``), by amount: how many of the
/// background's payments in a band are the scheme's own, to be left out when
/// the scheme's next payment is weighed (a scheme does not hide in its own
/// amounts).
struct HeldAmounts {
  /// The transfers' amounts, ascending, and the running sums of their payments.
  private var amounts: [Int64] = [], sums: [Int] = []

  /// The payments of those of `transfers` the withheld amounts do not
  /// count, held within `span` seconds of `time`. A split of unequal parts
  /// counts as one payment of its median (its parts lie around it).
  init(_ transfers: [HeldTransfers.Transfer], near time: Int64, within span: Int64) {
    let uncounted = transfers.filter { !$0.counted && time.saturatingSubtracting($0.time).magnitude <= span.magnitude }
      .sorted { $0.micros < $1.micros }
    guard !uncounted.isEmpty else { return }  // no allocation for the common case
    amounts = uncounted.map(\.micros)
    sums = [0]
    for t in uncounted { sums.append(sums.last! + (t.spread == 0 ? Int(t.payments) : 1)) }
  }

  /// The payments of the transfers between `low` and `high`.
  func payments(from low: Int64, to high: Int64) -> Int {
    guard !amounts.isEmpty else { return 0 }
    return sums[prefix { $0 <= high }] - sums[prefix { $0 < low }]
  }

  /// The length of the amounts' prefix satisfying `belongs` (which holds
  /// for a prefix of the ascending amounts): a binary search.
  private func prefix(_ belongs: (Int64) -> Bool) -> Int {
    var (lo, hi) = (0, amounts.count)
    while lo < hi {
      let mid = (lo + hi) / 2
      if belongs(amounts[mid]) { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
