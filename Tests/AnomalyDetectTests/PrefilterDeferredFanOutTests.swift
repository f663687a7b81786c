import SignalGraph
import Testing

@testable import InlinePrefilter

/// The fan-outs that wait for their payer's habit (``IncrementalFlowCheck/judgeDeferredFanOuts(at:into:)``):
/// a payer with no habit to read when it fans a new sum out is admitted,
/// and revoked once the months after show it paying a sum of its own;
/// not when the band turns out to be its own sum, nor when it takes up a
/// second sum and spreads it as widely, nor for a fan too small to be
/// held against any habit; the wait survives a checkpoint.
@Suite("Prefilter deferred fan-out")
struct PrefilterDeferredFanOutTests: SumKeeperSuite {
  let mules = ["mule0", "mule1", "mule2", "mule3", "mule4", "mule5"]

  /// `payer` paying `receivers` `cents` each, one every `every` days from day `start` on.
  func payments(
    from payer: String = "newcomer", to receivers: [String], cents: Int64 = 77_777, start: Int64, every: Int64 = 2
  ) -> [SignalEvent] {
    receivers.enumerated().map { pay(payer, $1, cents, start * day + Int64($0) * every * day + 3_600) }
  }

  /// The newcomer's own sum, 314.00, paid to `count` background accounts every ten days from day `start` on.
  func ownSum(count: Int = 5, start: Int64) -> [SignalEvent] {
    payments(to: (0..<count).map { "acct\($0 * 7)" }, cents: 31_400, start: start, every: 10)
  }

  @Test func aFanOutBeforeItsPayersHabitShowsIsRevokedOnceTheMonthAfterShowsIt() throws {
    // First seen paying six people 777.77 (days 41 to 51), then its own 314.00 every ten days.
    let fan = payments(to: mules, start: 41)
    let run = decide(fan + ownSum(start: 55), watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    // Judged once a month after the last payment has shown its payer's habit, and only then.
    let when = try #require(revoked.first?.time)
    #expect(when >= 51 * day + 31 * day && when < 51 * day + 2 * 25 * day + day, "\(when / day)")
    let reason = revoked.first?.revocation.reasons.first ?? ""
    #expect(reason.hasPrefix("fan-out: newcomer paid 6 receivers ("), "\(reason)")
    #expect(
      reason.contains(
        "777.77–777.77 within 10.0 days, a sum it did not pay before and paid in 0 of its 3 other payments"),
      "\(reason)")
    // The background's sum-keepers, each spreading its own sum over many from the stream's start, never.
    #expect(run.revocations.count == fan.count)
    #expect(run.filter.invariantViolation() == nil)
    // Revoked late, they are still no habit of its payer's.
    #expect(run.filter.check(IncrementalFlowCheck.self)?.habits.withheld.reduce(0, +) == 6)
  }

  @Test func aFanOutIsJudgedWhenTheMonthAfterItEndsNotAWindowLater() throws {
    // Six people paid 777.77 over days 80 to 90, then the newcomer's own
    // 314.00 three times. The first look, 25 days after, comes before the
    // month its habit needs; the next is when that month ends (day 121),
    // not a fan window on (day 140, after this stream's 130 days).
    let fan = payments(to: mules, start: 80)
    let run = decide(fan + ownSum(count: 3, start: 92), watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    let last = 90 * day + 3_600
    let when = try #require(revoked.first?.time)
    #expect(when >= last + 31 * day && when < last + 33 * day, "\(when / day)")
  }

  @Test func aFanOutOfTheSumItsPayerKeepsPayingIsNotRevoked() {
    // The band is the newcomer's own sum: it pays 777.77 to others every ten days after.
    let fan = payments(to: mules, start: 41)
    let after = payments(to: (0..<5).map { "acct\($0 * 7)" }, start: 55, every: 10)
    let run = decide(fan + after, watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    #expect(run.revocations.isEmpty)
  }

  @Test func aPayerThatSpreadsASecondSumAsWidelyIsNotJudged() {
    // Six people paid 777.77, then six others 555.55 and nothing else:
    // which of the two is its habit, the stream cannot tell.
    let fan = payments(to: mules, start: 41)
    let second = payments(to: (0..<6).map { "acct\($0 * 7)" }, cents: 55_555, start: 60, every: 3)
    let run = decide(fan + second, watching: fan)
    #expect(!run.revocations.contains { r in run.decisions.contains { $0.seq == r.revocation.seq } })
    // Spread less widely, the second sum is the payer's business beside the fan-out, which is revoked.
    let fewer = payments(to: (0..<4).map { "acct\($0 * 7)" }, cents: 55_555, start: 60, every: 3)
    let other = decide(fan + fewer, watching: fan)
    #expect(other.revocations.contains { r in other.decisions.contains { $0.seq == r.revocation.seq } })
    // A fan-out of near-equal sums that differ (±1 %), then 555.55 to the
    // cent to six others: that is a sum the payer keeps, and the fan-out,
    // whose sums vary as a structure's do, is revoked.
    let varied = mules.enumerated().map { i, mule in
      pay("newcomer", mule, 77_777 + Int64(i % 3 - 1) * 777, 41 * day + Int64(i) * 2 * day + 3_600)
    }
    let kept = decide(varied + second, watching: varied)
    #expect(kept.revocations.contains { r in kept.decisions.contains { $0.seq == r.revocation.seq } })
  }

  @Test func keptSumsAreSumsPaidToTheCentToTwoReceiversOrMore() {
    // 100.00 to two receivers is kept; 105.00 once, and 110.00 twice to one
    // payee (a standing order's, not a sum paid round), are not.
    var paid: [(micros: Int64, receiver: Int32)] = [(100, 1), (100, 2), (105, 3), (110, 4), (110, 4)]
    IncrementalFlowCheck.dropKeptSums(&paid)
    #expect(paid.map(\.micros) == [105, 110, 110])
    var none: [(micros: Int64, receiver: Int32)] = []
    IncrementalFlowCheck.dropKeptSums(&none)
    #expect(none.isEmpty)
  }

  @Test func aStandingOrderAfterItIsNoHabit() {
    // After its fan-out the newcomer pays one landlord the same sum every
    // other day: that says nothing of how it pays anyone else.
    let fan = payments(to: mules, start: 41)
    let rent = (0..<30).map { pay("newcomer", "landlord", 31_400, (55 + 2 * Int64($0)) * day) }
    let run = decide(fan + rent, watching: fan)
    #expect(run.revocations.isEmpty)
  }

  @Test func aPayerWithTwoOtherPaymentsIsJudgedAndWithOneIsNot() {
    // After its fan-out the newcomer pays its own 314.00 twice and nothing
    // else: a thin habit, but one; with a single payment it is not judged.
    let fan = payments(to: mules, start: 41)
    let two = decide(fan + ownSum(count: 2, start: 60), watching: fan)
    #expect(Set(two.revocations.map(\.revocation.seq)) == Set(two.decisions.map(\.seq)))
    let reason = two.revocations.first?.revocation.reasons.first ?? ""
    #expect(reason.contains("paid in 0 of its 2 other payments"), "\(reason)")
    #expect(decide(fan + ownSum(count: 1, start: 60), watching: fan).revocations.isEmpty)
    // Its two other payments of the band are its habit.
    let band = payments(to: ["acct3", "acct4"], start: 60, every: 10)
    #expect(decide(fan + band, watching: fan).revocations.isEmpty)
  }

  /// `payer` paying the mules near-equal sums that all differ (777.77 to
  /// 782.62, 0.6 % apart at most), one every two days from day `start` on.
  func varied(from payer: String = "newcomer", start: Int64) -> [SignalEvent] {
    mules.enumerated().map { pay(payer, $1, 77_777 + Int64($0) * 97, start * day + Int64($0) * 2 * day + 3_600) }
  }

  @Test(arguments: [Int64(12), 41])
  func aFanOutOfSumsThatDifferIsRevokedThoughItsPayerPaysNothingElse(start: Int64) throws {
    // No habit shows after it (in the stream's first month, or later from
    // a newcomer): the band may be its only sum. But where everyone repeats
    // a sum to the cent, six sums that all differ are no sum repeated, and
    // it is revoked once the month after it ends.
    let fan = varied(start: start)
    let run = decide(fan, watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    let when = try #require(revoked.first?.time)
    #expect(when >= (start + 10 + 31) * day, "\(when / day)")
    let reason = revoked.first?.revocation.reasons.first ?? ""
    #expect(
      reason.contains(
        "777.77–782.62 within 10.0 days, a sum it did not pay before and it paid nothing else, neither before it"),
      "\(reason)"
    )
    // The same six to the cent are one sum repeated, as everyone here does.
    let equal = payments(to: mules, start: start)
    #expect(decide(equal, watching: equal).revocations.isEmpty)
    // Where people's sums vary a little from one payment to the next, so
    // do a sum's repeats: the six differing are no rarer.
    let wobbling = decide(fan, watching: fan, wobbling: true)
    #expect(!wobbling.revocations.contains { r in wobbling.decisions.contains { $0.seq == r.revocation.seq } })
  }

  @Test func aFanOutIsJudgedAgainAsItsPayersHistoryGrows() throws {
    // Its own sum paid once before; three payments a month after: too
    // soon; then the band once more among five (a fair chance it is the
    // payer's), then its own sum to twenty: at the second look the band
    // is rare in its habit.
    let fan = [pay("newcomer", "acct9", 31_400, 40 * day)] + payments(to: mules, start: 41)
    let first = payments(to: ["acct1", "acct2", "acct3"], cents: 31_400, start: 55, every: 5)
    let again = [pay("newcomer", "acct4", 77_777, 78 * day)] + payments(to: ["acct5"], cents: 31_400, start: 80)
    let own = payments(to: (10..<30).map { "acct\($0)" }, cents: 31_400, start: 102, every: 1)
    let run = decide(fan + first + again + own, watching: Array(fan.dropFirst()))
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    let when = try #require(revoked.first?.time)
    #expect(when >= 126 * day, "\(when / day)")
  }

  @Test func aFanOutOfTheStreamsFirstMonthWaitsForItsPayersHabit() {
    // No payer's habit is known in the stream's first month: admitted then, revoked after.
    let fan = payments(to: mules, start: 12)
    let run = decide(fan + ownSum(start: 30), watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    #expect(Set(run.revocations.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
  }

  /// The payments of the newcomer's fan-out waiting in `f`, if one is.
  func newcomersWaiting(_ f: Prefilter) -> Int? {
    f.check(IncrementalFlowCheck.self)?.deferredFanOuts.waiting.values
      .first { $0.description.hasPrefix("newcomer paid") }?.payments.count
  }

  @Test func aFanTooSmallToBeHeldAgainstAnyHabitDoesNotWait() {
    // At a bar of 10⁻¹² chance fans, three receivers of a sum no one pays
    // (*P* at least *s*′ of this stream) fall short of it; six do not.
    var configuration = PrefilterConfiguration()
    configuration.flows.fanAlpha = 1e-12
    var f = Prefilter(configuration: configuration)
    for event in SumKeeperStream.events() { _ = f.decide(event) }
    for event in payments(to: Array(mules.prefix(3)), start: 41) { #expect(f.decide(event).verdict == .admit) }
    #expect(newcomersWaiting(f) == nil)
    for event in payments(to: Array(mules.suffix(3)), start: 47) { #expect(f.decide(event).verdict == .admit) }
    #expect(newcomersWaiting(f) == 6)
  }

  @Test func aFanOfAnotherBandDoesNotReplaceTheOneWaiting() {
    // Its own sum paid to three, a fan of its own: the six-receiver fan-out waits on.
    var f = decided(SumKeeperStream.events())
    for event in payments(to: mules, start: 41) + ownSum(count: 3, start: 55) { _ = f.decide(event) }
    #expect(newcomersWaiting(f) == 6)
  }

  @Test func aPayersPaymentsBeforeItsFanOutAreItsHistoryToo() {
    // Its own 314.00 twice, weeks before (too few for the live check to
    // read, and gone from its payouts list by the time it fans out), then
    // once after: three payments of a habit, against which the fan-out is
    // revoked a month after its last payment.
    let fan = payments(to: mules, start: 41)
    let before = payments(to: ["acct0", "acct7"], cents: 31_400, start: 5, every: 4)
    let after = payments(to: ["acct14"], cents: 31_400, start: 60)
    let run = decide(before + fan + after, watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    #expect(
      revoked.first?.revocation.reasons.first?.contains("paid in 0 of its 3 other payments, before it and of the")
        == true, "\(revoked.first?.revocation.reasons ?? [])")
    // With only the payment after, there is too little to judge by.
    let alone = decide(fan + after, watching: fan)
    #expect(alone.revocations.isEmpty)
  }

  @Test func aPayersWithheldPaymentsAreNoHabitToReadEvenOnceGoneFromItsList() throws {
    // A first-month fan-out (days 5 to 15), revoked on day 65 against its
    // payer's own sum paid on days 30, 35, 50 and 60. Before day 45 that
    // payer paid its own sum twice: no habit to read, though the fan-out's
    // payments have left its payouts list by then.
    let fan = payments(to: mules, start: 5)
    let own = [30, 35, 50, 60].enumerated().map { pay("newcomer", "acct\($0 * 7)", 31_400, $1 * day + 3_600) }
    let f = decided(
      SumKeeperStream.events(with: fan + own, days: 130).prefix {
        SumKeeperStream.time($0) < SumKeeperStream.t0 + 68 * day
      })
    let flow = try #require(f.check(IncrementalFlowCheck.self))
    let accounts = f.names.accounts
    let newcomer = try #require(
      (0..<Int32(accounts.idCapacity)).first { accounts.isLive($0) && accounts[$0] == "newcomer" })
    #expect(flow.habits.withheld[Int(newcomer)] == 6)
    let before45 = flow.readsHabit(of: newcomer, before: SumKeeperStream.t0 + 45 * day)
    let before55 = flow.readsHabit(of: newcomer, before: SumKeeperStream.t0 + 55 * day)
    #expect(!before45 && before55)
  }

  @Test func aFanOfAnotherBandHeldLiveLeavesTheOneWaiting() throws {
    // The newcomer's six-receiver fan-out waits; its own sum then shows
    // its habit, against which a second new sum paid to four is held at
    // once. The first still waits for its judgement, and is revoked.
    let fan = payments(to: mules, start: 41)
    let own = payments(to: ["acct0", "acct7", "acct14"], cents: 31_400, start: 55, every: 5)
    let second = payments(to: ["other0", "other1", "other2", "other3"], cents: 99_999, start: 73)
    var f = decided(Array(SumKeeperStream.events(with: fan + own + second, days: 130).prefix { $0 != second.last! }))
    #expect(newcomersWaiting(f) == 6)
    #expect(f.decide(second.last!).verdict == .hold)
    #expect(newcomersWaiting(f) == 6)
    let run = decide(fan + own + second, watching: fan)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    let revoked = Set(run.revocations.map(\.revocation.seq))
    #expect(Set(run.decisions.map(\.seq)).isSubset(of: revoked))
  }

  @Test func aFanOutWaitingSurvivesACheckpoint() throws {
    let fan = payments(to: mules, start: 41)
    let events = SumKeeperStream.events(with: fan + ownSum(start: 55), days: 130)
    let split = try #require(events.firstIndex(of: fan.last!)) + 1
    var f = decided(Array(events[..<split]))
    #expect(newcomersWaiting(f) == 6)
    let rest = try decidedAcrossACheckpoint(&f, Array(events[split...]))
    #expect(rest.flatMap(\.revocations).count == fan.count)
  }
}
