import SignalGraph
import SplitMix
import Testing

/// Money passed on with at most a skim kept (``RelayBand``), the one test
/// the scan's relays and the pre-filter's flow check share.
@Suite struct RelayBandTests {
  @Test func aRelayBandPassesOnWhatTheSkimAllowsAndNoMore() {
    // Against the test as written in real numbers: at most what arrived, at
    // least what arrived times (1 - skim), the edges included.
    func passes(_ amount: Int64, _ received: Int64, _ skim: Double) -> Bool {
      amount <= received && Double(amount) >= Double(received) * (1 - skim)
    }
    var random = SplitMix64(seed: 12)
    for skim in [0.0, 0.01, 0.05, 0.1, 0.333] {
      for _ in 0..<2_000 {
        let received = Int64.random(in: 1...50_000_000_000, using: &random)
        let amount = received - Int64.random(in: -1_000...Int64(Double(received) * skim) + 1_000, using: &random)
        let expected = passes(amount, received, skim)
        #expect(RelayBand.passesOn(amount, received, skim: skim) == expected, "\(amount) of \(received), \(skim)")
        #expect(RelayBand.sumPassesOn(Double(amount), Double(received), skim: skim) == expected)
        let band = RelayBand(unit: received, total: received + 7, skim: skim)
        let byUnit = band.match(unit: amount, total: 0)
        #expect((byUnit.map { $0 == (amount, received, false) } ?? false) == expected)
        let bySum = band.match(unit: received + 1, total: amount + 7)
        #expect(
          (bySum.map { $0 == (amount + 7, received + 7, true) } ?? false) == passes(amount + 7, received + 7, skim))
      }
      let band = RelayBand(unit: 1_000_000, total: 1_000_000, skim: skim)
      let floor = Int64((1_000_000 * (1 - skim)).rounded(.up))
      #expect(band.match(unit: floor, total: floor) != nil && band.match(unit: floor - 1, total: floor - 1) == nil)
      #expect(band.match(unit: 1_000_000, total: 1_000_000) != nil)
      #expect(band.match(unit: 1_000_001, total: 1_000_001) == nil)
    }
  }
}
