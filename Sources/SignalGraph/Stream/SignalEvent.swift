/// One event of the pre-filter's NDJSON stream (see the contract,
/// `signal-format.md`, "The event stream"): a payment, an interaction or a
/// profile edit, with account ids as given and the time in Unix seconds.
///
///     let event = try EventParser.parse(line: Array(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}"#.utf8), seq: 0)
///     if case let .interaction(src, dst, kind, ts, _) = event { print(src, dst, kind, ts) }
public enum SignalEvent: Sendable, Equatable {
  /// `src` paid `dst` `amount` at `time`; `id` is the payment's id.
  case payment(id: String, source: String, target: String, amount: Amount, time: Int64)
  /// `src` acted on `dst` (`follow`, `like` or another lower-case kind) at
  /// `time`, with an optional signed `rating`; ``EndorsementPolicy`` says
  /// whether it endorses.
  case interaction(source: String, target: String, kind: String, time: Int64, rating: Double? = nil)
  /// `account` set profile `field` to `value` at `time`.
  case profileEdit(account: String, field: String, value: String, time: Int64)

  /// When the event happened, in Unix seconds.
  public var time: Int64 {
    switch self {
    case let .payment(_, _, _, _, t), let .interaction(_, _, _, t, _), let .profileEdit(_, _, _, t): return t
    }
  }
}

extension SignalSet {
  /// Appends `event` to the matching table (payments, interactions or profile edits).
  ///
  /// - Complexity: O(length of its ids) amortised.
  public mutating func add(_ event: SignalEvent) {
    switch event {
    case let .payment(id, s, t, amount, time): addPayment(id: id, source: s, target: t, amount: amount, time: time)
    case let .interaction(s, t, kind, time, rating):
      addInteraction(source: s, target: t, kind: kind, time: time, rating: rating)
    case let .profileEdit(a, f, v, time): addProfileEdit(account: a, field: f, value: v, time: time)
    }
  }
}
