import SignalGraph

/// Finds the client's `"id"` in an event line without parsing the event: the
/// raw bytes of the top-level `"id"` string (escapes kept as written), which
/// key the durable id → seq map. Two lines name the same id when those bytes
/// are equal.
///
/// Best effort by design: a line that is not a flat JSON object, or whose
/// `id` is not a well-formed string, has no id (it is still decided, and
/// gets an `error` decision if it is not an event).
///
/// - Complexity: O(length of the line), no allocation.
enum ClientID {
  /// Where the raw bytes of the top-level `"id"` string of `line` are (between its quotes), or `nil`.
  static func range(in line: [UInt8]) -> Range<Int>? {
    line.withUnsafeBufferPointer { range(in: $0) }
  }

  private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

  /// Where the raw bytes of the top-level `"id"` string of the line `b` are (between its quotes), or `nil`.
  static func range(in b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    var i = 0
    func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A { i += 1 } }
    /// Steps over a string starting at its opening quote; its content's range, or nil.
    func string() -> Range<Int>? {
      guard i < b.count, b[i] == quote else { return nil }
      i += 1
      let start = i
      while i < b.count {
        if b[i] == backslash {
          i += 2
        } else if b[i] == quote {
          i += 1
          return start..<(i - 1)
        } else {
          i += 1
        }
      }
      return nil
    }
    /// Steps over any value; false when the bytes end first.
    func skipValue() -> Bool {
      var depth = 0
      while i < b.count {
        switch b[i] {
        case quote:
          guard string() != nil else { return false }
          if depth == 0 { return true }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return true }
          depth -= 1
          if depth == 0 {
            i += 1
            return true
          }
        case UInt8(ascii: ","):
          if depth == 0 { return true }
        default: break
        }
        i += 1
      }
      return depth == 0
    }
    skipSpace()
    guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
    i += 1
    while true {
      skipSpace()
      guard let key = string() else { return nil }
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      skipSpace()
      if key.count == 2, b[key.lowerBound] == UInt8(ascii: "i"), b[key.lowerBound + 1] == UInt8(ascii: "d") {
        guard let value = string() else { return nil }
        return isValidContent(UnsafeBufferPointer(rebasing: b[value])) ? value : nil
      }
      guard skipValue() else { return nil }
      skipSpace()
      guard i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
      i += 1
    }
  }

  /// Whether `raw` can stand between quotes in JSON output as it is: valid
  /// UTF-8, no control bytes, only JSON's escapes.
  static func isValidContent(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    guard UTF8Validation.firstInvalidOffset(raw) == nil else { return false }
    var i = 0
    while i < raw.count {
      let c = raw[i]
      if c < 0x20 { return false }
      if c == backslash {
        guard i + 1 < raw.count else { return false }
        switch raw[i + 1] {
        case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
          UInt8(ascii: "r"), UInt8(ascii: "t"):
          i += 2
        case UInt8(ascii: "u"):
          guard i + 5 < raw.count else { return false }
          for h in raw[(i + 2)...(i + 5)] {
            guard (h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102) else { return false }
          }
          i += 6
        default: return false
        }
      } else {
        i += 1
      }
    }
    return true
  }
}
