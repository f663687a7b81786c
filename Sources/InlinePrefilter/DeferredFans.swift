@_spi(Checkpoint) import SignalGraph

/// The fans found before their hub's habit could be read, waiting for it
/// to show: at most one per hub, the latest.
///
/// A fan-in is judged against its payee's habit of receiving the band
/// before it (a club's dues, a shop's price, last month), a fan-out against
/// its payer's habit of paying it. One whose hub's habit the stream has not
/// seen yet, unknown rather than absent, is not held: it waits here instead,
/// with what its chance needs but the habit, and is judged against the habit
/// the hub shows after it, its payments revoked if it is still unlikely.
/// Fan-ins wait when they began in the stream's first month
/// (``IncrementalFlowCheck/Thresholds/fanWarmUpSeconds``) or their payee
/// was paid too few times before (``IncrementalFlowCheck/readsReceipts(of:before:)``), and are judged a
/// warm-up after their last payment against the payee's receipts of the
/// band in its other payments (``IncrementalFlowCheck/judgeDeferredFanIns(at:into:)``).
/// Fan-outs wait when their payer paid too little before them, or was
/// first seen less than a warm-up before, and read their payer's payments
/// a fan window at a time (``PayoutsRead``) until a month of them shows
/// its habit (``IncrementalFlowCheck/judgeDeferredFanOuts(at:into:)``).
///
/// What becomes of each payment meanwhile is noted: withheld by the flow
/// check (``noteWithheld(_:at:)``: not revoked twice), or gone from the
/// payee's fan list unwithheld (``noteLeft(_:from:)``, fan-ins: revoked by
/// its sequence number alone).
///
/// - Complexity: memory O(payments of the fans waiting), each of at most
///   ``IncrementalFlowCheck/Thresholds/fanMaxRead`` payments and one fan per
///   hub; a fan-in waits a warm-up after its last payment, a fan-out at most
///   ``IncrementalFlowCheck/fanOutWindowsRead`` fan windows. Each one kept
///   costs O(log *n*) in the queue of dues, where it stays until its due
///   even when replaced.
struct DeferredFans {
  /// What became of a payment of a fan waiting.
  enum Fate: Int64 {
    /// Still in the payee's fan list (a fan-in's), or not known to be withheld (a fan-out's).
    case inList
    /// Gone from the fan list unwithheld (a fan-in's).
    case left
    /// Withheld by the flow check meanwhile.
    case withheld
  }

  /// A payment of a fan waiting.
  struct Payment {
    /// Its sequence number: what a revocation names.
    var seq: Int
    /// The account on its other side from the hub: its payer in a fan-in,
    /// its payee in a fan-out (−1 once that id is released).
    var counterpart: Int32
    /// Its sum, in micro-units.
    var micros: Int64
    /// Its time.
    var time: Int64
    /// What became of it.
    var fate: Fate
  }

  /// What a fan-out's payer was seen paying besides it, read a fan
  /// window at a time while the fan-out waits (a fan-in's stays empty: its
  /// payee's habit is read from its fan list when due). Counts of payments
  /// not withheld and not the fan-out's own.
  struct PayoutsRead: Equatable {
    /// The payments read, *m*.
    var payments = 0
    /// Those in the fan-out's band, *c*.
    var inBand = 0
    /// Those outside the band within a factor of two of it (its payer's own range).
    var nearBand = 0
    /// Those of a sum new to the payer, its slots tell (*ν*'s count).
    var newSums = 0
    /// The most distinct payees of one band of sums taken up after the
    /// fan-out, in one window read: a second fan of the payer's (not a sum
    /// paid to the cent to two receivers or more where the fan-out's sums
    /// differ: its kept sum).
    var takenUpReceivers = 0
    /// Payments up to this time are read.
    var readUpTo = Int64.min
    /// How often it was judged (each look at a longer history one more
    /// chance of a coincidence).
    var looks = 0
    /// The payments of the band to its own counterparts after it: the
    /// structure recurring, a routine (a payroll, a family's allowances)
    /// rather than money moved once.
    var recurring = 0

    /// Nothing read.
    init() {}

    /// The counts as written in a checkpoint.
    var fields: [Int64] {
      [
        Int64(payments), Int64(inBand), Int64(nearBand), Int64(newSums), Int64(takenUpReceivers), readUpTo,
        Int64(looks), Int64(recurring),
      ]
    }

    /// The counts of `fields` (``fields``), or `nil` when they cannot be
    /// (negative, or more in a part than read).
    init?(fields: [Int64]) {
      guard fields.count == 8, fields[0...4].allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }),
        fields[1] + fields[2] <= fields[0], fields[3] <= fields[0],
        fields[6...7].allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) })
      else { return nil }
      (payments, inBand, nearBand, newSums) = (Int(fields[0]), Int(fields[1]), Int(fields[2]), Int(fields[3]))
      (takenUpReceivers, readUpTo, looks, recurring) = (Int(fields[4]), fields[5], Int(fields[6]), Int(fields[7]))
    }
  }

  /// A fan waiting for its hub's habit.
  struct Fan {
    /// Its hub: the payee of a fan-in, the payer of a fan-out.
    var hub: Int32
    /// Its band of sums.
    var low: Int64, high: Int64
    /// When it is judged (or read once more, a fan-out).
    var due: Int64
    /// The least chance that a payment lies in the band when it was found,
    /// max(*q*, *s*′) (a fan-out's; a fan-in reads it again when judged).
    var floor: Double
    /// log₁₀ C(*n*, *k*) (the background's payments are counted when it is judged).
    var log10Binomial: Double
    /// log₁₀ of each sender's own chance of paying the band (a fan-in's; empty for a fan-out).
    var senderChances: [Double]
    /// Its payments, the one that completed it among them.
    var payments: [Payment]
    /// The distinct counterparts of its payments when it was found (their
    /// ids may be released since).
    var counterparts: Int
    /// What it was, in words (hub, counterparts, band, days), for the revocation's reason.
    var description: String
    /// What its payer paid besides it so far (a fan-out's).
    var read = PayoutsRead()
    /// What it paid its receivers again (a fan-out's), or its senders paid
    /// its payee again (a fan-in's).
    var paidAgain = PaidAgain()
  }

  /// A fan-out's payments to receivers it paid before, or a fan-in's from
  /// senders that paid its payee before, sums that differ from their first
  /// in its band (``IncrementalFlowCheck/paidAgain(_:counterparts:band:)``).
  struct PaidAgain: Equatable {
    /// Those payments, and those among them in the band.
    var read = 0, inBand = 0

    /// The words for them after a fan's days (a fan-in's when `gathering`): empty for none.
    func phrase(gathering: Bool) -> String {
      guard inBand > 0 else { return "" }
      return gathering
        ? " (and \(inBand) more from senders that had paid it, sums that differ)"
        : " (and \(inBand) more to receivers it had paid, sums that differ)"
    }
  }

  /// The fans waiting, by hub.
  private(set) var waiting: [Int32: Fan] = [:]
  /// When each fan kept falls due, keyed by hub.
  private(set) var dues = WaitingDues()

  /// No fan waiting.
  init() {}

  /// Keeps `fan`, in place of one its hub had waiting.
  mutating func keep(_ fan: Fan) {
    waiting[fan.hub] = fan
    dues.push(fan.hub, due: fan.due)
  }

  /// The hubs whose fans are due at `time`, earliest due first, each once;
  /// the fans stay kept until taken (``take(_:)``).
  mutating func popDue(at time: Int64) -> [Int32] {
    let waiting = waiting
    return dues.pop(at: time) { waiting[$0]?.due }
  }

  /// Takes out `hub`'s fan.
  mutating func take(_ hub: Int32) -> Fan? { waiting.removeValue(forKey: hub) }

  /// Notes that `payment` left `payee`'s fan list, withheld or not.
  mutating func noteLeft(_ payment: RecentPayments.Payment, from payee: Int32) {
    guard !waiting.isEmpty, let p = waiting[payee]?.payments.firstIndex(where: { $0.seq == payment.seq }) else {
      return
    }
    waiting[payee]!.payments[p].fate = payment.withheld ? .withheld : .left
  }

  /// Notes that the flow check withheld payment `seq`, which `hub` paid or received.
  mutating func noteWithheld(_ seq: Int, at hub: Int32) {
    guard !waiting.isEmpty, let p = waiting[hub]?.payments.firstIndex(where: { $0.seq == seq }) else { return }
    waiting[hub]!.payments[p].fate = .withheld
  }

  /// Drops the fans of the released hubs, and forgets the released
  /// counterparts of those kept (their payments are still revoked by
  /// sequence number).
  mutating func forget(_ accounts: [Bool]) {
    func released(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts.count && accounts[Int(a)] }
    waiting = waiting.filter { !released($0.key) }
    for (hub, fan) in waiting where fan.payments.contains(where: { released($0.counterpart) }) {
      for p in fan.payments.indices where released(fan.payments[p].counterpart) {
        waiting[hub]!.payments[p].counterpart = -1
      }
    }
  }

  /// The payments of the fans waiting.
  var paymentCount: Int { waiting.values.reduce(0) { $0 + $1.payments.count } }

  /// Whether every hub and counterpart is below `accounts` and live
  /// (`isLive`), a counterpart may be released (−1), every fan has its
  /// band, payments and due: `nil`, or what is wrong.
  func invariantViolation(accounts: Int, isLive: (Int32) -> Bool) -> String? {
    func known(_ a: Int32) -> Bool { a >= 0 && Int(a) < accounts && isLive(a) }
    let queued = dues.queued
    for (hub, e) in waiting {
      guard hub == e.hub, known(hub) else { return "a deferred fan's hub is out of range or not live" }
      guard e.low > 0, e.low <= e.high, !e.payments.isEmpty, e.counterparts > 0, e.counterparts <= e.payments.count
      else { return "a deferred fan has an empty band, no payments or more counterparts than payments" }
      guard e.payments.allSatisfy({ $0.counterpart == -1 || known($0.counterpart) }) else {
        return "a deferred fan's counterpart is out of range or not live"
      }
      guard queued.contains(.init(time: e.due, account: hub)) else {
        return "a deferred fan is not in the queue of dues"
      }
    }
    return nil
  }
}

extension DeferredFans.Payment {
  /// Writes `payments` for a checkpoint: their sequence numbers, their
  /// counterparts, and their sums, times and fates.
  static func write(_ payments: [Self], to writer: inout StateWriter) {
    writer.write(payments.map(\.seq))
    writer.write(payments.map(\.counterpart))
    writer.write(payments.flatMap { [$0.micros, $0.time, $0.fate.rawValue] })
  }

  /// Reads the payments written by ``write(_:to:)``: arrays of unequal
  /// lengths or an unknown fate are malformed.
  static func read(from reader: inout StateReader) throws(StateReaderError) -> [Self] {
    let seqs = try reader.readArray(Int.self)
    let counterparts = try reader.readArray(Int32.self)
    let fields = try reader.readArray(Int64.self)
    guard counterparts.count == seqs.count, fields.count == 3 * seqs.count else { throw .malformed }
    var payments: [Self] = []
    payments.reserveCapacity(seqs.count)
    for i in seqs.indices {
      guard let fate = DeferredFans.Fate(rawValue: fields[3 * i + 2]) else { throw .malformed }
      payments.append(
        Self(seq: seqs[i], counterpart: counterparts[i], micros: fields[3 * i], time: fields[3 * i + 1], fate: fate))
    }
    return payments
  }
}

extension DeferredFans {
  /// Writes the fans waiting for a checkpoint, in hub order, and their dues in heap order.
  func write(to writer: inout StateWriter) {
    writer.write(waiting.count)
    for hub in waiting.keys.sorted() {
      let e = waiting[hub]!
      writer.write(e.hub)
      writer.write([e.low, e.high, e.due, Int64(e.counterparts), Int64(e.paidAgain.read), Int64(e.paidAgain.inBand)])
      writer.write([e.floor, e.log10Binomial])
      writer.write(e.senderChances)
      Payment.write(e.payments, to: &writer)
      writer.write(e.description)
      writer.write(e.read.fields)
    }
    dues.write(to: &writer)
  }

  /// Restores the fans written by ``write(to:)``: a hub twice, arrays of
  /// unequal lengths, an unknown fate, impossible counts read or dues out
  /// of heap order are malformed (ids are checked against the lists by the
  /// flow check).
  init(from reader: inout StateReader) throws(StateReaderError) {
    let count = try reader.read(Int.self)
    guard count >= 0 else { throw .malformed }
    for _ in 0..<count {
      let hub = try reader.read(Int32.self)
      let limits = try reader.readArray(Int64.self)
      let chances = try reader.readArray(Double.self)
      let senderChances = try reader.readArray(Double.self)
      let payments = try Payment.read(from: &reader)
      let description = try reader.readString()
      let read = PayoutsRead(fields: try reader.readArray(Int64.self))
      guard limits.count == 6, limits[3] > 0, limits[3] <= Int64(payments.count), chances.count == 2,
        limits[5] >= 0, limits[5] <= limits[4], limits[5] < Int64(payments.count), waiting[hub] == nil, let read
      else { throw .malformed }
      waiting[hub] = Fan(
        hub: hub, low: limits[0], high: limits[1], due: limits[2], floor: chances[0], log10Binomial: chances[1],
        senderChances: senderChances, payments: payments, counterparts: Int(limits[3]), description: description,
        read: read, paidAgain: PaidAgain(read: Int(limits[4]), inBand: Int(limits[5])))
    }
    dues = try WaitingDues(from: &reader)
  }
}
