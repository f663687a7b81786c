import Foundation
import Testing

@testable import SignalGraph

@Suite struct JSONStringTests {
  /// The string a JSON parser reads back from `quoted`.
  private func parsed(_ quoted: String) throws -> String {
    try #require(JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String)
  }

  @Test func quotesEscapeQuotesBackslashesAndControlCharacters() throws {
    #expect(JSONString.quoted(#"a"b\c"#) == #""a\"b\\c""#)
    #expect(JSONString.quoted("line\nfeed\r\ttab\u{0}") == #""line\u000afeed\u000d\u0009tab\u0000""#)
    #expect(JSONString.quoted("émoji 🙂 and DEL \u{7F}") == "\"émoji 🙂 and DEL \u{7F}\"")
  }

  @Test(arguments: ["", "plain", "a\"b", "back\\slash", "new\nline", "\u{1}\u{1F}", "ünïcødé\u{202E}", "\r\n"])
  func quotedTextReadsBackAsItself(_ text: String) throws {
    #expect(try parsed(JSONString.quoted(text)) == text)
  }

  @Test func eventLinesAndQuotedTextEscapeAlike() {
    // The event writer and every other JSON writer share the one escaping.
    let line = SignalEvent.profileEdit(account: "a\"1", field: "bio", value: "x\ny", time: 1).jsonLine
    #expect(line.contains(JSONString.quoted("a\"1")) && line.contains(JSONString.quoted("x\ny")))
  }
}
