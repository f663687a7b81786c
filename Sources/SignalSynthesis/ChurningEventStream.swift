import SignalGraph
import SplitMix

/// An endless, honest-looking event stream whose accounts keep changing:
/// every day a new cohort of accounts joins, is active for a few days and
/// never comes back, and almost every bio and many employers are new. It is
/// the worst case for memory that grows with the stream rather than the
/// window (each distinct account and value is seen for a short time only),
/// which is what `fraudscan bench --suite prefilter-memory` and the
/// pre-filter's memory tests feed it.
///
///     var stream = ChurningEventStream(eventsPerDay: 1_000, cohortSize: 100)
///     let event = stream.next()!   // an endorsement, payment or profile edit on day 0
///
/// Events come in time order, `eventsPerDay` a day, from accounts of the
/// last `activeDays` cohorts: 40 % endorsements (one in five of a stable set
/// of popular accounts, the rest of other active accounts), 30 % payments
/// between active accounts, 30 % profile edits (a new bio, an employer from
/// a long tail that grows each day, or a phone of the account's own).
/// Deterministic for a seed.
package struct ChurningEventStream: IteratorProtocol, Sequence {
  /// Events per day of stream time.
  package let eventsPerDay: Int
  /// New accounts per day.
  package let cohortSize: Int
  /// Days each account is active.
  package let activeDays: Int
  /// Unix time of the first event.
  package let start: Int64
  private var rng: SplitMix64
  private var renderer = ProfileValueRenderer()
  private var emitted = 0
  private var paymentCount = 0

  /// A stream from `start`, deterministic for `seed`.
  package init(
    eventsPerDay: Int, cohortSize: Int, activeDays: Int = 7, start: Int64 = 1_767_225_600, seed: UInt64 = 1
  ) {
    precondition(eventsPerDay > 0 && cohortSize > 0 && activeDays > 0)
    self.eventsPerDay = eventsPerDay
    self.cohortSize = cohortSize
    self.activeDays = activeDays
    self.start = start
    rng = SplitMix64(seed: seed)
  }

  /// The day of the next event (0 for the first day).
  package var day: Int { emitted / eventsPerDay }

  /// Accounts that have joined so far: a cohort for each day that has had an event.
  package var accountsSoFar: Int { (emitted + eventsPerDay - 1) / eventsPerDay * cohortSize }

  /// The next event; the stream never ends.
  package mutating func next() -> SignalEvent? {
    let day = self.day
    let time = start + Int64(day) * 86_400 + Int64(emitted % eventsPerDay) * 86_400 / Int64(eventsPerDay)
    emitted += 1
    let actor = activeAccount(day)
    let roll = rng.below(10)
    if roll < 4 {
      let target = rng.below(5) == 0 ? "star\(rng.below(50))" : activeAccount(day)
      return .interaction(source: actor, target: target, kind: rng.below(3) == 0 ? "follow" : "like", time: time)
    }
    if roll < 7 {
      paymentCount += 1
      let amount = Amount(micros: Int64(1 + rng.below(50_000)) * 10_000)
      return .payment(id: "c\(paymentCount)", source: actor, target: activeAccount(day), amount: amount, time: time)
    }
    switch rng.below(3) {
    case 0:
      let text = renderer.render(.bio, rng.next() & ProfileValueRenderer.bioSeedMask)
      return .profileEdit(account: actor, field: "bio", value: String(decoding: text, as: UTF8.self), time: time)
    case 1:
      return .profileEdit(account: actor, field: "employer", value: "Firm \(day)-\(rng.below(cohortSize))", time: time)
    default:
      return .profileEdit(account: actor, field: "phone", value: "+1-\(actor)", time: time)
    }
  }

  /// A random account of the cohorts active on `day`.
  private mutating func activeAccount(_ day: Int) -> String {
    let cohort = Swift.max(0, day - rng.below(activeDays))
    return "u\(cohort)-\(rng.below(cohortSize))"
  }
}
