extension Evidence: Codable {
  /// Decodes any JSON value.
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int.self) {
      self = .integer(i)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([Evidence].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: Evidence].self))
    }
  }

  /// Encodes the value as the JSON it stands for.
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
