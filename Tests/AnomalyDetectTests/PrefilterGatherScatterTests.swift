import SignalGraph
import Testing

@testable import InlinePrefilter

/// The gather-scatter of ``IncrementalFlowCheck``
/// (`IncrementalFlowCheck+GatherScatter.swift`): money gathered at one
/// account from several senders in near-equal sums and paid on to several
/// others in near-equal sums, the two sums agreeing but for a skim, is held
/// at the payment out that brings them into agreement, its earlier payments
/// in and out revoked; an employer, a club's treasurer, a savings circle, a
/// hub paying its own sum, a rent agent's second month, sums that do not
/// agree, and a world where every sum is drawn from one narrow range are not.
@Suite("Prefilter gather-scatter")
struct PrefilterGatherScatterTests {
  let t0: Int64 = 1_767_225_600
  let day: Int64 = 86_400

  func pay(_ s: String, _ d: String, _ cents: Int64, _ t: Int64) -> SignalEvent {
    .payment(id: "p", source: s, target: d, amount: Amount(micros: cents * 10_000), time: t0 + t)
  }

  /// `days` days of 300 accounts (`acct0`…) each paying another every
  /// three days about: with `keepingSums`, each its own sum between 250.00
  /// and 350.00 (as AMLSim's accounts do; with `wobbling`, up to 1 % above
  /// it each time, as a wage with overtime or a bill varies), else a new sum in that range
  /// every time (shoppers); `planted` interleaved by time. Returns every
  /// decision, and the positions of the planted events' among them.
  func decide(_ planted: [SignalEvent], days: Int64 = 60, keepingSums: Bool = false, wobbling: Bool = false) -> (
    decisions: [Decision], planted: [Int]
  ) {
    let events = world(days: days, keepingSums: keepingSums, wobbling: wobbling, with: planted)
    var f = Prefilter()
    let decisions = events.map { f.decide($0.event) }
    #expect(f.invariantViolation() == nil)
    return (decisions, events.indices.filter { events[$0].planted })
  }

  /// The events ``decide(_:days:keepingSums:wobbling:)`` decides, in time order,
  /// each marked planted or not.
  func world(days: Int64, keepingSums: Bool = false, wobbling: Bool = false, with planted: [SignalEvent]) -> [(
    event: SignalEvent, planted: Bool
  )] {
    var state: UInt64 = 17
    func next() -> Int64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(state >> 33)
    }
    let accounts: Int64 = 300
    var events: [(event: SignalEvent, planted: Bool)] = []
    var t: Int64 = 0
    while t < days * day {
      for a in 0..<accounts {
        t += 3 * day / accounts
        let to = (a + 1 + next() % (accounts - 1)) % accounts
        var cents = keepingSums ? 25_000 + a * 3_331 % 10_000 : 25_000 + next() % 10_000
        if wobbling { cents += next() % (cents / 100) }
        events.append((pay("acct\(a)", "acct\(to)", cents, t), false))
      }
    }
    events += planted.map { ($0, true) }
    events.sort { $0.event.time < $1.event.time }
    return events
  }

  /// `senders` paying `hub` `cents[i]` an hour apart from day `day`.
  func gather(_ senders: [String], into hub: String, _ cents: [Int64], day start: Int64) -> [SignalEvent] {
    zip(senders, cents).enumerated().map { pay($1.0, hub, $1.1, start * day + Int64($0) * 3_600) }
  }

  /// `hub` paying `receivers` `cents[i]` half a day apart from day `day`.
  func scatter(_ hub: String, to receivers: [String], _ cents: [Int64], day start: Int64) -> [SignalEvent] {
    zip(receivers, cents).enumerated().map { pay(hub, $1.0, $1.1, start * day + Int64($0) * day / 2) }
  }

  let senders = ["acct7", "acct19", "acct23", "acct42"]
  let receivers = ["acct101", "acct150", "acct200", "acct250"]
  /// 777.77 about (± 1 %), from four senders: 3 112.07 in all.
  let gathered: [Int64] = [77_777, 78_120, 77_010, 78_300]
  /// 740.00 about, to four receivers: 2 958.00 in all, 95 % of it.
  let scattered: [Int64] = [74_000, 73_650, 74_420, 73_730]

  @Test func aGatherScatterIsHeldWhereItsSumsAgreeAndItsEarlierPaymentsRevoked() {
    let planted =
      gather(senders, into: "hub", gathered, day: 50) + scatter("hub", to: receivers, scattered, day: 52)
    let (decisions, positions) = decide(planted)
    let mine = positions.map { decisions[$0] }
    // Three payments out pay 71 % of it; the fourth brings the sums into agreement.
    #expect(mine[..<7].allSatisfy { $0.verdict == .admit })
    #expect(mine[7].verdict == .hold)
    let reason = mine[7].reasons.first ?? ""
    #expect(reason.hasPrefix("gather-scatter: 4 senders ("), "\(reason)")
    #expect(reason.contains("paid hub 770.10–783.00, and hub paid 4 others ("), "\(reason)")
    #expect(reason.contains("736.50–744.20, 95 % of it"), "\(reason)")
    #expect(Set(mine[7].revocations.map(\.seq)) == Set(mine[..<7].map(\.seq)))
    // Nothing of the background is held, and no gather-scatter found in
    // it. One honest coincidence among its shoppers is revoked: the eight
    // payments acct45 received in the stream's first 24 days, all within
    // 4 % of each other, none in the band among the 18 it received after
    // (E ≈ 0.005 by the fan-in's reckoning, under its bar of 0.01: a false
    // hold its α allows), judged a month on as a fan-in of the first month.
    let others = Set(decisions.indices).subtracting(positions)
    #expect(others.allSatisfy { decisions[$0].verdict == .admit })
    let revoked = others.flatMap { decisions[$0].revocations }
    #expect(revoked.count == 8)
    #expect(
      revoked.allSatisfy {
        $0.reasons.first?.hasPrefix("fan-in in the stream's first month: 8 senders (") == true
          && $0.reasons.first?.contains(") paid acct45 ") == true
      })
  }

  @Test func sumsThatDoNotAgreeAreAdmitted() {
    // The hub pays out half of what came in, or more than came in.
    for cents: [Int64] in [[38_900, 38_850, 39_010, 38_700], [84_000, 83_650, 84_420, 83_730]] {
      let planted = gather(senders, into: "hub", gathered, day: 50) + scatter("hub", to: receivers, cents, day: 52)
      let (decisions, positions) = decide(planted)
      #expect(positions.allSatisfy { decisions[$0].verdict == .admit }, "\(cents)")
    }
  }

  @Test func anEmployerPayingEqualSalariesOutOfVariedTakingsIsAdmitted() {
    // Takings of 3 900.00 from six customers, four salaries of 900.00 (92 %).
    let takings: [Int64] = [12_000, 45_500, 89_000, 150_000, 27_500, 66_000]
    let customers = ["acct3", "acct8", "acct13", "acct18", "acct33", "acct38"]
    let planted =
      gather(customers, into: "employer", takings, day: 50)
      + scatter("employer", to: receivers, [90_000, 90_000, 90_000, 90_000], day: 52)
    let (decisions, positions) = decide(planted)
    #expect(positions.allSatisfy { decisions[$0].verdict == .admit })
  }

  @Test func aClubsTreasurerPayingBillsIsAdmitted() {
    // Eight members' dues of 50.00; bills of 120.00, 95.50 and 180.00 (99 %).
    let members = (0..<8).map { "acct\(60 + $0)" }
    let planted =
      gather(members, into: "club", Array(repeating: 5_000, count: 8), day: 50)
      + scatter("club", to: receivers, [12_000, 9_550, 18_000], day: 52)
    let (decisions, positions) = decide(planted)
    #expect(positions.allSatisfy { !(decisions[$0].reasons.first ?? "").hasPrefix("gather-scatter") })
    #expect(positions.suffix(3).allSatisfy { decisions[$0].verdict == .admit })
  }

  @Test func aSavingsCirclePayingItsPotToOneMemberIsAdmitted() {
    let members = ["acct70", "acct71", "acct72", "acct73", "acct74"]
    let planted =
      gather(members, into: "circle", Array(repeating: 77_777, count: 5), day: 50)
      + scatter("circle", to: ["acct70"], [388_885], day: 52)
    let (decisions, positions) = decide(planted)
    #expect(positions.allSatisfy { !(decisions[$0].reasons.first ?? "").hasPrefix("gather-scatter") })
    #expect(decisions[positions.last!].verdict == .admit)
  }

  @Test func aHubPayingItsOwnSumOnIsAdmittedAndOneTakingASumUpIsNot() {
    // The hub paid 740.00 to five others in its first weeks: its own sum,
    // paid on again after the gather, is its business. A hub that paid
    // 150.00 before takes 740.00 up with the gather: a structure.
    for (habit, held) in [(Int64(74_000), false), (15_000, true)] {
      let before = (0..<5).map { pay("hub", "acct\(270 + $0)", habit, Int64($0) * 3 * day + 7_200) }
      let planted =
        before + gather(senders, into: "hub", gathered, day: 50)
        + scatter("hub", to: receivers, [74_000, 74_000, 74_000, 74_000], day: 52)
      let (decisions, positions) = decide(planted)
      let gatherScatters = positions.filter { (decisions[$0].reasons.first ?? "").hasPrefix("gather-scatter") }
      #expect(gatherScatters.isEmpty != held, "habit \(habit)")
    }
  }

  @Test func aHubsOwnSumPaidAmongTheStructuresIsNoPartOfIt() {
    // The hub pays 740.00 to others by habit; after the gather it pays that
    // once more, and four others new sums about it.
    let before = (0..<5).map { pay("hub", "acct\(270 + $0)", 74_000, Int64($0) * 3 * day + 7_200) }
    let out = scatter(
      "hub", to: ["acct280"] + receivers, [74_000, 75_000, 75_200, 75_400, 75_600], day: 52)
    let (decisions, positions) = decide(before + gather(senders, into: "hub", gathered, day: 50) + out)
    let mine = positions.suffix(9).map { decisions[$0] }
    // Three new sums pay 73 % of it; the fourth, 97 %, without the habitual payment.
    #expect(mine[..<8].allSatisfy { $0.verdict == .admit })
    #expect(mine[8].reasons.first?.hasPrefix("gather-scatter: 4 senders") == true, "\(mine[8].reasons)")
    #expect(Set(mine[8].revocations.map(\.seq)) == Set((mine[..<4] + mine[5..<8]).map(\.seq)))
  }

  @Test func aRentAgentsSecondMonthIsAdmitted() {
    // Three tenants pay the agent 1 000.00 each month; it pays three
    // owners 950.00 each three days on. The first month is a gather-scatter
    // to a stream that never saw the agent (the known limit); from the
    // second, the pairs are routine.
    let tenants = ["acct90", "acct91", "acct92"], owners = ["acct120", "acct121", "acct122"]
    var planted: [SignalEvent] = []
    for month in Int64(0)..<2 {
      planted += gather(tenants, into: "agent", [100_000, 100_000, 100_000], day: 20 + 30 * month)
      planted += scatter("agent", to: owners, [95_000, 95_000, 95_000], day: 23 + 30 * month)
    }
    let (decisions, positions) = decide(planted, days: 70)
    #expect(positions.suffix(6).allSatisfy { decisions[$0].verdict == .admit && decisions[$0].revocations.isEmpty })
  }

  @Test func aLandlordPayingBuildersOutOfItsRentsIsAdmitted() {
    // Three tenants pay 1 000.00 each month; in the second, the landlord
    // pays three builders 950.00 each for a job: its tenants pay it by
    // routine. It is paid other sums too, so rent is not most of what it takes.
    let tenants = ["acct90", "acct91", "acct92"]
    let other = (0..<16).map { pay("acct\(200 + $0)", "landlord", 25_000 + Int64($0) * 700, Int64($0) * 3 * day) }
    let planted =
      other + gather(tenants, into: "landlord", [100_000, 100_000, 100_000], day: 20)
      + gather(tenants, into: "landlord", [100_000, 100_000, 100_000], day: 50)
      + scatter("landlord", to: ["acct130", "acct131", "acct132"], [95_000, 95_000, 95_000], day: 53)
    let (decisions, positions) = decide(planted, days: 70)
    #expect(positions.suffix(6).allSatisfy { decisions[$0].verdict == .admit && decisions[$0].revocations.isEmpty })
  }

  @Test func equalSumsAmongShoppersOfANarrowRangeAreNoStructure() {
    // Every payment a new sum between 250.00 and 350.00: four of them into
    // one account within 8 % and four out of it within 6 % (as chance has
    // them among the background's: none of its own is held either) agree
    // by themselves.
    let planted =
      gather(senders, into: "hub", [29_000, 30_100, 31_200, 29_650], day: 50)
      + scatter("hub", to: receivers, [27_500, 28_300, 29_000, 27_900], day: 52)
    let (decisions, positions) = decide(planted)
    #expect(decisions.allSatisfy { $0.verdict == .admit }, "\(positions.map { decisions[$0].reasons })")
  }

  @Test func aGatherScatterAmongAccountsKeepingTheirSumsIsHeld() {
    let planted =
      gather(senders, into: "hub", gathered, day: 50) + scatter("hub", to: receivers, scattered, day: 52)
    let (decisions, positions) = decide(planted, keepingSums: true)
    #expect(positions.contains { (decisions[$0].reasons.first ?? "").hasPrefix("gather-scatter") })
  }

  @Test func aHubWithNoHistoryPayingSumsThatDifferIsHeldWhereAccountsKeepTheirSums() {
    // Three senders pay the hub 770.00 to 800.00. Where every account pays
    // its own sum to the cent (as AMLSim's do), a hub with no history paying
    // three receivers one sum to the cent may be paying its own new sum: no
    // evidence. Three sums that differ, within 1 % of each other, are a
    // structure's: no one here varies a sum it repeats.
    let equal: [Int64] = [74_000, 74_000, 74_000], differing: [Int64] = [74_000, 73_650, 74_420]
    func chances(paying cents: [Int64], wobbling: Bool = false) -> [Substring] {
      let planted =
        gather(Array(senders.prefix(3)), into: "hub", [77_000, 78_500, 80_000], day: 50)
        + scatter("hub", to: Array(receivers.prefix(3)), cents, day: 52)
      let (decisions, positions) = decide(planted, keepingSums: true, wobbling: wobbling)
      return positions.compactMap { decisions[$0].reasons.first }.filter { $0.hasPrefix("gather-scatter") }
        .compactMap { $0.split(separator: "chance ≈ ").last }
    }
    #expect(chances(paying: equal).isEmpty)
    #expect(chances(paying: differing).count == 1)
    // Where each account's sum varies up to 1 % each time, sums that differ
    // weigh as sums to the cent do (the rest of this world holds both).
    #expect(chances(paying: differing, wobbling: true) == chances(paying: equal, wobbling: true))
  }

  @Test func payoutsOlderThanTheRelayWindowReadNoHubsWindow() throws {
    // A hub gathered and paid out 18 to 20 days ago; its payouts are kept
    // (the fan window's) but are no payments out of its relay window, so
    // paying again now reads no window of it.
    let old = gather(senders, into: "hub", gathered, day: 30) + scatter("hub", to: receivers, scattered, day: 30)
    var f = Prefilter()
    for event in world(days: 50, with: old).map(\.event) { _ = f.decide(event) }
    let counted = try #require(f.check(IncrementalFlowCheck.self)).gatherWindows
    _ = f.decide(pay("hub", "acct5", 12_345, 50 * day))
    #expect(try #require(f.check(IncrementalFlowCheck.self)).gatherWindows == counted)
  }

  @Test func aGatherScatterSurvivesACheckpoint() throws {
    // Cut after two payments out: the hub's list of payments out carries them.
    let out = scatter("hub", to: receivers, scattered, day: 52)
    let before = world(days: 52, with: gather(senders, into: "hub", gathered, day: 50) + out.prefix(2))
    var f = Prefilter()
    for event in before.map(\.event) { _ = f.decide(event) }
    var resumed = try Prefilter(configuration: f.configuration, checkpoint: f.checkpoint())
    #expect(resumed.checkpoint() == f.checkpoint())
    let whole = out.dropFirst(2).map { f.decide($0) }, restored = out.dropFirst(2).map { resumed.decide($0) }
    #expect(whole.last?.reasons.first?.hasPrefix("gather-scatter: 4 senders") == true, "\(whole.map(\.reasons))")
    #expect(whole.last?.revocations.count == 7)
    #expect(whole == restored)
    #expect(resumed.invariantViolation() == nil)
  }
}
