import SignalGraph
import Testing

@testable import InlinePrefilter

/// The fan-out of ``IncrementalFlowCheck`` (`IncrementalFlowCheck+FanOut.swift`):
/// one account paying several receivers near-equal sums it does not usually
/// pay is held at the payment that completes the coincidence, and its
/// earlier payments revoked, however long ago within the fan window; the
/// payer's own sum, a payer of ever-new sums within its own range, a world
/// where people hand new sums round, a payer too new to have a habit and
/// the stream's first month are not.
@Suite("Prefilter fan-out")
struct PrefilterFanOutTests: SumKeeperSuite {
  /// `payer` paying `receivers` 777.77 (a sum no one in the background
  /// pays), one every `every` days from day `start` on.
  func fanOut(
    from payer: String = "acct7", to receivers: [String], cents: Int64 = 77_777, start: Int64, every: Int64 = 2
  ) -> [SignalEvent] {
    receivers.enumerated().map { pay(payer, $1, cents, start * day + Int64($0) * every * day + 3_600) }
  }

  let mules = ["mule0", "mule1", "mule2", "mule3", "mule4", "mule5"]

  @Test func aFanOutOfASumItsPayerDoesNotPayIsHeldAndItsEarlierPaymentsRevoked() {
    var f = decided(SumKeeperStream.events())
    let decisions = fanOut(to: mules, start: 41).map { f.decide($0) }
    expectHeldOnceComplete(decisions, reason: { "fan-out: acct7 paid \($0) receivers (" }, holding: "777.77–777.77")
    #expect(f.invariantViolation() == nil)
    // Its payer's habit knows them for a scheme's: held and revoked alike.
    #expect(f.check(IncrementalFlowCheck.self)?.habits.withheld.reduce(0, +) == 6)
  }

  @Test func theReceiverWhosePaymentCompletedItPassingTheSumOnIsHeldAsLinked() throws {
    var f = decided(SumKeeperStream.events())
    let decisions = fanOut(to: mules, start: 41).map { f.decide($0) }
    let held = try #require(decisions.firstIndex { $0.verdict == .hold })
    // That payment is kept as an anchor: its receiver paying the sum on
    // four days later is linked to it; another of its receivers paying an
    // unrelated sum is not.
    let last = 41 * day + Int64(held) * 2 * day + 3_600
    let on = f.decide(pay(mules[held], "boss", 77_777, last + 4 * day))
    #expect(on.verdict == .hold)
    #expect(
      on.reasons.first?.hasPrefix("passed on: \(mules[held]) paid boss 777.77, 4.0 days after") == true, "\(on.reasons)"
    )
    #expect(f.decide(pay(mules[held], "grocer", 3_456, last + 5 * day)).verdict == .admit)
  }

  @Test func paymentsOlderThanTheRelayWindowAreRevokedInEveryList() {
    // Nine days apart, the stream going on each day: at the third, the first
    // is kept only in the fan window's lists (the payer's payouts, the
    // payee's fan list).
    let fan = fanOut(to: Array(mules.prefix(4)), start: 41, every: 9)
    let days = (Int64(41)..<70).map { pay("acct\($0 % 50)", "acct\($0 % 50 + 1)", 10_000 + $0 % 50 * 163, $0 * day) }
    var f = Prefilter()
    var decisions: [Decision] = []
    for event in SumKeeperStream.events(with: days + fan) {
      let decision = f.decide(event)
      if fan.contains(event) { decisions.append(decision) }
    }
    let held = decisions.firstIndex { $0.verdict == .hold }
    #expect(held != nil)
    guard let held else { return }
    #expect(Set(decisions[held].revocations.map(\.seq)) == Set(decisions[..<held].map(\.seq)))
    #expect(f.invariantViolation() == nil)
  }

  @Test func aPayerPayingItsOwnSumToManyIsAdmitted() {
    // Six accounts that pay 250.00 to many from the stream's start (a fee, a wage).
    let regulars = (0..<6).map { "regular\($0)" }
    var habit: [SignalEvent] = []
    for (r, regular) in regulars.enumerated() {
      for k in Int64(0)..<6 {
        habit.append(pay(regular, "acct\(Int64(r) * 40 + k)", 25_000, Int64(r) * 3_600 + k * 6 * day))
      }
    }
    var f = decided(SumKeeperStream.events(with: habit))
    for regular in regulars {
      #expect(fanOut(from: regular, to: mules, cents: 25_000, start: 41).allSatisfy { f.decide($0).verdict == .admit })
    }
    // The same payer paying a sum new to it is a fan-out.
    let fresh = fanOut(from: "regular0", to: mules.map { $0 + "b" }, start: 55)
    #expect(fresh.contains { f.decide($0).verdict == .hold })
  }

  @Test func aPayerOfEverNewSumsIsReadAgainstItsOwnRange() {
    // A payroll paying every day a new sum from 2 000.00 to 8 000.00 (far
    // above the background's), each to another of its staff; from day 41,
    // four of them happen to lie within 5 % of one another.
    var state: UInt64 = 5
    func next() -> Int64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(state >> 33)
    }
    var payroll: [SignalEvent] = []
    for k in Int64(0)..<64 {
      let cents = k >= 41 && k % 5 == 0 ? 410_000 + k * 100 : 200_000 + next() % 600_000
      payroll.append(pay("payroll", "staff\(k)", cents, k * day + 7_200))
    }
    let decisions = SumKeeperStream.events(with: payroll).reduce(into: (Prefilter(), [Decision]())) {
      $0.1.append($0.0.decide($1))
    }
    #expect(decisions.1.allSatisfy { $0.verdict == .admit }, "\(decisions.1.flatMap(\.reasons))")
    // A sum well outside its range, paid to several, is a fan-out.
    var f = decisions.0
    #expect(fanOut(from: "payroll", to: mules, start: 64).contains { f.decide($0).verdict == .hold })
  }

  @Test func aFanOutIsWeighedAgainstHowOftenPayersHandANewSumRound() {
    // Sixty givers, each week a new sum to the same four friends (presents, shares of a prize).
    var presents: [SignalEvent] = []
    for giver in Int64(0)..<60 {
      for week in Int64(0)..<8 {
        for friend in Int64(0)..<4 {
          let t = week * 7 * day + giver * 600 + friend * 3_600
          presents.append(pay("giver\(giver)", "friend\(giver)_\(friend)", 20_000 + giver * 211 + week * 1_000, t))
        }
      }
    }
    var shared = Prefilter()
    let givers = SumKeeperStream.events(with: presents).map { shared.decide($0) }
    #expect(givers.allSatisfy { $0.verdict == .admit })
    let four = Array(mules.prefix(4))
    #expect(fanOut(to: four, start: 58).allSatisfy { shared.decide($0).verdict == .admit })
    // Where everyone keeps to a sum of their own, four are not.
    var kept = decided(SumKeeperStream.events())
    #expect(fanOut(to: four, start: 41).contains { kept.decide($0).verdict == .hold })
  }

  /// acct7 paying mule0, mule1, mule2 the first `count` of six sums
  /// `step` cents apart around 777.77, two days apart from day 41: the
  /// fourth on pays each mule again.
  func fanOutPaidAgain(count: Int, step: Int64 = 500) -> [SignalEvent] {
    let sums: [Int64] = [0, step, -step, step / 2, -step / 2, step * 3 / 4].map { 77_777 + $0 }
    return (0..<count).map { pay("acct7", "mule\($0 % 3)", sums[$0], 41 * day + Int64($0) * 2 * day + 3_600) }
  }

  @Test func aReceiverPaidAgainASumThatDiffersWeighsAsANewOne() {
    // Where people pay each payee one sum, three mules paid near-equal
    // sums are not enough; one of them paid again a sum that differs is.
    var three = decided(SumKeeperStream.events())
    #expect(fanOutPaidAgain(count: 3).allSatisfy { three.decide($0).verdict == .admit })
    var four = decided(SumKeeperStream.events())
    let decisions = fanOutPaidAgain(count: 4).map { four.decide($0) }
    #expect(decisions.prefix(3).allSatisfy { $0.verdict == .admit })
    #expect(decisions[3].verdict == .hold)
    #expect(Set(decisions[3].revocations.map(\.seq)) == Set(decisions.prefix(3).map(\.seq)))
    let reason = decisions[3].reasons.first ?? ""
    #expect(reason.contains("within 6.0 days (and 1 more to receivers it had paid, sums that differ)"), "\(reason)")
    #expect(four.invariantViolation() == nil)
    // Paid again to the cent, a standing order's repeat: nothing more.
    var same = decided(SumKeeperStream.events())
    #expect(fanOutPaidAgain(count: 6, step: 0).allSatisfy { same.decide($0).verdict == .admit })
  }

  @Test func friendsPaidAboutTheSameEachWeekAreNoFanOut() throws {
    // Sixty payers pay the same three friends their share of a bill each
    // week, up to 1 % apart: paying a payee again a sum that differs is
    // what people do here, and a mule paid again weighs next to nothing
    // more (among sum-keepers it holds the fan-out: above).
    let bills = SumKeeperStream.friendsSplittingBills()
    var f = Prefilter()
    #expect(SumKeeperStream.events(with: bills).allSatisfy { f.decide($0).verdict == .admit })
    #expect(fanOutPaidAgain(count: 4).map { pay in f.decide(pay) }.allSatisfy { $0.verdict == .admit })
    // Three of them, at this stream's rate of varying a payee's sum: under
    // a tenth of an order, however unlikely the band itself.
    let flows = try #require(f.check(IncrementalFlowCheck.self))
    let three = flows.log10PaidAgain(
      .init(read: 3, inBand: 3), leavingOut: [], band: 772_770_000...782_770_000, chance: 1e-4)
    #expect(three > -0.1 && three < 0)
  }

  @Test func whatAPayerPaysAlongsideAFanOutDoesNotExcuseIt() {
    // acct7 pays four mules 777.77 and, in its first three days, twelve shops
    // sums from 400.00 to 1 500.00: its own range, read from before the
    // fan-out began, holds none of them.
    let fan = fanOut(to: Array(mules.prefix(4)), start: 41, every: 3)
    let shops = (0..<12).map { pay("acct7", "shop\($0)", 40_000 + Int64($0) * 9_500, 41 * day + Int64($0) * day / 4) }
    var f = Prefilter()
    var decisions: [Decision] = []
    for event in SumKeeperStream.events(with: fan + shops) {
      let decision = f.decide(event)
      if fan.contains(event) { decisions.append(decision) }
    }
    #expect(decisions.contains { $0.verdict == .hold })
  }

  @Test func aPayerPastTheReadLimitCountsNoMorePairs() throws {
    // One payer paying 300 times, each to another payee: its rates count
    // its payments after the first up to the read limit, and so do the pairs.
    var f = Prefilter()
    for k in Int64(0)..<300 { _ = f.decide(pay("busy", "payee\(k)", 1_000 + k, k * 3_600)) }
    let flows = try #require(f.check(IncrementalFlowCheck.self))
    #expect(flows.payoutPairs == AmountHabit.maxRead)
  }

  @Test func aPayerFirstSeenLessThanAMonthBeforeHasNoHabitYet() {
    // A newcomer's three payments of its own sum, then a new sum to six.
    let own = (0..<3).map { pay("newcomer", "acct\($0)", 31_400, (30 + Int64($0)) * day) }
    var f = decided(SumKeeperStream.events(with: own))
    #expect(fanOut(from: "newcomer", to: mules, start: 41).allSatisfy { f.decide($0).verdict == .admit })
  }

  @Test func aFanOutWithinTheStreamsFirstMonthIsAdmitted() {
    // Among shoppers, who seldom pay one sum twice, a payer with no history
    // paying six people one sum is a fan-out once the stream has watched a
    // month; before, how often people repeat a sum is not known yet.
    let early = fanOut(from: "newcomer", to: mules, start: 20)
    let late = fanOut(from: "latecomer", to: mules.map { $0 + "b" }, start: 45)
    var f = Prefilter()
    var decisions: [Decision] = []
    for event in SumKeeperStream.events(with: early, keepingSums: false) { decisions.append(f.decide(event)) }
    #expect(decisions.allSatisfy { $0.verdict == .admit })
    #expect(late.contains { f.decide($0).verdict == .hold })
  }

  @Test func aPayerBusierThanItsPayoutsListIsNotRead() {
    var configuration = PrefilterConfiguration()
    configuration.flows.fanMaxRead = 4
    var f = Prefilter(configuration: configuration)
    for event in SumKeeperStream.events() { _ = f.decide(event) }
    // Four payments out of acct7 within the window fill its list.
    for k in Int64(0)..<4 { _ = f.decide(pay("acct7", "shop\(k)", 500 + k * 1_000, 40 * day + k * 600)) }
    #expect(fanOut(to: mules, start: 41).allSatisfy { f.decide($0).verdict == .admit })
    #expect(f.invariantViolation() == nil)
  }

  @Test func aFanOutSurvivesACheckpoint() throws {
    var f = decided(SumKeeperStream.events())
    #expect(try decidedAcrossACheckpoint(&f, fanOut(to: mules, start: 41)).contains { $0.verdict == .hold })
  }
}
