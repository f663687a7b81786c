/// The evidence of a finding: a small JSON value a person can read, such as
/// `{"density": 4.2, "background_density": 0.3, "window": "2026-03-01 12:00–12:40"}`.
///
/// Detectors build it from literals:
///
///     let evidence: Evidence = ["density": 4.2, "accounts": ["u1", "u2"], "reason": "…"]
public indirect enum Evidence: Sendable, Equatable, Codable {
  case string(String)
  case number(Double)
  case integer(Int)
  case bool(Bool)
  case array([Evidence])
  case object([String: Evidence])
  case null

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let i = try? c.decode(Int.self) { self = .integer(i) }
    else if let d = try? c.decode(Double.self) { self = .number(d) }
    else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([Evidence].self) { self = .array(a) }
    else { self = .object(try c.decode([String: Evidence].self)) }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case let .string(s): try c.encode(s)
    case let .number(d): try c.encode(d)
    case let .integer(i): try c.encode(i)
    case let .bool(b): try c.encode(b)
    case let .array(a): try c.encode(a)
    case let .object(o): try c.encode(o)
    case .null: try c.encodeNil()
    }
  }
}

extension Evidence: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .integer(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: Evidence...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, Evidence)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
