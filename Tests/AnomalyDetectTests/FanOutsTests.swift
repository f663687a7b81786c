import Foundation
import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

/// Fan-outs: one account paying several receivers near-equal sums off its
/// own habit, against the honest crowds that pay several people one sum.
@Suite struct FanOutsTests {
  typealias Flows = StructuredFlowDetectorTests
  typealias Background = PayerAmountsTests

  /// The fan-out seeds of `set`, each as the set of its receivers' ids,
  /// the set's hand-on rate read without the accounts `explained`.
  func fanOuts(_ set: SignalSet, explained: Set<String> = []) -> [Set<String>] {
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    let amounts = AmountDistribution(set.payments.amountMicros)
    let hubs = GatheringHubs(transfers: transfers, amounts: amounts, window: 25, skim: 0.1, alpha: 0.01)
    var memo = GatheringHubs.Habits(accounts: set.accounts.count)
    let leftOut =
      explained.isEmpty ? [] : (0..<Int32(set.accounts.count)).map { explained.contains(set.accounts.ids[$0]) }
    return FanOuts(hubs: hubs, habits: PayerAmounts(transfers)).seeds(habits: &memo) { _ in leftOut }.map { seed in
      Set(seed.transfers.map { set.accounts.ids[transfers.target[$0]] })
    }
  }

  /// `payer` pays `receivers` new accounts near-equal sums (±1 % around
  /// `cents`) over `days` days from day 40.
  func plantFanOut(
    _ set: inout SignalSet, from payer: String = "h10", cents: Int64 = 171_300, days: Int64 = 20, receivers: Int = 6
  ) {
    for i in 0..<receivers {
      let jitter = Int64(i % 3 - 1) * cents / 100
      Flows.pay(&set, payer, "m\(i)", cents: cents + jitter, day: 40 + Int64(i) * days / Int64(receivers))
    }
  }

  /// Expects `set`'s fan-outs to be one seed, of the six mules ``plantFanOut(_:from:cents:days:receivers:)`` pays.
  func expectOneSeedOfTheMules(_ set: SignalSet, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let found = fanOuts(set)
    #expect(found.count == 1, sourceLocation: sourceLocation)
    let seed = try #require(found.first, sourceLocation: sourceLocation)
    #expect(seed == Set((0..<6).map { "m\($0)" }), sourceLocation: sourceLocation)
  }

  @Test func aPayerOffItsHabitFanningOutToSeveralAccountsIsASeed() throws {
    var set = Background.habitBackground()
    plantFanOut(&set)
    try expectOneSeedOfTheMules(set)
  }

  @Test func theDetectorNamesAFanOut() throws {
    var set = Background.habitBackground()
    plantFanOut(&set)
    let findings = Flows().findings(set)
    let fan = try #require(findings.first { $0.accounts.contains(set.accounts.ids.index(of: "m0")!) })
    #expect(Flows().typology(fan) == "fan_out")
    guard case let .object(evidence) = fan.evidence else { throw FanInsTests.Failure.noEvidence }
    #expect(evidence["fan_outs"] == .integer(1))
    #expect(findings.count == 1)
  }

  @Test func aFanOutOfACommonSumIsFoundFromAPayerWhoKeepsToItsOwn() {
    // 300.00 lies in the background's own band (250.00 to 350.00): only
    // the payer's habit (it keeps to a sum of its own) makes five
    // receivers of 300.00 from it rare.
    var keepers = Background.habitBackground()
    plantFanOut(&keepers, cents: 30_000, days: 10, receivers: 5)
    #expect(fanOuts(keepers).count == 1)
    // The same from a busy payer who pays a new sum every time (a shopper,
    // a purchase a day in the background's band) is chance: among the 30
    // transfers of the window, C(n, k) ways to find five of one sum.
    var shopper = Background.habitBackground(varied: true)
    for d in Int64(30)..<60 {
      Flows.pay(&shopper, "h10", "shop\(d)", cents: 25_000 + (d * 3_719) % 10_000, day: d)
    }
    plantFanOut(&shopper, cents: 30_000, days: 10, receivers: 5)
    #expect(fanOuts(shopper).isEmpty)
  }

  @Test func receiversPaidTwiceByTheFanOutStillCount() throws {
    // Six mules, each paid one sum twice by h10 within the window: the
    // fan-out's own payments are all they receive, so their "habit" is
    // h10's sum. A habit is a sum taken from two payers at least; one
    // payer's repeats are that pair's business, and the mules count.
    var set = Background.habitBackground()
    for i in 0..<6 {
      let cents = Int64(171_300 + (i % 3 - 1) * 1_713)
      for again in Int64(0)..<2 { Flows.pay(&set, "h10", "m\(i)", cents: cents, day: 40 + Int64(i) * 3 + again * 4) }
    }
    try expectOneSeedOfTheMules(set)
    // Where two other payers pay each mule that sum too, it is what the
    // mules are always paid: a crowd's habit, matched by chance.
    for i in 0..<6 {
      let cents = Int64(171_300 + (i % 3 - 1) * 1_713)
      for other in 0..<2 { Flows.pay(&set, "payer\(i)\(other)", "m\(i)", cents: cents, day: Int64(5 + other)) }
    }
    #expect(fanOuts(set).isEmpty)
  }

  @Test func receiversPaidNearEqualSumsAgainAddToAFanOut() {
    // A newcomer pays three accounts near-equal sums that differ (2 %
    // apart), then each of them another. Three such sums are common;
    // where people pay each payee one sum, three receivers paid again a
    // sum that differs are as unlikely as three more receivers.
    let sums: [Int64] = [30_000, 30_600, 29_400, 30_300, 29_700, 30_450]
    func newcomer(paying count: Int) -> SignalSet {
      var set = Background.habitBackground()
      for (i, cents) in sums.prefix(count).enumerated() {
        Flows.pay(&set, "newcomer", "m\(i % 3)", cents: cents, day: 40 + Int64(i) * 3)
      }
      return set
    }
    #expect(fanOuts(newcomer(paying: 3)).isEmpty)
    #expect(fanOuts(newcomer(paying: 6)) == [["m0", "m1", "m2"]])
  }

  @Test func friendsPaidAboutTheSameEachTimeAreNoFanOut() {
    // Where people pay their three friends about the same each time
    // (shared bills, up to 1 % apart), a newcomer paying three friends
    // near-equal sums twice does what everyone does.
    var set = SignalSet()
    var random = SplitMix64(seed: 5)
    for a in 0..<150 {
      let share = 25_000 + Int64(random.next() % 10_000)
      for round in Int64(0)..<8 {
        for f in 1...3 {
          let cents = share + Int64(random.next() % UInt64(share / 100))
          Flows.pay(&set, "f\(a)", "f\((a + f * 7) % 150)", cents: cents, day: round * 12 + Int64(f))
        }
      }
    }
    for (i, cents) in [30_000, 30_600, 29_400, 30_300, 29_700, 30_450].enumerated() {
      Flows.pay(&set, "newcomer", "f\(i % 3)", cents: Int64(cents), day: 40 + Int64(i) * 3)
    }
    #expect(fanOuts(set).isEmpty)
  }

  @Test func aPayeePaidAgainASumWithinOnePercentButNotToTheCentIsAVariedRepeat() {
    var set = SignalSet()
    for (day, cents) in [(0, 10_000), (1, 10_000), (2, 10_050), (3, 15_000)] {
      Flows.pay(&set, "a", "b", cents: Int64(cents), day: Int64(day))
    }
    Flows.pay(&set, "a", "c", cents: 10_020, day: 4)
    let repeats = PayerAmounts.variedPayeeRepeats(PaymentTransfers(set, bucketSeconds: 86_400))
    let a = Int(set.accounts.ids.index(of: "a")!)
    // b paid again three times: to the cent, 0.5 % more, half as much again.
    #expect(repeats.pairs[a] == 3)
    #expect(repeats.shared[a] == 1)
    #expect(repeats.totalPairs == 3 && repeats.totalShared == 1)
  }

  @Test func tooFewOrTooSpreadReceiversAreNotASeed() {
    var few = Background.habitBackground()
    plantFanOut(&few, receivers: 2)
    #expect(fanOuts(few).isEmpty)
    // Six receivers, but across five months: no window of 25 days holds three.
    var slow = Background.habitBackground()
    for i in 0..<6 { Flows.pay(&slow, "h10", "m\(i)", cents: 171_300, day: Int64(i) * 27) }
    #expect(fanOuts(slow).isEmpty)
  }

  @Test func anEmployerPayingMonthlyWagesIsRoutine() {
    // The wage rises every month, so earlier months are no habit of this
    // month's sum: only the pairs' routine keeps them out.
    var set = Background.habitBackground()
    for month in Int64(0)..<4 {
      for i in 0..<6 {
        Flows.pay(&set, "h10", "staff\(i)", cents: 171_300 + month * 9_000, day: month * 30 + Int64(i))
      }
    }
    #expect(fanOuts(set).isEmpty)
  }

  @Test func aPayerPayingItsHabitualSumToManyIsNotAFanOut() {
    // h10 pays 1 713.00 to everyone: before the window as in it.
    var set = Background.habitBackground()
    for i in 0..<5 { Flows.pay(&set, "h10", "old\(i)", cents: 171_300, day: Int64(i) * 4) }
    plantFanOut(&set)
    #expect(fanOuts(set).isEmpty)
  }

  @Test func aFanOutJustBelowThePayersOwnSumIsNotReadAsItsHabit() throws {
    // h10 pays 1 800.00 to someone new every ten days, all along; its
    // fan-out of 1 713.00 (±1 %) lies within a band's width of that. A band
    // stretched over both would hold the most receivers, and read the
    // fan-out as h10's habit: its own sum, paid before the window, joins
    // no group.
    var set = Background.habitBackground()
    for i in Int64(0)..<13 { Flows.pay(&set, "h10", "old\(i)", cents: 180_000, day: i * 10 + 1) }
    plantFanOut(&set)
    try expectOneSeedOfTheMules(set)
  }

  @Test func aFanOutBesideASumThePayerTakesUpAndKeepsIsNotReadAsItsHabit() throws {
    // h10 takes up 1 800.00 during its fan-out (day 50) and pays it to
    // someone new every ten days until day 120: long after the window, so
    // its own, as a sum paid before would be.
    var set = Background.habitBackground()
    for i in Int64(0)..<8 { Flows.pay(&set, "h10", "new\(i)", cents: 180_000, day: 50 + i * 10) }
    plantFanOut(&set)
    try expectOneSeedOfTheMules(set)
    // A fan-out whose own payments run past its window's end (one more
    // mule, paid a day after it) is still found from its first day.
    Flows.pay(&set, "h10", "m6", cents: 171_300, day: 40 + 26)
    #expect(fanOuts(set).count == 1)
  }

  @Test func anAccountWithNoHistoryPayingOneSumIsNotReadAsOffItsHabit() {
    // A new employer's first wages, one sum to the cent: all it has ever paid.
    var set = Background.habitBackground()
    for i in 0..<6 { Flows.pay(&set, "newcomer", "m\(i)", cents: 171_300, day: 40 + Int64(i) * 3) }
    #expect(fanOuts(set).isEmpty)
  }

  @Test func aStructuresOwnTransfersAreNoHabitOfItsPayer() throws {
    // A newcomer pays its three staff one wage to the cent, all it paid
    // before it and h11 took a stack's layer weeks later: three near-equal
    // sums new to it, to three accounts. Those are the scheme's, not the
    // newcomer's habit; read as its habit, they would make the wage look
    // off-habit and its staff a fan-out.
    var set = Background.habitBackground()
    for i in 0..<3 { Flows.pay(&set, "newcomer", "s\(i)", cents: 171_300, day: 10 + Int64(i) * 8) }
    BipartiteBlocksTests().payLayer(&set, ["newcomer", "h11"], to: ["m0", "m1", "m2"], day: 60)
    let flagged = Set(Flows().findings(set).flatMap { $0.accounts.map { set.accounts.ids[$0] } })
    #expect(flagged.isSuperset(of: ["newcomer", "h11", "m0", "m1", "m2"]))
    #expect(flagged.isDisjoint(with: ["s0", "s1", "s2"]), "\(flagged.sorted())")
  }

  @Test func aNewcomerPayingNearEqualSumsThatDifferIsAFanOutWherePeopleRepeatTheirSumsToTheCent() throws {
    // Its six sums lie within 1 % of one another but differ (three of
    // them): where everyone repeats a sum to the cent, no habit of one sum
    // explains them, though the newcomer has no history to read.
    var set = Background.habitBackground()
    plantFanOut(&set, from: "newcomer")
    try expectOneSeedOfTheMules(set)
    // Where people's sums vary a little from one payment to the next (a
    // wage with overtime, a bill), they are one sum repeated, as likely as
    // ever: no fan-out.
    var wobbling = Background.habitBackground(wobbling: true)
    plantFanOut(&wobbling, from: "newcomer")
    #expect(fanOuts(wobbling).isEmpty)
  }

  @Test func aSumThePayerKeepsToTheCentWithinAFanOutsBandIsNoPartOfIt() throws {
    // The newcomer pays three people 1 700.00 to the cent (its own sum)
    // among the mules' near-equal sums, within a band's width of them: the
    // six are the fan-out, the three are not.
    var set = Background.habitBackground()
    for i in 0..<3 { Flows.pay(&set, "newcomer", "own\(i)", cents: 170_000, day: 41 + Int64(i) * 6) }
    plantFanOut(&set, from: "newcomer")
    try expectOneSeedOfTheMules(set)
  }

  @Test func keptSumsArePaidToTheCentThreeTimesBesideSumsThatDiffer() {
    var set = SignalSet()
    for (i, cents) in [Int64(1_000), 1_000, 1_000, 1_010, 990, 995, 995].enumerated() {
      Flows.pay(&set, "payer", "r\(i)", cents: cents, day: Int64(i))
    }
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    func kept(_ members: [Int]) -> [Int64] { FanOuts.keptSums(members, transfers: transfers) }
    #expect(kept(Array(0..<5)) == [10_000_000])
    // Twice is a scheme's round figure; beside one other sum, or none, no sums vary.
    #expect(kept([0, 1, 3, 4]).isEmpty)
    #expect(kept([0, 1, 2, 3]).isEmpty)
    #expect(kept([0, 1, 2]).isEmpty)
    // Beside a sum paid twice and one once, the three are still its own.
    #expect(kept(Array(0..<7)) == [10_000_000])
  }

  @Test func aNewcomerKeepingASumOfItsOwnBesideItsFanOutIsAFanOut() throws {
    // Everything the newcomer pays lies within the fan-out's days, so no
    // day outside them gives it a history; but it pays three people 250.00
    // to the cent meanwhile, as everyone here keeps to a sum. The fan-out's
    // 1 713.00 is then not its only sum, and is read against that habit.
    var set = Background.habitBackground()
    for (i, day) in [Int64(41), 48, 55].enumerated() { Flows.pay(&set, "newcomer", "h\(i)", cents: 25_000, day: day) }
    plantFanOut(&set, from: "newcomer")
    try expectOneSeedOfTheMules(set)
  }

  @Test func aNewcomerPayingOneSumToManyBesideABurstOfNearEqualOnesIsNoFanOut() throws {
    // The mirror: the newcomer pays six people 1 713.00 to the cent (a sum
    // it keeps to) beside three near-equal sums of 250.00 or so (a scheme's
    // burst it takes part in, or shares of a bill): those differ, so they
    // are no habit of its own that would make the six unusual.
    var set = Background.habitBackground()
    for (i, cents) in [Int64(25_000), 25_150, 24_920].enumerated() {
      Flows.pay(&set, "newcomer", "h\(i)", cents: cents, day: 41 + Int64(i) * 7)
    }
    for i in 0..<6 { Flows.pay(&set, "newcomer", "m\(i)", cents: 171_300, day: 40 + Int64(i) * 3) }
    #expect(fanOuts(set).isEmpty)
    // Read alone, the three near-equal sums keep to none; the six do.
    let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
    let out = transfers.outgoing.edges(of: try #require(set.accounts.ids.index(of: "newcomer")))
    let equal = out.filter { transfers.unitMicros[Int($0)] == 1_713_000_000 }
    #expect(equal.count == 6 && FanOuts.keepsOneSum(Array(out), transfers: transfers))
    #expect(!FanOuts.keepsOneSum(out.filter { !equal.contains($0) }, transfers: transfers))
  }

  @Test func aNewcomerPayingARareSumIsAFanOutWhereOnlyACommonFeeRepeats() throws {
    // Most payments here are one 10.00 fee, so consecutive payments repeat
    // often, by chance: no habit that would explain six equal sums of
    // 1 713.00, far above what anyone pays, from an account with no history.
    var set = GatheringHubsTests.commonFeeBackground()
    plantFanOut(&set, from: "newcomer")
    try expectOneSeedOfTheMules(set)
  }

  @Test func aPayerThatHandsItsNewSumsRoundIsNotAFanOut() {
    // A treasurer refunding members: before the window it twice paid a
    // new sum to one member and straight after to another.
    var set = Background.habitBackground()
    for (i, cents) in [Int64(52_100), 83_700].enumerated() {
      for j in 0..<2 { Flows.pay(&set, "h10", "member\(i)\(j)", cents: cents, day: Int64(i * 8 + j)) }
    }
    plantFanOut(&set, receivers: 4)
    #expect(fanOuts(set).isEmpty)
  }

  @Test func aPayerHandsSumsOnByHabitOnlyWhenTheSetsRateMakesItsCountUnlikely() {
    // At a set's rate of 0.35 %, one hand-on among 22 pairs happens 7 % of
    // the time (a coincidence, fixtures/fan-out-newcomers' newcomer); two,
    // 0.3 % (a treasurer's habit). At 0.1 %, one among five is 0.5 %.
    #expect(!FanOuts.handsOnByHabit(0, of: 22, setRate: 0.0035))
    #expect(!FanOuts.handsOnByHabit(1, of: 22, setRate: 0.0035))
    #expect(FanOuts.handsOnByHabit(2, of: 22, setRate: 0.0035))
    #expect(FanOuts.handsOnByHabit(1, of: 5, setRate: 0.001))
    #expect(!FanOuts.handsOnByHabit(3, of: 10, setRate: 0.2))
  }

  /// Each of the habit background's payers `bosses` pays eight new
  /// accounts one sum new to it, a sum of its own: a scheme's fan-outs,
  /// each handing its new sum on once.
  func plantSchemeFanOuts(_ set: inout SignalSet, bosses: Range<Int>) -> Set<String> {
    var accounts: Set<String> = []
    for b in bosses {
      for i in 0..<8 {
        Flows.pay(&set, "h\(b)", "h\(b)m\(i)", cents: 60_000 + Int64(b) * 1_500, day: 30 + Int64(i))
        accounts.insert("h\(b)m\(i)")
      }
      accounts.insert("h\(b)")
    }
    return accounts
  }

  @Test func theSetsHandOnRateIsReadWithoutTheSchemesFound() throws {
    // Thirty of sixty sum-keepers fan out for a scheme; one more pays
    // five mules. Counted over every payer, the scheme's own hand-ons make
    // handing a new sum on look common, and excuse the five.
    var set = Background.habitBackground(accounts: 60)
    let scheme = plantSchemeFanOuts(&set, bosses: 30..<60)
    plantFanOut(&set, receivers: 5)
    let mules = Set((0..<5).map { "m\($0)" })
    let everyPayer = fanOuts(set)
    #expect(everyPayer.count == 30)
    #expect(!everyPayer.contains(mules))
    // Read from the payers outside the scheme, it is rare: the five are a fan-out.
    let outside = fanOuts(set, explained: scheme)
    #expect(outside.count == 31)
    #expect(outside.contains(mules))
    // The detector reads it again itself once the structures are found.
    let findings = Flows().findings(set)
    let fan = try #require(findings.first { $0.accounts.contains(set.accounts.ids.index(of: "m0")!) })
    #expect(Flows().typology(fan) == "fan_out")
    #expect(fan.accounts.map { set.accounts.ids[$0] }.sorted() == (["h10"] + mules).sorted())
  }

  @Test func equalRefundsAreChanceWhereHandingOneSumRoundIsCommon() {
    // People paying varied sums, who also hand one sum to three friends:
    // sixty such payers, none at 90.00. The set's rate of a payer handing
    // a sum it just took up on to someone else says how often honest
    // people do it; one more, to four, is no fan-out, though no one else
    // paid 90.00.
    func refunds(commonPlace: Bool) -> SignalSet {
      var set = Background.habitBackground(varied: true)
      for payer in 0..<(commonPlace ? 60 : 0) {
        let share = Int64(2_000 + payer * 731)
        for friend in 0..<3 {
          Flows.pay(&set, "h\(payer)", "p\(payer)f\(friend)", cents: share, day: 20 + Int64(payer) + Int64(friend))
        }
      }
      plantFanOut(&set, from: "h150", cents: 9_000, days: 4, receivers: 4)
      return set
    }
    #expect(fanOuts(refunds(commonPlace: true)).isEmpty)
    // Nor does the detector flag them once it has read the set's rate
    // again without what it found: the refunders found nothing.
    #expect(Flows().findings(refunds(commonPlace: true)).isEmpty)
    // Where nobody else does it, the same refunds are a fan-out.
    #expect(fanOuts(refunds(commonPlace: false)).count == 1)
  }
}
