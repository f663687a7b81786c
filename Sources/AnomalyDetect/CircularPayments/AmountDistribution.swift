/// The honest background's amounts: how often a payment of a signal set
/// carries an amount near a given one.
///
/// It is the chance a randomly drawn payment's amount falls within a
/// relative band of `amount`, read off the sorted amounts of every payment
/// in the set (the fraud among them is a small share and only makes the
/// test more conservative). A band never counts fewer than one payment, so
/// no coincidence is ever called impossible.
///
///     let amounts = AmountDistribution([100_000_000, 100_000_000, 250_000_000])
///     amounts.share(near: 100_000_000, tolerance: 0.1)   // 2/3
///     amounts.share(exactly: 250_000_000)                 // 1/3
///
/// - Complexity: O(*n* log *n*) to build; O(log *n*) per question.
struct AmountDistribution {
  private let sorted: [Int64]

  /// The distribution of `amounts` (micro-units).
  init<Amounts: Sequence<Int64>>(_ amounts: Amounts) { sorted = amounts.sorted() }

  /// The share of payments whose amount lies within `tolerance` (relative)
  /// of `amount`: in `amount·(1 − tolerance) … amount·(1 + tolerance)`.
  func share(near amount: Int64, tolerance: Double) -> Double {
    let low = Int64((Double(amount) * (1 - tolerance)).rounded(.down))
    let high = Int64((Double(amount) * (1 + tolerance)).rounded(.up))
    return fraction(count(below: high, inclusive: true) - count(below: low, inclusive: false))
  }

  /// The share of payments of exactly `amount`.
  func share(exactly amount: Int64) -> Double {
    fraction(count(below: amount, inclusive: true) - count(below: amount, inclusive: false))
  }

  private func fraction(_ n: Int) -> Double {
    sorted.isEmpty ? 1 : Double(max(n, 1)) / Double(sorted.count)
  }

  /// How many amounts are below `x` (or at most `x` when `inclusive`).
  private func count(below x: Int64, inclusive: Bool) -> Int {
    var low = 0, high = sorted.count
    while low < high {
      let mid = (low + high) / 2
      if sorted[mid] < x || (inclusive && sorted[mid] == x) { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
