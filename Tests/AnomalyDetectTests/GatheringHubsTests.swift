import Foundation
import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect

/// The gather-scatter seed of `structured-flow`: near-equal amounts
/// gathered at one account and paid straight on in near-equal amounts.
@Suite struct GatheringHubsTests {
  typealias Flows = StructuredFlowDetectorTests

  /// An honest background in which people pay what each purchase costs:
  /// `accounts` accounts each paying another a varied sum about weekly for 120 days.
  static func variedBackground(accounts: Int = 80, seed: UInt64 = 5) -> SignalSet {
    weekly(accounts: accounts, seed: seed, id: "v") { Int64(1_000 + $0.next() % 49_000) }
  }

  /// `accounts` accounts each paying another about weekly for 120 days,
  /// each sum (in cents) drawn by `cents`; payment ids begin with `id`.
  static func weekly(accounts: Int, seed: UInt64, id prefix: String, cents: (inout SplitMix64) -> Int64)
    -> SignalSet
  {
    var set = SignalSet()
    var random = SplitMix64(seed: seed)
    var id = 0
    for a in 0..<accounts {
      var d = Int64(random.next() % 7)
      while d < 120 {
        id += 1
        let to = (a + 1 + Int(random.next() % UInt64(accounts - 1))) % accounts
        set.addPayment(
          id: "\(prefix)\(id)", source: "h\(a)", target: "h\(to)", amount: Amount(micros: cents(&random) * 10_000),
          time: Flows.start + d * Flows.day)
        d += 5 + Int64(random.next() % 5)
      }
    }
    return set
  }

  /// `hub` gathers `into` (cents) from g1, g2, ... on days 10, 11, ... and
  /// pays `out` (cents) to s1, s2, ... on days 15, 16, ...
  static func hub(_ set: inout SignalSet, into: [Int64], out: [Int64], hub: String = "hub") {
    for (i, cents) in into.enumerated() { Flows.pay(&set, "g\(i + 1)", hub, cents: cents, day: 10 + Int64(i)) }
    for (i, cents) in out.enumerated() { Flows.pay(&set, hub, "s\(i + 1)", cents: cents, day: 15 + Int64(i)) }
  }

  func findings(_ set: SignalSet) -> [Finding] {
    StructuredFlowDetector().findings(in: set, graph: GraphIndex(set))
  }

  func evidence(_ finding: Finding, _ key: String) -> Evidence? {
    guard case let .object(evidence) = finding.evidence else { return nil }
    return evidence[key]
  }

  @Test func nearEqualSumsGatheredAndPaidStraightOnAreAGatherScatter() throws {
    var set = Self.variedBackground()
    Self.hub(&set, into: [123_400, 124_150, 122_980, 123_720], out: [159_900, 160_410, 159_300])  // 3 % kept
    let found = findings(set)
    let finding = try #require(found.first)
    #expect(found.count == 1)
    #expect(
      Set(finding.accounts.map { set.accounts.ids[$0] }) == ["hub", "g1", "g2", "g3", "g4", "s1", "s2", "s3"])
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
    #expect(evidence(finding, "gathering_hubs") == .integer(1))
    guard case let .string(reason)? = evidence(finding, "reason") else {
      Issue.record("no reason")
      return
    }
    #expect(reason.contains("paying straight on, in near-equal amounts"))
  }

  @Test func sumsFarAboveWhatPeoplePayAddingUpIsNoChanceEvenFromANewHub() throws {
    // People keep one sum each (80.00 to 600.00), so a new hub's equal
    // payments out are no evidence by themselves; that four of them, of
    // 2 085.00, add up to what three strangers paid it, 2 850.00 each, less
    // 2.5 %, is: nobody here pays sums of that size.
    var above = Flows.background()
    Self.hub(&above, into: [285_000, 286_120, 284_300], out: [208_500, 208_100, 208_900, 208_300])
    let finding = try #require(findings(above).first)
    #expect(Set(finding.accounts.map { above.accounts.ids[$0] }) == ["hub", "g1", "g2", "g3", "s1", "s2", "s3", "s4"])
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
    // The same shape among the sums people pay every week, the hub paying
    // its one sum to the cent, adds up by chance.
    var within = Flows.background()
    Self.hub(&within, into: [28_500, 28_612, 28_430], out: [20_850, 20_850, 20_850, 20_850])
    #expect(findings(within).isEmpty)
  }

  @Test func aNewHubPayingSumsThatDifferIsNoSumKeepersHabit() throws {
    // People keep one sum each, to the cent. A hub with no history paying
    // four near-equal sums that all differ pays no sum of its own, however
    // common such sums are: only people who vary what they repeat do.
    var set = Flows.background()
    Self.hub(&set, into: [28_500, 28_612, 28_430], out: [20_850, 20_810, 20_890, 20_830])
    let finding = try #require(findings(set).first)
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["hub", "g1", "g2", "g3", "s1", "s2", "s3", "s4"])
    // Paid to the cent, they may be its own new sum (above): the set's
    // rate of varied repeats (``GatheringHubs/excessVariedRepeatRate(_:)``)
    // stands in for its repeat rate only for sums that differ.
  }

  @Test func theSumsAgreementIsAShareOfTheBackgroundAtMostTheSkim() {
    let set = Flows.background()
    let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
    let hubs = GatheringHubs(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), window: 14, skim: 0.1,
      alpha: 0.01)
    // 1 000.00 in: 333.33 to 250.00 a payment for three to four payments out,
    // the background's own band; 1 000 000.00: nobody pays that much, and
    // each count's band holds its floor of one payment.
    let total = Double(set.payments.count)
    #expect(hubs.agreement(with: 1_000_000_000, read: 4, spread: 0.01) > 0.01)
    #expect(hubs.agreement(with: 1_000_000_000, read: 4, spread: 0.01) <= 0.1)
    #expect(abs(hubs.agreement(with: 1_000_000_000_000, read: 4, spread: 0.01) - 2 / total) < 1e-12)
    // A wider group's first payment may lie further from the sum's share.
    #expect(
      hubs.agreement(with: 1_000_000_000, read: 4, spread: 0.05)
        > hubs.agreement(with: 1_000_000_000, read: 4, spread: 0.01))
    // Sums of a few micro-units, or past what an Int64 holds: no trap, and
    // never impossible (each count keeps its floor).
    #expect(abs(hubs.agreement(with: 2, read: 5, spread: 0) - 3 / total) < 1e-12)
    #expect(abs(hubs.agreement(with: 1e30, read: 3, spread: 0.01) - 1 / total) < 1e-12)
  }

  @Test func anEmployerPayingEqualSalariesOutOfVariedTakingsIsNotAHub() {
    var set = Self.variedBackground()
    // Takings 568 350, salaries 540 000: the sums agree; the takings are not near-equal.
    Self.hub(&set, into: [41_200, 187_000, 96_450, 230_900, 12_800], out: [180_000, 180_000, 180_000], hub: "shop")
    #expect(findings(set).isEmpty)
  }

  @Test func anAgentRemittingTenantsRentsToOwnersEveryMonthIsRoutine() {
    var set = Self.variedBackground()
    for month in Int64(0)..<3 {
      for (i, rent) in [123_400, 124_150, 122_980, 123_720].enumerated() {
        Flows.pay(&set, "tenant\(i)", "agent", cents: Int64(rent), day: 5 + month * 30 + Int64(i))
      }
      for i in 0..<3 { Flows.pay(&set, "agent", "owner\(i)", cents: 152_000, day: 12 + month * 30 + Int64(i)) }
    }
    #expect(findings(set).isEmpty)
  }

  @Test func aSenderAlsoPayingASmallSumStillCountsInTheGroup() throws {
    var set = Self.variedBackground()
    Self.hub(&set, into: [123_400, 124_150, 122_980, 123_720], out: [159_900, 160_410, 159_300])
    Flows.pay(&set, "g2", "hub", cents: 1_500, day: 13)  // and a coffee, another day
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }).isSuperset(of: ["hub", "g1", "g2", "g3", "g4"]))
  }

  @Test func aSenderPayingItsHabitualSumDoesNotCompleteAGroup() {
    var set = Self.variedBackground()
    Self.hub(&set, into: [123_400, 124_150], out: [119_000, 119_300, 118_800])
    // A third sender whose 1 236.00 is what it pays everyone, every week.
    for week in Int64(0)..<8 { Flows.pay(&set, "regular", "h\(week)", cents: 123_600, day: 3 + 7 * week) }
    Flows.pay(&set, "regular", "hub", cents: 123_600, day: 12)
    #expect(findings(set).isEmpty)
  }

  @Test func noSkimAllowedStillGivesAFiniteScore() throws {
    var set = Self.variedBackground()
    Self.hub(&set, into: [123_400, 123_400, 123_400, 123_400], out: [164_533, 164_533, 164_534])
    var thresholds = StructuredFlowDetector.Thresholds()
    thresholds.skim = 0
    let found = try StructuredFlowDetector(thresholds: thresholds).findings(in: set, graph: GraphIndex(set))
    let finding = try #require(found.first)
    #expect(finding.score.isFinite)
  }

  @Test func aHubPayingOnMoreThanCameInOrKeepingMoreThanTheSkimIsNotAHub() {
    for out: [Int64] in [[250_000, 249_000, 251_500], [110_000, 109_500, 110_400]] {  // +52 %, −33 %
      var set = Self.variedBackground()
      Self.hub(&set, into: [123_400, 124_150, 122_980, 123_720], out: out)
      // Four fresh senders of near-equal sums within four days are a fan-in
      // (``FanInsTests``), but what went out is no gather-scatter.
      #expect(findings(set).allSatisfy { evidence($0, "gathering_hubs") == .integer(0) }, "paid out \(out)")
      #expect(findings(set).allSatisfy { evidence($0, "typology") == .string("fan_in") }, "paid out \(out)")
    }
  }

  @Test func aHubNeedsSeveralSendersAndSeveralReceivers() {
    var set = Self.variedBackground()
    // Two senders only: a household collecting its members' shares and paying the rent on.
    Self.hub(&set, into: [123_400, 124_150], out: [80_000, 80_100, 80_200])
    #expect(findings(set).isEmpty)
  }

  @Test func payersThatAlwaysRepeatTheirSumMakeEqualPaymentsOutNoEvidence() {
    let habits = Flows.background()
    let varied = Self.variedBackground()
    func rate(_ set: SignalSet) -> Double {
      let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
      return GatheringHubs.repeatRate(transfers.outgoing, transfers)
    }
    #expect(rate(habits) > 0.9)
    #expect(rate(varied) < 0.05)
  }

  /// Adds to `set` one payment each by `count` of its accounts h0, h1, ...
  /// to a stranger, of a sum of its own, on day 50, 51, ...: sums taken up
  /// once and not kept to (a present, a one-off purchase).
  static func oneOffs(_ set: inout SignalSet, count: Int) {
    for i in 0..<count {
      Flows.pay(&set, "h\(i)", "stranger\(i)", cents: 77_700 + Int64(i) * 1_313, day: 50 + Int64(i))
    }
  }

  /// A habit-keeping background with one-offs, and a hub that gathers
  /// three strangers' near-equal sums and pays four near-equal sums on,
  /// 2.8 % kept; it pays `cents` twice more, on `days`.
  static func takingUp(cents: Int64, on days: [Int64]) -> SignalSet {
    var set = Flows.background()
    Self.oneOffs(&set, count: 20)
    Self.hub(&set, into: [123_400, 124_150, 122_980], out: [90_000, 90_300, 89_800, 90_100])
    for (i, d) in days.enumerated() { Flows.pay(&set, "hub", "h\(i + 30)", cents: cents, day: d) }
    return set
  }

  @Test func aHubTakingUpANewSumToPayOnIsAGatherScatter() throws {
    // Payers keep one sum each and take up another once in a while, as
    // AMLSim's do. The hub paid a sum of its own twice before it gathered.
    let set = Self.takingUp(cents: 31_700, on: [1, 4])
    let finding = try #require(findings(set).first { evidence($0, "gathering_hubs") == .integer(1) })
    #expect(
      Set(finding.accounts.map { set.accounts.ids[$0] }).isSuperset(of: ["hub", "g1", "g2", "g3", "s1", "s4"]))
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
  }

  @Test func aHubPayingOnASumItPaysByHabitIsNoGatherScatter() {
    // The same, but the hub's two earlier payments are of the sum it pays on:
    // three strangers paying it sums far above the background are a fan-in,
    // and what it pays on is its habit.
    let found = findings(Self.takingUp(cents: 90_100, on: [1, 4]))
    #expect(found.allSatisfy { evidence($0, "gathering_hubs") == .integer(0) })
    #expect(found.contains { evidence($0, "typology") == .string("fan_in") })
  }

  @Test func aHubPayingItsOwnSumBesideWhatItPassesOnIsAGatherScatter() throws {
    // Its own 860.00, paid twice before it gathered, it pays once more
    // among what it passes on (898.00 to 903.00): within a band's width of
    // those, but its own sum, which joins no group; else the band,
    // stretched over it, would read the hub as paying its habit on.
    let set = Self.takingUp(cents: 86_000, on: [1, 4, 16])
    let finding = try #require(findings(set).first { evidence($0, "gathering_hubs") == .integer(1) })
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
    #expect(!finding.accounts.map { set.accounts.ids[$0] }.contains("h32"))
  }

  @Test func aFanThatAHubHoldsCountsOnceAtTheStrongerReading() {
    // A hub's scatter, read as a fan-out against the hub's own habit, is
    // a far rarer coincidence (10^-10.5) than the hub read in and out
    // against the background (10^-2.1): one structure, scored by the
    // stronger, halved for choosing it; a fan-in elsewhere stays its own.
    typealias Seed = StructuredFlowDetector.Seed
    let seeds = [
      Seed(transfers: [1, 2, 3, 4, 5], surprise: 2.1, kind: .hub),
      Seed(transfers: [4, 5], surprise: 10.5, kind: .fanOut),
      Seed(transfers: [8, 9], surprise: 4, kind: .fanIn),
      Seed(transfers: [1, 2], surprise: 1.5, kind: .fanIn),
    ]
    let folded = StructuredFlowDetector.foldingFansIntoHubs(seeds)
    #expect(folded.map(\.kind) == [.hub, .fanIn])
    #expect(abs(folded[0].surprise - (10.5 - log10(2))) < 1e-12)
    #expect(folded[1].transfers == [8, 9])
    // A weaker fan leaves the hub's reading as it was.
    let weaker = StructuredFlowDetector.foldingFansIntoHubs([seeds[0], seeds[3]])
    #expect(weaker.count == 1 && weaker[0].surprise == 2.1)
  }

  @Test func aHubSeenPayingOnlyAfterItPaidOnHasTakenNoSumUp() {
    // Its first payments are the four paid on (a new account's first sum
    // is its habit in the making), whether or not it pays others later:
    // their repeats are the set's repeat rate, no sum taken up. (Found all
    // the same, for its sums lie far above what anyone here pays:
    // `sumsFarAboveWhatPeoplePayAddingUpIsNoChanceEvenFromANewHub`.)
    for days: [Int64] in [[], [60, 90]] {
      let seen = Self.group(of: "hub", in: Self.takingUp(cents: 31_700, on: days), gathering: false, after: 0)
      #expect(seen.group.members.count == 4, "other payments on \(days)")
      #expect(seen.group.firstRepeat == seen.repeats && seen.group.habit == seen.repeats, "other payments on \(days)")
      #expect(seen.newSum < seen.repeats)  // else the test could not tell them apart
    }
  }

  /// The group `hub` forms of its transfers out (or in, when `gathering`)
  /// after the first `before`, and the set's rates it is read against:
  /// of repeating a new sum, and a fresh account's habit (its band's
  /// background share plus the set's excess repeat rate).
  static func group(of hub: String, in set: SignalSet, gathering: Bool, after before: Int)
    -> (group: GatheringHubs.Group, newSum: Double, repeats: Double)
  {
    let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
    let hubs = GatheringHubs(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), window: 14, skim: 0.1,
      alpha: 0.01)
    var habits = GatheringHubs.Habits(accounts: set.accounts.count)
    let h = set.accounts.ids.index(of: hub)!
    let all = gathering ? transfers.incoming.edges(of: h) : transfers.outgoing.edges(of: h)
    let group = hubs.group(
      all, (all.startIndex + before)..<all.endIndex, units: all.map { transfers.unitMicros[Int($0)] }.sorted(),
      gathering: gathering, excluding: [], habits: &habits)
    let fallback = min(1, hubs.excessRepeatRate(sender: !gathering, &habits) + group.background)
    return (group, hubs.newSumRepeatRate(&habits), fallback)
  }

  @Test func aHubWithAHistoryOfItsOwnReadsItsFirstRepeatFromIt() {
    // Two payments of a sum of its own before: the hub takes a sum up.
    let young = Self.group(of: "hub", in: Self.takingUp(cents: 31_700, on: [1, 4]), gathering: false, after: 2)
    #expect(young.group.members.count == 4 && young.group.outside == 2)
    #expect(young.group.firstRepeat == young.newSum && young.newSum < young.group.habit)
    // Three: its habit is its own, none of them in the band, and so is its first repeat.
    let known = Self.group(of: "hub", in: Self.takingUp(cents: 31_700, on: [1, 3, 5]), gathering: false, after: 3)
    #expect(known.group.members.count == 4 && known.group.outside == 3)
    #expect(known.group.habit == 0 && known.group.firstRepeat == 0)
  }

  @Test func aHubPaidASumNewToItHasTakenNoSumUp() {
    // Paid twice before it gathers, another sum: what a hub is paid is its
    // payers' choice, read against the set's repeat rate in.
    var set = Self.takingUp(cents: 31_700, on: [])
    for day: Int64 in [1, 4] { Flows.pay(&set, "h40", "hub", cents: 31_700, day: day) }
    let gathered = Self.group(of: "hub", in: set, gathering: true, after: 2)
    #expect(gathered.group.members.count == 3 && gathered.group.outside == 2)
    #expect(gathered.group.habit == gathered.repeats && gathered.group.firstRepeat == gathered.repeats)
    #expect(gathered.newSum != gathered.repeats)  // else the test could not tell them apart
  }

  /// An honest background where most payments are one common fee: each of
  /// `accounts` accounts pays another about weekly for 120 days, 10.00
  /// four times in five and a varied sum otherwise.
  static func commonFeeBackground(accounts: Int = 80, seed: UInt64 = 9) -> SignalSet {
    weekly(accounts: accounts, seed: seed, id: "c") { random in
      random.next() % 5 == 0 ? Int64(1_000 + random.next() % 49_000) : 1_000
    }
  }

  @Test func repeatsOfACommonFeeAreNoHabitButAPayersOwnSumIs() {
    func rates(_ set: SignalSet, out: Bool = false, sampled: Int = 65_536) -> (raw: Double, excess: Double) {
      let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
      let adjacency = out ? transfers.outgoing : transfers.incoming
      let amounts = AmountDistribution(set.payments.amountMicros)
      return (
        GatheringHubs.repeatRate(adjacency, transfers),
        GatheringHubs.excessRepeatRate(adjacency, transfers, amounts: amounts, sampled: sampled)
      )
    }
    // Four payments in five are 10.00: consecutive ones repeat by chance,
    // paid or received.
    for out in [false, true] {
      let fees = rates(Self.commonFeeBackground(), out: out)
      #expect(fees.raw > 0.5 && fees.excess < 0.05, "out: \(out)")
      // Read over one pair in about five, the same to 0.03.
      let strided = rates(Self.commonFeeBackground(), out: out, sampled: 256)
      #expect(abs(strided.excess - fees.excess) < 0.03, "out: \(out)")
    }
    // Habit keepers' repeats are their own: nearly all in excess of chance.
    let keepers = rates(Flows.background(), out: true, sampled: 1_000_000)
    #expect(keepers.raw > 0.9 && keepers.excess > keepers.raw - 0.05)
    // Read over a sample of the pairs or over all of them, the same rate to 0.02.
    let sampled = rates(Flows.background(), out: true, sampled: 32)
    #expect(abs(sampled.excess - keepers.excess) < 0.02)
    // People paying what things cost: no repeats to speak of.
    #expect(rates(Self.variedBackground()).excess < 0.02)
  }

  @Test func aFreshHubGatheringSumsNobodyPaysAmongCommonFeesIsAGatherScatter() throws {
    // Read against the raw repeat rate (0.6 and more, both ways), three
    // near-equal sums in and four out would be what anyone does; they are
    // sums nobody else pays, and the hub has no history to explain them.
    var set = Self.commonFeeBackground()
    Self.hub(&set, into: [123_400, 124_150, 122_980], out: [90_000, 90_300, 89_800, 90_100])
    let finding = try #require(findings(set).first { evidence($0, "gathering_hubs") == .integer(1) })
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["hub", "g1", "g2", "g3", "s1", "s2", "s3", "s4"])
    #expect(evidence(finding, "typology") == .string("gather_scatter"))
    // The background's own repeats of the fee flag nobody.
    let flagged = Set(findings(set).flatMap { $0.accounts.map { set.accounts.ids[$0] } })
    #expect(flagged == ["hub", "g1", "g2", "g3", "s1", "s2", "s3", "s4"])
  }

  @Test func aSumTakenUpIsRepeatedAsOftenAsTheSetsPayersKeepToNewSums() {
    func rates(_ set: SignalSet) -> (all: Double, new: Double) {
      let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
      return (
        GatheringHubs.repeatRate(transfers.outgoing, transfers),
        GatheringHubs.newSumRepeatRate(transfers.outgoing, transfers)
      )
    }
    // Habit keepers repeat their sums, but not the one-offs they take up.
    var keepers = Flows.background()
    Self.oneOffs(&keepers, count: 20)
    let kept = rates(keepers)
    #expect(kept.all > 0.9)
    #expect(kept.new < 0.1)
    // Payers who move to a new sum for good (a new rent) keep to it.
    var movers = SignalSet()
    for a in 0..<20 {
      for week in Int64(0)..<12 {
        let cents: Int64 = week < 6 ? 40_000 + Int64(a) * 1_000 : 90_000 + Int64(a) * 1_000
        Flows.pay(&movers, "m\(a)", "landlord\(a)-\(week / 6)", cents: cents, day: 7 * week)
      }
    }
    let moved = rates(movers)
    #expect(moved.all > 0.9)
    #expect(moved.new > 0.9)
  }

  @Test func aBusySetsRateOfKeepingToNewSumsIsReadFromAnInterleavedSample() {
    // 3 000 payers, each keeping to a sum it has just taken up for one
    // more payment, the first half with chance 0.1 and the second with
    // 0.6, and else (or after that) taking up another: some 40 000 pairs.
    var set = SignalSet()
    var random = SplitMix64(seed: 11)
    for a in 0..<3_000 {
      var cents = Int64(10_000 + a)
      var taken = true
      for week in Int64(0)..<20 {
        if week > 0 {
          if taken && random.next() % 10 < (a < 1_500 ? 1 : 6) {
            taken = false
          } else {
            (cents, taken) = (cents + 5_000, true)
          }
        }
        Flows.pay(&set, "p\(a)", "q\((a + Int(week) + 1) % 3_000)", cents: cents, day: 7 * week)
      }
    }
    let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
    let sampled = GatheringHubs.newSumRepeats(transfers.outgoing, transfers)
    let whole = GatheringHubs.newSumRepeats(transfers.outgoing, transfers, enough: .max)
    func rate(_ counted: (repeats: Int, pairs: Int)) -> Double { Double(counted.repeats) / Double(counted.pairs) }
    #expect(sampled.pairs >= 10_000 && sampled.pairs < whole.pairs / 2)
    #expect(rate(whole) > 0.2 && rate(whole) < 0.4)  // the first half alone gives about 0.1
    #expect(abs(rate(sampled) - rate(whole)) < 0.02)
  }

  @Test func oneBusyPayerDoesNotSetTheRateOfKeepingToNewSums() {
    // Habit keepers with one-offs, and a payer paying 5 000 sums, each
    // new and each paid twice, which alone would count 5 000 pairs.
    var set = Flows.background()
    Self.oneOffs(&set, count: 20)
    for i in Int64(0)..<5_000 {
      for shop in ["a", "b"] { Flows.pay(&set, "busy", "shop-\(shop)\(i)", cents: 1_000 + 37 * i, day: i / 50) }
    }
    let transfers = PaymentTransfers(set, bucketSeconds: Flows.day)
    let quiet = Flows.background()
    let quietTransfers = PaymentTransfers(quiet, bucketSeconds: Flows.day)
    let counted = GatheringHubs.newSumRepeats(transfers.outgoing, transfers, enough: .max)
    let without = GatheringHubs.newSumRepeats(quietTransfers.outgoing, quietTransfers, enough: .max)
    #expect(counted.pairs - without.pairs == 20 + 32)  // the one-offs, and the busy payer's first 32
  }

  @Test func countingUnitsAtMostABoundIsABinarySearch() {
    let units: [Int64] = [1, 3, 3, 7, 9]
    #expect([0, 1, 3, 6, 7, 9, 10].map { GatheringHubs.count(units, atMost: $0) } == [0, 1, 3, 3, 4, 5, 5])
  }
}
