@_spi(Checkpoint) import SignalGraph

/// The bipartite blocks found before their payers' habits could be read,
/// waiting for them to show: at most one per payer, the widest.
///
/// A block is judged against its two payers' habits of paying its band
/// (``IncrementalFlowCheck/bipartite(source:target:micros:time:payersRead:names:into:)``).
/// A payer first seen less than a warm-up before, or with too few payments
/// to read, has a habit unknown rather than absent: a block of two such is
/// not held but waits here, with what its chance needs but the habits, and
/// is judged against the habits its payers show after it, its payments
/// revoked if it is still unlikely
/// (``IncrementalFlowCheck/judgeDeferredBlocks(at:into:)``). The layers of a
/// stack are such blocks: accounts opened for the scheme, or used for
/// nothing else.
///
/// What becomes of each payment meanwhile is noted: withheld by the flow
/// check (``noteWithheld(_:)``: not revoked twice).
///
/// - Complexity: memory O(payments of the blocks waiting), each block at
///   most 2 · (1 + ``IncrementalFlowCheck/maxBlockReceivers``) payments and
///   one per payer; a block waits at most
///   ``IncrementalFlowCheck/fanOutWindowsRead`` fan windows after its last
///   payment. Each one kept costs O(log *n*) in the queue of dues, where it
///   stays until its due even when replaced; noting a payment withheld
///   reads every block waiting (withheld payments are few).
struct DeferredBlocks {
  /// A bipartite block waiting for its payers' habits.
  struct Block {
    /// The payer *u* whose payment completed it.
    var payer: Int32
    /// The other payer, *s*.
    var partner: Int32
    /// Its band of sums.
    var low: Int64, high: Int64
    /// When it is judged, or its payers' payments read once more.
    var due: Int64
    /// The background's share of the band when it was found, *q*.
    var floor: Double
    /// Per payee, the chance that it received the band by habit whoever
    /// paid: the payee *v* both paid first, then each receiver *w*.
    var receiptChances: [Double]
    /// *u*'s payments to each payee, in the order of ``receiptChances``,
    /// then *s*'s.
    var payments: [DeferredFans.Payment]
    /// What it was, in words (payers, payees, band, days), for the revocation's reason.
    var description: String
    /// What *u* and *s* paid besides it so far.
    var payerRead = DeferredFans.PayoutsRead(), partnerRead = DeferredFans.PayoutsRead()

    /// The receivers *w*, *k*.
    var receivers: Int { receiptChances.count - 1 }

    /// The time of its last payment.
    var last: Int64 { payments.reduce(Int64.min) { max($0, $1.time) } }

    /// The payer of `payments[i]`.
    func payer(of i: Int) -> Int32 { i < receiptChances.count ? payer : partner }
  }

  /// The blocks waiting, by payer *u*.
  private(set) var waiting: [Int32: Block] = [:]
  /// When each block kept falls due, keyed by payer.
  private(set) var dues = WaitingDues()

  /// No block waiting.
  init() {}

  /// Keeps `block`, in place of one its payer had waiting.
  mutating func keep(_ block: Block) {
    waiting[block.payer] = block
    dues.push(block.payer, due: block.due)
  }

  /// The payers whose blocks are due at `time`, earliest due first, each
  /// once; the blocks stay kept until taken (``take(_:)``).
  mutating func popDue(at time: Int64) -> [Int32] {
    let waiting = waiting
    return dues.pop(at: time) { waiting[$0]?.due }
  }

  /// Takes out `payer`'s block.
  mutating func take(_ payer: Int32) -> Block? { waiting.removeValue(forKey: payer) }

  /// Notes that the flow check withheld payment `seq`, in whichever block waits with it.
  mutating func noteWithheld(_ seq: Int) {
    guard !waiting.isEmpty else { return }
    for (payer, block) in waiting {
      if let p = block.payments.firstIndex(where: { $0.seq == seq }) { waiting[payer]!.payments[p].fate = .withheld }
    }
  }

  /// Drops the blocks of a released payer, and forgets the released payees
  /// of those kept (their payments are still revoked by sequence number).
  mutating func forget(_ accounts: [Bool]) {
    func released(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts.count && accounts[Int(a)] }
    waiting = waiting.filter { !released($0.key) && !released($0.value.partner) }
    for (payer, block) in waiting where block.payments.contains(where: { released($0.counterpart) }) {
      for p in block.payments.indices where released(block.payments[p].counterpart) {
        waiting[payer]!.payments[p].counterpart = -1
      }
    }
  }

  /// The payments of the blocks waiting.
  var paymentCount: Int { waiting.values.reduce(0) { $0 + $1.payments.count } }

  /// Whether every payer and payee is below `accounts` and live (`isLive`),
  /// a payee may be released (−1), every block has its band, two payers,
  /// one payment of each to each payee, and its due: `nil`, or what is wrong.
  func invariantViolation(accounts: Int, isLive: (Int32) -> Bool) -> String? {
    func known(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts && isLive(a) }
    let queued = dues.queued
    for (payer, b) in waiting {
      guard payer == b.payer, known(payer), known(b.partner), b.partner != payer else {
        return "a deferred block's payers are out of range, not live or one"
      }
      guard b.low > 0, b.low <= b.high, b.receivers > 0, b.payments.count == 2 * b.receiptChances.count else {
        return "a deferred block has an empty band, no receivers or not one payment of each payer to each payee"
      }
      let payees = b.receiptChances.count
      guard b.payments.allSatisfy({ $0.counterpart == -1 || known($0.counterpart) }),
        (0..<payees).allSatisfy({ b.payments[$0].counterpart == b.payments[payees + $0].counterpart })
      else { return "a deferred block's payee is out of range, not live, or not paid by both payers" }
      guard queued.contains(.init(time: b.due, account: payer)) else {
        return "a deferred block is not in the queue of dues"
      }
    }
    return nil
  }
}

extension DeferredBlocks {
  /// Writes the blocks waiting for a checkpoint, in payer order, and their dues in heap order.
  func write(to writer: inout StateWriter) {
    writer.write(waiting.count)
    for payer in waiting.keys.sorted() {
      let b = waiting[payer]!
      writer.write([b.payer, b.partner])
      writer.write([b.low, b.high, b.due])
      writer.write([b.floor])
      writer.write(b.receiptChances)
      DeferredFans.Payment.write(b.payments, to: &writer)
      writer.write(b.description)
      writer.write(b.payerRead.fields)
      writer.write(b.partnerRead.fields)
    }
    dues.write(to: &writer)
  }

  /// Restores the blocks written by ``write(to:)``: a payer twice, arrays
  /// of unequal lengths, an unknown fate, impossible counts read or dues
  /// out of heap order are malformed (ids are checked against the lists by
  /// the flow check).
  init(from reader: inout StateReader) throws(StateReaderError) {
    let count = try reader.read(Int.self)
    guard count >= 0 else { throw .malformed }
    for _ in 0..<count {
      let payers = try reader.readArray(Int32.self)
      let limits = try reader.readArray(Int64.self)
      let floor = try reader.readArray(Double.self)
      let chances = try reader.readArray(Double.self)
      let payments = try DeferredFans.Payment.read(from: &reader)
      let description = try reader.readString()
      let payerRead = DeferredFans.PayoutsRead(fields: try reader.readArray(Int64.self))
      let partnerRead = DeferredFans.PayoutsRead(fields: try reader.readArray(Int64.self))
      guard payers.count == 2, limits.count == 3, floor.count == 1, chances.count >= 2,
        payments.count == 2 * chances.count, waiting[payers[0]] == nil, let payerRead, let partnerRead
      else { throw .malformed }
      waiting[payers[0]] = Block(
        payer: payers[0], partner: payers[1], low: limits[0], high: limits[1], due: limits[2], floor: floor[0],
        receiptChances: chances, payments: payments, description: description, payerRead: payerRead,
        partnerRead: partnerRead)
    }
    dues = try WaitingDues(from: &reader)
  }
}
