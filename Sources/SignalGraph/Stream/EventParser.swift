/// A byte-level parser of one NDJSON event line of the contract's stream.
///
/// The line must be one flat JSON object. Keys other than the ones of its
/// `type` are ignored (nested objects and arrays in them are skipped).
/// `amount` is a JSON string or number holding a non-negative decimal with
/// at most six decimals; `ts` is an integer or a string holding Unix seconds
/// or ISO-8601 UTC (``Timestamp``); `kind` is a lower-case word; an
/// interaction's optional `rating` is a JSON number (or a string holding one).
///
///     let line = Array(#"{"type":"payment","id":"p1","src":"a","dst":"b","amount":"120.50","ts":1767225600}"#.utf8)
///     let event = try EventParser.parse(line: line, seq: 0)
///
/// - Throws: ``EventParseError`` naming the line (`seq + 1`) and the problem.
/// - Complexity: O(*L*) in the line's length; strings without escapes are
///   copied once.
public enum EventParser {
  /// Parses the line with 0-based position `seq`.
  public static func parse(line: [UInt8], seq: Int) throws(EventParseError) -> SignalEvent {
    try line.withUnsafeBufferPointer { buffer throws(EventParseError) in try parse(line: buffer, seq: seq) }
  }

  /// Parses the line with 0-based position `seq` from raw bytes (no newline).
  public static func parse(line: UnsafeBufferPointer<UInt8>, seq: Int) throws(EventParseError) -> SignalEvent {
    var cursor = JSONCursor(bytes: line)
    func fail(_ problem: String) -> EventParseError { EventParseError(line: seq + 1, problem: problem) }
    var fields = EventFields(line: line)
    do {
      try cursor.object { key, cursor throws(JSONCursor.Failure) in
        guard let field = EventField(key: key) else { return try cursor.skipValue() }
        switch field {
        case .amount, .ts, .rating: fields.set(field, try cursor.scalar(key: field.rawValue))
        default: fields.set(field, try cursor.text())
        }
      }
    } catch {
      throw fail(error.message)
    }
    return try fields.event(fail)
  }
}

/// The keys of an event line that the parser reads; any other is skipped.
private enum EventField: String, CaseIterable {
  case type, id, src, dst, kind, account, field, value, amount, ts, rating

  /// Each field beside its key as a word (``word(_:)``).
  private static let words = allCases.map { field in
    (field, Array(field.rawValue.utf8).withUnsafeBufferPointer { word($0)! })
  }

  /// The field a key names, by its bytes (escapes decoded), or nil.
  init?(key: UnsafeBufferPointer<UInt8>) {
    // Comparing one word per field beats making a `String` of every key.
    guard let word = Self.word(key) else { return nil }
    for (field, fieldWord) in Self.words where fieldWord == word {
      self = field
      return
    }
    return nil
  }

  /// A key of at most 7 bytes packed into one word with its length in the
  /// top byte (so "id" and "id\u{0}" differ), or nil for a longer key: every
  /// field's key is one of them.
  private static func word(_ key: UnsafeBufferPointer<UInt8>) -> UInt64? {
    guard key.count <= 7 else { return nil }
    var word = UInt64(key.count) << 56
    for j in 0..<key.count { word |= UInt64(key[j]) << (8 * UInt64(j)) }
    return word
  }
}

/// The raw fields of one line before they are checked: where each lies in
/// the line (``JSONCursor/Scalar``). A `String` is made only of the fields
/// the event's type uses.
private struct EventFields {
  let line: UnsafeBufferPointer<UInt8>
  var type, id, src, dst, kind, account, field, value, amount, ts, rating: JSONCursor.Scalar?

  init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

  /// Keeps what was read for `key`.
  mutating func set(_ key: EventField, _ read: JSONCursor.Scalar) {
    switch key {
    case .type: type = read
    case .id: id = read
    case .src: src = read
    case .dst: dst = read
    case .kind: kind = read
    case .account: account = read
    case .field: field = read
    case .value: value = read
    case .amount: amount = read
    case .ts: ts = read
    case .rating: rating = read
    }
  }

  /// Runs `body` on the field's bytes without copying a span of the line.
  func withBytes<T>(_ read: JSONCursor.Scalar, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    JSONCursor.withBytes(of: read, in: line, body)
  }

  func text(_ read: JSONCursor.Scalar) -> String { withBytes(read) { String(decoding: $0, as: UTF8.self) } }

  func required(_ read: JSONCursor.Scalar?, _ key: EventField, _ fail: (String) -> EventParseError)
    throws(EventParseError) -> String
  {
    guard let read else { throw fail("missing field \"\(key.rawValue)\"") }
    return text(read)
  }

  func time(_ fail: (String) -> EventParseError) throws(EventParseError) -> Int64 {
    guard let ts else { throw fail("missing field \"ts\"") }
    guard let seconds = withBytes(ts, { Timestamp.parse($0) }) else {
      throw fail("field \"ts\": \"\(text(ts))\" is not a timestamp (Unix seconds or ISO-8601 UTC)")
    }
    guard Timestamp.validRange.contains(seconds) else {
      throw fail("field \"ts\": \(seconds) \(Timestamp.outOfRange)")
    }
    return seconds
  }

  func event(_ fail: (String) -> EventParseError) throws(EventParseError) -> SignalEvent {
    guard let type else { throw fail("missing field \"type\"") }
    func typeIs(_ name: StaticString) -> Bool {
      withBytes(type) { bytes in
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        for j in bytes.indices where bytes[j] != name.utf8Start[j] { return false }
        return true
      }
    }
    if typeIs("payment") {
      let id = try required(id, .id, fail), s = try required(src, .src, fail), d = try required(dst, .dst, fail)
      guard let amount else { throw fail("missing field \"amount\"") }
      guard let parsed = withBytes(amount, { Amount(parsing: $0) }) else {
        throw fail(
          "field \"amount\": \"\(text(amount))\" is not an amount (a non-negative decimal such as 120.50, at most six decimals)"
        )
      }
      return .payment(id: id, source: s, target: d, amount: parsed, time: try time(fail))
    }
    if typeIs("interaction") {
      let s = try required(src, .src, fail), d = try required(dst, .dst, fail), k = try required(kind, .kind, fail)
      guard !k.isEmpty, k.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 })
      else {
        throw fail("field \"kind\": \"\(k)\" is not a lower-case word such as follow or like")
      }
      var parsedRating: Double?
      if let rating {
        guard let r = withBytes(rating, { TableRow.parseRating($0) }) else {
          throw fail("field \"rating\": \"\(text(rating))\" is not a rating (a signed number such as -3, 4 or 2.5)")
        }
        parsedRating = r
      }
      return .interaction(source: s, target: d, kind: k, time: try time(fail), rating: parsedRating)
    }
    if typeIs("profile_edit") {
      let a = try required(account, .account, fail), f = try required(field, .field, fail)
      let v = try required(value, .value, fail)
      return .profileEdit(account: a, field: f, value: v, time: try time(fail))
    }
    throw fail("field \"type\": \"\(text(type))\" is not payment, interaction or profile_edit")
  }
}
