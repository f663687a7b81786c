import SignalGraph
import Testing

@testable import InlinePrefilter

/// The bipartite block of ``IncrementalFlowCheck`` (`IncrementalFlowCheck+Bipartite.swift`):
/// two payers who keep to sums of their own both paying the same receivers
/// one new sum, a stack's layer, is held at the payment that closes the
/// square, its earlier payments revoked; payers paying their own sums,
/// sums apart, busy shops, a block in the stream's first month and a
/// stream where such squares are common are not.
@Suite("Prefilter bipartite block")
struct PrefilterBipartiteTests: SumKeeperSuite {
  @Test func twoSumKeepersPayingTwoAccountsOneNewSumAreHeldWhenTheSquareCloses() {
    var f = decided(SumKeeperStream.events())
    let decisions = layer(["acct1", "acct2"], to: ["mule0", "mule1"], start: 41).map { f.decide($0) }
    #expect(decisions.prefix(3).allSatisfy { $0.verdict == .admit })
    #expect(decisions[3].verdict == .hold)
    #expect(decisions[3].revocations.map(\.seq) == decisions.prefix(3).map(\.seq))
    let reason = decisions[3].reasons.first ?? ""
    #expect(reason.hasPrefix("bipartite: acct2 and acct1 both paid mule1 and mule0 "), "\(reason)")
    #expect(reason.contains("770.00–785.54"), "\(reason)")
    #expect(f.invariantViolation() == nil)
  }

  @Test func aWiderLayerIsHeldAtItsFirstSquareAndAllOfItWithheldInTheEnd() throws {
    var f = decided(SumKeeperStream.events())
    let events = layer(["acct1", "acct2", "acct3"], to: ["mule0", "mule1", "mule2"], start: 41)
    // The first two decided before a checkpoint, the rest by its copy.
    let decisions = try decidedAcrossACheckpoint(&f, events)
    // The fifth payment, acct2 → mule1, closes the first square.
    #expect(decisions.prefix(2).allSatisfy { $0.verdict == .admit })
    #expect(decisions[2].reasons.first?.hasPrefix("bipartite: acct2 and acct1 both paid mule1 and mule0") == true)
    // Each payment is held, or revoked by a later one (acct1 → mule2,
    // paying an account no one else paid yet, once acct2 pays it too).
    var withheld = Set(decisions.filter { $0.verdict == .hold }.map(\.seq))
    withheld.formUnion(decisions.flatMap { $0.revocations.map(\.seq) })
    #expect(withheld.count == events.count)
    #expect(f.invariantViolation() == nil)
  }

  @Test func theSquaresAPaymentClosesAreCountedWhateverTheirSums() throws {
    var f = decided(SumKeeperStream.events())
    let before = try #require(f.check(IncrementalFlowCheck.self))
    // s pays v, w1 and w2; u pays w1 and w2 and then v, each a sum of its own.
    let square = [
      pay("s", "v", 12_000, 41 * day), pay("s", "w1", 34_000, 41 * day + 60), pay("s", "w2", 56_000, 41 * day + 120),
      pay("u", "w1", 78_000, 41 * day + 180), pay("u", "w2", 90_000, 41 * day + 240),
      pay("u", "v", 23_456, 41 * day + 300),
    ]
    for event in square { _ = f.decide(event) }
    let after = try #require(f.check(IncrementalFlowCheck.self))
    #expect(after.squarePayments - before.squarePayments == square.count)
    // s's payments close none (no one else paid v, w1 or w2 yet), nor does
    // u → w1 (u paid no one else); u → w2 closes (s, w1); u → v closes
    // (s, w1) and (s, w2), and one block of two receivers.
    #expect(after.squareCounts[0] - before.squareCounts[0] == 3)
    #expect(after.squareCounts[1] - before.squareCounts[1] == 1)
    #expect(after.squareCounts[2...] == before.squareCounts[2...])
  }

  @Test func theSquaresCountedStopAtTheBudgetAndSoDoThePayersJudged() throws {
    // With a budget of four payouts read, the squares of the first payers
    // of mule1 only: the block's second payer comes after six others (each
    // paying its own sum), each with payouts to read, and is neither
    // counted nor judged.
    var configuration = PrefilterConfiguration()
    configuration.flows.budget = 4
    var f = Prefilter(configuration: configuration)
    for event in SumKeeperStream.events() { _ = f.decide(event) }
    var block = layer(["acct1", "acct2"], to: ["mule0", "mule1"], start: 41)
    let crowd = (Int64(100)..<106).map {
      pay("acct\($0)", "mule1", 10_000 + $0 * 163 % 50_000, 41 * day + 4 * 7_200 + $0)
    }
    block.insert(contentsOf: crowd, at: 2)  // before acct1 and acct2 pay mule1
    var decisions = block.map { f.decide($0) }
    #expect(decisions.allSatisfy { $0.verdict == .admit }, "\(decisions.flatMap(\.reasons))")
    // The same with the default budget is held.
    f = decided(SumKeeperStream.events())
    decisions = block.map { f.decide($0) }
    #expect(decisions.last?.verdict == .hold)
  }

  @Test func payersPayingTheirOwnSumsFormNoBlock() {
    // acct1 and acct2 keep to 101.63 and 103.26, within 5 % of each other.
    var f = decided(SumKeeperStream.events())
    let own = [
      pay("acct1", "mule0", 10_163, 41 * day), pay("acct2", "mule0", 10_326, 41 * day + 60),
      pay("acct1", "mule1", 10_163, 41 * day + 120), pay("acct2", "mule1", 10_326, 41 * day + 180),
    ]
    #expect(own.allSatisfy { f.decide($0).verdict == .admit })
  }

  @Test func aSquareWhoseSumsLieApartIsAdmitted() {
    var f = decided(SumKeeperStream.events())
    var events = layer(["acct1", "acct2"], to: ["mule0", "mule1"], start: 41)
    events[3] = pay("acct2", "mule1", 90_000, 41 * day + 3 * 7_200)  // 15 % above the others
    #expect(events.allSatisfy { f.decide($0).verdict == .admit })
  }

  @Test func aBlockBegunInTheStreamsFirstMonthIsAdmitted() {
    // A layer of three paying three, begun on day 29, its last payment on
    // day 32: the payers' habits of the first month are not known yet.
    var block = layer(["acct1", "acct2", "acct3"], to: ["mule0", "mule1", "mule2"], start: 29)
    block[8] = pay("acct3", "mule2", 77_777, 32 * day)
    var f = Prefilter()
    let decisions = SumKeeperStream.events(with: block).compactMap { event in
      let decision = f.decide(event)
      return block.contains(event) ? decision : nil
    }
    #expect(decisions.count == 9 && decisions.last?.verdict == .admit)
    #expect(f.invariantViolation() == nil)
    // So among shoppers, whose rates say a new sum is seldom repeated.
    var g = Prefilter()
    let among = SumKeeperStream.events(with: block, keepingSums: false).compactMap { event in
      let decision = g.decide(event)
      return block.contains(event) ? decision : nil
    }
    #expect(among.count == 9 && among.last?.verdict == .admit, "\(among.flatMap(\.reasons))")
    // Judged, a block of another sum later on is held.
    let later = layer(["acct1", "acct2", "acct3"], to: ["mule3", "mule4", "mule5"], cents: 66_666, start: 41)
    #expect(later.contains { f.decide($0).verdict == .hold })
  }

  @Test func newCustomersOfTwoShopsPayingTheirPricesAreAdmitted() {
    // Nine regulars buy one of three items at both shops every ten days from
    // the stream's start, at the shops' prices (4.50, 12.00, 19.99); on day
    // 42 two newcomers buy the first at both. The shops' habits of their
    // prices say it is no coincidence.
    let prices: [Int64] = [450, 1_200, 1_999]
    var shopping: [SignalEvent] = []
    for c in Int64(0)..<9 {
      for round in Int64(0)..<5 {
        for (s, shop) in ["shopA", "shopB"].enumerated() {
          shopping.append(pay("regular\(c)", shop, prices[Int(c) % 3], c * day + round * 10 * day + Int64(s) * 3_000))
        }
      }
    }
    let newcomers = [
      pay("acct20", "shopA", 450, 42 * day), pay("acct21", "shopA", 450, 42 * day + 3_600),
      pay("acct20", "shopB", 450, 42 * day + 7_200), pay("acct21", "shopB", 450, 42 * day + 10_800),
    ]
    var f = decided(SumKeeperStream.events(with: shopping))
    let decisions = newcomers.map { f.decide($0) }
    #expect(decisions.allSatisfy { $0.verdict == .admit }, "\(decisions.flatMap(\.reasons))")
    // Two others paying 4.50 to two accounts with no such habit is a block.
    let elsewhere = [
      pay("acct22", "kiosk", 450, 43 * day), pay("acct23", "kiosk", 450, 43 * day + 3_600),
      pay("acct22", "stall", 450, 43 * day + 7_200), pay("acct23", "stall", 450, 43 * day + 10_800),
    ]
    #expect(elsewhere.map { f.decide($0) }.last?.verdict == .hold)
  }

  @Test func shoppersPayingTwoAccountsOneSumAmongTheirPricesAreAdmitted() {
    // Where people pay a new sum each time, two of them paying the same
    // two people 300.00 within hours (a shared bill twice) is no rarity.
    var f = decided(SumKeeperStream.events(keepingSums: false))
    let decisions = layer(["acct1", "acct2"], to: ["acct3", "acct4"], cents: 30_000, start: 41).map { f.decide($0) }
    #expect(decisions.allSatisfy { $0.verdict == .admit }, "\(decisions.flatMap(\.reasons))")
  }
}
