import SignalGraph
import Testing

@testable import InlinePrefilter

/// The fan-ins of the stream's first month waiting for their payee's habit
/// (``DeferredFanIns``): one per payee, taken out when due, each payment's
/// fate noted as it leaves the fan list, forgotten with its payee, and
/// written and read back whole.
@Suite("Deferred fan-ins")
struct DeferredFanInsTests {
  func fanIn(into payee: Int32, due: Int64, seqs: [Int]) -> DeferredFanIns.FanIn {
    DeferredFanIns.FanIn(
      payee: payee, low: 7_000_000, high: 7_100_000, due: due, floor: 0.001, log10Binomial: 5.5,
      senderChances: seqs.map { _ in -3 },
      payments: seqs.map {
        .init(
          seq: $0, source: Int32($0 % 7), micros: 7_050_000, time: Int64($0) * 86_400,
          fate: DeferredFanIns.Payment.inList)
      },
      description: "\(seqs.count) senders paid acct\(payee)")
  }

  func payment(_ seq: Int, withheld: Bool) -> RecentPayments.Payment {
    RecentPayments.Payment(source: 1, time: 0, micros: 7_050_000, seq: seq, withheld: withheld, counted: withheld)
  }

  @Test func aPayeeKeepsOnlyItsLatestFanInAndEachIsTakenWhenDue() {
    // Kept out of the order of their dues (a stream out of time order): taken in it.
    var waiting = DeferredFanIns()
    waiting.keep(fanIn(into: 4, due: 200, seqs: [4, 5, 6]))
    waiting.keep(fanIn(into: 3, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 3, due: 150, seqs: [1, 2, 3, 7]))
    #expect(waiting.waiting.keys.sorted() == [3, 4])
    #expect(waiting.popDue(at: 149).isEmpty)  // the replaced fan-in's due (100) is passed over
    #expect(waiting.popDue(at: 150) == [3])
    #expect(waiting.take(3)?.payments.count == 4)
    #expect(waiting.take(3) == nil)
    #expect(waiting.popDue(at: 1_000) == [4])
    #expect(waiting.take(4) != nil)
    #expect(waiting.waiting.isEmpty && waiting.dues.count == 0)
  }

  @Test func aPaymentLeavingTheFanListIsNotedWithheldOrInTheHabit() {
    var waiting = DeferredFanIns()
    waiting.keep(fanIn(into: 3, due: 100, seqs: [1, 2, 3]))
    waiting.noteDropped(payment(1, withheld: true), from: 3)
    waiting.noteDropped(payment(2, withheld: false), from: 3)
    waiting.noteDropped(payment(3, withheld: true), from: 4)  // another payee's
    #expect(
      waiting.waiting[3]?.payments.map(\.fate) == [
        DeferredFanIns.Payment.withheld, DeferredFanIns.Payment.inHabit, DeferredFanIns.Payment.inList,
      ])
  }

  @Test func aReleasedPayeesFanInIsForgotten() {
    var waiting = DeferredFanIns()
    waiting.keep(fanIn(into: 1, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 2, due: 100, seqs: [4, 5, 6]))
    waiting.forget([false, true, false])
    #expect(Array(waiting.waiting.keys) == [2])
    #expect(waiting.invariantViolation(idCapacity: 3) == nil)
    #expect(waiting.invariantViolation(idCapacity: 2) != nil)
  }

  @Test func theFanInsWaitingReadBackAsWritten() throws {
    var waiting = DeferredFanIns()
    waiting.keep(fanIn(into: 1, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 2, due: 120, seqs: [4, 5, 6, 8]))
    waiting.noteDropped(payment(5, withheld: true), from: 2)
    var writer = StateWriter()
    waiting.write(to: &writer)
    var reader = StateReader(writer.bytes)
    let read = try DeferredFanIns(from: &reader)
    #expect(read.waiting.count == 2)
    #expect(read.dues.entries.map(\.time) == waiting.dues.entries.map(\.time))
    #expect(read.dues.entries.map(\.key) == waiting.dues.entries.map(\.key))
    for (a, b) in zip(
      read.waiting.values.sorted { $0.payee < $1.payee }, waiting.waiting.values.sorted { $0.payee < $1.payee })
    {
      #expect(a.payee == b.payee && a.low == b.low && a.high == b.high && a.due == b.due)
      #expect(a.floor == b.floor && a.log10Binomial == b.log10Binomial && a.senderChances == b.senderChances)
      #expect(a.payments.map(\.seq) == b.payments.map(\.seq) && a.payments.map(\.source) == b.payments.map(\.source))
      #expect(a.payments.map(\.fate) == b.payments.map(\.fate) && a.payments.map(\.time) == b.payments.map(\.time))
      #expect(a.description == b.description)
    }
  }
}
