/// The body of a JSON string, escaped: the one place the NDJSON writers
/// (``SignalEvent/jsonLine``, the synthetic event streams, the pre-filter's
/// decision lines) escape text.
package enum JSONString {
  /// The bytes of a JSON string body: `"` and `\` escaped, control bytes as `\u00XX`,
  /// everything else (UTF-8 included) as it is.
  ///
  ///     String(decoding: JSONString.escaped(Array("a\"b".utf8)), as: UTF8.self)   // a\"b
  package static func escaped(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    let hex = Array("0123456789abcdef".utf8)
    for b in bytes {
      if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
        out.append(UInt8(ascii: "\\"))
        out.append(b)
      } else if b < 0x20 {
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
      } else {
        out.append(b)
      }
    }
    return out
  }

  /// `text` as a JSON string, quotes included, escaped as ``escaped(_:)`` does.
  ///
  ///     JSONString.quoted("a\nb")   // "a\u000ab", quotes included
  package static func quoted(_ text: String) -> String {
    "\"" + String(decoding: escaped(Array(text.utf8)), as: UTF8.self) + "\""
  }
}
