@_spi(Checkpoint) import SignalGraph

/// The fan-ins found while the stream was young, waiting for their payee's
/// habit to show: at most one per payee, the latest.
///
/// A fan-in is judged against its payee's habit of receiving the band
/// before it (a club's dues, a shop's price, last month). One that began in
/// the stream's first month (``IncrementalFlowCheck/Thresholds/fanWarmUpSeconds``)
/// has no month before to read: the payee's habit is unknown, not absent,
/// and the fan-in is not held. It waits here instead, with what its chance
/// needs but the habit, until a warm-up after its last payment: a routine
/// shows by then as the payee's receipts of the band in other payments,
/// and the fan-in is judged against that habit (``IncrementalFlowCheck/judgeDeferredFanIns(at:into:)``),
/// its payments revoked if it is still unlikely.
///
/// What becomes of each payment meanwhile is noted: withheld by the flow
/// check (``noteWithheld(_:into:)``: not revoked twice), or gone from the
/// payee's fan list unwithheld (``noteLeft(_:from:)``: revoked by its
/// sequence number alone).
///
/// - Complexity: memory O(payments of the fan-ins waiting), each of at
///   most ``IncrementalFlowCheck/Thresholds/fanMaxRead`` payments; fan-ins
///   are kept only when they began in the stream's first month (or are
///   dated before the stream's first payment), so none is kept once the
///   stream is a warm-up and a fan window old. Each one kept costs O(log *n*)
///   in the queue of dues, where it stays until its due even when replaced.
struct DeferredFanIns {
  /// What became of a payment of a fan-in waiting.
  enum Fate: Int64 {
    /// Still in the payee's fan list.
    case inList
    /// Gone from the fan list unwithheld.
    case left
    /// Withheld by the flow check meanwhile.
    case withheld
  }

  /// A payment of a fan-in waiting.
  struct Payment {
    /// Its sequence number: what a revocation names.
    var seq: Int
    /// Its payer (−1 once the payer's id is released).
    var source: Int32
    /// Its sum, in micro-units.
    var micros: Int64
    /// Its time.
    var time: Int64
    /// What became of it.
    var fate: Fate
  }

  /// A fan-in waiting for its payee's habit.
  struct FanIn {
    /// Its payee.
    var payee: Int32
    /// Its band of sums.
    var low: Int64, high: Int64
    /// When it is judged: a warm-up after its last payment.
    var due: Int64
    /// The least chance that a sender's payment lies in the band when it
    /// was found, max(*q*, *s*′).
    var floor: Double
    /// log₁₀ C(*n*, *k*) (the background's payments are counted when it is judged).
    var log10Binomial: Double
    /// log₁₀ of each sender's own chance of paying the band.
    var senderChances: [Double]
    /// Its payments, the one that completed it among them.
    var payments: [Payment]
    /// What it was, in words (senders, payee, band, days), for the revocation's reason.
    var description: String
  }

  /// The fan-ins waiting, by payee.
  private(set) var waiting: [Int32: FanIn] = [:]
  /// When each fan-in kept falls due, keyed by payee. An entry whose
  /// payee's fan-in was replaced since (its due differs) is passed over.
  private(set) var dues = EvictionHeap()

  /// No fan-in waiting.
  init() {}

  /// Keeps `fanIn`, in place of one its payee had waiting.
  mutating func keep(_ fanIn: FanIn) {
    waiting[fanIn.payee] = fanIn
    dues.push(time: fanIn.due, key: UInt64(UInt32(bitPattern: fanIn.payee)))
  }

  /// The payees whose fan-ins are due at `time`, earliest due first; the
  /// fan-ins stay kept until taken (``take(_:)``).
  mutating func popDue(at time: Int64) -> [Int32] {
    var payees: [Int32] = []
    while let (due, key) = dues.popMin(before: time.saturatingAdding(1)) {
      let payee = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
      if waiting[payee]?.due == due { payees.append(payee) }
    }
    return payees
  }

  /// Takes out `payee`'s fan-in.
  mutating func take(_ payee: Int32) -> FanIn? { waiting.removeValue(forKey: payee) }

  /// Notes that `payment` left `payee`'s fan list, withheld or not.
  mutating func noteLeft(_ payment: RecentPayments.Payment, from payee: Int32) {
    guard !waiting.isEmpty, let p = waiting[payee]?.payments.firstIndex(where: { $0.seq == payment.seq }) else {
      return
    }
    waiting[payee]!.payments[p].fate = payment.withheld ? .withheld : .left
  }

  /// Notes that the flow check withheld payment `seq` into `payee`.
  mutating func noteWithheld(_ seq: Int, into payee: Int32) {
    guard !waiting.isEmpty, let p = waiting[payee]?.payments.firstIndex(where: { $0.seq == seq }) else { return }
    waiting[payee]!.payments[p].fate = .withheld
  }

  /// Drops the fan-ins into the released accounts, and forgets the
  /// released payers of those kept (their payments are still revoked by
  /// sequence number).
  mutating func forget(_ accounts: [Bool]) {
    func released(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts.count && accounts[Int(a)] }
    waiting = waiting.filter { !released($0.key) }
    for (payee, fanIn) in waiting where fanIn.payments.contains(where: { released($0.source) }) {
      for p in fanIn.payments.indices where released(fanIn.payments[p].source) {
        waiting[payee]!.payments[p].source = -1
      }
    }
  }

  /// The payments of the fan-ins waiting.
  var paymentCount: Int { waiting.values.reduce(0) { $0 + $1.payments.count } }

  /// Whether every payee and payer is below `accounts` and live
  /// (`isLive`), a payer may be released (−1), every fan-in has its band,
  /// payments and due: `nil`, or what is wrong.
  func invariantViolation(accounts: Int, isLive: (Int32) -> Bool) -> String? {
    func known(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts && isLive(a) }
    struct Due: Hashable {
      var time: Int64
      var key: UInt64
    }
    let queued = Set(dues.entries.map { Due(time: $0.time, key: $0.key) })
    for (payee, e) in waiting {
      guard payee == e.payee, known(payee) else { return "a deferred fan-in's payee is out of range or not live" }
      guard e.low > 0, e.low <= e.high, !e.payments.isEmpty, !e.senderChances.isEmpty else {
        return "a deferred fan-in has an empty band or no payments"
      }
      guard e.payments.allSatisfy({ $0.source == -1 || known($0.source) }) else {
        return "a deferred fan-in's payer is out of range or not live"
      }
      guard queued.contains(Due(time: e.due, key: UInt64(UInt32(bitPattern: payee)))) else {
        return "a deferred fan-in is not in the queue of dues"
      }
    }
    return nil
  }
}

extension DeferredFanIns {
  /// Writes the fan-ins waiting for a checkpoint, in payee order, and their dues in heap order.
  func write(to writer: inout StateWriter) {
    writer.write(waiting.count)
    for payee in waiting.keys.sorted() {
      let e = waiting[payee]!
      writer.write(e.payee)
      writer.write([e.low, e.high, e.due])
      writer.write([e.floor, e.log10Binomial])
      writer.write(e.senderChances)
      writer.write(e.payments.map(\.seq))
      writer.write(e.payments.map(\.source))
      writer.write(e.payments.flatMap { [$0.micros, $0.time, $0.fate.rawValue] })
      writer.write(e.description)
    }
    writer.write(dues.entries.map(\.time))
    writer.write(dues.entries.map(\.key))
  }

  /// Restores the fan-ins written by ``write(to:)``: a payee twice,
  /// arrays of unequal lengths, an unknown fate or dues out of heap order
  /// are malformed (ids are checked against the lists by the flow check).
  init(from reader: inout StateReader) throws(StateReaderError) {
    let count = try reader.read(Int.self)
    guard count >= 0 else { throw .malformed }
    for _ in 0..<count {
      let payee = try reader.read(Int32.self)
      let limits = try reader.readArray(Int64.self)
      let chances = try reader.readArray(Double.self)
      let senderChances = try reader.readArray(Double.self)
      let seqs = try reader.readArray(Int.self)
      let sources = try reader.readArray(Int32.self)
      let fields = try reader.readArray(Int64.self)
      let description = try reader.readString()
      guard limits.count == 3, chances.count == 2, sources.count == seqs.count, fields.count == 3 * seqs.count,
        waiting[payee] == nil
      else { throw .malformed }
      var payments: [Payment] = []
      for i in seqs.indices {
        guard let fate = Fate(rawValue: fields[3 * i + 2]) else { throw .malformed }
        payments.append(
          Payment(seq: seqs[i], source: sources[i], micros: fields[3 * i], time: fields[3 * i + 1], fate: fate))
      }
      waiting[payee] = FanIn(
        payee: payee, low: limits[0], high: limits[1], due: limits[2], floor: chances[0], log10Binomial: chances[1],
        senderChances: senderChances, payments: payments, description: description)
    }
    let times = try reader.readArray(Int64.self)
    let keys = try reader.readArray(UInt64.self)
    guard times.count == keys.count, let heap = EvictionHeap(heapOrdered: Array(zip(times, keys))) else {
      throw .malformed
    }
    dues = heap
  }
}
