import FraudLinalg
import SignalGraph
import Testing

@testable import AnomalyDetect

@Suite struct EndorsementSpectrumTests {
  /// A complete 4 × 6 block (f0…f3 endorse c0…c5), every pair liked twice,
  /// beside a 2 × 2 block of follows (h0, h1 → s0, s1).
  static func twoBlocks() -> SignalSet {
    var set = SignalSet()
    var t: Int64 = 1_767_225_600
    for repeatPass in 0..<2 {
      for f in 0..<4 {
        for c in 0..<6 {
          set.addInteraction(source: "f\(f)", target: "c\(c)", kind: "like", time: t)
          t += 1
        }
      }
      if repeatPass == 0 {
        for h in 0..<2 {
          for s in 0..<2 { set.addInteraction(source: "h\(h)", target: "s\(s)", kind: "follow", time: t) }
        }
      }
    }
    return set
  }

  @Test func repeatedEndorsementsCountOnce() {
    let a = EndorsementSpectrum.binaryAdjacency(Self.twoBlocks())
    #expect(a.rows == 14 && a.columns == 14)
    #expect(a.nonzeroCount == 24 + 4)
    #expect(a.values.allSatisfy { $0 == 1 })
  }

  @Test func aCompleteBlockHasSingularValueRootOfItsArea() throws {
    let set = Self.twoBlocks()
    let spectrum = try EndorsementSpectrum(set, rank: 2, top: 6)
    #expect(abs(spectrum.components[0].singularValue - 24.0.squareRoot()) < 1e-9)
    #expect(abs(spectrum.components[1].singularValue - 2) < 1e-9)
    let ids = set.accounts.ids
    let endorsers = Set(spectrum.components[0].endorsers.prefix(4).map { ids[$0.account] })
    let endorsed = Set(spectrum.components[0].endorsed.prefix(6).map { ids[$0.account] })
    #expect(endorsers == ["f0", "f1", "f2", "f3"])
    #expect(endorsed == ["c0", "c1", "c2", "c3", "c4", "c5"])
    // Every member of the block weighs the same on its vector: 1/√4 and 1/√6.
    for e in spectrum.components[0].endorsers.prefix(4) { #expect(abs(abs(e.weight) - 0.5) < 1e-9) }
    for e in spectrum.components[0].endorsed.prefix(6) { #expect(abs(abs(e.weight) - 1 / 6.0.squareRoot()) < 1e-9) }
  }

  @Test func largestKeepsTheBiggestMagnitudesInOrder() {
    let picked = EndorsementSpectrum.largest([0.1, -0.9, 0.5, 0.9, -0.2], 3)
    #expect(picked.map(\.account) == [1, 3, 2])
    #expect(EndorsementSpectrum.largest([1, 2], 5).map(\.account) == [1, 0])
    #expect(EndorsementSpectrum.largest([1, 2], 0).isEmpty)
  }
}
