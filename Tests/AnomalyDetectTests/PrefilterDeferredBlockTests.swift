import SignalGraph
import Testing

@testable import InlinePrefilter

/// The bipartite blocks that wait for their payers' habits (``IncrementalFlowCheck/judgeDeferredBlocks(at:into:)``):
/// two payers with no habit to read when they pay the same accounts one
/// new sum are admitted, and revoked once the month after shows them
/// paying sums of their own, or nothing else; not when the band turns out
/// to be their own sum, nor when the block recurs (a family's allowances);
/// in the stream's first month every such block waits; the wait survives a
/// checkpoint.
@Suite("Prefilter deferred bipartite block")
struct PrefilterDeferredBlockTests: SumKeeperSuite {
  let payees = ["mule0", "mule1"]

  /// `payer`'s own sum, `cents`, paid to five background accounts every ten days from day `start` on.
  func ownSum(_ payer: String, cents: Int64, start: Int64) -> [SignalEvent] {
    (0..<5).map { pay(payer, "acct\($0 * 7)", cents, (start + 10 * Int64($0)) * day + 3_600) }
  }

  /// The blocks waiting in `f` whose description starts with `payers`
  /// (the background's sum-keepers form blocks of their own in the
  /// stream's first month, which wait too).
  func waiting(_ f: Prefilter, of payers: String = "newB and newA") -> [DeferredBlocks.Block] {
    let all = f.check(IncrementalFlowCheck.self)?.deferredBlocks.waiting.values
    return all?.filter { $0.description.hasPrefix(payers) } ?? []
  }

  @Test func aBlockOfNewPayersIsRevokedOnceTheMonthAfterShowsTheirOwnSums() throws {
    // Two accounts first seen days before paying two others 777.77 (day
    // 41), each paying its own sum every ten days.
    let block = layer(to: payees, start: 41)
    let own = ownSum("newA", cents: 31_400, start: 35) + ownSum("newB", cents: 27_100, start: 36)
    let run = decide(block + own, watching: block)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit }, "\(run.decisions.flatMap(\.reasons))")
    let revoked = run.revocations.filter { r in run.decisions.contains { $0.seq == r.revocation.seq } }
    #expect(Set(revoked.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    #expect(run.revocations.count == block.count)
    // Judged once a month after its last payment has shown its payers' habits, and only then.
    let when = try #require(revoked.first?.time)
    #expect(when >= 41 * day + 31 * day && when < 41 * day + 2 * 25 * day + day, "\(when / day)")
    let reason = revoked.first?.revocation.reasons.first ?? ""
    #expect(reason.hasPrefix("bipartite: newB and newA both paid mule1 and mule0 770.00–785.54 "), "\(reason)")
    #expect(
      reason.contains("sums neither paid before: the first paid them in 0 of its 4 other payments and the second"),
      "\(reason)")
    #expect(run.filter.invariantViolation() == nil)
    #expect(waiting(run.filter).isEmpty)
    // Revoked late, they are no habit of their payers'.
    #expect(run.filter.check(IncrementalFlowCheck.self)?.habits.withheld.reduce(0, +) == Int32(block.count))
  }

  @Test func aBlockOfTheStreamsFirstMonthWaitsForItsPayersHabits() {
    // No payer's habit is known in the stream's first month: admitted then, revoked after.
    let block = layer(to: payees, start: 12)
    let own = ownSum("newA", cents: 31_400, start: 6) + ownSum("newB", cents: 27_100, start: 7)
    let run = decide(block + own, watching: block)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    #expect(Set(run.revocations.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    #expect(run.revocations.allSatisfy { $0.time >= 12 * day + 31 * day })
    // Paying their own sums to them, the same two are a routine of the stream's first month.
    let own2 = ownSum("newA", cents: 77_777, start: 6) + ownSum("newB", cents: 77_777, start: 7)
    #expect(decide(block + own2, watching: block).revocations.isEmpty)
  }

  @Test func aBlockOfPayersThatPayNothingElseIsRevoked() throws {
    // Accounts that exist for the block: their history is the stream's rate of handing a sum on.
    let block = layer(to: payees, start: 41)
    let run = decide(block, watching: block)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    #expect(Set(run.revocations.map(\.revocation.seq)) == Set(run.decisions.map(\.seq)))
    let reason = run.revocations.first?.revocation.reasons.first ?? ""
    #expect(reason.contains("in 0 of its 0 other payments"), "\(reason)")
  }

  @Test func aBlockOfTheSumItsPayersKeepPayingIsNotRevoked() {
    // The band is the payers' own sum: they pay 777.77 to others every ten days after.
    let block = layer(to: payees, start: 41)
    let after = ownSum("newA", cents: 77_777, start: 45) + ownSum("newB", cents: 77_777, start: 46)
    let run = decide(block + after, watching: block)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit })
    #expect(run.revocations.isEmpty, "\(run.revocations.flatMap(\.revocation.reasons))")
  }

  @Test func parentsPayingTheirChildrenOneAllowanceEveryMonthAreNotRevoked() {
    // Two parents, new to the stream, pay their three children 150.00 on
    // day 41 and every month after, and nothing else: the block recurs, a routine.
    let months = (0..<3).flatMap { month in
      layer(["mum", "dad"], to: ["kid0", "kid1", "kid2"], cents: 15_000, start: 41 + 30 * Int64(month))
    }
    let run = decide(months, watching: months)
    #expect(run.decisions.allSatisfy { $0.verdict == .admit }, "\(run.decisions.flatMap(\.reasons))")
    #expect(run.revocations.isEmpty, "\(run.revocations.flatMap(\.revocation.reasons))")
    // Paid once and never again, the same block is revoked.
    let once = Array(months.prefix(6))
    #expect(decide(once, watching: once).revocations.count == once.count)
  }

  @Test func aPayerThatSpreadsASecondSumAsWidelyIsNotJudged() {
    // After the block, newA pays five others near-equal sums around 314.00,
    // new to it: which of its two sums is its habit, the stream cannot tell.
    let block = layer(to: payees, start: 41)
    let varied = (0..<5).map { i in
      pay("newA", "acct\(i * 7)", 31_400 + Int64(i % 3 - 1) * 314, (45 + 10 * Int64(i)) * day + 3_600)
    }
    let run = decide(block + varied + ownSum("newB", cents: 27_100, start: 36), watching: block)
    #expect(run.revocations.isEmpty, "\(run.revocations.flatMap(\.revocation.reasons))")
    // Paid 314.00 to the cent each time, it is a sum newA keeps, beside the
    // block's sums that vary as a structure's do: the block is judged.
    let kept = ownSum("newA", cents: 31_400, start: 45) + ownSum("newB", cents: 27_100, start: 36)
    let judged = decide(block + kept, watching: block)
    #expect(judged.revocations.count == block.count)
  }

  @Test func aBlockOfPayersWithHabitsIsJudgedLiveAndDoesNotWait() {
    // The background's sum-keepers have habits to read: their block is held when it closes.
    var f = decided(SumKeeperStream.events())
    let decisions = layer(["acct1", "acct2"], to: payees, start: 41).map { f.decide($0) }
    #expect(decisions.contains { $0.verdict == .hold })
    #expect(waiting(f, of: "acct2 and acct1").isEmpty)
  }

  @Test func aBlockWaitingSurvivesACheckpoint() throws {
    let block = layer(to: payees, start: 41)
    let own = ownSum("newA", cents: 31_400, start: 35) + ownSum("newB", cents: 27_100, start: 36)
    let events = SumKeeperStream.events(with: block + own, days: 130)
    let split = try #require(events.firstIndex(of: block.last!)) + 1
    var f = decided(Array(events[..<split]))
    let kept = waiting(f)
    #expect(kept.count == 1 && kept.first?.payments.count == block.count)
    #expect(kept.first?.receivers == 1)
    let rest = try decidedAcrossACheckpoint(&f, Array(events[split...]))
    #expect(rest.flatMap(\.revocations).count == block.count)
  }
}
