/// A minimal pull parser over the bytes of one JSON text, enough for flat
/// event objects: strings (all escapes, surrogate pairs), numbers and
/// literals; nested values are validated and skipped.
///
/// - Complexity: O(*L*) in the text's length.
struct JSONCursor {
  /// What is wrong, in words.
  struct Failure: Error { var message: String }

  let bytes: UnsafeBufferPointer<UInt8>
  var i = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  private var current: UInt8? { i < bytes.count ? bytes[i] : nil }

  private mutating func whitespace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
  }

  private func describe(_ byte: UInt8?) -> String {
    guard let byte else { return "end of line" }
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))' at column \(i + 1)" }
    return "byte 0x\(String(byte, radix: 16)) at column \(i + 1)"
  }

  /// Steps over `byte`; `what` names it in the error, and is only built then.
  private mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(Failure) {
    whitespace()
    guard current == byte else { throw Failure(message: "expected \(what()), found \(describe(current))") }
    i += 1
  }

  /// Reads a whole object, calling `body` with each key's bytes (escapes
  /// decoded) and the cursor at its value, then requires the end of the text.
  mutating func object(
    _ body: (UnsafeBufferPointer<UInt8>, inout JSONCursor) throws(Failure) -> Void
  ) throws(Failure) {
    whitespace()
    if bytes.isEmpty || i == bytes.count { throw Failure(message: "empty line, expected a JSON object") }
    try expect(UInt8(ascii: "{"), "'{' (a JSON object)")
    whitespace()
    if current == UInt8(ascii: "}") {
      i += 1
    } else {
      while true {
        whitespace()
        guard current == UInt8(ascii: "\"") else {
          throw Failure(message: "expected a key string, found \(describe(current))")
        }
        let key = try text()
        try Self.withBytes(of: key, in: bytes) { (key) throws(Failure) in
          try expect(UInt8(ascii: ":"), "':' after key \"\(String(decoding: key, as: UTF8.self))\"")
          whitespace()
          try body(key, &self)
        }
        whitespace()
        if current == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if current == UInt8(ascii: "}") {
          i += 1
          break
        }
        throw Failure(message: "expected ',' or '}', found \(describe(current))")
      }
    }
    whitespace()
    guard i == bytes.count else { throw Failure(message: "unexpected \(describe(current)) after the object") }
  }

  /// Reads a JSON string at the cursor.
  mutating func string() throws(Failure) -> String {
    let read = try text()
    return Self.withBytes(of: read, in: bytes) { String(decoding: $0, as: UTF8.self) }
  }

  /// Reads a JSON string at the cursor, checked as ``string()`` checks it,
  /// without making a `String`: where its bytes lie in the text when it has
  /// no escape (no allocation), else its decoded bytes.
  mutating func text() throws(Failure) -> Scalar {
    whitespace()
    guard current == UInt8(ascii: "\"") else { throw Failure(message: "expected a string, found \(describe(current))") }
    i += 1
    let start = i
    var high: UInt8 = 0  // the bits of every byte: bit 7 set when one is not ASCII
    while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 {
      high |= bytes[i]
      i += 1
    }
    if high >= 0x80 { try requireUTF8(start..<i) }
    if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
      i += 1
      return .span(start..<(i - 1))
    }
    var out = Array(bytes[start..<i])
    while true {
      guard let c = current else { throw Failure(message: "unterminated string") }
      if c == UInt8(ascii: "\"") {
        i += 1
        break
      }
      if c < 0x20 { throw Failure(message: "control character in a string at column \(i + 1)") }
      if c != UInt8(ascii: "\\") {
        if c >= 0x80 {
          // A run of raw bytes between escapes: it must be UTF-8 on its own.
          let run = i
          while i < bytes.count, bytes[i] >= 0x80 { i += 1 }
          try requireUTF8(run..<i)
          out.append(contentsOf: bytes[run..<i])
          continue
        }
        out.append(c)
        i += 1
        continue
      }
      i += 1
      guard let e = current else { throw Failure(message: "unterminated string") }
      i += 1
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
          guard current == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else {
            throw Failure(message: "unpaired surrogate \\u\(String(scalar, radix: 16)) in a string")
          }
          i += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw Failure(message: "invalid surrogate pair in a string") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
          throw Failure(message: "unpaired surrogate \\u\(String(scalar, radix: 16)) in a string")
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
      default: throw Failure(message: "invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
      }
    }
    return .decoded(out)
  }

  /// Runs `body` on the bytes `read` stands for in `text` (the text it was
  /// read from), without copying a span of the text.
  static func withBytes<T, E>(
    of read: Scalar, in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> T
  ) throws(E) -> T {
    switch read {
    case let .span(range): return try body(UnsafeBufferPointer(rebasing: text[range]))
    case let .decoded(decoded):
      return try decoded.withUnsafeBufferPointer { (buffer) throws(E) -> T in try body(buffer) }
    }
  }

  /// Refuses the bytes in `range` unless they are UTF-8: repaired, two
  /// different ids would become one.
  private func requireUTF8(_ range: Range<Int>) throws(Failure) {
    guard let bad = UTF8Validation.firstInvalidOffset(UnsafeBufferPointer(rebasing: bytes[range])) else { return }
    let at = range.lowerBound + bad
    throw Failure(message: "byte 0x\(String(bytes[at], radix: 16, uppercase: true)) at column \(at + 1) is not UTF-8")
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard let c = current else { throw Failure(message: "truncated \\u escape") }
      let d: UInt32
      switch c {
      case 48...57: d = UInt32(c - 48)
      case 65...70: d = UInt32(c - 55)
      case 97...102: d = UInt32(c - 87)
      default: throw Failure(message: "invalid \\u escape")
      }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  /// Where a string's contents or a bare number lie: a range of the text
  /// when no escape needs decoding (no allocation), else the decoded bytes.
  enum Scalar {
    case span(Range<Int>)
    case decoded([UInt8])
  }

  /// Reads a string or a bare number at the cursor, for `amount` and `ts`.
  mutating func scalar(key: String) throws(Failure) -> Scalar {
    whitespace()
    if current == UInt8(ascii: "\"") { return try text() }
    let start = i
    while let c = current,
      (c >= 48 && c <= 57) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    { i += 1 }
    guard i > start else {
      throw Failure(message: "field \"\(key)\": expected a string or a number, found \(describe(current))")
    }
    return .span(start..<i)
  }

  /// Skips any JSON value, nested arrays and objects included.
  ///
  /// The containers still open are kept on a stack of their closing
  /// brackets, not on the call stack: a line of 100 000 `[` in an ignored key
  /// costs 100 kB and gets an error, never a stack overflow.
  mutating func skipValue() throws(Failure) {
    var closers: [UInt8] = []
    while true {
      whitespace()
      guard let c = current else { throw Failure(message: "expected a value, found end of line") }
      switch c {
      case UInt8(ascii: "\""): _ = try string()
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        i += 1
        whitespace()
        if current == close {
          i += 1
        } else {
          closers.append(close)
          if close == UInt8(ascii: "}") { try memberKey() }
          continue  // the container's first value
        }
      default: try skipLiteral()
      }
      // After a value: close what ends here, or go on to the next element.
      while let close = closers.last {
        whitespace()
        if current == close {
          i += 1
          closers.removeLast()
        } else if current == UInt8(ascii: ",") {
          i += 1
          if close == UInt8(ascii: "}") { try memberKey() }
          break
        } else {
          throw Failure(message: "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(describe(current))")
        }
      }
      if closers.isEmpty { return }
    }
  }

  /// Steps over an object member's key and its colon.
  private mutating func memberKey() throws(Failure) {
    _ = try string()
    try expect(UInt8(ascii: ":"), "':'")
  }

  /// Steps over `true`, `false`, `null` or a number.
  private mutating func skipLiteral() throws(Failure) {
    let start = i
    while let b = current, b != UInt8(ascii: ","), b != UInt8(ascii: "}"), b != UInt8(ascii: "]"),
      b != 0x20, b != 0x09
    { i += 1 }
    let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    if word == "true" || word == "false" || word == "null" || Double(word) != nil { return }
    throw Failure(message: "invalid value \"\(word)\" at column \(start + 1)")
  }
}
