import Testing

@testable import SignalGraph
@testable import SignalSynthesis

/// The cycles benchmark's synthetic payments: deterministic, the size asked
/// for, in time order, over the accounts it declares, with honest payments
/// back and the planted rings.
@Suite struct PaymentColumnsTests {
  @Test func theSameSeedGivesTheSamePaymentsAndAnotherSeedOthers() {
    let a = PaymentColumns.synthetic(payments: 5_000, seed: 3)
    #expect(a == PaymentColumns.synthetic(payments: 5_000, seed: 3))
    #expect(a != PaymentColumns.synthetic(payments: 5_000, seed: 4))
  }

  @Test(arguments: [0, 1, 999, 40_000])
  func theColumnsAreWellFormed(payments: Int) {
    let g = PaymentColumns.synthetic(payments: payments, seed: 1)
    #expect(g.source.count == payments && g.target.count == payments && g.time.count == payments)
    #expect(g.accountCount == max(payments / 10, 200))
    #expect(g.source.allSatisfy { $0 >= 0 && Int($0) < g.accountCount })
    #expect(g.target.allSatisfy { $0 >= 0 && Int($0) < g.accountCount })
    #expect(zip(g.time, g.time.dropFirst()).allSatisfy { $0 <= $1 }, "rows in time order")
    #expect(
      g.time.allSatisfy { $0 >= 1_767_225_600 && $0 < 1_767_225_600 + 369 * 86_400 },
      "a year, and paybacks up to four days later")
  }

  /// Friends pay back (2-cycles), and at 40 000 payments two rings of 3–8
  /// accounts turn five times with hops exactly an hour apart.
  @Test func itHoldsPaybacksAndRings() {
    let g = PaymentColumns.synthetic(payments: 40_000, seed: 1)
    let pairs = Set(zip(g.source, g.target).map { [$0, $1] })
    #expect(pairs.contains { pairs.contains([$0[1], $0[0]]) }, "someone pays back")
    var hourly = 0
    var last: [Int32: Int64] = [:]  // when each account last received
    for r in g.source.indices {
      if let t = last[g.source[r]], g.time[r] - t == 3_600 { hourly += 1 }
      last[g.target[r]] = g.time[r]
    }
    #expect(hourly >= 2 * 5 * 2, "ring hops an hour after the payment in: \(hourly)")
  }

  @Test func aSetsPaymentsAreItsColumns() {
    var set = SignalSet()
    set.addPayment(id: "p1", source: "a", target: "b", amount: Amount(micros: 1_000_000), time: 1_767_225_600)
    let g = PaymentColumns(set)
    #expect(g.source == set.payments.source && g.target == set.payments.target && g.time == [1_767_225_600])
    #expect(g.accountCount == 2)
  }
}
