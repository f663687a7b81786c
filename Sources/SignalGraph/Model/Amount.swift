/// An exact, non-negative money amount held as integer micro-units
/// (millionths of the currency unit), so that decimal input is never rounded.
///
///     let fare = Amount(parsing: Array("120.50".utf8))   // 120_500_000 micros
///     fare?.description                                    // "120.50"
///
/// Six decimal places cover every currency and most tokens; an amount with
/// more is rejected rather than silently rounded.
public struct Amount: Hashable, Comparable, Sendable {
  /// The amount in millionths of the currency unit.
  public var micros: Int64

  /// The number of micro-units in one currency unit.
  public static let microsPerUnit: Int64 = 1_000_000

  /// Creates an amount of `micros` millionths of the currency unit.
  public init(micros: Int64) { self.micros = micros }

  /// The amount as a `Double` in currency units (for statistics, not for sums).
  public var units: Double { Double(micros) / Double(Self.microsPerUnit) }

  /// Parses a plain decimal such as `120`, `120.5` or `0.000001`; returns
  /// `nil` for anything else: a sign, an exponent, more than six decimals,
  /// or a value too large for 64-bit micro-units.
  public init?<Bytes: Collection<UInt8>>(parsing bytes: Bytes) {
    guard let (micros, rounded) = Self.micros(of: bytes, roundingBeyondSixDecimals: false), !rounded else {
      return nil
    }
    self.micros = micros
  }

  /// Parses a decimal as ``init(parsing:)`` does, but rounds one with more
  /// than six decimals to the nearest micro-unit (halves up) instead of
  /// refusing it, and takes an exponent, for importers of data written from
  /// floating point (`143.41000000000003` becomes `143.41`, Java's
  /// `1.2345678E7` becomes `12345678`). `rounded` tells whether digits were
  /// dropped, so that an importer can count and report them.
  ///
  ///     Amount.parse(roundingExcessDecimals: Array("0.12345678".utf8))   // (123_457 micros, rounded: true)
  public static func parse<Bytes: Collection<UInt8>>(
    roundingExcessDecimals bytes: Bytes
  ) -> (amount: Amount, rounded: Bool)? {
    if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      guard let plain = withoutExponent(mantissa: bytes[..<e], exponent: bytes[bytes.index(after: e)...]) else {
        return nil
      }
      return parse(roundingExcessDecimals: plain)
    }
    guard let (micros, rounded) = micros(of: bytes, roundingBeyondSixDecimals: true) else { return nil }
    return (Amount(micros: micros), rounded)
  }

  /// `mantissa`·10^`exponent` written without an exponent (`1.5`, `3` → `1500`).
  private static func withoutExponent<Part: Collection<UInt8>>(mantissa: Part, exponent: Part) -> [UInt8]? {
    var sign: Int = 1
    var exponentDigits = exponent[...]
    if let first = exponentDigits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      sign = first == UInt8(ascii: "-") ? -1 : 1
      exponentDigits = exponentDigits.dropFirst()
    }
    guard !exponentDigits.isEmpty, exponentDigits.count <= 3,
      exponentDigits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return nil }
    let shift = sign * exponentDigits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    var digits = mantissa.filter { $0 != UInt8(ascii: ".") }
    guard !digits.isEmpty, mantissa.count - digits.count <= 1 else { return nil }
    var point =
      (mantissa.firstIndex(of: UInt8(ascii: ".")).map { mantissa.distance(from: mantissa.startIndex, to: $0) }
        ?? mantissa.count) + shift
    if point < 0 {
      digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point), at: 0)
      point = 0
    }
    if point > digits.count { digits.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count)) }
    digits.insert(UInt8(ascii: "."), at: point)
    return digits
  }

  private static func micros<Bytes: Collection<UInt8>>(
    of bytes: Bytes, roundingBeyondSixDecimals: Bool
  ) -> (Int64, rounded: Bool)? {
    var whole: Int64 = 0
    var fraction: Int64 = 0
    var fractionDigits = 0
    var digits = 0
    var seenPoint = false
    var roundUp = false
    var rounded = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        if seenPoint { return nil }
        seenPoint = true
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let d = Int64(byte &- UInt8(ascii: "0"))
        digits += 1
        if seenPoint {
          fractionDigits += 1
          if fractionDigits > 6 {
            if !roundingBeyondSixDecimals { return (0, true) }
            if fractionDigits == 7 { roundUp = d >= 5 }
            if d != 0 { rounded = true }
            continue
          }
          fraction = fraction * 10 + d
        } else {
          let (w, o1) = whole.multipliedReportingOverflow(by: 10)
          let (w2, o2) = w.addingReportingOverflow(d)
          if o1 || o2 { return nil }
          whole = w2
        }
      } else {
        return nil
      }
    }
    guard digits > 0 else { return nil }
    for _ in min(fractionDigits, 6)..<6 { fraction *= 10 }
    if roundUp { fraction += 1 }
    let (scaled, o1) = whole.multipliedReportingOverflow(by: microsPerUnit)
    let (total, o2) = scaled.addingReportingOverflow(fraction)
    if o1 || o2 { return nil }
    return (total, rounded)
  }

  public static func < (a: Amount, b: Amount) -> Bool { a.micros < b.micros }
}

extension Amount: CustomStringConvertible {
  /// The amount in decimal, with at least two and at most six decimals: `120.50`.
  public var description: String {
    let whole = micros / Self.microsPerUnit
    var fraction = String(micros % Self.microsPerUnit)
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(whole).\(fraction)"
  }
}
