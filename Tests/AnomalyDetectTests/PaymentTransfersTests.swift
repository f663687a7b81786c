import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

@Suite struct PaymentTransfersTests {
  /// Payments among five accounts at random times (negative ones among
  /// them, out of row order, many on one day) and amounts (many equal).
  static func scrambled(seed: UInt64) -> SignalSet {
    var rng = SplitMix64(seed: seed)
    var set = SignalSet()
    for row in 0..<Int.random(in: 1...200, using: &rng) {
      let from = Int.random(in: 0..<5, using: &rng), to = Int.random(in: 0..<5, using: &rng)
      set.addPayment(
        id: "p\(row)", source: "a\(from)", target: "a\(to)",
        amount: Amount(micros: Int64.random(in: 1...4, using: &rng) * 1_000_000),
        time: Int64.random(in: -4...6, using: &rng) * 43_200 + Int64.random(in: 0..<3, using: &rng))
    }
    return set
  }

  @Test(arguments: 0..<12 as Range<UInt64>)
  func transfersAreEachPairsPaymentsOfOneDayInOrder(seed: UInt64) {
    let set = Self.scrambled(seed: seed)
    let p = set.payments
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    let day = { (row: Int) in Int64((Double(p.time[row]) / 86_400).rounded(.down)) }
    // The reference: rows sorted whole by payer, payee, day, amount and row.
    let rows = (0..<p.count).sorted {
      (p.source[$0], p.target[$0], day($0), p.amountMicros[$0], $0)
        < (p.source[$1], p.target[$1], day($1), p.amountMicros[$1], $1)
    }
    #expect(transfers.rows.map(Int.init) == rows)
    var expected: [(payer: Int32, payee: Int32, day: Int64)] = []
    for row in rows where expected.last.map({ $0 != (p.source[row], p.target[row], day(row)) }) ?? true {
      expected.append((p.source[row], p.target[row], day(row)))
    }
    #expect(transfers.count == expected.count)
    for (t, e) in expected.enumerated() {
      #expect((transfers.source[t], transfers.target[t], transfers.bucket[t]) == e)
      let amounts = transfers.payments(of: t).map { p.amountMicros[Int($0)] }
      #expect(transfers.unitMicros[t] == amounts[amounts.count / 2])
      #expect(transfers.totalMicros[t] == amounts.reduce(0, +))
      let pair = rows.filter { (p.source[$0], p.target[$0]) == (e.payer, e.payee) }
      #expect(Int(transfers.pairPayments[t]) == pair.count)
      #expect(
        transfers.pairRun(of: t).allSatisfy { transfers.target[$0] == e.payee && transfers.source[$0] == e.payer })
    }
    // Each account's transfers out and in: by day, ties in transfer order.
    for a in 0..<Int32(set.accounts.count) {
      let out = (0..<transfers.count).filter { transfers.source[$0] == a }
      let into = (0..<transfers.count).filter { transfers.target[$0] == a }
      let byDay = { (x: Int, y: Int) in (transfers.bucket[x], x) < (transfers.bucket[y], y) }
      #expect(transfers.outgoing.edges(of: a).map(Int.init) == out.sorted(by: byDay))
      #expect(transfers.incoming.edges(of: a).map(Int.init) == into.sorted(by: byDay))
    }
    #expect(transfers.firstBucket == (0..<p.count).map(day).min())
    #expect(transfers.lastBucket == (0..<p.count).map(day).max())
  }
}
