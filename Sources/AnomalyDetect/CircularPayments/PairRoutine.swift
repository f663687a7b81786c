import SignalGraph

/// A pair's own history of amounts, beside the whole set's: how likely the
/// honest background makes it that a payer pays a payee an amount, when the
/// payer pays that payee like sums on other occasions.
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
/// of a habit), and so are the pair's transfers within the relay window of
/// it (one occasion, not a routine), so a pair that paid once, or several
/// times within days, keeps the set's *q*.
///
/// Only the branches of a scatter-gather are weighed so (``RelayChains``):
/// a ring turning several times repeats its own amounts as evidence. Not
/// told apart: a scheme repeated on the same accounts, with the same sums,
/// at intervals longer than the relay window; that is what a routine looks
/// like.
///
///     let routine = PairRoutine(others: 2, close: 2, inBand: 2)
///     routine.share(0.001, closeness: true)   // (2 + 0.001) / 3 ≈ 0.67
struct PairRoutine {
  /// The most of a pair's other transfers read (a sample evenly spread over its run).
  static let maxRead = 128
  /// The pair's transfers counted: other than the one tested, beyond the relay window of it.
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

extension PairRoutine {
  /// The history of transfer `t`'s pair: its transfers more than
  /// `apart` buckets from `t`, their units (or, `bySum`, their totals)
  /// within `closeness` and within `band`. At most ``maxRead`` of them
  /// are read, evenly spread over the pair's run, and the counts scaled.
  init(
    _ transfers: PaymentTransfers, of t: Int, closeness: ClosedRange<Int64>, band: ClosedRange<Int64>,
    bySum: Bool, apart: Int64
  ) {
    let run = transfers.pairRun(of: t)
    let amounts = bySum ? transfers.totalMicros : transfers.unitMicros
    let step = max(1, (run.count + Self.maxRead - 1) / Self.maxRead)
    var read = 0, counted = 0
    var close = 0, inBand = 0
    for other in stride(from: run.lowerBound, to: run.upperBound, by: step) where other != t {
      read += 1
      guard transfers.bucket[other].saturatingSubtracting(transfers.bucket[t]).magnitude > apart.magnitude else {
        continue
      }
      counted += 1
      if closeness.contains(amounts[other]) { close += 1 }
      if band.contains(amounts[other]) { inBand += 1 }
    }
    // A sample scaled back to the whole run (the tested transfer left out).
    let scale = read == 0 ? 0 : Double(run.count - 1) / Double(read)
    self.init(
      others: Int((Double(counted) * scale).rounded()), close: Double(close) * scale, inBand: Double(inBand) * scale)
  }
}
