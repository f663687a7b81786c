import Foundation
@_spi(Checkpoint) import SignalGraph
import Testing

@testable import InlinePrefilter

/// The payer habits ``IncrementalFlowCheck`` reads relays against
/// (``PayerHabits``): what a payer's own sums say, and what that changes
/// for a chain of relays in a crowded amount band.
@Suite("Prefilter payer habits")
struct PrefilterHabitTests {
  let t0: Int64 = 1_767_225_600
  let day: Int64 = 86_400

  func pay(_ s: String, _ d: String, _ cents: Int64, _ t: Int64) -> SignalEvent {
    .payment(id: "p", source: s, target: d, amount: Amount(micros: cents * 10_000), time: t0 + t)
  }

  @Test func theRateOfRepeatingANewSumCountsThePaymentAfterEachNewSum() {
    var habits = PayerHabits()
    habits.grow(to: 10)
    #expect(habits.newSumRepeatRate == 0.5)  // nothing counted: add-one smoothed
    // A first payment, a new sum repeated next, a new sum followed by another new one.
    for (micros, payee) in [(100, 1), (200, 2), (200, 3), (300, 4), (400, 5)] as [(Int64, Int32)] {
      habits.record(from: 0, to: payee, micros: micros * 1_000_000, at: 0)
    }
    #expect(habits.afterNew == 2 && habits.repeatsOfNew == 1)
    #expect(habits.newSumRepeatRate == 0.5)
    habits.record(from: 0, to: 6, micros: 400_000_000, at: 0)
    #expect(habits.newSumRepeatRate == 3.0 / 5.0)
    #expect(habits.paid(0, near: 400_000_000, before: 1) && !habits.paid(0, near: 500_000_000, before: 1))
    #expect(habits.history(of: 0, from: 150_000_000, to: 250_000_000, before: 1) == (6, 2))
  }

  @Test func aBandThatMayBeAPayersOnlySumCountsItsDifferingSumsAtTheVariedRate() {
    // Six receivers: two repeat 100.00 to the cent, three more sums differ
    // from all before them (one paid twice to one receiver), the first free.
    let sums: [Int64] = [100, 100, 100, 101, 102, 102, 103]
    let log10p = AmountHabit.log10OnlySum(sums, receivers: 6, repeated: 0.9, varied: 0.01)
    #expect(abs(log10p - (2 * log10(0.9) + 3 * log10(0.01))) < 1e-12)
    // One sum to the cent is that sum repeated; no receiver at all counts nothing.
    #expect(
      abs(AmountHabit.log10OnlySum([7, 7, 7], receivers: 3, repeated: 0.9, varied: 0.01) - 2 * log10(0.9)) < 1e-12)
    #expect(AmountHabit.log10OnlySum([], receivers: 0, repeated: 0.9, varied: 0.01) == 0)
  }

  @Test func aHabitMakesItsSumRoutineAndOthersRare() {
    var habits = PayerHabits()
    habits.grow(to: 100)
    // Fifty others who keep to one sum each, for the population's rate.
    for payer in Int32(50)..<100 {
      for payee in Int32(1)...5 { habits.record(from: payer, to: payee, micros: Int64(payer) * 1_000_000, at: 0) }
    }
    for payee in Int32(1)...5 { habits.record(from: 0, to: payee, micros: 400_000_000, at: 0) }
    let q = 0.02
    // Its usual sum to a sixth payee: routine.
    #expect(habits.share(of: 0, to: 6, from: 399_000_000, to: 401_000_000, background: q) > 0.95)
    // A new sum: the background's share times its rate of new sums, small
    // where nobody pays new sums (0 of 4 here, 0 of 204 in the population).
    let rate = AmountHabit.newAmountRate(newAmounts: 0, later: 4, populationRate: habits.populationRate)
    let off = habits.share(of: 0, to: 6, from: 299_000_000, to: 301_000_000, background: q)
    #expect(abs(off - q * rate) < 1e-12)
    #expect(off < q / 50)
    // No history: the background alone.
    #expect(habits.share(of: 7, to: 1, from: 299_000_000, to: 301_000_000, background: q) == q)
    #expect(habits.populationRate == 1.0 / 206)  // (0 + 1) / (204 + 2)
  }

  @Test func theHistoryGoneFromThePayoutsListLeavesOutWhatWasWithheldAndStandingOrders() throws {
    var habits = PayerHabits()
    habits.grow(to: 10)
    // Its own 100.00 to three people, a scheme's 900.00 to two (withheld),
    // a rent of 50.00 to one landlord twice; then two payments listed.
    for (micros, payee, t) in [(100, 1, 1), (100, 2, 2), (100, 3, 3), (900, 4, 4), (900, 5, 5), (50, 6, 6), (50, 6, 7)]
      as [(Int64, Int32, Int64)]
    {
      habits.record(from: 0, to: payee, micros: micros * 1_000_000, at: t)
    }
    habits.noteWithheld(0)
    habits.noteWithheld(0)
    for (micros, payee, t) in [(100, 7, 30), (700, 8, 31)] as [(Int64, Int32, Int64)] {
      habits.record(from: 0, to: payee, micros: micros * 1_000_000, at: t)
    }
    // Nine payments, two listed: three of 100.00 older (one sum) and the
    // 900.00s (a sum, but withheld) remain; the rent is no habit.
    #expect(habits.withheld[0] == 2)
    #expect(habits.unlistedHistory(of: 0, listed: 2, listedWithheld: 0, before: 30) == (payments: 3, sums: 2))
    // A withheld payment still listed is the list's to leave out.
    #expect(habits.unlistedHistory(of: 0, listed: 2, listedWithheld: 1, before: 30) == (payments: 4, sums: 2))
    // Never more withheld than paid; an account with no payments has none.
    for _ in 0..<20 { habits.noteWithheld(1) }
    #expect(habits.withheld[1] == 0)
    // Kept across a checkpoint; a count above the payments is refused.
    func written(withheld: [Int32]) -> [UInt8] {
      var writer = StateWriter()
      writer.write(habits.slots)
      writer.write(habits.payments)
      writer.write(habits.later)
      writer.write(habits.newAmounts)
      writer.write(habits.lastNew)
      writer.write(habits.firstPaid)
      writer.write(withheld)
      writer.write(habits.afterNew)
      writer.write(habits.repeatsOfNew)
      writer.write(habits.repeatsCounted)
      writer.write(habits.variedRepeats)
      return writer.bytes
    }
    var writer = StateWriter()
    habits.write(to: &writer)
    #expect(writer.bytes == written(withheld: habits.withheld))
    var reader = StateReader(writer.bytes)
    #expect(try PayerHabits(from: &reader).withheld == habits.withheld)
    var forged = StateReader(written(withheld: [habits.payments[0] + 1] + habits.withheld.dropFirst()))
    #expect(throws: StateReaderError.malformed) { try PayerHabits(from: &forged) }
    // Forgotten with its account.
    var forgotten = habits
    forgotten.forget([true])
    #expect(forgotten.withheld[0] == 0 && forgotten.payments[0] == 0)
  }

  @Test func aPairsOwnRepeatsAreNoHabit() {
    var habits = PayerHabits()
    habits.grow(to: 4)
    // A ring's member paying its partner the same sum three times.
    for _ in 0..<3 { habits.record(from: 0, to: 1, micros: 500_000_000, at: 0) }
    #expect(habits.share(of: 0, to: 1, from: 490_000_000, to: 500_000_000, background: 0.01) == 0.01)
    // To anyone else, the sum is its habit, weighed by a rate of new sums
    // that nothing counted yet (the repeats to one payee are not counted).
    #expect(habits.later[0] == 0 && habits.newAmounts[0] == 0)
    #expect(habits.share(of: 0, to: 2, from: 490_000_000, to: 500_000_000, background: 0.01) > 0.5)
  }

  @Test func aPaymentJudgedAfterItIsRecordedIsLeftOutOfItsPayersHistory() {
    // The chance read before a payment is recorded, and after it with the
    // payment named as the one judged, are the same.
    var habits = PayerHabits()
    habits.grow(to: 20)
    for (i, cents) in [Int64(40_000), 40_000, 31_000, 40_000, 27_500, 40_000].enumerated() {
      habits.record(from: 0, to: Int32(1 + i), micros: cents * 10_000, at: 0)
    }
    habits.record(from: 9, to: 0, micros: 1_000_000, at: 0)  // someone else, for the population
    for (payee, cents) in [(Int32(12), Int64(29_700)), (13, 40_000), (14, 31_000), (3, 31_000)] {
      var judged = habits
      let low = cents * 10_000, high = low + low / 100
      let before = habits.share(of: 0, to: payee, from: low, to: high, background: 0.03)
      judged.record(from: 0, to: payee, micros: low, at: 0)
      let after = judged.share(of: 0, to: payee, from: low, to: high, background: 0.03, passedOn: low)
      #expect(abs(before - after) < 1e-12, "paying \(cents) cents to \(payee)")
    }
  }

  @Test func aSumFirstPaidAfterTheMoneyCameInIsTheStructuresOwn() {
    var habits = PayerHabits()
    habits.grow(to: 10)
    habits.record(from: 9, to: 0, micros: 1_000_000, at: 0)  // someone else, for the population
    // Payer 0 pays 150.00 by habit; money comes in at time 100, and it pays
    // 300.00 on to two accounts (a stack's layer, a fan-out).
    for payee in Int32(1)...3 { habits.record(from: 0, to: payee, micros: 150_000_000, at: 10) }
    habits.record(from: 0, to: 4, micros: 300_000_000, at: 200)
    habits.record(from: 0, to: 5, micros: 300_000_000, at: 300)
    let q = 0.01
    // Read from before the money came in, 300.00 is a new sum for it: as
    // if it had never paid it, history and rates alike.
    let judged = habits.share(
      of: 0, to: 5, from: 299_000_000, to: 301_000_000, background: q, passedOn: 300_000_000, since: 100)
    var before = PayerHabits()
    before.grow(to: 10)
    before.record(from: 9, to: 0, micros: 1_000_000, at: 0)
    for payee in Int32(1)...3 { before.record(from: 0, to: payee, micros: 150_000_000, at: 10) }
    #expect(abs(judged - before.share(of: 0, to: 5, from: 299_000_000, to: 301_000_000, background: q)) < 1e-15)
    #expect(judged < q)
    // Read over everything, its first 300.00 makes the second routine.
    let unbounded = habits.share(
      of: 0, to: 5, from: 299_000_000, to: 301_000_000, background: q, passedOn: 300_000_000)
    #expect(unbounded > 0.1)
    // A sum it paid before the money came in stays its habit.
    #expect(habits.share(of: 0, to: 6, from: 149_000_000, to: 151_000_000, background: q, since: 100) > 0.3)
  }

  @Test func aStacksLayerPayingTwoAccountsIsNoHabitOfTheSum() {
    // h20 passes 300.00 from a newcomer on to two accounts (h100 and h30),
    // the second a day later: its first payment of the sum is the stack's,
    // so the chain x→h20→h30→h40 is held as if h20 had paid it once.
    var (f, t) = filter()
    #expect(f.decide(pay("x", "h20", 30_000, t)).verdict == .admit)
    let other = f.decide(pay("h20", "h100", 29_700, t + 3_600))
    #expect(other.verdict == .admit, "\(other.reasons)")
    #expect(f.decide(pay("h20", "h30", 29_700, t + day)).verdict == .admit)
    let last = f.decide(pay("h30", "h40", 29_403, t + 2 * day))
    #expect(last.verdict == .hold)
    #expect(last.reasons.first?.hasPrefix("relayed chain: 3 payments x→h20→h30→h40") == true)
  }

  @Test func aPayrollOfEqualSalariesLeavesEveryNewSumPossible() throws {
    // 400 equal salaries from one payer, then a chain through accounts with
    // no other history: the population's rate counts at most 255 of the
    // payroll's and never reaches 0, so no hop's chance is 0 (a chance of 0
    // once made a chain's surprise infinite).
    var f = Prefilter()
    var t: Int64 = 0
    for i in 0..<400 {
      t += 600
      #expect(f.decide(pay("payroll", "employee\(i)", 10_000, t)).verdict == .admit)
    }
    _ = f.decide(pay("e", "g", 7_000, t + 600))
    let chain = [pay("x", "d", 5_100, t + 1_200), pay("d", "e", 5_000, t + 1_800), pay("e", "f", 4_950, t + 2_400)]
    for event in chain { _ = f.decide(event) }
    let flows = try #require(f.check(IncrementalFlowCheck.self))
    #expect(flows.habits.populationRate > 0)
    #expect(flows.habits.later.max() == Int32(AmountHabit.maxRead))
    #expect(f.invariantViolation() == nil)
  }

  /// A pre-filter that has seen `accounts` accounts pay for three weeks,
  /// each to others about every three days: its own habitual sum between
  /// 250 and 350 (as AMLSim's accounts do), or with `varied` a new sum each
  /// time.
  func filter(accounts: Int = 300, varied: Bool = false) -> (Prefilter, Int64) {
    var f = Prefilter()
    var state: UInt64 = 5
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let habit = (0..<accounts).map { _ in Int64(25_000 + next() % 10_000) }
    var t: Int64 = 0
    for _ in 0..<7 {
      for a in 0..<accounts {
        t += 3 * day / Int64(accounts)
        let to = (a + 1 + Int(next() % UInt64(accounts - 1))) % accounts
        let cents = varied ? Int64(25_000 + next() % 10_000) : habit[a]
        #expect(f.decide(pay("h\(a)", "h\(to)", cents, t)).verdict == .admit)
      }
    }
    return (f, t + day)
  }

  /// `members` pass 300.00 on along a chain, each keeping 1 %, a day apart.
  func chain(_ f: inout Prefilter, _ members: [String], from t: Int64) -> [Decision] {
    var cents: Int64 = 30_000
    var decisions: [Decision] = []
    for (i, (from, to)) in zip(members, members.dropFirst()).enumerated() {
      decisions.append(f.decide(pay(from, to, cents, t + Int64(i) * day)))
      cents = cents * 99 / 100
    }
    return decisions
  }

  @Test func aChainOfNewSumsAmongPayersWhoKeepToTheirsIsHeld() {
    // 300.00 → 297.00 → 294.03 lies in the band every habit crowds: by the
    // background's amounts alone each hop is likelier than the 1 % a chain
    // follows. Off the habits of its relaying accounts, it is not. (The
    // money comes from a newcomer: h10's own receipts of the last two weeks
    // could start the chain one payment earlier.)
    var (f, t) = filter()
    let decisions = chain(&f, ["x", "h20", "h30", "h40"], from: t)
    #expect(decisions[0].verdict == .admit && decisions[1].verdict == .admit)
    #expect(decisions[2].verdict == .hold)
    #expect(decisions[2].reasons.first?.hasPrefix("relayed chain: 3 payments x→h20→h30→h40") == true)
    #expect(Set(decisions[2].revocations.map(\.seq)) == [decisions[0].seq, decisions[1].seq])
  }

  @Test func theSameChainAmongPayersOfNewSumsIsAdmitted() {
    var (f, t) = filter(varied: true)
    #expect(chain(&f, ["h10", "h20", "h30", "h40"], from: t).allSatisfy { $0.verdict == .admit })
  }

  @Test func relayersPayingTheirOwnHabitualSumsAreAdmitted() {
    // h20 and h30 pay 297.00 and 294.03 to everyone anyway.
    var (f, t) = filter()
    for i in 0..<5 {
      #expect(f.decide(pay("h20", "h\(100 + i)", 29_700, t + Int64(i) * 3_600)).verdict == .admit)
      #expect(f.decide(pay("h30", "h\(110 + i)", 29_403, t + Int64(i) * 3_600)).verdict == .admit)
    }
    #expect(chain(&f, ["h10", "h20", "h30", "h40"], from: t + day).allSatisfy { $0.verdict == .admit })
  }
}
