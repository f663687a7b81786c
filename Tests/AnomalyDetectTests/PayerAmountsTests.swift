import Foundation
import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

/// A payer's own amounts beside the background's: its rate of new amounts,
/// to the set, the chance it gives, and what it changes for relay chains.
@Suite struct PayerAmountsTests {
  typealias Flows = StructuredFlowDetectorTests

  /// `accounts` accounts, each paying its own habitual sum (cents in
  /// `habits`, drawn per account) to others about every three weeks for 120
  /// days, as AMLSim's normal accounts do; with `varied`, a new sum each
  /// time instead, as people paying for purchases do; with `wobbling`, up
  /// to 1 % more than that each time (a wage with overtime, a bill).
  static func habitBackground(
    accounts: Int = 200, habits: ClosedRange<Int64> = 25_000...35_000, varied: Bool = false, wobbling: Bool = false,
    seed: UInt64 = 9
  ) -> SignalSet {
    var set = SignalSet()
    var random = SplitMix64(seed: seed)
    var id = 0
    for a in 0..<accounts {
      let habit = habits.lowerBound + Int64(random.next() % UInt64(habits.count))
      var d = Int64(random.next() % 20)
      while d < 120 {
        id += 1
        let to = (a + 1 + Int(random.next() % UInt64(accounts - 1))) % accounts
        var cents = varied ? habits.lowerBound + Int64(random.next() % UInt64(habits.count)) : habit
        if wobbling { cents += Int64(random.next() % UInt64(habit / 100)) }
        set.addPayment(
          id: "b\(id)", source: "h\(a)", target: "h\(to)", amount: Amount(micros: cents * 10_000),
          time: Flows.start + d * Flows.day)
        d += 15 + Int64(random.next() % 10)
      }
    }
    return set
  }

  func habits(_ set: SignalSet) -> PayerAmounts { PayerAmounts(PaymentTransfers(set, bucketSeconds: 86_400)) }

  @Test func payersWhoRepeatTheirAmountsHaveALowRateOfNewOnes() throws {
    var set = Self.habitBackground()
    // Roommates splitting bills pay a new sum every time, among people who never do.
    for week in Int64(0)..<10 { Flows.pay(&set, "roommate", "h1", cents: 1_500 + week * 777, day: week * 7) }
    let h = habits(set)
    #expect(h.setRate < 0.05)  // a few of the background's later transfers only
    let regular = try #require(set.accounts.ids.index(of: "h0"))
    let roommate = try #require(set.accounts.ids.index(of: "roommate"))
    #expect(h.newAmountRate(of: regular) < 0.05)
    // Nine new of nine after the first, shrunk a little towards the set's rate.
    let expected = (9 + AmountHabit.priorWeight * h.setRate) / (9 + AmountHabit.priorWeight)
    #expect(abs(h.newAmountRate(of: roommate) - expected) < 1e-12)
    #expect(h.newAmountRate(of: roommate) > 0.8)
    let varied = habits(Self.habitBackground(varied: true))
    #expect(varied.setRate > 0.7)
  }

  @Test func aHabitMakesItsAmountRoutineAndOthersRare() throws {
    var set = Self.habitBackground()
    // regular pays 400.00 to five accounts; newcomer pays once.
    for d in 0..<5 { Flows.pay(&set, "regular", "h\(d + 1)", cents: 40_000, day: 20 * Int64(d)) }
    Flows.pay(&set, "newcomer", "h1", cents: 40_000, day: 3)
    let h = habits(set)
    let regular = try #require(set.accounts.ids.index(of: "regular"))
    let newcomer = try #require(set.accounts.ids.index(of: "newcomer"))
    let q = 0.02
    let h1 = try #require(set.accounts.ids.index(of: "h1"))
    let own = h.share(of: regular, to: h1, pairTransfers: 1, in: 399_000_000...401_000_000, background: q)
    let elsewhere = h.share(of: regular, to: h1, pairTransfers: 1, in: 299_000_000...301_000_000, background: q)
    #expect(own > 0.95)  // all four others at that sum
    #expect(abs(elsewhere - q * h.newAmountRate(of: regular)) < 1e-12)
    #expect(elsewhere < q / 50)
    // No history: the background's share alone.
    #expect(
      abs(h.share(of: newcomer, to: h1, pairTransfers: 1, in: 399_000_000...401_000_000, background: q) - q) < 1e-12)
  }

  /// `members` pass a sum on along a chain, each keeping 1 %, every few days.
  static func chain(_ set: inout SignalSet, _ members: [String], cents: Int64, day: Int64) {
    var amount = cents, d = day
    for (from, to) in zip(members, members.dropFirst()) {
      Flows.pay(&set, from, to, cents: amount, day: d)
      amount = amount * 99 / 100
      d += 3
    }
  }

  func flagged(_ set: SignalSet) -> Set<String> {
    let found = StructuredFlowDetector().findings(in: set, graph: GraphIndex(set))
    return Set(found.flatMap { $0.accounts.map { set.accounts.ids[$0] } })
  }

  @Test func aShortChainOffEveryRelayersHabitIsFoundInACrowdedBand() {
    // 300.00 → 297.00 → 294.03 → 291.09 in the band every habit crowds:
    // by the background alone, three such relays are common enough; off the
    // habits of accounts that pay one sum to everyone, they are not.
    var set = Self.habitBackground()
    Self.chain(&set, ["h10", "h20", "h30", "h40", "h50", "h60"], cents: 30_000, day: 50)
    #expect(flagged(set) == ["h10", "h20", "h30", "h40", "h50", "h60"])
  }

  @Test func theSameChainAmongPeoplePayingVariedSumsIsNotFound() {
    // Where people pay a new sum every time, a new sum says nothing.
    var set = Self.habitBackground(varied: true)
    Self.chain(&set, ["h10", "h20", "h30", "h40", "h50"], cents: 30_000, day: 50)
    #expect(flagged(set).isEmpty)
  }

  @Test func relayersPayingTheirOwnHabitualSumsAreNotAChain() {
    // h20 and h30 pay 297.00 and 294.03 to everyone anyway: what they paid
    // on is their routine, not what they received.
    var set = Self.habitBackground()
    for d in stride(from: 5, to: 120, by: 20) {
      Flows.pay(&set, "h20", "h\(60 + d / 20)", cents: 29_700, day: Int64(d))
      Flows.pay(&set, "h30", "h\(70 + d / 20)", cents: 29_403, day: Int64(d))
    }
    Self.chain(&set, ["h10", "h20", "h30", "h40", "h50"], cents: 30_000, day: 50)
    #expect(flagged(set).isEmpty)
  }
}
