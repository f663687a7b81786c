import SignalGraph

/// A ``PrefilterCheck`` that watches payments only (the cycle and the flow
/// checks): it decides a payment from its accounts' ids and amount, and the
/// protocol's event-level `check` forwards payments to it and admits every
/// other event, here once for both.
protocol PaymentCheck: PrefilterCheck {
  /// Decides payment `seq` of `micros` from `source` to `target` at `time`,
  /// the stream's clock at `now` (``Prefilter``'s: it moves at most a day
  /// per event); `names` holds the accounts' ids.
  mutating func check(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, now: Int64, names: WindowedInterner
  ) -> CheckOutcome
}

extension PaymentCheck {
  /// Payments.
  static var watches: [PrefilterEvent.Kind] { [.payment] }

  /// Decides a payment; admits the other events.
  mutating func check(_ event: PrefilterEvent, seq: Int, time: Int64, now: Int64, names: inout PrefilterNames)
    -> CheckOutcome
  {
    guard case let .payment(source, target, micros) = event else { return .admit }
    return check(
      seq: seq, source: source, target: target, micros: micros, time: time, now: now, names: names.accounts)
  }
}
