import SplitMix
import Testing

@testable import SignalGraph

func amount(_ text: String) -> Amount? { Amount(parsing: Array(text.utf8)) }
func timestamp(_ text: String) -> Int64? { Timestamp.parse(Array(text.utf8)) }

@Suite("Amount") struct AmountTests {
  @Test(arguments: [
    ("120.50", 120_500_000 as Int64),
    ("120", 120_000_000),
    ("0", 0),
    ("0.0", 0),
    ("7.", 7_000_000),  // a trailing point is accepted
    (".5", 500_000),  // so is a missing whole part
    ("0.000001", 1),
    ("00012.5", 12_500_000),
    ("123.456789", 123_456_789),
    ("9223372036854.775807", Int64.max),
  ])
  func parsesPlainDecimalsExactly(text: String, micros: Int64) {
    #expect(amount(text) == Amount(micros: micros))
  }

  @Test(arguments: [
    "-1", "+1", "1e3", "1E3", "", ".", "1.2345678", "0.0000001", "abc", "1.2.3", " 1", "1 ", "1,5",
    "12a", "9223372036854.775808", "9223372036855", "99999999999999999999",
  ])
  func rejectsAnythingElse(text: String) {
    #expect(amount(text) == nil)
  }

  @Test(arguments: [
    (120_500_000 as Int64, "120.50"),
    (1, "0.000001"),
    (0, "0.00"),
    (7_000_000, "7.00"),
    (100_000, "0.10"),
    (123_456_789, "123.456789"),
    (10_000_010, "10.00001"),
    (Int64.max, "9223372036854.775807"),
  ])
  func descriptionHasTwoToSixDecimals(micros: Int64, text: String) {
    #expect(Amount(micros: micros).description == text)
  }

  @Test(arguments: 0..<8 as Range<UInt64>)
  func descriptionParsesBackToTheSameAmount(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<500 {
      let scale = [Int64(100), 1_000_000, 1_000_000_000_000, Int64.max][Int.random(in: 0..<4, using: &rng)]
      let micros = Int64.random(in: 0...scale, using: &rng)
      let a = Amount(micros: micros)
      #expect(amount(a.description) == a, "\(micros)")
    }
  }

  @Test func unitsAndOrder() {
    #expect(Amount(micros: 120_500_000).units == 120.5)
    #expect(Amount(micros: 1) < Amount(micros: 2))
    #expect(!(Amount(micros: 2) < Amount(micros: 2)))
  }

  @Test func parsesFromAnArraySliceToo() {
    let bytes = Array("x12.5y".utf8)
    #expect(Amount(parsing: bytes[1..<5]) == Amount(micros: 12_500_000))
  }
}

@Suite("Timestamp") struct TimestampTests {
  @Test(arguments: [
    ("0", 0 as Int64),
    ("1767225600", 1_767_225_600),
    ("-1", -1),
    ("-86400", -86_400),
    ("2026", 2026),  // all digits: Unix seconds, not a year
    ("9223372036854775807", Int64.max),
  ])
  func integersAreUnixSeconds(text: String, seconds: Int64) {
    #expect(timestamp(text) == seconds)
  }

  @Test(arguments: [
    ("2026-01-01T00:00:00Z", 1_767_225_600 as Int64),
    ("2026-01-01T00:00:00z", 1_767_225_600),
    ("2026-01-01", 1_767_225_600),
    ("2026-01-01T00:00:00", 1_767_225_600),
    ("2026-01-01 00:00:00Z", 1_767_225_600),
    ("2026-01-01T00:00Z", 1_767_225_600),
    ("2026-03-01T12:00:00Z", 1_772_366_400),
    ("2026-01-01T00:00:00.999Z", 1_767_225_600),
    ("2026-01-01T00:00:00,5Z", 1_767_225_600),
    ("2026-01-01T02:00:00+02:00", 1_767_225_600),
    ("2026-01-01T02:00:00+0200", 1_767_225_600),
    ("2025-12-31T18:30:00-0530", 1_767_225_600),
    ("2025-12-31T18:30:00.25-05:30", 1_767_225_600),
    ("2026-01-01T23:59:60Z", 1_767_312_000),  // a leap second is the next midnight
    ("1970-01-01T00:00:00Z", 0),
    ("1969-12-31T23:59:59Z", -1),
    ("1970-01-01T00:00:00+01:00", -3_600),
    ("2024-02-29T00:00:00Z", 1_709_164_800),
    ("2000-02-29", 951_782_400),
  ])
  func isoDateTimes(text: String, seconds: Int64) {
    #expect(timestamp(text) == seconds)
  }

  @Test(arguments: [
    "", "-", "+5", "1.5", "12a", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
    "2026-01-00", "2026-01-01T24:00:00Z", "2026-01-01T12:60:00Z", "2026-01-01T12:00:61Z",
    "2026-01-01T00:00:00Zjunk", "2026-01-01junk", "2026-01-01T", "2026-01-01T00", "2026-01-01T00:00:00.",
    "2026-01-01T00:00:00+02", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+02:60",
    "2026-01-01T00:00:00+02:00x", "2026-1-1", "26-01-01", "2026/01/01", "9223372036854775808",
  ])
  func rejectsMalformedTimestamps(text: String) {
    #expect(timestamp(text) == nil)
  }

  @Test func everyDayFromCivilMatchesCounting() {
    // Walk day by day from 1960 to 2040 and check the day count never jumps.
    var expected = Timestamp.daysFromCivil(year: 1960, month: 1, day: 1)
    for year in Int64(1960)...2040 {
      for month in Int64(1)...12 {
        for day in 1...Timestamp.daysInMonth(year: year, month: month) {
          #expect(Timestamp.daysFromCivil(year: year, month: month, day: day) == expected)
          expected += 1
        }
      }
    }
    #expect(Timestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
  }
}

@Suite("StringInterner") struct StringInternerTests {
  @Test func indicesAreDenseInFirstSeenOrder() {
    var interner = StringInterner()
    #expect(interner.intern("carol") == 0)
    #expect(interner.intern("alice") == 1)
    #expect(interner.intern("carol") == 0)
    #expect(interner.intern("bob") == 2)
    #expect(interner.intern("alice") == 1)
    #expect(interner.count == 3)
    #expect(interner[0] == "carol" && interner[1] == "alice" && interner[2] == "bob")
    #expect(Array(interner.bytes(of: 2)) == Array("bob".utf8))
  }

  @Test func lookupsStayRightAfterGrowingPastManyThousandKeys() {
    var interner = StringInterner()
    let n = 50_000
    for k in 0..<n {
      #expect(interner.intern("key-\(k)") == Int32(k))
    }
    #expect(interner.count == n)
    for k in stride(from: 0, to: n, by: 1) {
      if interner.index(of: "key-\(k)") != Int32(k) || interner[Int32(k)] != "key-\(k)" {
        Issue.record("key-\(k) lost after growth")
        break
      }
    }
    #expect(interner.intern("key-12345") == 12_345)
    #expect(interner.index(of: "key-\(n)") == nil)
    #expect(interner.count == n)
  }

  @Test func reservedCapacityChangesNothingSeen() {
    var interner = StringInterner()
    interner.intern("before")
    interner.reserveCapacity(10_000, bytes: 100_000)
    #expect(interner.index(of: "before") == 0)
    for k in 0..<10_000 { interner.intern("\(k)") }
    #expect(interner.index(of: "9999") == 10_000)
    #expect(interner.index(of: "before") == 0)
  }

  @Test func emptyStringIsAKeyLikeAnyOther() {
    var interner = StringInterner()
    #expect(interner.index(of: "") == nil)
    interner.intern("a")
    #expect(interner.intern("") == 1)
    #expect(interner.intern("") == 1)
    #expect(interner.index(of: "") == 1)
    #expect(interner[1] == "")
    #expect(interner.index(of: "a") == 0)
    #expect(interner.count == 2)
  }

  @Test func unknownKeysAreNil() {
    var interner = StringInterner()
    #expect(interner.index(of: "ghost") == nil)
    interner.intern("ghost1")
    interner.intern("gho")
    #expect(interner.index(of: "ghost") == nil)
    #expect(interner.index(of: "ghost1") == 0)
  }

  @Test func bytesAndStringsFindTheSameKeys() {
    var interner = StringInterner()
    let bytes = Array("zoë".utf8)
    let index = bytes.withUnsafeBufferPointer { interner.intern($0) }
    #expect(interner.intern("zoë") == index)
    #expect(interner.index(of: "zoë") == index)
    #expect(interner[index] == "zoë")
    // Same letters, other normalisation: other bytes, other key.
    #expect(interner.index(of: "zo\u{0065}\u{0308}") == nil)
  }
}
