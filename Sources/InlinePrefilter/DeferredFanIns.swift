import SignalGraph

/// The fan-ins found in the stream's first month, waiting for their
/// payee's habit to show: at most one per payee, the latest.
///
/// A fan-in is judged against its payee's habit of receiving the band
/// before it (a club's dues, a shop's price, last month). In the stream's
/// first month (``IncrementalFlowCheck/Thresholds/fanWarmUpSeconds``) there
/// is no month before to read, so the payee's habit is unknown, not absent,
/// and the fan-in is not held. It waits here instead, with what its chance
/// needs but the habit, until a warm-up after its last payment: a routine
/// shows by then as the payee's receipts of the band from others, and the
/// fan-in is judged against that habit (``IncrementalFlowCheck/judgeDeferredFanIns(at:into:)``),
/// its payments revoked if it is still unlikely.
///
/// Each payment's fate after it leaves the payee's fan list is noted
/// (``noteDropped(_:from:)``): withheld by another check meanwhile (not
/// revoked twice), or gone into the payee's habit (not read as a routine
/// of its own).
///
/// - Complexity: memory O(payments of the fan-ins found in the first
///   month): entries are made only then, each of at most
///   ``IncrementalFlowCheck/Thresholds/fanMaxRead`` payments.
struct DeferredFanIns {
  /// A payment of a fan-in waiting.
  struct Payment {
    /// Its sequence number: what a revocation names.
    var seq: Int
    /// Its payer.
    var source: Int32
    /// Its sum and its time, for the withheld amounts.
    var micros: Int64
    var time: Int64
    /// Where it is: still in the payee's fan list (``inList``), gone into
    /// the payee's habit (``inHabit``) or withheld meanwhile (``withheld``).
    var fate: Int64

    static let inList: Int64 = 0
    static let inHabit: Int64 = 1
    static let withheld: Int64 = 2
  }

  /// A fan-in waiting for its payee's habit.
  struct FanIn {
    /// Its payee.
    var payee: Int32
    /// Its band of sums.
    var low: Int64, high: Int64
    /// When it is judged: a warm-up after its last payment.
    var due: Int64
    /// The least chance that a sender's payment lies in the band, max(*q*, *s*′).
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
  ///
  /// - Complexity: O(log *n*) per fan-in kept, over the stream.
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

  /// Notes that `payment` left `payee`'s fan list: withheld by then, or
  /// into the payee's habit.
  mutating func noteDropped(_ payment: RecentPayments.Payment, from payee: Int32) {
    guard !waiting.isEmpty, var fanIn = waiting[payee] else { return }
    guard let p = fanIn.payments.firstIndex(where: { $0.seq == payment.seq }) else { return }
    fanIn.payments[p].fate = payment.withheld ? Payment.withheld : Payment.inHabit
    waiting[payee] = fanIn
  }

  /// Drops the fan-ins into the released accounts.
  mutating func forget(_ accounts: [Bool]) {
    waiting = waiting.filter { Int($0.key) >= accounts.count || !accounts[Int($0.key)] }
  }

  /// The payments of the fan-ins waiting.
  var paymentCount: Int { waiting.values.reduce(0) { $0 + $1.payments.count } }

  /// Whether every payee is a live id below `idCapacity`, every band and
  /// fate sound: `nil`, or what is wrong.
  func invariantViolation(idCapacity: Int) -> String? {
    guard dues.count >= waiting.count else { return "a deferred fan-in has no due" }
    for (payee, e) in waiting {
      guard payee == e.payee else { return "a deferred fan-in is kept under another payee" }
      guard e.payee >= 0, Int(e.payee) < idCapacity else { return "a deferred fan-in's payee is out of range" }
      guard e.low > 0, e.low <= e.high, !e.payments.isEmpty, !e.senderChances.isEmpty else {
        return "a deferred fan-in has an empty band or no payments"
      }
      guard e.payments.allSatisfy({ (Payment.inList...Payment.withheld).contains($0.fate) }) else {
        return "a deferred fan-in's payment has no known fate"
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
      writer.write(e.payments.flatMap { [$0.micros, $0.time, $0.fate] })
      writer.write(e.description)
    }
    writer.write(dues.entries.map(\.time))
    writer.write(dues.entries.map(\.key))
  }

  /// Restores the fan-ins written by ``write(to:)``.
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
      let payments = seqs.indices.map {
        Payment(
          seq: seqs[$0], source: sources[$0], micros: fields[3 * $0], time: fields[3 * $0 + 1], fate: fields[3 * $0 + 2]
        )
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
