@_spi(Checkpoint) import SignalGraph
import Testing

@testable import InlinePrefilter

/// The fans waiting for their hub's habit (``DeferredFans``): one per hub,
/// taken out when due (once, however often queued), what became of each
/// payment noted, released ids forgotten, written and read back whole with
/// what a fan-out read, and malformed state refused.
@Suite("Deferred fans")
struct DeferredFansTests {
  func fanIn(into payee: Int32, due: Int64, seqs: [Int]) -> DeferredFans.Fan {
    DeferredFans.Fan(
      hub: payee, low: 7_000_000, high: 7_100_000, due: due, floor: 0.001, log10Binomial: 5.5,
      senderChances: seqs.map { _ in -3 },
      payments: seqs.map {
        .init(
          seq: $0, counterpart: Int32($0 % 7), micros: 7_000_000 + Int64($0), time: Int64($0) * 86_400, fate: .inList)
      },
      counterparts: Set(seqs.map { $0 % 7 }).count, description: "\(seqs.count) senders paid acct\(payee)")
  }

  func payment(_ seq: Int, withheld: Bool) -> RecentPayments.Payment {
    RecentPayments.Payment(source: 1, time: 0, micros: 7_050_000, seq: seq, withheld: withheld, counted: withheld)
  }

  @Test func aPayeeKeepsOnlyItsLatestFanInAndEachIsTakenWhenDue() {
    // Kept out of the order of their dues (a stream out of time order): taken in it.
    var waiting = DeferredFans()
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

  @Test func aFanKeptTwiceWithOneDueIsTakenOnce() {
    // A fan-out read again keeps its fan with a due it may have had before.
    var waiting = DeferredFans()
    waiting.keep(fanIn(into: 3, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 3, due: 100, seqs: [1, 2, 3, 4]))
    #expect(waiting.dues.count == 2)
    #expect(waiting.popDue(at: 100) == [3])
    #expect(waiting.dues.count == 0)
  }

  @Test func whatBecomesOfEachPaymentIsNoted() {
    var waiting = DeferredFans()
    waiting.keep(fanIn(into: 3, due: 100, seqs: [1, 2, 3, 4]))
    waiting.noteLeft(payment(1, withheld: true), from: 3)
    waiting.noteLeft(payment(2, withheld: false), from: 3)
    waiting.noteLeft(payment(3, withheld: true), from: 4)  // another payee's
    waiting.noteLeft(payment(9, withheld: false), from: 3)  // not the fan-in's
    waiting.noteWithheld(4, at: 3)
    waiting.noteWithheld(3, at: 4)  // another hub's
    #expect(waiting.waiting[3]?.payments.map(\.fate) == [.withheld, .left, .inList, .withheld])
  }

  @Test func releasedIdsAreForgotten() {
    var waiting = DeferredFans()
    waiting.keep(fanIn(into: 1, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 2, due: 100, seqs: [4, 5, 6]))
    // Account 1 released: its fan-in goes, and it is forgotten as account 2's payer (seq 8 % 7).
    waiting.keep(fanIn(into: 2, due: 110, seqs: [4, 5, 8]))
    waiting.forget([false, true, false, false, false, false, false])
    #expect(Array(waiting.waiting.keys) == [2])
    #expect(waiting.waiting[2]?.payments.map(\.counterpart) == [4, 5, -1])
    #expect(waiting.invariantViolation(accounts: 7, isLive: { $0 != 1 }) == nil)
    #expect(waiting.invariantViolation(accounts: 5, isLive: { _ in true }) != nil)  // payer 5 beyond the lists
    #expect(waiting.invariantViolation(accounts: 7, isLive: { $0 != 4 }) != nil)  // payer 4 not live
  }

  func written(_ waiting: DeferredFans) -> [UInt8] {
    var writer = StateWriter()
    waiting.write(to: &writer)
    return writer.bytes
  }

  @Test func theFansWaitingReadBackAsWritten() throws {
    var waiting = DeferredFans()
    waiting.keep(fanIn(into: 1, due: 100, seqs: [1, 2, 3]))
    waiting.keep(fanIn(into: 2, due: 120, seqs: [4, 5, 6, 8]))
    waiting.noteLeft(payment(5, withheld: true), from: 2)
    var fanOut = fanIn(into: 4, due: 130, seqs: [9, 10, 11])
    (fanOut.senderChances, fanOut.read.payments, fanOut.read.inBand, fanOut.read.nearBand) = ([], 7, 1, 2)
    (fanOut.read.newSums, fanOut.read.takenUpReceivers, fanOut.read.readUpTo, fanOut.read.looks) = (
      3, 2, 99 * 86_400, 1
    )
    fanOut.read.recurring = 2
    fanOut.paidAgain = .init(read: 3, inBand: 2)
    waiting.keep(fanOut)
    var reader = StateReader(written(waiting))
    let read = try DeferredFans(from: &reader)
    #expect(read.waiting.count == 3)
    #expect(read.dues.entries.map(\.time) == waiting.dues.entries.map(\.time))
    #expect(read.dues.entries.map(\.key) == waiting.dues.entries.map(\.key))
    #expect(read.waiting[4]?.read.fields == [7, 1, 2, 3, 2, 99 * 86_400, 1, 2])
    for payee: Int32 in [1, 2, 4] {
      let (a, b) = (read.waiting[payee]!, waiting.waiting[payee]!)
      #expect(a.hub == b.hub && a.low == b.low && a.high == b.high && a.due == b.due)
      #expect(a.floor == b.floor && a.log10Binomial == b.log10Binomial && a.senderChances == b.senderChances)
      #expect(
        a.payments.map(\.seq) == b.payments.map(\.seq) && a.payments.map(\.counterpart) == b.payments.map(\.counterpart)
      )
      #expect(a.payments.map(\.micros) == b.payments.map(\.micros) && a.payments.map(\.time) == b.payments.map(\.time))
      #expect(a.payments.map(\.fate) == b.payments.map(\.fate) && a.description == b.description && a.read == b.read)
      #expect(a.counterparts == b.counterparts && a.paidAgain == b.paidAgain)
    }
    #expect(read.waiting[4]?.paidAgain == .init(read: 3, inBand: 2))
    #expect(written(read) == written(waiting))
  }

  @Test func malformedStateIsRefused() {
    func read(_ body: (inout StateWriter) -> Void) -> Bool {
      var writer = StateWriter()
      body(&writer)
      var reader = StateReader(writer.bytes)
      return (try? DeferredFans(from: &reader)) != nil
    }
    func entry(
      _ w: inout StateWriter, payee: Int32, fate: Int64 = 0, sources: [Int32] = [1], counterparts: Int64 = 1,
      read: [Int64] = [5, 1, 2, 1, 3, 86_400, 1, 0], paidAgain: [Int64] = [1, 0]
    ) {
      w.write(payee)
      w.write([Int64(7_000_000), 7_100_000, 100, counterparts] + paidAgain)
      w.write([0.001, 5.5])
      w.write([-3.0])
      w.write([42])
      w.write(sources)
      w.write([Int64(7_050_000), 86_400, fate])
      w.write("1 sender")
      w.write(read)
    }
    func dues(_ w: inout StateWriter, _ times: [Int64], _ keys: [UInt64]) {
      w.write(times)
      w.write(keys)
    }
    #expect(
      read { w in
        w.write(1)
        entry(&w, payee: 3)
        dues(&w, [100], [3])
      })
    #expect(
      !read { w in
        w.write(2)
        entry(&w, payee: 3)
        entry(&w, payee: 3)
        dues(&w, [100], [3])
      })  // twice
    #expect(
      !read { w in
        w.write(1)
        entry(&w, payee: 3, fate: 7)
        dues(&w, [100], [3])
      })  // no such fate
    #expect(
      !read { w in
        w.write(1)
        entry(&w, payee: 3, sources: [1, 2])
        dues(&w, [100], [3])
      })  // lengths
    for counterparts: Int64 in [0, 2] {
      #expect(
        !read { w in
          w.write(1)
          entry(&w, payee: 3, counterparts: counterparts)
          dues(&w, [100], [3])
        })  // none, or more than its payments
    }
    for paidAgain: [Int64] in [[0, 1], [1, 1], [-1, 0], [1]] {
      #expect(
        !read { w in
          w.write(1)
          entry(&w, payee: 3, paidAgain: paidAgain)
          dues(&w, [100], [3])
        }, "\(paidAgain)")  // more in the band than read, or than its payments after the first; negative; short
    }
    for counts: [Int64] in [
      [5, 4, 2, 1, 3, 0, 0, 0], [5, 1, 2, 6, 3, 0, 0, 0], [-1, 0, 0, 0, 0, 0, 0, 0], [5, 1, 2, 1, 3, 0, -1, 0],
      [5, 1, 2, 1, 3, 0, 0, -1], [5, 1, 2, 1, 3, 0, 0],
    ] {
      #expect(
        !read { w in
          w.write(1)
          entry(&w, payee: 3, read: counts)
          dues(&w, [100], [3])
        }, "\(counts)")  // more in the band and near it, or new, than read; negative counts; short
    }
    #expect(
      !read { w in
        w.write(0)
        dues(&w, [100, 50], [3, 4])
      })  // dues out of heap order
    #expect(
      !read { w in
        w.write(0)
        dues(&w, [100], [3, 4])
      })  // lengths
    #expect(!read { w in w.write(-1) })
  }
}
