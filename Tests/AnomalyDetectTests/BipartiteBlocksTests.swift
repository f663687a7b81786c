import Foundation
import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

/// Bipartite blocks: two payers paying the same receivers one sum new to
/// them (a stack's layer), against the honest crowds that do it by habit,
/// by a shop's price, or by chance where such squares are common.
@Suite struct BipartiteBlocksTests {
  typealias Flows = StructuredFlowDetectorTests
  typealias Background = PayerAmountsTests

  /// The block seeds of `set`, each as the set of its accounts' ids.
  func blocks(_ set: SignalSet) -> [Set<String>] {
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    var memo = GatheringHubs.Habits(accounts: set.accounts.count)
    return BipartiteBlocks(set: set, transfers: transfers).seeds(habits: &memo).map { seed in
      Set(seed.transfers.flatMap { [set.accounts.ids[transfers.source[$0]], set.accounts.ids[transfers.target[$0]]] })
    }
  }

  /// `payers` each pay every one of `receivers` near-equal sums (±1 %
  /// around `cents`, each sum its own) over the four days from `day`.
  func payLayer(_ set: inout SignalSet, _ payers: [String], to receivers: [String], cents: Int64 = 78_000, day: Int64) {
    var i: Int64 = 0
    for p in payers {
      for r in receivers {
        Flows.pay(&set, p, r, cents: cents + (i % 5 - 2) * cents / 200 + i, day: day + i % 4)
        i += 1
      }
    }
  }

  @Test func twoSumKeepersPayingTheSameTwoAccountsOneNewSumAreASeed() {
    var set = Background.habitBackground()
    payLayer(&set, ["h10", "h11"], to: ["m0", "m1"], day: 40)
    #expect(blocks(set) == [["h10", "h11", "m0", "m1"]])
  }

  @Test func theDetectorFindsAStackOfTwoLayersFromItsBlocks() throws {
    var set = Background.habitBackground()
    payLayer(&set, ["h10", "h11"], to: ["m0", "m1"], day: 40)
    payLayer(&set, ["m0", "m1"], to: ["n0", "n1", "n2"], day: 45)
    let findings = Flows().findings(set)
    #expect(findings.count == 1)
    let stack = try #require(findings.first)
    let ids = Set(stack.accounts.map { set.accounts.ids[$0] })
    #expect(ids == ["h10", "h11", "m0", "m1", "n0", "n1", "n2"])
    guard case let .object(evidence) = stack.evidence else { throw FanInsTests.Failure.noEvidence }
    #expect(evidence["bipartite_blocks"] == .integer(2))
    guard case let .string(reason)? = evidence["reason"] else { throw FanInsTests.Failure.noEvidence }
    #expect(reason.contains("2 pair(s) of accounts paying the same receivers near-equal sums"), "\(reason)")
  }

  @Test func payersPayingTheirOwnSumsToTheSameTwoAccountsAreNoBlock() {
    // h10 and h11 keep to sums of their own; two accounts they both pay
    // those sums are their business, however near the sums.
    var set = Background.habitBackground(habits: 30_000...30_100)
    Flows.pay(&set, "h10", "m0", cents: 30_000, day: 40)
    Flows.pay(&set, "h10", "m1", cents: 30_000, day: 41)
    Flows.pay(&set, "h11", "m0", cents: 30_050, day: 42)
    Flows.pay(&set, "h11", "m1", cents: 30_050, day: 43)
    #expect(blocks(set).isEmpty)
  }

  @Test func payersWhoseSumsAlwaysLieInTheBandAreNoBlock() {
    // Two traders pay a new sum every time, but always about 780 (a
    // wholesale lot): two accounts they both pay such sums is their trade.
    var set = Background.habitBackground()
    for (i, trader) in ["t1", "t2"].enumerated() {
      for d in Int64(0)..<30 {
        Flows.pay(
          &set, trader, "h\(20 + (d + Int64(i) * 7) % 150)", cents: 76_500 + (d * 131 + Int64(i) * 57) % 3_000,
          day: d * 4)
      }
    }
    payLayer(&set, ["t1", "t2"], to: ["m0", "m1"], day: 41)
    #expect(blocks(set).isEmpty)
    // Paid by two sum-keepers, the same block is one.
    var keepers = Background.habitBackground()
    payLayer(&keepers, ["h10", "h11"], to: ["m0", "m1"], day: 41)
    #expect(blocks(keepers).count == 1)
  }

  @Test func customersPayingTwoShopsTheirCommonPriceAreNoBlock() {
    // Two shops that charge one price, paid it by thirty customers each
    // over the months: two more customers paying both is the shops' price.
    var set = Background.habitBackground()
    for c in 0..<30 {
      Flows.pay(&set, "h\(100 + c)", "shopA", cents: 78_000, day: Int64(c * 4))
      Flows.pay(&set, "h\(130 + c)", "shopB", cents: 78_000, day: Int64(c * 4 + 1))
    }
    payLayer(&set, ["h10", "h11"], to: ["shopA", "shopB"], day: 40)
    #expect(blocks(set).isEmpty)
    // The same payments into two accounts with no such price are a block.
    var unpriced = Background.habitBackground()
    payLayer(&unpriced, ["h10", "h11"], to: ["shopA", "shopB"], day: 40)
    #expect(blocks(unpriced).count == 1)
  }

  @Test func aClubPayingEachOtherVariedSumsFormsItsBlocksByChance() {
    // Twelve friends on a three-week trip pay each other a new sum several
    // times a day: squares are everywhere, and some keep a band by chance.
    var set = Background.habitBackground(varied: true)
    var random = SplitMix64(seed: 5)
    for d in Int64(40)..<60 {
      for _ in 0..<6 {
        let a = Int(random.next() % 12), b = (a + 1 + Int(random.next() % 11)) % 12
        Flows.pay(&set, "f\(a)", "f\(b)", cents: 25_000 + Int64(random.next() % 10_000), day: d)
      }
    }
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    let found = BipartiteBlocks(set: set, transfers: transfers).blocks()
    #expect(found.candidates.count > 0)  // near-equal squares, by chance
    #expect(found.counts[2] > 100)
    #expect(blocks(set).isEmpty)
  }

  @Test func blocksAreCountedWhateverTheirSums() {
    // u and s both pay v, w1 and w2, each a sum of its own: one block of
    // three receivers, three of two, none of one band.
    var set = Background.habitBackground()
    for (i, r) in ["v", "w1", "w2"].enumerated() {
      Flows.pay(&set, "u", r, cents: 12_000 + Int64(i) * 9_000, day: 40)
      Flows.pay(&set, "s", r, cents: 50_000 + Int64(i) * 7_000, day: 41)
    }
    let background = Background.habitBackground()
    let before = BipartiteBlocks(set: background, transfers: PaymentTransfers(background, bucketSeconds: 86_400))
      .blocks().counts
    let found = BipartiteBlocks(set: set, transfers: PaymentTransfers(set, bucketSeconds: 86_400)).blocks()
    #expect(found.candidates.isEmpty)
    #expect(abs(found.counts[2] - before[2] - 3) < 1e-9)
    #expect(abs(found.counts[3] - before[3] - 1) < 1e-9)
  }
}

extension BipartiteBlocks {
  /// The detector's blocks of `set`, with its default windows.
  init(set: SignalSet, transfers: PaymentTransfers) {
    let amounts = AmountDistribution(set.payments.amountMicros)
    let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
    let habits = PayerAmounts(transfers)
    self.init(fanOuts: FanOuts(hubs: hubs, habits: habits), fanIns: FanIns(hubs: hubs, habits: habits), window: 14)
  }
}
