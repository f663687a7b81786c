@_spi(Checkpoint) import SignalGraph
import Testing

@testable import InlinePrefilter

/// The bipartite blocks waiting for their payers' habits (``DeferredBlocks``):
/// one per payer, taken out when due, a payment withheld noted whichever
/// block holds it, released ids forgotten, written and read back whole,
/// and malformed state refused.
@Suite("Deferred blocks")
struct DeferredBlocksTests {
  /// `payer` and `partner` each paying the payees 4, 5 and 6 (seqs from `seq` on, the payer's first).
  func block(_ payer: Int32, _ partner: Int32, due: Int64, seq: Int = 10) -> DeferredBlocks.Block {
    let payees: [Int32] = [4, 5, 6]
    let payments = (0..<6).map { i in
      DeferredFans.Payment(
        seq: seq + i, counterpart: payees[i % 3], micros: 7_000_000 + Int64(i), time: Int64(i) * 3_600, fate: .inList)
    }
    return DeferredBlocks.Block(
      payer: payer, partner: partner, low: 7_000_000, high: 7_000_005, due: due, floor: 0.001,
      receiptChances: [0.02, 0.01, 0.03], payments: payments, description: "acct\(payer) and acct\(partner) both paid")
  }

  @Test func aPayerKeepsOneBlockAndEachIsTakenWhenDue() {
    var waiting = DeferredBlocks()
    waiting.keep(block(2, 3, due: 200))
    waiting.keep(block(1, 3, due: 100))
    waiting.keep(block(1, 2, due: 150, seq: 20))
    #expect(waiting.waiting.keys.sorted() == [1, 2])
    #expect(waiting.popDue(at: 149).isEmpty)  // the replaced block's due (100) is passed over
    #expect(waiting.popDue(at: 150) == [1])
    let taken = waiting.take(1)
    #expect(taken != nil)
    guard let taken else { return }
    #expect(taken.partner == 2 && taken.receivers == 2 && taken.last == 5 * 3_600)
    #expect((0..<6).map { taken.payer(of: $0) } == [1, 1, 1, 2, 2, 2])
    #expect(waiting.take(1) == nil)
    #expect(waiting.popDue(at: 1_000) == [2])
    #expect(waiting.take(2) != nil)
    #expect(waiting.waiting.isEmpty && waiting.dues.count == 0)
  }

  @Test func aPaymentWithheldIsNotedInWhicheverBlockHoldsIt() {
    var waiting = DeferredBlocks()
    waiting.keep(block(1, 2, due: 100))
    waiting.keep(block(3, 1, due: 100, seq: 20))
    waiting.noteWithheld(14)  // the partner's, in payer 1's block
    waiting.noteWithheld(20)  // payer 3's own
    waiting.noteWithheld(99)  // no block's
    #expect(waiting.waiting[1]?.payments.map(\.fate) == [.inList, .inList, .inList, .inList, .withheld, .inList])
    #expect(waiting.waiting[3]?.payments.map(\.fate) == [.withheld, .inList, .inList, .inList, .inList, .inList])
  }

  @Test func releasedIdsAreForgotten() {
    var waiting = DeferredBlocks()
    waiting.keep(block(1, 2, due: 100))
    waiting.keep(block(3, 7, due: 100, seq: 20))
    waiting.keep(block(8, 9, due: 100, seq: 30))
    // Payer 1 and partner 7 released: their blocks go; payee 5 released: forgotten in the one kept.
    var released = Array(repeating: false, count: 10)
    for a in [1, 5, 7] { released[a] = true }
    waiting.forget(released)
    #expect(Array(waiting.waiting.keys) == [8])
    #expect(waiting.waiting[8]?.payments.map(\.counterpart) == [4, -1, 6, 4, -1, 6])
    #expect(waiting.paymentCount == 6)
    #expect(waiting.invariantViolation(accounts: 10, isLive: { $0 != 5 }) == nil)
    #expect(waiting.invariantViolation(accounts: 9, isLive: { _ in true }) != nil)  // partner 9 beyond the lists
    #expect(waiting.invariantViolation(accounts: 10, isLive: { $0 != 4 }) != nil)  // payee 4 not live
    var unpaired = waiting
    unpaired.keep(
      {
        var b = block(2, 3, due: 100)
        b.payments[4].counterpart = 6  // the partner paid another payee than the payer did
        return b
      }())
    #expect(unpaired.invariantViolation(accounts: 10, isLive: { _ in true }) != nil)
  }

  func written(_ waiting: DeferredBlocks) -> [UInt8] {
    var writer = StateWriter()
    waiting.write(to: &writer)
    return writer.bytes
  }

  @Test func theBlocksWaitingReadBackAsWritten() throws {
    var waiting = DeferredBlocks()
    waiting.keep(block(1, 2, due: 100))
    var other = block(3, 1, due: 130, seq: 20)
    (other.payerRead.payments, other.payerRead.inBand, other.payerRead.recurring) = (4, 1, 1)
    (other.partnerRead.payments, other.partnerRead.newSums, other.partnerRead.looks) = (6, 2, 1)
    waiting.keep(other)
    waiting.noteWithheld(22)
    var reader = StateReader(written(waiting))
    let read = try DeferredBlocks(from: &reader)
    #expect(read.waiting.count == 2)
    #expect(read.dues.entries.map(\.time) == waiting.dues.entries.map(\.time))
    #expect(read.dues.entries.map(\.key) == waiting.dues.entries.map(\.key))
    for payer: Int32 in [1, 3] {
      let (a, b) = (read.waiting[payer]!, waiting.waiting[payer]!)
      #expect(a.payer == b.payer && a.partner == b.partner && a.low == b.low && a.high == b.high && a.due == b.due)
      #expect(a.floor == b.floor && a.receiptChances == b.receiptChances && a.description == b.description)
      #expect(
        a.payments.map(\.seq) == b.payments.map(\.seq) && a.payments.map(\.counterpart) == b.payments.map(\.counterpart)
      )
      #expect(a.payments.map(\.micros) == b.payments.map(\.micros) && a.payments.map(\.time) == b.payments.map(\.time))
      #expect(a.payments.map(\.fate) == b.payments.map(\.fate))
      #expect(a.payerRead == b.payerRead && a.partnerRead == b.partnerRead)
    }
    #expect(written(read) == written(waiting))
  }

  @Test func malformedStateIsRefused() {
    func read(_ body: (inout StateWriter) -> Void) -> Bool {
      var writer = StateWriter()
      body(&writer)
      var reader = StateReader(writer.bytes)
      return (try? DeferredBlocks(from: &reader)) != nil
    }
    func entry(
      _ w: inout StateWriter, payers: [Int32] = [1, 2], fate: Int64 = 0, chances: [Double] = [0.02, 0.01],
      payees: [Int32] = [4, 5, 4, 5], read: [Int64] = [5, 1, 2, 1, 3, 86_400, 1, 0]
    ) {
      w.write(payers)
      w.write([Int64(7_000_000), 7_100_000, 100])
      w.write([0.001])
      w.write(chances)
      w.write([10, 11, 12, 13])
      w.write(payees)
      w.write((0..<4).flatMap { [Int64(7_050_000), Int64($0) * 3_600, $0 == 3 ? fate : 0] })
      w.write("acct1 and acct2 both paid")
      w.write(read)
      w.write(read)
    }
    func dues(_ w: inout StateWriter, _ times: [Int64], _ keys: [UInt64]) {
      w.write(times)
      w.write(keys)
    }
    #expect(
      read { w in
        w.write(1)
        entry(&w)
        dues(&w, [100], [1])
      })
    #expect(
      !read { w in
        w.write(2)
        entry(&w)
        entry(&w)
        dues(&w, [100], [1])
      })  // a payer twice
    #expect(
      !read { w in
        w.write(1)
        entry(&w, fate: 7)
        dues(&w, [100], [1])
      })  // no such fate
    #expect(
      !read { w in
        w.write(1)
        entry(&w, payers: [1])
        dues(&w, [100], [1])
      })  // one payer
    #expect(
      !read { w in
        w.write(1)
        entry(&w, chances: [0.02])
        dues(&w, [100], [1])
      })  // no receiver
    #expect(
      !read { w in
        w.write(1)
        entry(&w, payees: [4, 5, 4])
        dues(&w, [100], [1])
      })  // lengths
    #expect(
      !read { w in
        w.write(1)
        entry(&w, read: [5, 4, 2, 1, 3, 0, 0, 0])
        dues(&w, [100], [1])
      })  // more in the band and near it than read
    #expect(
      !read { w in
        w.write(0)
        dues(&w, [100, 50], [1, 2])
      })  // dues out of heap order
    #expect(!read { w in w.write(-1) })
  }
}
