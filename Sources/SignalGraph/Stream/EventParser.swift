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
        switch key {
        case "type": fields.type = try cursor.string()
        case "id": fields.id = try cursor.string()
        case "src": fields.src = try cursor.string()
        case "dst": fields.dst = try cursor.string()
        case "kind": fields.kind = try cursor.string()
        case "account": fields.account = try cursor.string()
        case "field": fields.field = try cursor.string()
        case "value": fields.value = try cursor.string()
        case "amount": fields.amount = try cursor.scalar(key: "amount")
        case "ts": fields.ts = try cursor.scalar(key: "ts")
        case "rating": fields.rating = try cursor.scalar(key: "rating")
        default: try cursor.skipValue()
        }
      }
    } catch {
      throw fail(error.message)
    }
    return try fields.event(fail)
  }
}

/// The raw fields of one line before they are checked.
private struct EventFields {
  let line: UnsafeBufferPointer<UInt8>
  var type, id, src, dst, kind, account, field, value: String?
  var amount, ts, rating: JSONCursor.Scalar?

  init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

  /// Runs `body` on the scalar's bytes without copying a span of the line.
  func withBytes<T>(_ scalar: JSONCursor.Scalar, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    switch scalar {
    case let .span(range): return body(UnsafeBufferPointer(rebasing: line[range]))
    case let .decoded(bytes): return bytes.withUnsafeBufferPointer(body)
    }
  }

  func text(_ scalar: JSONCursor.Scalar) -> String { withBytes(scalar) { String(decoding: $0, as: UTF8.self) } }

  func required(_ value: String?, _ name: String, _ fail: (String) -> EventParseError) throws(EventParseError) -> String
  {
    guard let value else { throw fail("missing field \"\(name)\"") }
    return value
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
    switch type {
    case "payment":
      let id = try required(id, "id", fail), s = try required(src, "src", fail), d = try required(dst, "dst", fail)
      guard let amount else { throw fail("missing field \"amount\"") }
      guard let parsed = withBytes(amount, { Amount(parsing: $0) }) else {
        throw fail(
          "field \"amount\": \"\(text(amount))\" is not an amount (a non-negative decimal such as 120.50, at most six decimals)"
        )
      }
      return .payment(id: id, source: s, target: d, amount: parsed, time: try time(fail))
    case "interaction":
      let s = try required(src, "src", fail), d = try required(dst, "dst", fail), k = try required(kind, "kind", fail)
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
    case "profile_edit":
      let a = try required(account, "account", fail), f = try required(field, "field", fail)
      let v = try required(value, "value", fail)
      return .profileEdit(account: a, field: f, value: v, time: try time(fail))
    default:
      throw fail("field \"type\": \"\(type)\" is not payment, interaction or profile_edit")
    }
  }
}
