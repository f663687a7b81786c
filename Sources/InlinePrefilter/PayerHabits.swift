@_spi(Checkpoint) import SignalGraph

/// Each account's habit as a payer, in a few slots: the sums it paid most
/// and how often, beside how often it paid a new one. What
/// ``IncrementalFlowCheck`` reads a relay's amount against
/// (``AmountHabit``): an account that pays one sum to everyone rarely
/// passes on a new one by chance, one passing on its usual sum does so by
/// routine, and one paying a new sum every time is read by the background
/// alone.
///
/// An account keeps ``slotsPerAccount`` sums; a new sum takes the slot of
/// the one paid least (a payer of many sums pays new ones often, and its
/// rate says so). A slot remembers its payee while every payment of its sum
/// went to that one payee: a pair's own repeats are the structure being
/// judged (a ring run again), not the payer's habit with others. Once
/// another payee receives the sum, the slot no longer tells the pair's
/// repeats apart, and they count as habit (the scan, which reads every
/// transfer, keeps them apart); a sum given up for a newer one leaves its
/// payments in the history with no sum. A slot also remembers when its sum
/// was first paid: a sum first paid after the money a structure passes on
/// came in (a stack's layer paying one sum to each account of the next, a
/// fan-out) is that structure's own, not a habit it had
/// (``share(of:to:from:to:background:passedOn:since:)``).
///
/// - Complexity: ``record(from:to:micros:at:)`` and
///   ``share(of:to:from:to:background:passedOn:since:)`` O(``slotsPerAccount``);
///   memory ``slotsPerAccount`` slots, four counts, a sum and a time per account id.
struct PayerHabits: Sendable {
  /// One sum an account pays.
  ///
  /// A checkpoint copies these as raw bytes, so the fields are laid out
  /// without padding.
  struct Slot: Equatable {
    /// The sum, in micro-units (0: an empty slot).
    var micros: Int64
    /// The payments of it.
    var count: Int32
    /// Its one payee, or −1 when it went to several.
    var payee: Int32
    /// When it was first paid (the earliest of its payments' times).
    var since: Int64

    /// No sum.
    static let empty = Slot(micros: 0, count: 0, payee: -1, since: .max)
  }

  /// The sums remembered per account.
  static let slotsPerAccount = 4

  /// Per account, its ``slotsPerAccount`` slots.
  private(set) var slots: [Slot] = []
  /// Per account, its payments (the history a chance reads), the later ones
  /// its rate counts (at most ``AmountHabit/maxRead``), and the new sums among those.
  private(set) var payments: [Int32] = [], later: [Int32] = [], newAmounts: [Int32] = []
  /// Over every account: the later payments counted, and the new sums among them.
  private(set) var laterTotal = 0, newTotal = 0
  /// Per account, the sum of its last payment when that was a sum new to
  /// it (not its first payment), else 0: whether its next payment repeats it.
  private(set) var lastNew: [Int64] = []
  /// Per account, when it first paid (`Int64.max` before): how long the
  /// stream has watched its habit.
  private(set) var firstPaid: [Int64] = []
  /// Per account, its payments the flow check withheld (held or revoked):
  /// the scheme's, not its habit.
  private(set) var withheld: [Int32] = []
  /// Over the stream: the payments counted that followed a new sum of their
  /// payer's (``lastNew``), and those among them that repeated it
  /// (``newSumRepeatRate``).
  private(set) var afterNew = 0, repeatsOfNew = 0
  /// Over the stream: the payments counted that repeated one of their
  /// payer's sums (``AmountHabit/same(_:_:)``) to another payee, and those
  /// among them not to the cent (``variedRepeatShare``).
  private(set) var repeatsCounted = 0, variedRepeats = 0

  /// No habits yet.
  init() {}

  /// Makes room for account ids below `count`.
  mutating func grow(to count: Int) {
    guard payments.count < count else { return }
    let more = count - payments.count
    slots.append(contentsOf: repeatElement(.empty, count: more * Self.slotsPerAccount))
    payments.append(contentsOf: repeatElement(0, count: more))
    later.append(contentsOf: repeatElement(0, count: more))
    newAmounts.append(contentsOf: repeatElement(0, count: more))
    lastNew.append(contentsOf: repeatElement(0, count: more))
    firstPaid.append(contentsOf: repeatElement(.max, count: more))
    withheld.append(contentsOf: repeatElement(0, count: more))
  }

  /// Notes that one of `payer`'s payments, recorded or about to be, was
  /// withheld (never more than it paid: a payment withheld after its
  /// payer's id was released and reused is not its).
  mutating func noteWithheld(_ payer: Int32) {
    let a = Int(payer)
    guard a >= 0, a < payments.count, withheld[a] < payments[a] else { return }
    withheld[a] += 1
  }

  /// Notes a payment of `micros` from `payer` to `payee` (both ids below the
  /// grown count) at `time`, counting it for the rates as ``AmountHabit``
  /// says: not its payer's first, nor a repeat of a sum only `payee` received.
  mutating func record(from payer: Int32, to payee: Int32, micros: Int64, at time: Int64) {
    let a = Int(payer), base = a * Self.slotsPerAccount
    guard payments[a] < .max else { return }  // 2³¹ payments: its habit is settled
    let first = payments[a] == 0
    if first { firstPaid[a] = time }
    payments[a] += 1
    let counting = !first && later[a] < AmountHabit.maxRead
    if counting, lastNew[a] != 0 {
      afterNew += 1
      if AmountHabit.same(lastNew[a], micros) { repeatsOfNew += 1 }
    }
    lastNew[a] = 0
    var least = base
    for s in base..<base + Self.slotsPerAccount {
      if slots[s].count > 0, AmountHabit.same(slots[s].micros, micros) {
        slots[s].count = slots[s].count < .max ? slots[s].count + 1 : .max
        slots[s].since = min(slots[s].since, time)
        guard slots[s].payee != payee else { return }  // a pair's own repeat
        slots[s].payee = -1
        if counting {
          (later[a], laterTotal) = (later[a] + 1, laterTotal + 1)
          repeatsCounted += 1
          if micros != slots[s].micros { variedRepeats += 1 }
        }
        return
      }
      if slots[s].count < slots[least].count { least = s }
    }
    if counting {
      (later[a], laterTotal) = (later[a] + 1, laterTotal + 1)
      (newAmounts[a], newTotal) = (newAmounts[a] + 1, newTotal + 1)
      lastNew[a] = micros
    }
    slots[least] = Slot(micros: micros, count: 1, payee: payee, since: time)
  }

  /// The chance that `payer`'s payment to `payee` lies in `low...high`
  /// (``AmountHabit/chance(rate:inRange:others:background:)``), given the
  /// background's share of the range and `payer`'s payments to others. When
  /// `passedOn` is set, that payment of `payer`'s (to `payee`) is the one
  /// judged and is recorded already: it is left out of the history and, as
  /// far as its slot tells, of the rates. Sums in the range first paid at
  /// or after `since` (when the money judged came in) are left out of the
  /// history too, as the pair's own repeats are: they are the structure
  /// judged. Other sums paid since are history: the payer's own business.
  func share(
    of payer: Int32, to payee: Int32, from low: Int64, to high: Int64, background: Double, passedOn: Int64? = nil,
    since: Int64 = .max
  ) -> Double {
    let a = Int(payer)
    guard a < payments.count else { return background }
    let judged = passedOn.flatMap { slotIndex(of: a, near: $0) }
    var others = Int(payments[a]), inRange = 0
    // The structure's sums paid to others than `payee`: what they counted
    // in the rates, each a new sum once and then repeats (to one other
    // payee, only its first payment counted).
    var structure = (sums: 0, payments: 0, judged: false)
    for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount where slots[s].count > 0 {
      let slot = slots[s]
      let structural = slot.since >= since && slot.micros >= low && slot.micros <= high
      guard slot.payee != payee, !structural else {
        others -= Int(slot.count)  // the pair's own repeats or the structure's, the payment judged among them
        if structural, slot.payee != payee {
          structure.sums += 1
          structure.payments += slot.payee < 0 ? Int(slot.count) : 1
          structure.judged = structure.judged || s == judged
        }
        continue
      }
      var count = Int(slot.count)
      if s == judged { (count, others) = (count - 1, others - 1) }
      if slot.micros >= low, slot.micros <= high { inRange += count }
    }
    var laterOwn = Int(later[a]), newOwn = Int(newAmounts[a])
    var laterAll = laterTotal, newAll = newTotal
    if passedOn != nil {
      if judged == nil { others -= 1 }  // its slot given to a newer sum since
      // What it counted: a new sum when it is alone in its slot (or the slot
      // is gone), a repeat when its slot went to several payees, nothing
      // when it repeated its pair's sum (the structure's slot, all of it, below).
      let alone = judged.map { slots[$0].count == 1 } ?? true
      let repeated = judged.map { slots[$0].count > 1 && slots[$0].payee != payee } ?? false
      if structure.judged {
        // Taken out with the rest of its slot, below.
      } else if alone, newOwn > 0 {
        (laterOwn, newOwn, laterAll, newAll) = (laterOwn - 1, newOwn - 1, laterAll - 1, newAll - 1)
      } else if repeated, laterOwn > newOwn {
        (laterOwn, laterAll) = (laterOwn - 1, laterAll - 1)
      }
    }
    // A payer past maxRead counted nothing more: the structure's sums are not in its rate.
    let counted = Int(later[a]) < AmountHabit.maxRead
    let newGone = counted ? min(structure.sums, newOwn) : 0
    let laterGone = counted ? min(structure.payments, laterOwn - newOwn + newGone) : 0
    (laterOwn, newOwn, laterAll, newAll) = (
      laterOwn - laterGone, newOwn - newGone, laterAll - laterGone, newAll - newGone
    )
    let rate = AmountHabit.newAmountRate(
      newAmounts: newOwn, later: laterOwn,
      populationRate: AmountHabit.populationRate(newAmounts: newAll, later: laterAll))
    return AmountHabit.chance(rate: rate, inRange: inRange, others: others, background: background)
  }

  /// The payments of a sum near `micros` (``AmountHabit/same(_:_:)``)
  /// that `payer` made to `payee` and no one else, as far as its slots
  /// tell: 0 when another payee received that sum too, or the slot went to
  /// newer sums.
  func repeats(of payer: Int32, to payee: Int32, near micros: Int64) -> Int {
    let a = Int(payer)
    guard a < payments.count, let s = slotIndex(of: a, near: micros), slots[s].payee == payee else { return 0 }
    return Int(slots[s].count)
  }

  /// Whether `payer`'s next payment counts in the rates (as
  /// ``record(from:to:micros:at:)`` counts it): it paid before, and fewer
  /// than ``AmountHabit/maxRead`` of its later payments were counted.
  func counts(_ payer: Int32) -> Bool {
    let a = Int(payer)
    return a < payments.count && payments[a] > 0 && Int(later[a]) < AmountHabit.maxRead
  }

  /// *r* (``AmountHabit/populationRate(newAmounts:later:)``) over every account.
  var populationRate: Double { AmountHabit.populationRate(newAmounts: newTotal, later: laterTotal) }

  /// How often a payer's payment after a sum new to it carried that sum
  /// again, over the stream (add-one smoothed): the chance that a payer
  /// repeats a sum it has just taken up. Where people keep one sum for life
  /// (AMLSim's accounts) a sum taken up is seldom paid again; where they pay
  /// what each purchase costs, new sums are common and seldom repeated too.
  var newSumRepeatRate: Double { (Double(repeatsOfNew) + 1) / (Double(afterNew) + 2) }

  /// How often a payer paying one of its sums again to another payee did
  /// not pay it to the cent, over the stream (add-one smoothed; its first
  /// payment of the sum is the one compared). Near 0 where people pay a
  /// price, a rent or an allowance exactly (AMLSim's accounts); high where
  /// a wage with overtime, a bill or a tip varies from one payment to the
  /// next. Near-equal sums that differ, from a payer whose one sum they
  /// might be, are that much rarer than its sum repeated.
  var variedRepeatShare: Double { (Double(variedRepeats) + 1) / (Double(repeatsCounted) + 2) }

  /// Whether `payer` pays a sum near `micros` (``AmountHabit/same(_:_:)``)
  /// by habit, as far as its slots tell: on half its payments at least,
  /// to two payees at least. Whoever it pays that sum, the sum is its own.
  func paysByHabit(_ payer: Int32, near micros: Int64) -> Bool {
    let a = Int(payer)
    guard a < payments.count, let s = slotIndex(of: a, near: micros), slots[s].payee < 0 else { return false }
    return 2 * Int(slots[s].count) >= Int(payments[a])
  }

  /// Whether `payer` paid a sum near `micros` (``AmountHabit/same(_:_:)``)
  /// before `time`, as far as its slots tell: its own sum, not one taken up since.
  func paid(_ payer: Int32, near micros: Int64, before time: Int64) -> Bool {
    let a = Int(payer)
    guard a < payments.count, let s = slotIndex(of: a, near: micros) else { return false }
    return slots[s].since < time
  }

  /// The payments `payer` made, and of those the ones of a sum within
  /// `low...high` first paid before `time`, as far as its slots tell: an
  /// account's history beside a window of its payments starting at `time`.
  func history(of payer: Int32, from low: Int64, to high: Int64, before time: Int64) -> (payments: Int, inRange: Int) {
    let a = Int(payer)
    guard a < payments.count else { return (0, 0) }
    var inRange = 0
    for slot in slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount]
    where slot.count > 0 && slot.since < time && slot.micros >= low && slot.micros <= high {
      inRange += Int(slot.count)
    }
    return (Int(payments[a]), inRange)
  }

  /// The payments `payer` made before its `listed` latest (those a
  /// payouts list still keeps, `listedWithheld` of them withheld), and the
  /// sums first paid among them, as far as its slots tell: each slot first
  /// paid before `time` (the oldest listed payment's) is one, and each
  /// payment of a sum no slot keeps any more counts as new. Those withheld
  /// (a scheme's, not its habit) and a standing order's (a sum paid more
  /// than once to one payee alone, which says nothing of how the payer pays
  /// anyone else, ``AmountHabit``) are left out.
  func unlistedHistory(of payer: Int32, listed: Int, listedWithheld: Int, before time: Int64) -> (
    payments: Int, sums: Int
  ) {
    let a = Int(payer)
    guard a < payments.count else { return (0, 0) }
    var (standing, kept, sums) = (0, 0, 0)
    for slot in slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount] where slot.count > 0 {
      kept += Int(slot.count)
      if slot.payee >= 0 && slot.count > 1 {
        standing += Int(slot.count)
      } else if slot.since < time {
        sums += 1
      }
    }
    let older = max(0, Int(payments[a]) - listed - standing - max(0, Int(withheld[a]) - listedWithheld))
    return (older, min(older, sums + max(0, Int(payments[a]) - kept)))
  }

  private func slotIndex(of a: Int, near micros: Int64) -> Int? {
    (a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount).first {
      slots[$0].count > 0 && AmountHabit.same(slots[$0].micros, micros)
    }
  }

  /// Drops the habits of the released accounts (`released[a]`), whose ids
  /// are about to be reused, and their payee from every slot naming one.
  mutating func forget(_ released: [Bool]) {
    for a in released.indices where released[a] && a < payments.count {
      laterTotal -= Int(later[a])
      newTotal -= Int(newAmounts[a])
      (payments[a], later[a], newAmounts[a], lastNew[a], firstPaid[a], withheld[a]) = (0, 0, 0, 0, .max, 0)
      for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount { slots[s] = .empty }
    }
    for s in slots.indices where slots[s].payee >= 0 {
      let p = Int(slots[s].payee)
      if p < released.count, released[p] { slots[s].payee = -1 }
    }
  }

  /// Whether an account's counts are possible: its rate's counts within its
  /// payments and ``AmountHabit/maxRead``, its slots and those withheld
  /// within its payments, a first payment's time exactly when it paid.
  private func isPossible(_ a: Int) -> Bool {
    let own = slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount]
    return payments[a] >= 0 && later[a] >= 0 && newAmounts[a] >= 0 && newAmounts[a] <= later[a]
      && (payments[a] == 0) == (firstPaid[a] == .max) && withheld[a] >= 0 && withheld[a] <= payments[a]
      && Int(later[a]) <= min(max(Int(payments[a]) - 1, 0), AmountHabit.maxRead)
      && own.allSatisfy { $0.count >= 0 && $0.micros >= 0 && $0.payee >= -1 && Int($0.payee) < payments.count }
      && own.reduce(0, { $0 + Int($1.count) }) <= Int(payments[a])
  }

  /// Habits only for live accounts, payees all live, every account's counts
  /// possible, and the totals the sums of the accounts'.
  func invariantViolation(names: PrefilterNames) -> String? {
    guard slots.count == payments.count * Self.slotsPerAccount, later.count == payments.count,
      newAmounts.count == payments.count, lastNew.count == payments.count, firstPaid.count == payments.count,
      withheld.count == payments.count, payments.count <= names.accounts.idCapacity
    else { return "habit slots out of step with the accounts" }
    guard repeatsOfNew >= 0, repeatsOfNew <= afterNew else { return "repeats of new sums outnumber their chances" }
    guard variedRepeats >= 0, variedRepeats <= repeatsCounted else { return "varied repeats outnumber the repeats" }
    for a in payments.indices {
      guard isPossible(a) else { return "account \(a)'s habit counts more than it paid" }
      guard payments[a] == 0 || names.accounts.isLive(Int32(a)) else {
        return "a habit kept for forgotten account \(a)"
      }
      guard
        slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount].allSatisfy({
          $0.payee < 0 || names.accounts.isLive($0.payee)
        })
      else { return "a habit slot names a forgotten payee" }
    }
    guard later.reduce(0, { $0 + Int($1) }) == laterTotal, newAmounts.reduce(0, { $0 + Int($1) }) == newTotal else {
      return "the habits' totals are off"
    }
    return nil
  }
}

extension PayerHabits {
  /// Writes the habits for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(slots)
    writer.write(payments)
    writer.write(later)
    writer.write(newAmounts)
    writer.write(lastNew)
    writer.write(firstPaid)
    writer.write(withheld)
    writer.write(afterNew)
    writer.write(repeatsOfNew)
    writer.write(repeatsCounted)
    writer.write(variedRepeats)
  }

  /// Restores the habits written by ``write(to:)``.
  init(from reader: inout StateReader) throws(StateReaderError) {
    self.init()
    slots = try reader.readArray(Slot.self)
    payments = try reader.readArray(Int32.self)
    later = try reader.readArray(Int32.self)
    newAmounts = try reader.readArray(Int32.self)
    lastNew = try reader.readArray(Int64.self)
    firstPaid = try reader.readArray(Int64.self)
    withheld = try reader.readArray(Int32.self)
    afterNew = try reader.read(Int.self)
    repeatsOfNew = try reader.read(Int.self)
    repeatsCounted = try reader.read(Int.self)
    variedRepeats = try reader.read(Int.self)
    guard slots.count == payments.count * Self.slotsPerAccount, later.count == payments.count,
      newAmounts.count == payments.count, lastNew.count == payments.count, lastNew.allSatisfy({ $0 >= 0 }),
      firstPaid.count == payments.count, withheld.count == payments.count,
      payments.indices.allSatisfy(isPossible), repeatsOfNew >= 0, repeatsOfNew <= afterNew, variedRepeats >= 0,
      variedRepeats <= repeatsCounted
    else { throw .malformed }
    laterTotal = later.reduce(0) { $0 + Int($1) }
    newTotal = newAmounts.reduce(0) { $0 + Int($1) }
  }
}
