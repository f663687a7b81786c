extension SignalEvent {
  /// The event as one line of the contract's NDJSON stream (without the
  /// newline), the inverse of ``EventParser/parse(line:seq:)``: amounts as
  /// JSON strings, times as integers, strings escaped, a rating (when there
  /// is one) as a JSON number.
  ///
  ///     SignalEvent.interaction(source: "a", target: "b", kind: "like", time: 1).jsonLine
  ///     // {"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}
  public var jsonLine: String {
    func q(_ s: String) -> String { JSONString.quoted(s) }
    switch self {
    case let .payment(id, source, target, amount, time):
      return
        #"{"type":"payment","id":\#(q(id)),"src":\#(q(source)),"dst":\#(q(target)),"amount":"\#(amount)","ts":\#(time)}"#
    case let .interaction(source, target, kind, time, rating):
      let rated = rating.map { #","rating":\#(Self.number($0))"# } ?? ""
      return
        #"{"type":"interaction","src":\#(q(source)),"dst":\#(q(target)),"kind":\#(q(kind)),"ts":\#(time)\#(rated)}"#
    case let .profileEdit(account, field, value, time):
      return
        #"{"type":"profile_edit","account":\#(q(account)),"field":\#(q(field)),"value":\#(q(value)),"ts":\#(time)}"#
    }
  }

  /// `4` for 4.0, `-2.5` for −2.5: an integral rating without a fraction.
  static func number(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
  }
}
