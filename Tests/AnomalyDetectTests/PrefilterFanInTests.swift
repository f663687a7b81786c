import SignalGraph
import Testing

@testable import InlinePrefilter

/// The fan-in of ``IncrementalFlowCheck`` (`IncrementalFlowCheck+FanIn.swift`):
/// several senders paying one account near-equal sums they do not usually
/// pay are held at the sender that completes the coincidence, and its
/// earlier payments revoked; a shop's price, a club's dues paid again, sums
/// the senders pay by habit, a world where equal shares are common and the
/// stream's first fan window are not (a fan-in there, or into a payee paid
/// too few times before, waits for its payee's month after, and is revoked
/// then if that shows no habit).
@Suite("Prefilter fan-in")
struct PrefilterFanInTests: SumKeeperSuite {
  /// ``SumKeeperStream``'s forty days; with `sharedBills`, also 60 flats,
  /// each paid one equal share by four flatmates every week (a world where
  /// one account often receives one sum from several). `fanIn`'s payments
  /// are interleaved by time.
  func background(sharedBills: Bool = false, billWeeks: Int64 = 5, with fanIn: [SignalEvent] = []) -> [SignalEvent] {
    var bills: [SignalEvent] = []
    if sharedBills {
      for flat in Int64(0)..<60 {
        for week in Int64(0)..<billWeeks {
          for mate in Int64(0)..<4 {
            let t = week * 7 * day + flat * 600 + mate * 3_600
            bills.append(pay("mate\(flat)_\(mate)", "flat\(flat)", 20_000 + flat * 211 + week * 97, t))
          }
        }
      }
    }
    return SumKeeperStream.events(with: bills + fanIn)
  }

  /// `senders` paying `payee` 777.77, a sum none of them pays, two days
  /// apart from day `start` on.
  func fanIn(_ senders: [String], into payee: String = "collector", cents: Int64 = 77_777, from start: Int64)
    -> [SignalEvent]
  {
    senders.enumerated().map { pay($1, payee, cents, start * day + Int64($0) * 2 * day + 3_600) }
  }

  let mules = ["acct7", "acct19", "acct23", "acct42", "acct77", "acct101"]

  @Test func aFanInOfSumsItsSendersDoNotPayIsHeldAndItsEarlierPaymentsRevoked() {
    var f = Prefilter()
    for event in background() { #expect(f.decide(event).verdict == .admit) }
    let decisions = fanIn(mules, from: 41).map { f.decide($0) }
    expectHeldOnceComplete(decisions, reason: { "fan-in: \($0) senders (" }, holding: "paid collector 777.77–777.77")
    #expect(f.invariantViolation() == nil)
  }

  @Test func aSendersSplitHeldOnItsOwnJoinsAFanInInBothLists() {
    var f = Prefilter()
    for event in background() { _ = f.decide(event) }
    // acct7 pays the collector in three equal parts within a day (a split
    // held on its own), then the other mules complete a fan-in with it, a
    // day apart, while the relay lists still keep its parts.
    let parts = (0..<3).map { f.decide(pay("acct7", "collector", 77_777, 41 * day + Int64($0) * 900)) }
    #expect(parts.last?.verdict == .hold)
    let rest = mules.dropFirst().enumerated().map {
      f.decide(pay($1, "collector", 77_777, (42 + Int64($0)) * day + 3_600))
    }
    #expect(rest.contains { $0.reasons.first?.hasPrefix("fan-in:") == true })
    // The relay and fan lists agree on what is withheld and counted.
    #expect(f.invariantViolation() == nil)
  }

  @Test func aFanInIsWeighedAgainstHowOftenAccountsReceiveOneSumFromSeveral() {
    // Where flatmates share bills, four senders of one sum are common.
    var shared = Prefilter()
    for event in background(sharedBills: true) { _ = shared.decide(event) }
    let four = Array(mules.prefix(4))
    #expect(fanIn(four, from: 41).allSatisfy { shared.decide($0).verdict == .admit })
    // Where everyone keeps to a sum of their own, four are not.
    var kept = Prefilter()
    for event in background() { _ = kept.decide(event) }
    #expect(fanIn(four, from: 41).contains { kept.decide($0).verdict == .hold })
  }

  /// Three mules paying the collector 777.77 two days apart from day 41,
  /// then the first of them paying it `again` cents on day 47.
  func fanInPaidAgain(_ again: Int64) -> [SignalEvent] {
    fanIn(Array(mules.prefix(3)), from: 41) + [pay(mules[0], "collector", again, 47 * day + 3_600)]
  }

  @Test func aSenderPayingTheCollectorAgainASumThatDiffersWeighsAsAnotherSender() {
    // Where people pay each payee one sum, three mules paying one collector
    // near-equal sums are not enough; one of them paying it again a sum
    // that differs is.
    var f = Prefilter()
    for event in background() { _ = f.decide(event) }
    let decisions = fanInPaidAgain(77_727).map { f.decide($0) }
    #expect(decisions.prefix(3).allSatisfy { $0.verdict == .admit })
    #expect(decisions[3].verdict == .hold)
    #expect(Set(decisions[3].revocations.map(\.seq)) == Set(decisions.prefix(3).map(\.seq)))
    let reason = decisions[3].reasons.first ?? ""
    #expect(reason.hasPrefix("fan-in: 3 senders ("), "\(reason)")
    #expect(reason.contains("(and 1 more from senders that had paid it, sums that differ)"), "\(reason)")
    #expect(f.invariantViolation() == nil)
    // Paid again to the cent, a standing order's repeat: nothing more.
    var same = Prefilter()
    for event in background() { _ = same.decide(event) }
    #expect(fanInPaidAgain(77_777).allSatisfy { same.decide($0).verdict == .admit })
  }

  @Test func friendsPayingAboutTheSameEachWeekMakeNoFanInOfASenderPayingAgain() {
    // Sixty payers pay their three friends a share of a bill each week, up
    // to 1 % apart: paying a payee again a sum that differs is what people
    // do here, and the mule paying again weighs nothing more.
    let bills = SumKeeperStream.friendsSplittingBills()
    let fan = fanInPaidAgain(77_727)
    var f = Prefilter()
    let decisions = SumKeeperStream.events(with: bills + fan).map { ($0, f.decide($0)) }
    #expect(decisions.allSatisfy { $0.1.verdict == .admit && $0.1.revocations.isEmpty })
    #expect(decisions.filter { fan.contains($0.0) }.count == 4)
  }

  @Test func sendersPayingTheirOwnSumsAreAdmitted() {
    // Six accounts that each pay 250.00 to many (a subscription, a fee).
    var events = background()
    let regulars = (0..<6).map { "regular\($0)" }
    for (r, regular) in regulars.enumerated() {
      for k in Int64(0)..<6 {
        let t = Int64(r) * 3_600 + k * 6 * day
        events.append(pay(regular, "acct\(Int64(r) * 40 + k)", 25_000, t))
      }
    }
    events.sort { time($0) < time($1) }
    var f = Prefilter()
    for event in events { _ = f.decide(event) }
    #expect(fanIn(regulars, cents: 25_000, from: 41).allSatisfy { f.decide($0).verdict == .admit })
  }

  @Test func aShopsPriceIsItsHabit() {
    // A bakery paid 12.40 by its customers in the stream's first month.
    var events = background()
    for c in Int64(0)..<10 { events.append(pay("customer\(c)", "bakery", 1_240, c * 3 * day + 7_200)) }
    events.sort { time($0) < time($1) }
    var f = Prefilter()
    for event in events { _ = f.decide(event) }
    // A month on, none of those in its fan list, new customers paying it.
    let newcomers = (0..<6).map { "newcomer\($0)" }
    #expect(fanIn(newcomers, into: "bakery", cents: 1_240, from: 60).allSatisfy { f.decide($0).verdict == .admit })
    // The same newcomers paying a sum the bakery never took are a fan-in.
    #expect(fanIn(newcomers, into: "bakery", cents: 77_777, from: 75).contains { f.decide($0).verdict == .hold })
  }

  @Test(arguments: [true, false])
  func aPayeePaidTheBandBeforeBySendersWhoPayItToEveryoneHasNoHabitOfIt(byHabit: Bool) {
    // Three regulars paid the collector 777.00 in the stream's first weeks.
    // By habit, they pay it to two others each as well: their own sum,
    // which says nothing of the collector. Otherwise, the collector alone
    // was paid it: its price, against which a fan-in of it is routine.
    var early: [SignalEvent] = []
    for r in Int64(0)..<3 {
      early.append(pay("regular\(r)", "collector", 77_700, (2 + 4 * r) * day))
      if byHabit {
        for other in Int64(0)..<2 {
          early.append(pay("regular\(r)", "acct\(10 * r + other)", 77_700, (3 + 4 * r + other) * day))
        }
      }
    }
    var f = Prefilter()
    for event in background(with: early) { _ = f.decide(event) }
    let decisions = fanIn(mules, from: 45).map { f.decide($0) }
    #expect(decisions.contains { $0.verdict == .hold } == byHabit, "\(decisions.flatMap(\.reasons))")
  }

  @Test func aClubsMembersPayingTheirDuesAgainAreRoutine() {
    var f = Prefilter()
    for event in background() { _ = f.decide(event) }
    let members = (0..<8).map { "member\($0)" }
    // A club's first dues after the stream's first fan window look like a
    // fan-in (the known limit); a month on, the same members are routine.
    let firstMonth = fanIn(members, into: "club", cents: 2_750, from: 41).map { f.decide($0) }
    #expect(firstMonth.contains { $0.verdict == .hold })
    let secondMonth = fanIn(members, into: "club", cents: 2_750, from: 71).map { f.decide($0) }
    #expect(secondMonth.allSatisfy { $0.verdict == .admit })
    #expect(f.invariantViolation() == nil)
  }

  @Test func aFanInWithinTheStreamsFirstFanWindowIsAdmittedAndWaits() {
    // Its payee's habit is unknown then, not absent: a fan-in that began
    // in the stream's first month is not held, though it ends after it
    // (it waits for the month after: the tests below), and a payment
    // dated before the stream began does not make the stream older.
    var f = Prefilter()
    let backdated = pay("acct3", "acct4", 12_345, -40 * day)
    let decisions = background(with: fanIn(mules, from: 27)).map { f.decide($0) } + [f.decide(backdated)]
    #expect(decisions.allSatisfy { $0.verdict == .admit })
    #expect(fanIn(mules, into: "collector3", cents: 55_555, from: 28).allSatisfy { f.decide($0).verdict == .admit })
    let waiting = f.check(IncrementalFlowCheck.self)?.deferredFanIns.waiting.values.map(\.payments.count)
    #expect(waiting?.sorted() == [mules.count, mules.count])
    // A fan-in once the stream watched for a fan window is held.
    #expect(fanIn(mules, into: "collector2", cents: 66_666, from: 41).contains { f.decide($0).verdict == .hold })
  }

  /// A payment a day, `acct3` to `acct4`, over `days`: the stream going on
  /// (its clock moves a day at most per event).
  func dailyPayments(_ days: ClosedRange<Int64>) -> [SignalEvent] {
    days.map { pay("acct3", "acct4", 12_345, $0 * day) }
  }

  @Test func aFanInOfTheFirstMonthIsRevokedOnceItsPayeesMonthAfterShowsNoHabit() {
    var f = Prefilter()
    // Admitted while the stream is young (days 20 to 30): its payee's habit is unknown.
    for event in background(with: fanIn(mules, from: 20)) { #expect(f.decide(event).verdict == .admit) }
    // A month after its last payment, nothing came into the collector:
    // the payment decided then revokes the six, once.
    let later = dailyPayments(41...70).map { f.decide($0) }
    #expect(later.allSatisfy { $0.verdict == .admit })
    let revoking = later.indices.filter { !later[$0].revocations.isEmpty }
    #expect(revoking == [21])  // day 62: the last was paid an hour into day 30
    let due = later[21].revocations
    #expect(due.count == mules.count)
    #expect(
      due.allSatisfy {
        $0.reasons.first?.hasPrefix("fan-in in the stream's first month: 6 senders (") == true
          && $0.reasons.first?.contains("paid collector 777.77–777.77") == true
      })
    #expect(f.invariantViolation() == nil)
  }

  @Test func aFirstMonthFanInWaitsWithItsSendersPaymentsAgain() {
    // Three mules paying the collector in the stream's first month (days 20
    // to 24) are not enough to wait on; two of them paying it again sums
    // that differ (days 26 and 28) are, and the five are revoked a month after.
    func revoked(again: Bool) -> [Decision] {
      let three = fanIn(Array(mules.prefix(3)), from: 20)
      let twice = [pay(mules[0], "collector", 77_727, 26 * day + 3_600), pay(mules[1], "collector", 77_801, 28 * day)]
      let fan = again ? three + twice : three
      var f = Prefilter()
      for event in background(with: fan) { #expect(f.decide(event).verdict == .admit) }
      let later = dailyPayments(41...70).flatMap { f.decide($0).revocations }
      #expect(f.invariantViolation() == nil)
      return later
    }
    #expect(revoked(again: false).isEmpty)
    let five = revoked(again: true)
    #expect(five.count == 5)
    #expect(
      five.allSatisfy {
        $0.reasons.first?.hasPrefix("fan-in in the stream's first month: 3 senders (") == true
          && $0.reasons.first?.contains("(and 2 more from senders that had paid it, sums that differ)") == true
      }, "\(five.flatMap(\.reasons))")
  }

  @Test func aPaymentDatedFarAheadJudgesNoFanInBeforeItsMonthAfter() {
    var f = Prefilter()
    for event in background(with: fanIn(mules, from: 20)) { _ = f.decide(event) }
    // A broken clock, a year ahead: the stream's clock moves a day.
    #expect(f.decide(pay("acct3", "acct4", 12_345, 400 * day)).revocations.isEmpty)
    #expect(f.check(IncrementalFlowCheck.self)?.deferredFanIns.waiting.count == 1)
  }

  @Test func aClubsOrAShopsFirstMonthIsNotRevokedWhenItsPaidAgain() {
    let members = (0..<8).map { "member\($0)" }
    let newcomers = (0..<8).map { "newcomer\($0)" }
    let firstMonth = fanIn(members, into: "club", cents: 2_750, from: 10)
    // The members pay their dues again, or new customers pay the price.
    for secondMonth in [
      fanIn(members, into: "club", cents: 2_750, from: 40), fanIn(newcomers, into: "club", cents: 2_750, from: 40),
    ] {
      var f = Prefilter()
      let decisions = (background(with: firstMonth) + secondMonth + dailyPayments(57...75)).map { f.decide($0) }
      #expect(decisions.allSatisfy { $0.verdict == .admit && $0.revocations.isEmpty })
      #expect(f.check(IncrementalFlowCheck.self)?.deferredFanIns.waiting.isEmpty == true)
      #expect(f.invariantViolation() == nil)
    }
    // A collector paid once by the same eight in the first month is revoked.
    var once = Prefilter()
    let revoked = (background(with: firstMonth) + dailyPayments(41...75)).flatMap { once.decide($0).revocations }
    #expect(revoked.count == members.count)
  }

  @Test func aFirstMonthFanInIsJudgedByWhatTheMonthAfterShowsOfItsSendersAndTheStream() {
    // Six newcomers pay a collector 777.77 (days 18 to 28) in a stream whose
    // first week is full of flatmates' equal shares: when found, each sender
    // new and equal receipts common, the fan-in is likely enough. A month
    // on, the shares are a small part of what the stream saw, and each
    // sender has paid a sum of its own to three others: it is revoked then.
    // A shop whose price new customers pay the month after is not.
    let senders = (0..<6).map { "newcomer\($0)" }
    let own = senders.enumerated().flatMap { i, sender in
      (0..<3).map { pay(sender, "acct\(i * 3 + $0)", 10_000 + Int64(i) * 1_111, (34 + Int64(i) + 7 * Int64($0)) * day) }
    }
    let customers = fanIn((0..<8).map { "customer\($0)" }, from: 40)
    func decisions(with extra: [SignalEvent]) -> [Decision] {
      let events =
        background(sharedBills: true, billWeeks: 1, with: fanIn(senders, from: 18)) + own + extra
        + dailyPayments(41...80)
      var f = Prefilter()
      let decided = events.sorted { SumKeeperStream.time($0) < SumKeeperStream.time($1) }.map { f.decide($0) }
      #expect(f.invariantViolation() == nil)
      return decided
    }
    let collector = decisions(with: [])
    #expect(collector.allSatisfy { $0.verdict == .admit })
    #expect(collector.flatMap(\.revocations).count == senders.count)
    let shop = decisions(with: customers)
    #expect(shop.allSatisfy { $0.verdict == .admit && $0.revocations.isEmpty })
  }

  @Test func aFanInIntoAPayeePaidTooFewTimesBeforeWaitsForItsHabit() {
    // Where flatmates share bills all along, six senders of one sum into an
    // account never paid before are likely enough when they pay (days 41
    // to 51): its habit may be that sum. Paid sixteen sums of other kinds
    // the month after, it shows none: the six are revoked then. A new club
    // whose members pay again the month after keeps them.
    let others = (0..<16).map {
      pay("acct\(50 + $0)", "collector", 12_345 + Int64($0) * 4_321, (55 + Int64($0)) * day)
    }
    func decisions(with extra: [SignalEvent]) -> (live: [Decision], revoked: [Decision]) {
      let fan = fanIn(mules, from: 41)
      let events = (background(sharedBills: true, billWeeks: 13, with: fan + extra) + dailyPayments(48...90))
        .sorted { SumKeeperStream.time($0) < SumKeeperStream.time($1) }
      var f = Prefilter()
      var live: [Decision] = []
      var revoked: [Decision] = []
      for event in events {
        let decision = f.decide(event)
        if fan.contains(event) { live.append(decision) }
        revoked += decision.revocations
      }
      #expect(f.invariantViolation() == nil)
      return (live, revoked)
    }
    let collector = decisions(with: others)
    #expect(collector.live.allSatisfy { $0.verdict == .admit })
    #expect(Set(collector.revoked.map(\.seq)) == Set(collector.live.map(\.seq)))
    #expect(
      collector.revoked.allSatisfy {
        $0.reasons.first?.hasPrefix("fan-in into a payee paid too few times before: 6 senders (") == true
      }, "\(collector.revoked.flatMap(\.reasons))")
    let club = decisions(with: others + fanIn(mules, from: 70))
    #expect(club.live.allSatisfy { $0.verdict == .admit })
    #expect(club.revoked.isEmpty, "\(club.revoked.flatMap(\.reasons))")
  }

  @Test func aFanInOfTheFirstMonthWaitsAcrossACheckpoint() throws {
    var f = Prefilter()
    for event in background(with: fanIn(mules, from: 20)) { _ = f.decide(event) }
    let decisions = try decidedAcrossACheckpoint(&f, dailyPayments(41...70))
    #expect(decisions.reduce(0) { $0 + $1.revocations.count } == mules.count)
  }

  @Test func aPayeeBusierThanTheFanListIsNotRead() {
    var configuration = PrefilterConfiguration()
    configuration.flows.fanMaxRead = 4
    var f = Prefilter(configuration: configuration)
    for event in background() { _ = f.decide(event) }
    // Four payments into the collector within the window fill its list.
    let busy = (0..<4).map { pay("buyer\($0)", "collector", 500 + Int64($0) * 1_000, 40 * day + Int64($0) * 600) }
    for event in busy { _ = f.decide(event) }
    #expect(fanIn(mules, from: 41).allSatisfy { f.decide($0).verdict == .admit })
    #expect(f.invariantViolation() == nil)
  }

  @Test func aFanInSurvivesACheckpoint() throws {
    var f = Prefilter()
    for event in background() { _ = f.decide(event) }
    #expect(try decidedAcrossACheckpoint(&f, fanIn(mules, from: 41)).contains { $0.verdict == .hold })
  }

  func time(_ event: SignalEvent) -> Int64 { SumKeeperStream.time(event) }
}

/// The bands of sums an account is paid (``PayeeHabits``), and the capped
/// fan lists (``RecentPayments``) that feed them.
@Suite("Prefilter payee habits")
struct PrefilterPayeeHabitTests {
  @Test func aPayeesHeavyBandsSurviveChurnAndNewBandsInheritNoHabit() {
    var habits = PayeeHabits(tolerance: 0.05)
    habits.grow(to: 2)
    // A shop: half its takings about 9.00, the rest spread over twenty prices.
    for i in 0..<400 {
      let micros: Int64 = i % 2 == 0 ? 9_000_000 + Int64(i % 7) * 20_000 : 10_000_000 + Int64(i % 20) * 1_500_000
      habits.record(micros, into: 0)
    }
    let nine = habits.count(of: 0, from: 8_900_000, to: 9_200_000)
    #expect(nine.all == 400)
    #expect(nine.inRange >= 150 && nine.inRange <= 200)
    // A sum it never took counts nothing, though its band took a slot's count.
    habits.record(77_777_000_000, into: 0)
    #expect(habits.count(of: 0, from: 77_000_000_000, to: 78_000_000_000).inRange == 1)
    #expect(habits.count(of: 1, from: 1, to: .max) == (0, 0))
  }

  @Test func aSumItsPayerPaysByHabitCountsInNoBand() throws {
    var habits = PayeeHabits(tolerance: 0.05)
    habits.grow(to: 1)
    habits.record(9_000_000, into: 0)
    habits.record(9_100_000, into: 0, banded: false)
    #expect(habits.count(of: 0, from: 9_000_000, to: 9_100_000) == (1, 2))
    // Paid on half its payments at least, to two payees at least, a sum is a payer's habit.
    var payers = PayerHabits()
    payers.grow(to: 5)
    payers.record(from: 0, to: 1, micros: 9_000_000, at: 1)
    #expect(!payers.paysByHabit(0, near: 9_000_000))  // one payee
    payers.record(from: 0, to: 2, micros: 9_050_000, at: 2)
    #expect(payers.paysByHabit(0, near: 9_000_000))
    for t in Int64(3)..<6 { payers.record(from: 0, to: 3, micros: 1_000_000 * t, at: t) }
    #expect(!payers.paysByHabit(0, near: 9_000_000))  // two of five
  }

  @Test func countsThatWouldPassTheirWidthHalveTheAccounts() {
    var habits = PayeeHabits(tolerance: 0.05)
    habits.grow(to: 1)
    // Three in four payments of 9.00: that band passes 65 535 near the
    // 87 000th payment, and the account's counts halve.
    for i in 0..<100_000 { habits.record(i % 4 == 0 ? 5_000_000 : 9_000_000, into: 0) }
    let nine = habits.count(of: 0, from: 9_000_000, to: 9_000_000)
    #expect(nine.all > 50_000 && nine.all < 60_000)
    #expect(abs(Double(nine.inRange) / Double(nine.all) - 0.75) < 0.01)
  }

  @Test func aCappedListDropsItsOldestAndSaysSo() {
    var list = RecentPayments(window: 100, capacity: 3, collectsDropped: true)
    list.grow(to: 2)
    for k in 0..<5 {
      list.append(.init(source: 1, time: Int64(k), micros: 10, seq: k, withheld: false), to: 0, now: Int64(k))
    }
    #expect(list.live(into: 0).map(\.seq) == [2, 3, 4])
    #expect(list.dropped.map(\.payment.seq) == [0, 1])
    #expect(list.index(of: 3, into: 0) == list.live(into: 0).startIndex + 1)
    #expect(list.index(of: 1, into: 0) == nil)
    list.dropped.removeAll()
    list.evict(now: 104)  // past the window: seqs 2 and 3 go
    #expect(list.live(into: 0).map(\.seq) == [4])
    #expect(list.dropped.map(\.payment.seq) == [2, 3])
  }
}
