import Testing

@testable import FraudService

/// The client's `"id"` found in an event line without parsing the event:
/// the raw bytes of the top-level string, only when they could stand in
/// JSON output as they are.
@Suite("Serve: a line's client id") struct ClientIDTests {
  func id(_ line: [UInt8]) -> String? {
    ClientID.range(in: line).map { String(decoding: line[$0], as: UTF8.self) }
  }

  func id(_ line: String) -> String? { id(Array(line.utf8)) }

  @Test func theTopLevelIdsRawBytes() {
    #expect(id(#"{"type":"interaction","id":"w1","src":"a"}"#) == "w1")
    #expect(id(#" {"x":{"id":"inner"},"list":["id"],"id" : "outer"}"#) == "outer")
    #expect(id(#"{"id":"a\"b\\c\u00e9"}"#) == #"a\"b\\c\u00e9"#)
    #expect(id(#"{"id":"é😀"}"#) == "é😀")
    #expect(id(#"{"type":"interaction","src":"a"}"#) == nil)
    #expect(id(#"{"id":7}"#) == nil)
    #expect(id("not json") == nil)
  }

  /// An id whose bytes could not be echoed in a JSON answer as they are has
  /// none: not UTF-8, a control byte, an escape JSON does not have.
  @Test func anIdThatCannotBeEchoedHasNone() {
    let head = Array(#"{"id":"a"#.utf8), tail = Array(#"b","src":"a"}"#.utf8)
    #expect(id(head + tail) == "ab")
    #expect(id(head + [0xC3, 0xA9] + tail) == "aéb")
    for bad: [UInt8] in [[0xFF], [0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0x01], [0x0A]] {
      #expect(id(head + bad + tail) == nil, "bytes \(bad)")
    }
    #expect(id(#"{"id":"a\qb"}"#) == nil)
    #expect(id(#"{"id":"a\u12G4"}"#) == nil)
    #expect(id(#"{"id":"a\u12"}"#) == nil)
  }
}
