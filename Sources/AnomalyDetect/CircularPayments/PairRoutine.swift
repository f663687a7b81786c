/// A pair's own history of amounts, beside the whole set's: how likely the
/// honest background makes it that a payer pays a payee an amount, when the
/// payer has paid that payee before.
///
/// A relay's amount is judged by the share *q* of all payments as close to
/// what arrived. But a tenant who pays the landlord the same rent every
/// month, passed on from the same allowance, relays it by routine: the
/// pair's other transfers already show that amount. So the chance of the
/// amount is taken from the pair's *r* − 1 other transfers, *c* of them
/// as close, with one pseudo-transfer drawn from the whole set:
/// (*c* + *q*) / *r*, and never less than *q*: a pair that paid other
/// amounts is not thereby less likely to pay this one. The transfer tested
/// is left out of its own history (it is what is explained, not evidence
/// of a habit), so a pair that paid once keeps the set's *q*. Only the
/// branches of a scatter-gather are weighed so (``RelayChains``): a ring
/// turning several times repeats its own amounts as evidence.
///
///     let routine = PairRoutine(others: 2, close: 2, inBand: 2)
///     routine.share(0.001, closeness: true)   // (2 + 0.001) / 3 ≈ 0.67
struct PairRoutine {
  /// The most of a pair's other transfers read (a sample spread over the run).
  static let maxRead = 128
  /// The pair's transfers other than the one tested.
  var others: Int
  /// Of those, how many came as close to the amount relayed.
  var close = 0.0
  /// Of those, how many lie anywhere in the relay band.
  var inBand = 0.0

  /// The chance of an amount given the pair's history and `background`, the
  /// whole set's share: for the closeness (`closeness`) or the band.
  func share(_ background: Double, closeness: Bool) -> Double {
    max(background, ((closeness ? close : inBand) + background) / Double(others + 1))
  }
}
