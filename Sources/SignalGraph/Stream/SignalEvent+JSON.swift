extension SignalEvent {
  /// The event as one line of the contract's NDJSON stream (without the
  /// newline), the inverse of ``EventParser/parse(line:seq:)``: amounts as
  /// JSON strings, times as integers, strings escaped.
  ///
  ///     SignalEvent.interaction(source: "a", target: "b", kind: "like", time: 1).jsonLine
  ///     // {"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}
  public var jsonLine: String {
    func q(_ s: String) -> String { "\"" + String(decoding: SignalSetWriter.jsonEscaped(Array(s.utf8)), as: UTF8.self) + "\"" }
    switch self {
    case let .payment(id, source, target, amount, time):
      return #"{"type":"payment","id":\#(q(id)),"src":\#(q(source)),"dst":\#(q(target)),"amount":"\#(amount)","ts":\#(time)}"#
    case let .interaction(source, target, kind, time):
      return #"{"type":"interaction","src":\#(q(source)),"dst":\#(q(target)),"kind":\#(q(kind)),"ts":\#(time)}"#
    case let .profileEdit(account, field, value, time):
      return #"{"type":"profile_edit","account":\#(q(account)),"field":\#(q(field)),"value":\#(q(value)),"ts":\#(time)}"#
    }
  }
}
