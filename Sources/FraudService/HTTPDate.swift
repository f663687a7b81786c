import Foundation

/// The `Date` header's value (RFC 9110's IMF-fixdate, e.g. `Thu, 03 Dec 2026
/// 07:16:12 GMT`) for the current second, formatted once a second per caller.
///
///     var date = HTTPDate()
///     let header = date.now()
struct HTTPDate {
  private var second = -1
  private var text = ""

  /// A formatter with nothing formatted yet.
  init() {}

  /// The current second's date.
  mutating func now() -> String {
    let seconds = time(nil)
    if seconds != second {
      second = seconds
      text = Self.format(seconds)
    }
    return text
  }

  /// `seconds` since 1970 as an IMF-fixdate.
  static func format(_ seconds: Int) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
  }
}
