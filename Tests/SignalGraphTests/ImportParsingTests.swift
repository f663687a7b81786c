import Testing

@testable import SignalGraph

@Suite("Importer value parsing") struct ImportParsingTests {
  @Test(arguments: [
    ("143.41000000000003", 143_410_000 as Int64, true),
    ("0.12345678", 123_457, true),
    ("0.1234564", 123_456, true),
    ("1.0000000", 1_000_000, false),  // zeros beyond six decimals lose nothing
    ("120.50", 120_500_000, false),
    ("0.9999995", 1_000_000, true),  // the rounding carries into the units
    ("1.2345678E7", 12_345_678_000_000, false),  // Java's Double.toString
    ("1.0E-4", 100, false),
    ("5e-7", 1, true),
    ("2E+2", 200_000_000, false),
  ])
  func amountsBeyondSixDecimalsAreRoundedAndSaidSo(text: String, micros: Int64, rounded: Bool) throws {
    let parsed = try #require(Amount.parse(roundingExcessDecimals: Array(text.utf8)))
    #expect(parsed.amount == Amount(micros: micros))
    #expect(parsed.rounded == rounded)
  }

  @Test func theContractsAmountStillRefusesMoreThanSixDecimals() {
    #expect(Amount(parsing: Array("0.1234567".utf8)) == nil)
    #expect(Amount(parsing: Array("1.0000000".utf8)) == nil)
    #expect(Amount.parse(roundingExcessDecimals: Array("-1".utf8)) == nil)
    for bad in ["1e", "e3", "1e3.5", "1.2.3e1", "1e-", "-1e3", "1e1000"] {
      #expect(Amount.parse(roundingExcessDecimals: Array(bad.utf8)) == nil, "\(bad)")
    }
  }

  @Test func slashDatesAreReadAsUTC() {
    let slash = UInt8(ascii: "/")
    #expect(Timestamp.parse(Array("2022/09/01 00:20".utf8), dateSeparator: slash) == 1_661_991_600)
    #expect(Timestamp.parse(Array("2022/09/01".utf8), dateSeparator: slash) == 1_661_990_400)
    #expect(Timestamp.parse(Array("2022/13/01 00:20".utf8), dateSeparator: slash) == nil)
    #expect(Timestamp.parse(Array("1661991600".utf8), dateSeparator: slash) == nil)
    // The contract's own timestamps do not take slashes.
    #expect(Timestamp.parse(Array("2022/09/01 00:20".utf8)) == nil)
  }
}
