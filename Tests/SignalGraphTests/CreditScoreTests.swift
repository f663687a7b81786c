import Foundation
import Testing

@testable import SignalGraph

@Suite("CreditScore")
struct CreditScoreTests {
  /// a pays b 9.00 in month 0 and c 90.00 in month 1; b and c endorse a (b twice);
  /// a sets employer twice and bio once; a was created 365 days before the last signal.
  static func sample() -> SignalSet {
    var set = SignalSet()
    set.addPayment(id: "p1", source: "a", target: "b", amount: Amount(micros: 9_000_000), time: 0)
    set.addPayment(id: "p2", source: "a", target: "c", amount: Amount(micros: 90_000_000), time: 2_592_000)
    set.addInteraction(source: "b", target: "a", kind: "follow", time: 10)
    set.addInteraction(source: "c", target: "a", kind: "like", time: 20)
    set.addInteraction(source: "b", target: "a", kind: "like", time: 30)
    set.addProfileEdit(account: "a", field: "employer", value: "Acme", time: 40)
    set.addProfileEdit(account: "a", field: "bio", value: "hi", time: 50)
    set.addProfileEdit(account: "a", field: "employer", value: "Initech", time: 60)
    set.accounts.setCreatedAt(2_592_000 - 365 * 86_400, for: 0)
    return set
  }

  @Test func handComputedBreakdown() {
    let scores = CreditScore(Self.sample())
    #expect(scores.referenceTime == 2_592_000)
    let a = scores.breakdown(of: 0)
    #expect(a.volumeUnits == 99)
    #expect(abs(a.paymentVolume - 50) < 1e-9)  // 25 · log10(100)
    #expect(a.distinctCounterparties == 2)
    #expect(abs(a.paymentCounterparties - 20 * log2(3.0)) < 1e-9)  // 31.70
    #expect(a.monthsActive == 2 && a.paymentMonths == 20)
    #expect(a.distinctEndorsers == 2)
    #expect(abs(a.socialStanding - 50 * log2(3.0)) < 1e-9)  // 79.25
    #expect(a.profileFields == 2 && a.profileCompleteness == 40)
    #expect(a.ageDays == 365 && a.accountAge == 25)
    #expect(a.score == 596)  // 350 + round(245.95)

    let b = scores.breakdown(of: 1)  // created_at unknown: age from its first signal (30 days)
    #expect(b.paymentVolume == 25 && b.paymentCounterparties == 20 && b.paymentMonths == 10)
    #expect(b.socialStanding == 0 && b.profileCompleteness == 0)
    #expect(abs(b.accountAge - 50.0 * 30 / 730) < 1e-9)
    #expect(b.score == 407)
  }

  @Test func maskDropsHeldSignals() {
    let set = Self.sample()
    var mask = SignalMask(allOf: set)
    mask.interactions[1] = false  // c's like
    let a = CreditScore(set, mask: mask).breakdown(of: 0)
    #expect(a.distinctEndorsers == 1 && a.socialStanding == 50)
    #expect(a.score == 567)
  }

  @Test func partsAreCappedAndScoreStaysInRange() {
    var set = SignalSet()
    for i in 0..<300 {
      set.addInteraction(source: "f\(i)", target: "star", kind: "follow", time: Int64(i))
      set.addPayment(
        id: "p\(i)", source: "star", target: "m\(i)", amount: Amount(micros: 1_000_000_000_000),
        time: Int64(i) * 2_592_000)
    }
    for field in ["employer", "school", "phone", "device", "address", "bio", "extra"] {
      set.addProfileEdit(account: "star", field: field, value: "x", time: 0)
    }
    let scores = CreditScore(set, referenceTime: 10_000 * 86_400)
    let star = scores.breakdown(of: set.accounts.ids.index(of: "star")!)
    #expect(star.score == CreditScore.ceiling)
    for a in 0..<Int32(scores.count) {
      #expect((CreditScore.floor...CreditScore.ceiling).contains(scores.score(of: a)))
    }
    #expect(CreditScore(SignalSet()).count == 0)
  }
}
