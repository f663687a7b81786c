import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

/// Fan-ins: several senders paying one account near-equal sums off their
/// own habits, against the honest crowds that pay one account equal sums.
@Suite struct FanInsTests {
  typealias Flows = StructuredFlowDetectorTests
  typealias Background = PayerAmountsTests

  /// The fan-in seeds of `set`, each as the set of its senders' ids.
  func fanIns(_ set: SignalSet) -> [Set<String>] {
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    let amounts = AmountDistribution(set.payments.amountMicros)
    let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
    var memo = GatheringHubs.Habits(accounts: set.accounts.count)
    return FanIns(hubs: hubs, habits: PayerAmounts(transfers)).seeds(habits: &memo).map { seed in
      Set(seed.transfers.map { set.accounts.ids[transfers.source[$0]] })
    }
  }

  /// Six of the background's accounts pay `collector` near-equal sums
  /// (±1 % around `cents`) over `days` days.
  func plantFanIn(_ set: inout SignalSet, cents: Int64 = 171_300, days: Int64 = 20, senders: Int = 6) {
    for i in 0..<senders {
      let jitter = Int64(i % 3 - 1) * cents / 100
      Flows.pay(&set, "h\(10 + i * 7)", "collector", cents: cents + jitter, day: 40 + Int64(i) * days / Int64(senders))
    }
  }

  @Test func payersOffTheirHabitsFanningIntoOneAccountAreASeed() throws {
    var set = Background.habitBackground()
    plantFanIn(&set)
    let found = fanIns(set)
    #expect(found.count == 1)
    let senders = Set((0..<6).map { "h\(10 + $0 * 7)" })
    #expect(try #require(found.first) == senders)
  }

  @Test func theDetectorNamesAFanIn() throws {
    var set = Background.habitBackground()
    plantFanIn(&set)
    let findings = Flows().findings(set)
    let fan = try #require(findings.first { $0.accounts.count == 7 })
    #expect(Flows().typology(fan) == "fan_in")
    guard case let .object(evidence) = fan.evidence else { throw Failure.noEvidence }
    #expect(evidence["fan_ins"] == .integer(1))
    #expect(findings.count == 1)
  }

  @Test func aFanInOfACommonSumIsFoundAmongPayersWhoKeepToTheirOwn() {
    // 300.00 lies in the background's own band, and the collector is busy:
    // customers pay it what they bought, 150.00 to 450.00 (none near 300.00), 32 times before the fan-in
    // and during it. Only the senders' habits (each keeps to a sum of its
    // own) make five of them paying it 300.00 rare.
    func busyCollector(varied: Bool) -> SignalSet {
      var set = Background.habitBackground(varied: varied)
      for i in Int64(0)..<40 {
        let cents = i % 8 < 4 ? 15_000 + (i % 4) * 3_000 : 36_000 + (i % 4) * 3_000
        Flows.pay(&set, "c\(i)", "collector", cents: cents, day: i < 32 ? i / 4 : 6 + i)
      }
      plantFanIn(&set, cents: 30_000, days: 10, senders: 5)
      return set
    }
    #expect(fanIns(busyCollector(varied: false)).count == 1)
    // The same among people who pay a new sum every time is chance.
    #expect(fanIns(busyCollector(varied: true)).isEmpty)
  }

  /// Everyone's sums crowd 280.00 to 320.00; five sum-keepers of sums far
  /// above (500.00 and more, each its own, paid to three accounts around
  /// the fan-in) pay `collector`, who has received nothing else, 300.00
  /// (±1 %) over 20 days.
  func crowdedBandFanIn() -> SignalSet {
    var set = Background.habitBackground(habits: 28_000...32_000)
    for i in 0..<5 {
      for (j, day) in [Int64(5), 25, 80].enumerated() {
        Flows.pay(&set, "keeper\(i)", "h\(i * 3 + j)", cents: 50_000 + Int64(i) * 1_000, day: day)
      }
      Flows.pay(&set, "keeper\(i)", "collector", cents: 30_000 + Int64(i % 3 - 1) * 300, day: 40 + Int64(i) * 4)
    }
    return set
  }

  @Test func aFanInIntoANewAccountInACrowdedBandIsFoundAmongPayersWhoKeepToTheirOwn() throws {
    // The collector's habit is unknown, and a sum lands in the band by
    // chance often here; but it is the senders who choose their sums, and
    // these five keep to their own: five of them paying it 300.00 is rare,
    // where no account here receives one sum from several senders.
    #expect(try #require(fanIns(crowdedBandFanIn()).first) == Set((0..<5).map { "keeper\($0)" }))
  }

  @Test func friendsChippingInForANewAccountAreChanceWhereThatIsCommon() {
    // The same five, where forty other accounts each received one sum from
    // five of the background's sum-keepers (presents chipped in for):
    // receiving one sum from several senders is common here, and a new
    // account receiving 300.00 from five is no fan-in.
    var set = crowdedBandFanIn()
    for present in 0..<40 {
      let share = Int64(40_000 + present * 500)
      for friend in 0..<5 {
        Flows.pay(
          &set, "h\(100 + (present * 5 + friend) % 90)", "p\(present)", cents: share, day: 2 + Int64(present) * 3)
      }
    }
    #expect(fanIns(set).isEmpty)
  }

  @Test func sendersPayingTheCollectorAgainSumsThatDifferStillMakeAFanIn() {
    // Three sum-keepers pay a collector near-equal sums that differ (1 %
    // apart), then each pays it another. Read as three senders among six
    // transfers, the repeats would only dilute the coincidence; where people
    // pay each payee one sum, each weighs as another sender does.
    let sums: [Int64] = [30_000, 30_300, 29_700, 30_150, 29_850, 30_225]
    func collected(_ count: Int) -> [Set<String>] {
      var set = Background.habitBackground()
      for (i, cents) in sums.prefix(count).enumerated() {
        Flows.pay(&set, "h\(10 + (i % 3) * 7)", "collector", cents: cents, day: 40 + Int64(i) * 3)
      }
      return fanIns(set)
    }
    #expect(collected(3) == [["h10", "h17", "h24"]])
    #expect(collected(6) == [["h10", "h17", "h24"]])
  }

  @Test func tooFewOrTooSpreadSendersAreNotASeed() {
    var few = Background.habitBackground()
    plantFanIn(&few, senders: 2)
    #expect(fanIns(few).isEmpty)
    // Six senders, but across three months: no window of 25 days holds three.
    var slow = Background.habitBackground()
    for i in 0..<6 { Flows.pay(&slow, "h\(10 + i * 7)", "collector", cents: 171_300, day: Int64(i) * 27) }
    #expect(fanIns(slow).isEmpty)
  }

  @Test func aShopsCustomersPayingItsPriceAreItsHabitNotAFanIn() {
    var set = Background.habitBackground()
    // The shop sold at its price before the window as well.
    for i in 0..<12 { Flows.pay(&set, "h\(100 + i)", "shop", cents: 171_300, day: Int64(i) * 3) }
    plantFanIn(&set, senders: 6)  // the same price, to `collector`...
    for i in 0..<6 { Flows.pay(&set, "h\(150 + i)", "shop", cents: 171_300, day: 40 + Int64(i) * 3) }
    let found = fanIns(set)
    #expect(found.count == 1)  // ...is a fan-in; the shop's customers are not
    #expect(!(found.first ?? []).contains("h150"))
  }

  @Test func aReceiptOfTheBandFromASenderPayingItsOwnSumIsNoPriceOfTheHubs() throws {
    // Besides the fan-in the collector was paid 1 713.00 once, by an
    // account that pays 1 713.00 to everyone: that sum was the sender's
    // choice, not a price the collector sets, and one such receipt among
    // two makes no habit of the band.
    var set = Background.habitBackground()
    plantFanIn(&set)
    Flows.pay(&set, "h5", "collector", cents: 30_000, day: 100)
    for (i, day) in [Int64(90), 100, 110].enumerated() {
      Flows.pay(&set, "regular", "h\(100 + i)", cents: 171_300, day: day)
    }
    Flows.pay(&set, "regular", "collector", cents: 171_300, day: 105)
    #expect(try #require(fanIns(set).first) == Set((0..<6).map { "h\(10 + $0 * 7)" }))
    // Paid it by two strangers paying it a sum new to them (its price), it
    // may set that sum: the six are no longer unusual.
    for (i, day) in [Int64(95), 115].enumerated() {
      Flows.pay(&set, "h\(150 + i)", "collector", cents: 171_300, day: day)
    }
    #expect(fanIns(set).isEmpty)
  }

  @Test func tenantsPayingMonthlyRentAreRoutine() {
    // The rent rises every month, so the landlord's earlier months are no
    // habit of this month's sum: only the pairs' routine keeps them out.
    var set = Background.habitBackground()
    for month in Int64(0)..<4 {
      for i in 0..<6 {
        Flows.pay(&set, "h\(10 + i * 7)", "landlord", cents: 171_300 + month * 9_000, day: month * 30 + Int64(i))
      }
    }
    #expect(fanIns(set).isEmpty)
  }

  @Test func friendsWhoPayNewSumsAllTheTimeSplittingABillAreChance() {
    // People paying what each purchase costs: equal shares of one bill,
    // four friends' worth, are what the background gives by chance.
    var set = Background.habitBackground(varied: true)
    for i in 0..<4 { Flows.pay(&set, "h\(10 + i * 7)", "host", cents: 30_000, day: 50) }
    #expect(fanIns(set).isEmpty)
  }

  @Test func equalSharesAreChanceWhereSplittingBillsIsCommon() {
    // People paying varied sums, who also split bills: ten dinners, each
    // host paid an equal share by three friends. The set's rate of an
    // account receiving the sum it just received from someone else says
    // how often honest people pay one account one sum; one more dinner is
    // no fan-in.
    var set = Background.habitBackground(varied: true)
    for dinner in 0..<11 {
      let share = Int64(2_000 + dinner * 731)
      for friend in 0..<3 {
        Flows.pay(&set, "d\(dinner)f\(friend)", "host\(dinner)", cents: share, day: 20 + Int64(dinner) * 9)
      }
    }
    #expect(fanIns(set).isEmpty)
  }

  @Test func aFanInOfASumNobodyPaysIsFoundWhereEveryonesSumsCrowdOneFee() throws {
    // Four payments in five are one 10.00 fee: accounts receive the sum
    // they just received from someone else all the time, by chance, which
    // the fee's own share says. Six senders paying a stranger 1 713.00,
    // far above what anyone pays, share no fee.
    var set = GatheringHubsTests.commonFeeBackground()
    plantFanIn(&set)
    let found = fanIns(set)
    #expect(found.count == 1)
    #expect(try #require(found.first) == Set((0..<6).map { "h\(10 + $0 * 7)" }))
  }

  @Test func theRateOfSharingASumIsWhatChanceDoesNotGive() {
    func shared(_ set: SignalSet) -> (raw: Double, rate: Double) {
      let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
      let units = transfers.incoming.edges.map { transfers.unitMicros[Int($0)] }
      let counts = FanIns.sharedUnits(
        transfers, units: units, amounts: AmountDistribution(set.payments.amountMicros))
      return (Double(counts.totalShared) / Double(counts.totalPairs), counts.rate(leavingOut: 0))
    }
    // One common fee: shared by chance, nearly all of it.
    let fees = shared(GatheringHubsTests.commonFeeBackground())
    #expect(fees.raw > 0.3 && fees.rate < 0.05)
    // Bills split equally among friends, each a sum of its own: sharing
    // that no amount's crowding explains is kept.
    var dinners = Background.habitBackground(varied: true)
    for dinner in 0..<30 {
      for friend in 0..<3 {
        Flows.pay(
          &dinners, "d\(dinner)f\(friend)", "host\(dinner)", cents: Int64(2_000 + dinner * 731), day: Int64(dinner) * 3)
      }
    }
    let split = shared(dinners)
    #expect(split.rate > 0.5 * split.raw && split.rate > 0.01)
  }

  @Test func payersPayingTheirHabitualSumAreNotCounted() {
    // Among people paying varied sums, six pay 500.00 to everyone, and once
    // to one hub: their habit, not a fan-in.
    var set = Background.habitBackground(varied: true)
    for i in 0..<6 {
      for (d, to) in [(Int64(0), "x"), (10, "y"), (20, "z")] {
        Flows.pay(&set, "p\(i)", "\(to)\(i)", cents: 50_000, day: d)
      }
      Flows.pay(&set, "p\(i)", "hub", cents: 50_000, day: 30 + Int64(i))
    }
    #expect(fanIns(set).isEmpty)
  }

  enum Failure: Error { case noEvidence }
}
