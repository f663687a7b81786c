/// One value of a settings file, as read, before it is checked against the
/// settings it may set: JSON's and TOML's shared shapes.
///
///     let value = try JSONDecoder().decode(SettingValue.self, from: Data(#"{"lockstep": {"window": 3600}}"#.utf8))
///     value.description   // "a table of settings"
enum SettingValue: Codable, Equatable, CustomStringConvertible {
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([SettingValue])
  case object([String: SettingValue])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int64.self) {
      self = .integer(i)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([SettingValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: SettingValue].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case let .bool(b): try c.encode(b)
    case let .integer(i): try c.encode(i)
    case let .number(d): try c.encode(d)
    case let .string(s): try c.encode(s)
    case let .array(a): try c.encode(a)
    case let .object(o): try c.encode(o)
    }
  }

  /// The shape, in words: what a setting of this shape holds.
  var description: String {
    switch self {
    case .bool: return "true or false"
    case .integer, .number: return "a number"
    case .string: return "text"
    case .array: return "a list"
    case .object: return "a table of settings"
    }
  }

  /// Whether `other` has this value's shape (a whole number and a real one
  /// share one: the decoder tells them apart).
  func hasShape(of other: SettingValue) -> Bool {
    switch (self, other) {
    case (.bool, .bool), (.string, .string), (.array, .array), (.object, .object): return true
    case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number): return true
    default: return false
    }
  }

  /// The value as a person reads it in an error: `3.5`, `"fast"`, `a table of settings`.
  var renderedForError: String {
    switch self {
    case let .bool(b): return "\(b)"
    case let .integer(i): return "\(i)"
    case let .number(d): return "\(d)"
    case let .string(s): return "\"\(s)\""
    case .array, .object: return description
    }
  }
}
