import Foundation
import Testing

@testable import FraudService

/// The decision feed's long polls (``DecisionFeedWaiters``): woken when an
/// event after their seq becomes durable, and only then, or at their
/// deadline, on cancellation, or at shutdown, with no timer in between.
@Suite("Serve: long polls woken as decisions become durable") struct ServeFeedTests {
  /// A deadline far enough away that a wait ending well before it was ended
  /// by something else; near enough that a wait that should not have begun
  /// fails its test's clock check instead of hanging the run.
  static var never: ContinuousClock.Instant { .now + .seconds(30) }

  /// Waits (politely) until `waiters` holds `count` polls.
  static func waiting(_ waiters: DecisionFeedWaiters, reach count: Int) async -> Bool {
    for _ in 0..<2_000 {
      if waiters.count == count { return true }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return false
  }

  @Test func aPollWakesWhenAnEventAfterItsSeqIsDurableAndNotBefore() async throws {
    let waiters = DecisionFeedWaiters(durable: 3)  // seqs 0, 1, 2 durable
    let poll = Task { await waiters.wait(after: 3, until: Self.never) }
    #expect(await Self.waiting(waiters, reach: 1))
    waiters.advance(to: 4)  // seq 3: the poll has seen it
    #expect(waiters.count == 1)
    waiters.advance(to: 3)  // never backwards
    #expect(waiters.durable == 4)
    waiters.advance(to: 5)  // seq 4: after the poll's seq
    #expect(waiters.count == 0)
    await poll.value
    #expect(waiters.durable == 5)
  }

  @Test func aPollWhoseEventIsDurableAlreadyDoesNotWait() async {
    let waiters = DecisionFeedWaiters(durable: 2)
    let start = ContinuousClock.now
    await waiters.wait(after: 0, until: Self.never)
    await waiters.wait(after: -1, until: Self.never)
    #expect(ContinuousClock.now - start < .seconds(15))
    #expect(waiters.count == 0)
  }

  @Test func aSeqBeforeTheFirstWaitsForTheFirstEvent() async {
    // A client's `after=-5` is `after=-1`: it must wait, not spin, on an empty feed.
    let waiters = DecisionFeedWaiters(durable: 0)
    let poll = Task { await waiters.wait(after: -5, until: Self.never) }
    #expect(await Self.waiting(waiters, reach: 1))
    waiters.advance(to: 1)
    await poll.value
    #expect(waiters.count == 0)
  }

  @Test func aPollEndsAtItsDeadline() async {
    let waiters = DecisionFeedWaiters(durable: 0)
    let start = ContinuousClock.now
    await waiters.wait(after: -1, until: start + .milliseconds(50))
    #expect(ContinuousClock.now - start >= .milliseconds(50))
    #expect(waiters.count == 0)
  }

  @Test func aCancelledPollEndsAndLeavesNothingBehind() async {
    let waiters = DecisionFeedWaiters(durable: 0)
    let poll = Task { await waiters.wait(after: -1, until: Self.never) }
    #expect(await Self.waiting(waiters, reach: 1))
    poll.cancel()
    await poll.value
    #expect(waiters.count == 0)
    // Cancelled before it waits: it does not wait at all.
    let start = ContinuousClock.now
    let late = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      await waiters.wait(after: -1, until: Self.never)
    }
    await late.value
    #expect(waiters.count == 0 && ContinuousClock.now - start < .seconds(15))
  }

  @Test func closingEndsEveryPollAndEveryLaterOneAtOnce() async {
    let waiters = DecisionFeedWaiters(durable: 0)
    let polls = (0..<8).map { i in Task { await waiters.wait(after: i - 1, until: Self.never) } }
    #expect(await Self.waiting(waiters, reach: 8))
    waiters.close()
    for poll in polls { await poll.value }
    #expect(waiters.count == 0 && waiters.isClosed)
    let start = ContinuousClock.now
    await waiters.wait(after: -1, until: Self.never)
    #expect(ContinuousClock.now - start < .seconds(15))
  }

  @Test func pollsRacingAdvancesCancellationsAndACloseEachEndOnce() async {
    // A continuation resumed twice traps, and one never resumed hangs this test.
    for round in 0..<20 {
      let waiters = DecisionFeedWaiters(durable: 0)
      await withTaskGroup(of: Void.self) { group in
        for i in 0..<64 {
          group.addTask {
            let deadline = ContinuousClock.now + .milliseconds(i % 4 == 0 ? 1 : 30_000)
            await waiters.wait(after: i % 16, until: deadline)
          }
        }
        group.addTask {
          for durable in 1...12 { waiters.advance(to: durable) }
          if round % 2 == 0 { waiters.close() }
        }
        if round % 2 == 1 {
          try? await Task.sleep(for: .milliseconds(5))
          group.cancelAll()
        }
      }
      #expect(waiters.count == 0)
    }
  }

  @Test func manyPollsWakeTogetherEachAtItsOwnSeq() async {
    let waiters = DecisionFeedWaiters(durable: 0)
    let polls = (0..<16).map { i in Task { await waiters.wait(after: i, until: Self.never) } }
    #expect(await Self.waiting(waiters, reach: 16))
    waiters.advance(to: 9)  // seqs 0 ... 8: the polls after 0 ... 7 wake
    #expect(waiters.count == 8)
    for poll in polls[..<8] { await poll.value }
    waiters.advance(to: 17)
    for poll in polls[8...] { await poll.value }
    #expect(waiters.count == 0)
  }
}
