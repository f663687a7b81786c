import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

@Suite("EventParser")
struct EventParserTests {
  func parse(_ line: String, seq: Int = 0) throws(EventParseError) -> SignalEvent {
    try EventParser.parse(line: Array(line.utf8), seq: seq)
  }

  func problem(_ line: String, seq: Int = 4) -> String? {
    do {
      _ = try parse(line, seq: seq)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func contractExamples() throws {
    #expect(
      try parse(#"{"type":"payment","id":"p1","src":"a","dst":"b","amount":"120.50","ts":1767225600}"#)
        == .payment(id: "p1", source: "a", target: "b", amount: Amount(micros: 120_500_000), time: 1_767_225_600))
    #expect(
      try parse(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1767225601}"#)
        == .interaction(source: "a", target: "b", kind: "like", time: 1_767_225_601))
    #expect(
      try parse(#"{"type":"profile_edit","account":"a","field":"employer","value":"Acme","ts":1767225602}"#)
        == .profileEdit(account: "a", field: "employer", value: "Acme", time: 1_767_225_602))
  }

  @Test func numberAmountIsoTimeEscapesAndUnknownKeys() throws {
    let e = try parse(
      #" { "ts" : "2026-01-01T00:00:00Z", "amount": 7.25, "dst":"b\u00e9", "src":"a\"q", "id":"x", "type":"payment", "extra":{"n":[1,true,null]} } "#
    )
    #expect(
      e == .payment(id: "x", source: "a\"q", target: "bé", amount: Amount(micros: 7_250_000), time: 1_767_225_600))
    let v = try parse(#"{"type":"profile_edit","account":"a","field":"bio","value":"tab\there \ud83d\ude00","ts":"5"}"#)
    #expect(v == .profileEdit(account: "a", field: "bio", value: "tab\there 😀", time: 5))
  }

  @Test func malformedLinesNameTheLineAndTheProblem() {
    #expect(problem("") == "line 5: empty line, expected a JSON object")
    #expect(problem("not json")?.hasPrefix("line 5: expected '{'") == true)
    #expect(problem(#"{"type":"payment","id":"p","src":"a","dst":"b","ts":1}"#) == #"line 5: missing field "amount""#)
    #expect(
      problem(#"{"type":"payment","id":"p","src":"a","dst":"b","amount":"-3","ts":1}"#)?.contains("is not an amount")
        == true)
    #expect(
      problem(#"{"type":"payment","id":"p","src":"a","dst":"b","amount":1e3,"ts":1}"#)?.contains("is not an amount")
        == true)
    #expect(
      problem(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":"yesterday"}"#)?.contains(#"field "ts""#)
        == true)
    #expect(
      problem(#"{"type":"interaction","src":"a","dst":"b","kind":"Like","ts":1}"#)?.contains(#"field "kind""#) == true)
    #expect(problem(#"{"type":"refund","ts":1}"#)?.contains(#""refund" is not payment"#) == true)
    #expect(problem(#"{"type":"interaction","src":"a""#)?.contains("line 5:") == true)
    #expect(
      problem(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1} x"#)?.contains("after the object")
        == true)
    #expect(
      problem(#"{"type":"interaction","src":"a\q","dst":"b","kind":"like","ts":1}"#)?.contains("invalid escape") == true
    )
    #expect(
      problem(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":9223372036854775000}"#)?.contains(
        "outside the years 1 to 9999") == true)
  }

  /// Keys are matched by their bytes once escapes are decoded, whole: a key
  /// that only starts like a field's, or holds a NUL after it, is another key.
  /// Strings the type does not use are checked all the same.
  @Test func keysAreMatchedByTheirDecodedBytes() throws {
    #expect(
      try parse(#"{"t\u0079pe":"interaction","\u0073rc":"a","dst":"b","kind":"like","ts":1}"#)
        == .interaction(source: "a", target: "b", kind: "like", time: 1))
    #expect(
      try parse(
        #"{"type":"interaction","src":"a","src\u0000":"z","sr":"y","srcs":"x","source":"w","accountant":"v","dst":"b","kind":"like","ts":1}"#
      ) == .interaction(source: "a", target: "b", kind: "like", time: 1))
    #expect(
      problem(#"{"type":"interaction","sr":"a","dst":"b","kind":"like","ts":1}"#) == #"line 5: missing field "src""#)
    #expect(
      problem(#"{"type":"interaction","id":"a\q","src":"a","dst":"b","kind":"like","ts":1}"#)?.contains(
        "invalid escape") == true)
    #expect(
      problem(#"{"type":"interaction","src":7,"dst":"b","kind":"like","ts":1}"#)?.contains("expected a string") == true)
    #expect(problem(#"{"type":"Payment","ts":1}"#)?.contains(#""Payment" is not payment"#) == true)
  }

  /// Bytes that are not UTF-8 in a string are refused, not repaired: repaired,
  /// `u\xffx` and `u\xfex` became one account (issue 16, item 9).
  @Test func invalidUTF8InAStringIsRefusedWithItsColumn() throws {
    func problem(_ bytes: [UInt8]) -> String? {
      do {
        _ = try EventParser.parse(line: bytes, seq: 2)
        return nil
      } catch {
        return error.description
      }
    }
    let head = Array(#"{"type":"interaction","src":"u"#.utf8)
    let tail = Array(#"x","dst":"b","kind":"like","ts":1}"#.utf8)
    #expect(problem(head + [0xFF] + tail) == "line 3: byte 0xFF at column \(head.count + 1) is not UTF-8")
    #expect(problem(head + [0xFE] + tail) == "line 3: byte 0xFE at column \(head.count + 1) is not UTF-8")
    #expect(
      problem(head + Array(#"\n"#.utf8) + [0xC3, 0x28] + tail)?.hasSuffix("column \(head.count + 3) is not UTF-8")
        == true)
    #expect(
      problem(Array(#"{"x":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8))?.contains("is not UTF-8") == true)
    let accented = try EventParser.parse(line: head + [0xC3, 0xA9] + Array(#"\t"#.utf8) + [0xC3, 0xA9] + tail, seq: 0)
    #expect(accented == .interaction(source: "ué\téx", target: "b", kind: "like", time: 1))
  }

  /// Deep nesting in an ignored key is skipped without recursion (issue 16,
  /// item 2): it used to overflow the stack, on every restart of `filter --state`.
  @Test func deeplyNestedIgnoredValuesAreSkippedWithoutRecursion() throws {
    let depth = 100_000
    let open = String(repeating: "[", count: depth)
    #expect(problem(#"{"x":"# + open + "}")?.hasPrefix("line 5: ") == true)
    #expect(problem(#"{"x":"# + open)?.hasPrefix("line 5: ") == true)
    let objects = String(repeating: #"{"k":"#, count: depth) + "1" + String(repeating: "}", count: depth)
    let balanced = open + objects + String(repeating: "]", count: depth)
    let event = try parse(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1,"x":"# + balanced + "}")
    #expect(event == .interaction(source: "a", target: "b", kind: "like", time: 1))
    #expect(problem(#"{"x":[1,{"k":[2}]}"#)?.contains("expected ',' or ']'") == true)
    #expect(problem(#"{"x":{"k":1,}}"#)?.contains("expected a string") == true)
    #expect(problem(#"{"x":[1 2]}"#)?.contains("expected ',' or ']'") == true)
    #expect(problem(#"{"x":[tru]}"#)?.contains("invalid value \"tru\"") == true)
  }
}

@Suite("SignalEvent.jsonLine")
struct SignalEventJSONTests {
  @Test func writesTheContractsLines() {
    #expect(
      SignalEvent.interaction(source: "a", target: "b", kind: "like", time: 1).jsonLine
        == #"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}"#)
    #expect(
      SignalEvent.payment(id: "p1", source: "a", target: "b", amount: Amount(micros: 120_500_000), time: 1_767_225_600)
        .jsonLine
        == #"{"type":"payment","id":"p1","src":"a","dst":"b","amount":"120.50","ts":1767225600}"#)
  }

  @Test func parsesBackToTheSameEvent() throws {
    var events: [SignalEvent] = [
      .profileEdit(account: "a\"b", field: "bio", value: "back\\slash, \"quoted\", tab\there, é ✓ \u{1}", time: 5),
      .payment(id: "x", source: "s", target: "t", amount: Amount(micros: 1), time: -3),
    ]
    var stream = ChurningEventStream(eventsPerDay: 100, cohortSize: 10, seed: 2)
    for _ in 0..<500 { events.append(stream.next()!) }
    for (seq, event) in events.enumerated() {
      #expect(try EventParser.parse(line: Array(event.jsonLine.utf8), seq: seq) == event)
    }
  }
}
