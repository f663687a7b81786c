/// Parsing of the contract's timestamps into Unix seconds.
///
/// A timestamp is either an integer count of seconds since 1970-01-01 UTC, or
/// an ISO-8601 date-time such as `2026-03-01T12:00:00Z`. For the latter the
/// accepted forms are `YYYY-MM-DD`, optionally followed by `T` (or a space)
/// and `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff…`, optionally followed by `Z` or
/// a `±hh:mm` / `±hhmm` offset. Without a zone the time is taken as UTC, as
/// the contract says every timestamp is. Fractions of a second are dropped.
///
///     Timestamp.parse(Array("1767225600".utf8))            // 1767225600
///     Timestamp.parse(Array("2026-01-01T00:00:00Z".utf8))  // 1767225600
public enum Timestamp {
  /// The timestamps fraudscan accepts, in Unix seconds: 0001-01-01T00:00:00Z
  /// to 9999-12-31T23:59:59Z (years 1 to 9999).
  ///
  /// Anything else is a broken clock or a hostile value, and arithmetic on
  /// it (windows, spans, ages) would overflow; every reader of timestamps
  /// (the CSV files and the event stream) refuses it.
  public static let validRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

  /// Why a timestamp outside ``validRange`` is refused, in words following
  /// the value: `"-9223372036854775808" is outside the years 1 to 9999`.
  public static let outOfRange = "is outside the years 1 to 9999"

  /// The Unix seconds of `bytes`, or `nil` if it is not a timestamp.
  public static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int64?
  where Bytes.Index == Int {
    var p = Cursor(bytes: bytes)
    if let seconds = p.integerSeconds() { return seconds }
    return p.isoDateTime()
  }

  /// The Unix seconds of a date-time written with `dateSeparator` between
  /// year, month and day, as some exports do (`2022/09/01 00:20` with `/`),
  /// otherwise read as ``parse(_:)`` reads ISO-8601 (no zone means UTC); `nil`
  /// if it is not one. Integer seconds are not accepted here.
  ///
  ///     Timestamp.parse(Array("2022/09/01 00:20".utf8), dateSeparator: UInt8(ascii: "/"))  // 1661991600
  public static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, dateSeparator: UInt8) -> Int64?
  where Bytes.Index == Int {
    var p = Cursor(bytes: bytes)
    p.dateSeparator = dateSeparator
    return p.isoDateTime()
  }

  /// `seconds` (Unix) as ISO-8601 UTC to the second: `2026-03-01T12:00:00Z`.
  public static func iso8601(_ seconds: Int64) -> String {
    let (date, rest) = split(seconds)
    return date + "T\(two(rest / 3_600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
  }

  /// `seconds` (Unix) as ISO-8601 UTC to the minute: `2026-03-01T12:00Z`,
  /// the form evidence uses for windows a person reads.
  public static func iso8601Minutes(_ seconds: Int64) -> String {
    let (date, rest) = split(seconds)
    return date + "T\(two(rest / 3_600)):\(two(rest / 60 % 60))Z"
  }

  /// The civil date of `days` since 1970-01-01 (Howard Hinnant's
  /// `civil_from_days`, proleptic Gregorian).
  public static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// `YYYY-MM-DD` of `seconds` and the seconds into that day.
  private static func split(_ seconds: Int64) -> (date: String, secondOfDay: Int64) {
    // Floor division and remainder that cannot overflow, even for a stored value near ±2^63.
    let remainder = seconds % 86_400
    let days = seconds / 86_400 - (remainder < 0 ? 1 : 0)
    let (y, m, d) = civilDate(fromDays: days)
    let year = y >= 0 && y < 10_000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
    return ("\(year)-\(two(m))-\(two(d))", remainder < 0 ? remainder + 86_400 : remainder)
  }

  private static func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
  /// `days_from_civil`, valid for every year an `Int64` holds).
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  struct Cursor<Bytes: RandomAccessCollection<UInt8>> where Bytes.Index == Int {
    let bytes: Bytes
    var i: Int
    /// The byte between year, month and day: `-` in ISO-8601.
    var dateSeparator = UInt8(ascii: "-")

    init(bytes: Bytes) {
      self.bytes = bytes
      i = bytes.startIndex
    }

    var atEnd: Bool { i == bytes.endIndex }

    func integerSeconds() -> Int64? {
      var j = bytes.startIndex
      var negative = false
      if j < bytes.endIndex, bytes[j] == UInt8(ascii: "-") {
        negative = true
        j += 1
      }
      guard j < bytes.endIndex else { return nil }
      var value: Int64 = 0
      while j < bytes.endIndex {
        let c = bytes[j]
        guard c >= 48 && c <= 57 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int64(c - 48))
        if o1 || o2 { return nil }
        value = s
        j += 1
      }
      return negative ? -value : value
    }

    mutating func digits(_ count: Int) -> Int64? {
      guard bytes.endIndex - i >= count else { return nil }
      var value: Int64 = 0
      for _ in 0..<count {
        let c = bytes[i]
        guard c >= 48 && c <= 57 else { return nil }
        value = value * 10 + Int64(c - 48)
        i += 1
      }
      return value
    }

    mutating func take(_ c: UInt8) -> Bool {
      guard i < bytes.endIndex, bytes[i] == c else { return false }
      i += 1
      return true
    }

    mutating func isoDateTime() -> Int64? {
      guard let year = digits(4), take(dateSeparator),
        let month = digits(2), take(dateSeparator),
        let day = digits(2),
        (1...12).contains(month),
        day >= 1, day <= Timestamp.daysInMonth(year: year, month: month)
      else { return nil }
      var seconds = Timestamp.daysFromCivil(year: year, month: month, day: day) * 86_400
      if atEnd { return seconds }
      guard take(UInt8(ascii: "T")) || take(UInt8(ascii: " ")) else { return nil }
      guard let hour = digits(2), take(UInt8(ascii: ":")), let minute = digits(2),
        hour < 24, minute < 60
      else { return nil }
      var second: Int64 = 0
      if take(UInt8(ascii: ":")) {
        guard let s = digits(2), s <= 60 else { return nil }
        second = s
        if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
          var fractionDigits = 0
          while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
            i += 1
            fractionDigits += 1
          }
          guard fractionDigits > 0 else { return nil }
        }
      }
      seconds += hour * 3600 + minute * 60 + second
      if atEnd || take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) {
        return atEnd ? seconds : nil
      }
      let sign: Int64
      if take(UInt8(ascii: "+")) {
        sign = 1
      } else if take(UInt8(ascii: "-")) {
        sign = -1
      } else {
        return nil
      }
      guard let offsetHours = digits(2), offsetHours < 24 else { return nil }
      _ = take(UInt8(ascii: ":"))
      guard let offsetMinutes = digits(2), offsetMinutes < 60, atEnd else { return nil }
      // Local time = UTC + offset, so UTC = local - offset.
      return seconds - sign * (offsetHours * 3600 + offsetMinutes * 60)
    }
  }
}
