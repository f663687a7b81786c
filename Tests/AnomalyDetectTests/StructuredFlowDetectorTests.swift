import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

@Suite struct StructuredFlowDetectorTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures")

  static let day: Int64 = 86_400
  static let start: Int64 = 1_767_225_600

  /// An honest background of `accounts` accounts at a daily resolution: each
  /// pays its own habitual amount to a few others about weekly for 120 days.
  static func background(accounts: Int = 60, seed: UInt64 = 3) -> SignalSet {
    var set = SignalSet()
    var rng = seed
    func next() -> UInt64 {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return rng >> 33
    }
    var id = 0
    for a in 0..<accounts {
      let habit = Int64(80 + next() % 520) * 1_000_000 + Int64(next() % 100) * 10_000
      var d = Int64(next() % 7)
      while d < 120 {
        id += 1
        let to = (a + 1 + Int(next() % UInt64(accounts - 1))) % accounts
        set.addPayment(
          id: "b\(id)", source: "h\(a)", target: "h\(to)", amount: Amount(micros: habit), time: start + d * day)
        d += 6 + Int64(next() % 4)
      }
    }
    return set
  }

  /// Adds `count` payments of `cents` from `from` to `to` on `day`.
  static func pay(_ set: inout SignalSet, _ from: String, _ to: String, cents: Int64, day d: Int64, count: Int = 1) {
    for i in 0..<count {
      set.addPayment(
        id: "\(from)-\(to)-\(d)-\(i)", source: from, target: to, amount: Amount(micros: cents * 10_000),
        time: start + d * day)
    }
  }

  func findings(_ set: SignalSet) -> [Finding] {
    StructuredFlowDetector().findings(in: set, graph: GraphIndex(set))
  }

  func typology(_ finding: Finding) -> String? {
    guard case let .object(evidence) = finding.evidence, case let .string(t)? = evidence["typology"] else { return nil }
    return t
  }

  @Test func anHonestBackgroundWithEqualRentSalariesAndSameDayShoppingIsNotFlagged() {
    var set = Self.background()
    for month in Int64(0)..<4 {
      for h in ["h1", "h2", "h3"] { Self.pay(&set, h, "landlord", cents: 65_000, day: month * 30) }  // equal fan-in
      for h in 10..<30 { Self.pay(&set, "payroll", "h\(h)", cents: 215_000, day: 27 + month * 30) }  // equal fan-out
    }
    for d in Int64(0)..<120 where d % 3 == 0 {
      Self.pay(&set, "h\(d % 20)", "grocer", cents: 1_200 + d * 37, day: d)
      Self.pay(&set, "h\(d % 20)", "grocer", cents: 4_500 + d * 11, day: d)  // two purchases the same day
    }
    #expect(findings(set).isEmpty)
  }

  @Test func aFanInOfSplitTransfersIsFlaggedWithItsSenderOfOnePayment() throws {
    var set = Self.background()
    for (i, (sender, count)) in [("fa", 1), ("fb", 4), ("fc", 5), ("fd", 3)].enumerated() {
      Self.pay(&set, sender, "mule", cents: 321, day: 8 + Int64(i) * 30, count: count)
    }
    let found = findings(set)
    let finding = try #require(found.first)
    #expect(found.count == 1)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["fa", "fb", "fc", "fd", "mule"])
    #expect(typology(finding) == "fan_in")
    guard case let .object(evidence) = finding.evidence, case let .string(reason)? = evidence["reason"] else {
      Issue.record("evidence should carry a reason")
      return
    }
    #expect(reason.contains("paid one receiver near-equal amounts from several senders"))
    #expect(evidence["split_transfers"] == .integer(3))
  }

  @Test func aRingGoingRoundOnceOverMonthsWithTiedTimestampsIsACycle() throws {
    var set = Self.background()
    for (from, to, count, d) in [("r1", "r2", 4, 10), ("r2", "r3", 3, 40), ("r3", "r4", 1, 70), ("r4", "r1", 2, 95)] {
      Self.pay(&set, from, to, cents: 1_503, day: Int64(d), count: count)
    }
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["r1", "r2", "r3", "r4"])
    #expect(typology(finding) == "cycle")
  }

  @Test func aSlowRingWithoutSplitPaymentsIsFoundByItsRelays() throws {
    var set = Self.background()
    let members = ["s1", "s2", "s3", "s4"]
    for (turn, start) in [Int64(5), 35, 70].enumerated() {
      var cents = Int64(500_000 + turn * 12_345)
      for hop in members.indices {
        Self.pay(&set, members[hop], members[(hop + 1) % members.count], cents: cents, day: start + Int64(hop) * 2)
        cents = cents * 98 / 100  // a 2 % skim per hop
      }
    }
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == Set(members))
    #expect(typology(finding) == "cycle")
    guard case let .object(evidence) = finding.evidence else { return }
    #expect(evidence["relayed_rings"] == .integer(3))
    #expect(evidence["split_transfers"] == .integer(0))
  }

  @Test func moneyScatteredThroughIntermediariesAndGatheredElsewhereIsAScatterGather() throws {
    var set = Self.background()
    for (i, cents) in [Int64(200_000), 250_000, 300_000].enumerated() {
      Self.pay(&set, "source", "mid\(i)", cents: cents, day: 10)
      Self.pay(&set, "mid\(i)", "sink", cents: cents * 97 / 100, day: 11 + Int64(i))
    }
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["source", "mid0", "mid1", "mid2", "sink"])
    #expect(typology(finding) == "scatter_gather")
  }

  @Test func aScatterGatherThroughBusyPeopleWhoNeverPaidTheSinkIsFound() throws {
    var set = Self.background()
    // Three busy background accounts each pass on, once, a different sum of
    // the background's own range from one source to an account none of them
    // pays otherwise. Rare as a destination (few pay the sink), not as an
    // amount; each intermediary's one payment to the sink is no habit.
    for (i, percent) in [Int64(100), 108, 121].enumerated() {
      let cents = 45_000 * percent / 100
      Self.pay(&set, "source", "h\(10 + i)", cents: cents, day: 40)
      Self.pay(&set, "h\(10 + i)", "sink", cents: cents * 96 / 100, day: 42 + Int64(i))
    }
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["source", "h10", "h11", "h12", "sink"])
    #expect(typology(finding) == "scatter_gather")
  }

  @Test func aFamilyPassingAllowancesOnAsRentEveryMonthIsNotAScatterGather() {
    var set = Self.background()
    // A parent pays three children one allowance each month; each passes
    // 96-98 % of it on to the family's landlord a day or two later. The
    // amount is rare in the background; that the children paid the landlord
    // like sums the month before (or after) is what explains it.
    for month in Int64(0)..<2 {
      for (i, kid) in ["kid0", "kid1", "kid2"].enumerated() {
        Self.pay(&set, "parent", kid, cents: 125_000, day: 5 + month * 30)
        Self.pay(&set, kid, "landlord", cents: 125_000 * (96 + Int64(i)) / 100, day: 6 + month * 30 + Int64(i % 2))
      }
    }
    let family: Set<String> = ["parent", "kid0", "kid1", "kid2", "landlord"]
    #expect(!findings(set).contains { $0.accounts.contains { family.contains(set.accounts.ids[$0]) } })
  }

  @Test func aPairsRoutineCountsItsOtherOccasionsOnly() throws {
    var set = SignalSet()
    for d in Int64(0)...2 { Self.pay(&set, "tenant", "landlord", cents: 80_000, day: d * 30) }
    Self.pay(&set, "tenant", "landlord", cents: 79_500, day: 2)  // within the relay window of day 0
    Self.pay(&set, "tenant", "landlord", cents: 12_000, day: 45)  // another amount
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let first = try #require((0..<transfers.count).first { transfers.bucket[$0] == Self.start / Self.day })
    let routine = PairRoutine(
      transfers, of: first, closeness: 790_000_000...800_000_000, band: 720_000_000...800_000_000, bySum: false,
      apart: 14)
    #expect(routine.others == 3 && routine.close == 2 && routine.inBand == 2)
    // Never less likely than the whole set says, and (2 + q) / 4 here.
    #expect(routine.share(0.001, closeness: true) == (2 + 0.001) / 4)
    #expect(PairRoutine(others: 3).share(0.001, closeness: true) == 0.001)
  }

  @Test func aScatterGatherCountsItsFurtherRelaysAsASetNotASequence() throws {
    var set = Self.background()
    for (i, cents) in [Int64(30_000), 31_300, 32_900].enumerated() {
      Self.pay(&set, "source", "mid\(i)", cents: cents, day: 10)
      Self.pay(&set, "mid\(i)", "sink", cents: cents * 98 / 100, day: 11 + Int64(i))
      // Each intermediary pays the sink other sums on other days too: a
      // habit, so a relay to it is no rare destination (the test is of the count).
      for d in Int64(1)...3 { Self.pay(&set, "mid\(i)", "sink", cents: 5_000 + d * 1_300, day: 30 * d + 20) }
    }
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let chains = RelayChains(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), habits: PayerAmounts(transfers),
      hopWindow: 14, skim: 0.1,
      maxHops: 8, alpha: 0.01)
    let found = try #require(chains.scatterGathers().first)
    #expect(found.transfers.count == 6)
    // A seed only because its two further relays are one choice of two among the
    // source's transfers, not two ordered draws: 2! fewer chance copies.
    #expect(found.surprise >= 2 && found.surprise - log10(2) < 2)
  }

  @Test func moneyLayeredThroughAChainOfAccountsIsAStack() throws {
    var set = Self.background()
    var cents: Int64 = 1_234_567
    let chain = ["l0", "l1", "l2", "l3", "l4", "l5"]
    for (hop, (from, to)) in zip(chain, chain.dropFirst()).enumerated() {
      Self.pay(&set, from, to, cents: cents, day: 20 + Int64(hop) * 2)
      cents = cents * 98 / 100
    }
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == Set(chain))
    #expect(typology(finding) == "stack")
    guard case let .object(evidence) = finding.evidence else { return }
    #expect(evidence["relayed_chains"] == .integer(1))
  }

  @Test func aStackEndingInAHopOnlyARingMayFollowIsStillReported() throws {
    var set = Self.background()
    // Honest large payments between background accounts (a car, a deposit),
    // 10 400.00 to 10 994.00: a crowd where the stack's last account passes
    // on what it got less 9.5 %.
    for i in 0..<100 {
      Self.pay(&set, "h\(i % 60)", "h\((i + 7) % 60)", cents: 1_040_000 + Int64(i) * 600, day: Int64(i))
    }
    var cents: Int64 = 1_234_567
    let chain = ["l0", "l1", "l2", "l3", "l4", "l5"]
    for (hop, (from, to)) in zip(chain, chain.dropFirst()).enumerated() {
      if hop > 0 { cents = cents * 98 / 100 }
      Self.pay(&set, from, to, cents: cents, day: 20 + Int64(hop) * 2)
    }
    Self.pay(&set, "l5", "l6", cents: cents * 905 / 1_000, day: 32)
    // The premise: l5's hop to l6 is one a ring may follow but no stack
    // (chance between 5 % and 50 %).
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let chains = RelayChains(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), habits: PayerAmounts(transfers),
      hopWindow: 14, skim: 0.1,
      maxHops: 8, alpha: 0.01)
    let last = try #require(
      (0..<transfers.count).first { set.accounts.ids[transfers.source[$0]] == "l4" })
    let weak = try #require(chains.hops(of: last).first)
    #expect(set.accounts.ids[transfers.target[Int(weak.next)]] == "l6")
    #expect(Double(weak.looked) * weak.q > chains.maxHopChance)
    #expect(Double(weak.looked) * weak.q <= chains.maxRingHopChance)
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == Set(chain))
    #expect(typology(finding) == "stack")
  }

  @Test func aStackOfRelaysThatEachCouldBeChanceIsStillAStackTogether() throws {
    var set = Self.background()
    var cents: Int64 = 52_000
    let chain = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]
    for (hop, (from, to)) in zip(chain, chain.dropFirst()).enumerated() {
      Self.pay(&set, from, to, cents: cents, day: 20 + Int64(hop) * 2)
      cents = cents * 99 / 100
    }
    // The premise: most relays are 1-in-100 to 1-in-20 coincidences on their own (amounts
    // in the background's busy band).
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let chains = RelayChains(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), habits: PayerAmounts(transfers),
      hopWindow: 14, skim: 0.1,
      maxHops: 8, alpha: 0.01)
    let links = (0..<transfers.count).filter { chain.contains(set.accounts.ids[transfers.source[$0]]) }
      .flatMap { t in chains.hops(of: t).filter { chain.contains(set.accounts.ids[transfers.target[Int($0.next)]]) } }
    #expect(links.count == chain.count - 2)
    #expect(links.contains { Double($0.looked) * $0.q > 0.01 })
    #expect(links.allSatisfy { Double($0.looked) * $0.q <= 0.05 })
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == Set(chain))
    #expect(typology(finding) == "stack")
  }

  /// Background sum-keepers `chain` relaying 280.00 less 2 % a hop from
  /// day 60, and the ids of the accounts of the finding holding its
  /// second account.
  func sumKeepersRelaying(_ chain: [String], rival: String? = nil) throws -> Set<String> {
    var set = PayerAmountsTests.habitBackground()
    if let rival { Self.pay(&set, rival, chain[1], cents: 29_400, day: 59) }
    var cents: Int64 = 28_000
    for (hop, (from, to)) in zip(chain, chain.dropFirst()).enumerated() {
      Self.pay(&set, from, to, cents: cents, day: 60 + Int64(hop) * 2)
      cents = cents * 98 / 100
    }
    let second = try #require(set.accounts.ids.index(of: chain[1]))
    let finding = try #require(findings(set).first { $0.accounts.contains(second) })
    #expect(typology(finding) == "stack")
    return Set(finding.accounts.map { set.accounts.ids[$0] })
  }

  @Test func sumKeepersPassingOnTheirOnlyNewSumAreAStack() throws {
    // Each hop is its payer's one new sum among its habitual ones; read
    // into its own rate of new sums, it would excuse itself.
    let chain = ["h20", "h21", "h22", "h23", "h24"]
    #expect(try sumKeepersRelaying(chain) == Set(chain))
  }

  @Test func aStacksFirstRelayPassesOnOneSumNotEveryLikeOneBeforeIt() throws {
    // h30 paid h21 a sum 5 % larger the day before h20 did: h21's relay
    // could pass on either, but passes on one, and h20's is the closer.
    let chain = ["h20", "h21", "h22", "h23", "h24"]
    #expect(try sumKeepersRelaying(chain, rival: "h30") == Set(chain))
  }

  @Test func aRingOfBusyMembersWhoseHopsChanceCouldExplainIsStillASeed() throws {
    var set = Self.background()
    // The ring passes on the background's own habitual amounts, so each hop
    // alone is a likely coincidence; closing on the origin is not.
    let habits = Set(set.payments.amountMicros).sorted()
    let u = habits[habits.count / 2]
    let members = ["h1", "h2", "h3", "h4"]
    for hop in members.indices {  // a cent less at each hop
      set.addPayment(
        id: "ring\(hop)", source: members[hop], target: members[(hop + 1) % members.count],
        amount: Amount(micros: u - Int64(hop) * 10_000), time: Self.start + (30 + Int64(hop) * 3) * Self.day)
    }
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let chains = RelayChains(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), habits: PayerAmounts(transfers),
      hopWindow: 14, skim: 0.1,
      maxHops: 8, alpha: 0.01)
    func onRing(_ t: Int) -> Bool {
      let from = set.accounts.ids[transfers.source[t]], to = set.accounts.ids[transfers.target[t]]
      let ringAmounts = (0..<Int64(4)).map { u - $0 * 10_000 }
      return ringAmounts.contains(transfers.unitMicros[t]) && members.contains(from) && members.contains(to)
    }
    let amounts = AmountDistribution(set.payments.amountMicros)
    let ringHops = (0..<transfers.count).filter(onRing).flatMap { t in
      chains.hops(of: t).filter { onRing(Int($0.next)) }.map { (relayed: t, hop: $0) }
    }
    // By the background's amounts, some hop is too likely for a stack to
    // follow, yet the ring is a seed.
    #expect(
      ringHops.contains { relayed, hop in
        let passed = transfers.unitMicros[Int(hop.next)], received = transfers.unitMicros[relayed]
        return Double(hop.looked) * amounts.share(in: passed...received) > chains.maxHopChance
      })
    let (rings, _) = chains.relayedPaths()
    let ring = try #require(
      rings.first { Set($0.transfers.map { set.accounts.ids[transfers.source[$0]] }) == Set(members) })
    #expect(ring.surprise >= 2)  // a seed: under 1 % expected by chance
  }

  @Test func roommatesPassingRentSharesRoundEveryWeekAreNotARing() {
    var set = Self.background()
    // Three roommates pay each other random shares round the flat every
    // week; one week the shares happen to come within a few percent.
    var rng: UInt64 = 11
    func share() -> Int64 {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(1_500 + (rng >> 33) % 43_500)
    }
    let flat = ["rm1", "rm2", "rm3"]
    for week in Int64(0)..<17 {
      let close: [Int64] = [30_000, 29_100, 28_500]
      for i in flat.indices {
        Self.pay(
          &set, flat[i], flat[(i + 1) % 3], cents: week == 8 ? close[i] : share(), day: week * 7 + Int64(i))
      }
    }
    #expect(!findings(set).contains { $0.accounts.contains { set.accounts.ids[$0].hasPrefix("rm") } })
  }

  @Test func theChancesOfAChainCombineAsAProductOfUniformChances() {
    #expect(RelayChains.log10Combined(-6, factors: 1) == -6)
    #expect(abs(RelayChains.log10Combined(-6, factors: 3) - log10(1e-6 * 110.25)) < 0.001)
    #expect(RelayChains.log10Combined(0.3, factors: 4) == 0)  // never above one
    // More factors make the same product likelier, never more than certain.
    let byFactors = (1...8).map { RelayChains.log10Combined(-5, factors: $0) }
    #expect(zip(byFactors, byFactors.dropFirst()).allSatisfy { $0 < $1 })
    #expect(byFactors.allSatisfy { $0 <= 0 })
  }

  @Test func aPairsTransfersAreOneRun() {
    var set = SignalSet()
    Self.pay(&set, "a", "b", cents: 10_000, day: 0)
    for d in Int64(0)..<5 { Self.pay(&set, "c", "d", cents: 9_000, day: d * 3) }
    Self.pay(&set, "c", "e", cents: 9_000, day: 1)
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let toD = (0..<transfers.count).filter { set.accounts.ids[transfers.target[$0]] == "d" }
    #expect(toD.count == 5)
    for t in toD { #expect(transfers.pairRun(of: t) == toD[0]..<toD[4] + 1) }
    let once = (0..<transfers.count).first { set.accounts.ids[transfers.source[$0]] == "a" }!
    #expect(transfers.pairRun(of: once) == once..<once + 1)
  }

  @Test func aSplitSumPassedOnInOtherPartsIsStillARelay() throws {
    var set = Self.background()
    // 9 000.00 arrives as one payment and leaves as three of 2 950.00 (98 %), and so on round.
    Self.pay(&set, "p1", "p2", cents: 900_000, day: 10)
    Self.pay(&set, "p2", "p3", cents: 295_000, day: 12, count: 3)
    Self.pay(&set, "p3", "p4", cents: 867_300, day: 15)
    Self.pay(&set, "p4", "p1", cents: 430_000, day: 19, count: 2)
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["p1", "p2", "p3", "p4"])
    #expect(typology(finding) == "cycle")
  }

  /// The accounts of the structure holding the mule, in a set where a
  /// mule receives 4 × 1 234.56 on day 8 (a split transfer) and pays `out`
  /// `cents` on `day`.
  func structureWithSumPassedOn(cents: Int64, day: Int64) -> Set<String> {
    var set = Self.background()
    Self.pay(&set, "smurf", "mule", cents: 123_456, day: 8, count: 4)
    Self.pay(&set, "mule", "out", cents: cents, day: day)
    let mule = set.accounts.ids.index(of: "mule")
    let finding = findings(set).first { $0.accounts.contains { $0 == mule } }
    return Set(finding?.accounts.map { set.accounts.ids[$0] } ?? [])
  }

  @Test func aSplitSumPassedOnAsOnePaymentLinksTheAccountItGoesTo() {
    // 4 938.24 arrived in four parts; 4 840.00 (98 %) leaves as one four days later.
    #expect(structureWithSumPassedOn(cents: 484_000, day: 12) == ["smurf", "mule", "out"])
  }

  @Test func aSumPassedOnTooLateOrGrownIsNotLinked() {
    // Beyond the relay window (14 days), or more than arrived: not the money received.
    #expect(structureWithSumPassedOn(cents: 484_000, day: 30) == ["smurf", "mule"])
    #expect(structureWithSumPassedOn(cents: 510_000, day: 12) == ["smurf", "mule"])
  }

  @Test func aHubPayingLikeAmountsOutAsRoutineKeepsNoRelayHops() {
    // 200 payments of 100.00 into a hub, and 50 of 100.00 out of it the same week:
    // every payment in could be "passed on" by any payment out; none is a relay.
    var set = SignalSet()
    for i in 0..<200 { Self.pay(&set, "in\(i)", "hub", cents: 10_000, day: Int64(i % 7)) }
    for j in 0..<50 { Self.pay(&set, "hub", "out\(j)", cents: 10_000, day: 3) }
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    let chains = RelayChains(
      transfers: transfers, amounts: AmountDistribution(set.payments.amountMicros), habits: PayerAmounts(transfers),
      hopWindow: 7, skim: 0.1,
      maxHops: 8, alpha: 0.01)
    #expect((0..<transfers.count).allSatisfy { chains.hops(of: $0).isEmpty })
    #expect(findings(set).isEmpty)
  }

  @Test func aRepaidLoanAndPassingOnOneSmallSumAreNotRings() {
    var set = Self.background()
    Self.pay(&set, "parent", "child", cents: 100_000, day: 3)
    Self.pay(&set, "child", "parent", cents: 100_000, day: 40)  // repaid: a return, not a ring
    Self.pay(&set, "h1", "h2", cents: 20_000, day: 12)
    Self.pay(&set, "h2", "h3", cents: 19_500, day: 13)  // one relay by chance, no ring, no fan
    #expect(findings(set).isEmpty)
  }

  /// A fan-in of split transfers of about 3.21 into a mule, with honest
  /// coffee-sized payments of 3.00 to 3.60 in the background, and a late
  /// sender paying the mule `amounts` (cents) on day 100.
  func fanInWithLateSender(_ amounts: [Int64]) -> Set<String> {
    var set = Self.background()
    for i in 0..<60 { Self.pay(&set, "h\(i)", "cafe\(i % 7)", cents: 300 + Int64(i), day: Int64(i * 2)) }
    for (i, (sender, count)) in [("fb", 4), ("fc", 5), ("fd", 3)].enumerated() {
      Self.pay(&set, sender, "mule", cents: 321, day: 8 + Int64(i) * 30, count: count)
    }
    for (i, cents) in amounts.enumerated() {
      set.addPayment(
        id: "late-\(i)", source: "late", target: "mule", amount: Amount(micros: cents * 10_000),
        time: Self.start + 100 * Self.day)
    }
    let finding = findings(set).first { $0.accounts.contains { set.accounts.ids[$0] == "mule" } }
    return Set(finding?.accounts.map { set.accounts.ids[$0] } ?? [])
  }

  @Test func aLateSplitIntoAFanInIsLinkedByItsSplitAndItsAmountTogether() {
    // One payment of 3.30 in a band the background uses is chance; two of
    // 3.30 and 3.12 the same day are a split of the fan-in's amount.
    #expect(fanInWithLateSender([330]) == ["fb", "fc", "fd", "mule"])
    #expect(fanInWithLateSender([330, 312]) == ["fb", "fc", "fd", "mule", "late"])
  }

  @Test func theSameRareAmountPaidBackIntoAStructuresPayerIsLinked() throws {
    // A stack started by l1 in split payments; weeks later l5 pays l1 the
    // same 47.13: the money coming round to where it set out.
    var set = Self.background()
    for (from, to, count, d) in [("l1", "l2", 3, 10), ("l2", "l3", 4, 20), ("l3", "l4", 2, 30)] {
      Self.pay(&set, from, to, cents: 4_713, day: Int64(d), count: count)
    }
    Self.pay(&set, "l5", "l1", cents: 4_713, day: 60)
    let finding = try #require(findings(set).first)
    #expect(Set(finding.accounts.map { set.accounts.ids[$0] }) == ["l1", "l2", "l3", "l4", "l5"])
  }

  @Test func twoSchemesSharingABusyAccountButNoAmountStayApart() {
    var set = Self.background()
    Self.pay(&set, "x1", "hub", cents: 321, day: 10, count: 5)
    Self.pay(&set, "x2", "hub", cents: 321, day: 40, count: 4)
    Self.pay(&set, "y1", "hub", cents: 1_777, day: 20, count: 5)
    Self.pay(&set, "y2", "hub", cents: 1_777, day: 50, count: 4)
    let groups = Set(findings(set).map { Set($0.accounts.map { set.accounts.ids[$0] }) })
    #expect(groups == [["x1", "x2", "hub"], ["y1", "y2", "hub"]])
  }

  @Test func theDailyLaunderingFixtureIsFoundWithItsTypologies() throws {
    let set = try SignalSet(contentsOf: Self.fixtures.appendingPathComponent("daily-laundering").path)
    let found = findings(set)
    #expect(Set(found.compactMap(typology)) == ["fan_in", "cycle"])
    let flagged = Set(found.flatMap(\.accounts).map { set.accounts.ids[$0] })
    #expect(flagged == ["fin_a", "fin_b", "fin_c", "fin_d", "mule", "ring_1", "ring_2", "ring_3", "ring_4"])
  }

  @Test func typologiesAreNamedByShape() {
    #expect(PaymentTypology.classify(edges: [(0, 1), (1, 2), (2, 0)]) == .cycle)
    #expect(PaymentTypology.classify(edges: [(0, 1), (0, 2), (1, 3), (2, 3)]) == .scatterGather)
    #expect(PaymentTypology.classify(edges: [(0, 2), (0, 3), (1, 2), (1, 3)]) == .bipartite)
    #expect(PaymentTypology.classify(edges: [(0, 2), (1, 2), (2, 3), (2, 4)]) == .gatherScatter)
    #expect(PaymentTypology.classify(edges: [(0, 3), (1, 3), (2, 3)]) == .fanIn)
    #expect(PaymentTypology.classify(edges: [(0, 1), (0, 2), (0, 3)]) == .fanOut)
    #expect(PaymentTypology.classify(edges: [(0, 1), (1, 2), (2, 3)]) == .stack)
    #expect(PaymentTypology.classify(edges: [(0, 1), (0, 1)]) == .structuring)
  }

  @Test func aBandNearTheLargestAmountStopsThere() {
    // 1 % above an amount near Int64.max micro-units is past Int64.max.
    #expect(AmountDistribution.band(near: .max, tolerance: 0.01).upperBound == .max)
    let amounts = AmountDistribution([.max, .max - 1, 5_000_000] as [Int64])
    #expect(amounts.share(near: .max, tolerance: 0.01) == 2.0 / 3)
  }

  @Test func theAmountDistributionCountsBandsAndExactAmounts() {
    let amounts = AmountDistribution([100, 100, 105, 250, 1_000] as [Int64])
    #expect(amounts.share(exactly: 100) == 0.4)
    #expect(amounts.share(near: 100, tolerance: 0.1) == 0.6)
    #expect(amounts.share(exactly: 7) == 0.2)  // never impossible: one payment at least
    #expect(amounts.excluding([100, 250]).share(exactly: 100) == 1.0 / 3)
    #expect(amounts.excluding([100, 250]).share(exactly: 250) == 1.0 / 3)  // none left, still not impossible
    // Amounts of many magnitudes sort right (the radix sort's bytes).
    let mixed = AmountDistribution([5_000_000_000_000, 3, 70_000, 3, 255, 256, 65_536] as [Int64])
    #expect(mixed.share(exactly: 3) == 2.0 / 7)
    #expect(mixed.share(near: 256, tolerance: 0.01) == 2.0 / 7)
    #expect(mixed.share(near: 5_000_000_000_000, tolerance: 0.5) == 1.0 / 7)
  }

  @Test func paymentsAreGroupedByPairAndDay() {
    var set = SignalSet()
    Self.pay(&set, "a", "b", cents: 100, day: 0, count: 3)
    Self.pay(&set, "a", "b", cents: 200, day: 1)
    Self.pay(&set, "b", "a", cents: 100, day: 0)
    let transfers = PaymentTransfers(set, bucketSeconds: Self.day)
    #expect(transfers.count == 3)
    #expect(transfers.repeatedPairs == 1)
    #expect((0..<3).map(transfers.paymentCount).sorted() == [1, 1, 3])
    #expect(transfers.bucketSpan == 2)
  }
}
