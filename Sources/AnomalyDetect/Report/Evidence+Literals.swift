/// Evidence is written with literals: strings, numbers, booleans, arrays and dictionaries.
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
