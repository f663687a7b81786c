import SignalGraph

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
/// judged (a ring run again), not the payer's habit with others.
///
/// - Complexity: ``record(from:to:micros:)`` and
///   ``share(of:to:from:to:background:passedOn:)`` O(``slotsPerAccount``);
///   memory ``slotsPerAccount`` slots and two counts per account id.
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
  }

  /// The sums remembered per account.
  static let slotsPerAccount = 4

  /// Per account, its ``slotsPerAccount`` slots.
  private(set) var slots: [Slot] = []
  /// Per account, its payments, and the new sums among those after its first.
  private(set) var payments: [Int32] = [], newAmounts: [Int32] = []
  /// Over every account: the payments after each one's first, and the new sums among them.
  private(set) var later = 0, newLater = 0

  /// No habits yet.
  init() {}

  /// Makes room for account ids below `count`.
  mutating func grow(to count: Int) {
    guard payments.count < count else { return }
    slots.append(
      contentsOf: repeatElement(
        Slot(micros: 0, count: 0, payee: -1), count: (count - payments.count) * Self.slotsPerAccount))
    payments.append(contentsOf: repeatElement(0, count: count - payments.count))
    newAmounts.append(contentsOf: repeatElement(0, count: count - newAmounts.count))
  }

  /// Notes a payment of `micros` from `payer` to `payee` (both ids below the grown count).
  mutating func record(from payer: Int32, to payee: Int32, micros: Int64) {
    let a = Int(payer), base = a * Self.slotsPerAccount
    let first = payments[a] == 0
    guard payments[a] < .max else { return }  // 2³¹ payments: its habit is settled
    payments[a] += 1
    if !first { later += 1 }
    var least = base
    for s in base..<base + Self.slotsPerAccount {
      if slots[s].count > 0, AmountHabit.same(slots[s].micros, micros) {
        slots[s].count = slots[s].count < .max ? slots[s].count + 1 : .max
        if slots[s].payee != payee { slots[s].payee = -1 }
        return
      }
      if slots[s].count < slots[least].count { least = s }
    }
    if !first {
      newAmounts[a] += 1
      newLater += 1
    }
    slots[least] = Slot(micros: micros, count: 1, payee: payee)
  }

  /// The chance that `payer`'s payment to `payee` lies in `low...high`
  /// (``AmountHabit/chance(rate:inRange:others:background:)``), given the
  /// background's share of the range and `payer`'s payments to others. When
  /// `passedOn` is set, that payment of `payer`'s (to `payee`) is the one
  /// judged and is recorded already: it is left out of the history.
  func share(
    of payer: Int32, to payee: Int32, from low: Int64, to high: Int64, background: Double, passedOn: Int64? = nil
  ) -> Double {
    let a = Int(payer)
    guard a < payments.count else { return background }
    let judged = passedOn.flatMap { slotIndex(of: a, near: $0) }
    var others = Int(payments[a]), inRange = 0
    for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount where slots[s].count > 0 {
      let slot = slots[s]
      guard slot.payee != payee else {
        others -= Int(slot.count)  // the pair's own repeats, the payment judged among them
        continue
      }
      var count = Int(slot.count)
      if s == judged { (count, others) = (count - 1, others - 1) }
      if slot.micros >= low, slot.micros <= high { inRange += count }
    }
    if passedOn != nil, judged == nil { others -= 1 }  // its slot given to a newer sum since
    var laterOwn = Int(payments[a]) - 1, newOwn = Int(newAmounts[a])
    var populationLater = later, populationNew = newLater
    if passedOn != nil, payments[a] >= 2 {
      // Not its payer's first payment, it counted among the later ones; it
      // was new when no other payment shares its slot (or the slot is gone).
      (laterOwn, populationLater) = (laterOwn - 1, populationLater - 1)
      if judged.map({ slots[$0].count == 1 }) ?? true { (newOwn, populationNew) = (newOwn - 1, populationNew - 1) }
    }
    let rate = AmountHabit.newAmountRate(
      newAmounts: newOwn, later: laterOwn,
      populationRate: populationLater == 0 ? 1 : Double(populationNew) / Double(populationLater))
    return AmountHabit.chance(rate: rate, inRange: inRange, others: others, background: background)
  }

  /// *r*: the share of payments after each account's first that paid a new sum (1 before any).
  var populationRate: Double { later == 0 ? 1 : Double(newLater) / Double(later) }

  private func slotIndex(of a: Int, near micros: Int64) -> Int? {
    (a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount).first {
      slots[$0].count > 0 && AmountHabit.same(slots[$0].micros, micros)
    }
  }

  /// Drops the habits of the released accounts (`released[a]`), whose ids
  /// are about to be reused, and their payee from every slot naming one.
  mutating func forget(_ released: [Bool]) {
    for a in released.indices where released[a] && a < payments.count {
      later -= max(Int(payments[a]) - 1, 0)
      newLater -= Int(newAmounts[a])
      (payments[a], newAmounts[a]) = (0, 0)
      for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount {
        slots[s] = Slot(micros: 0, count: 0, payee: -1)
      }
    }
    for s in slots.indices where slots[s].payee >= 0 {
      let p = Int(slots[s].payee)
      if p < released.count, released[p] { slots[s].payee = -1 }
    }
  }

  /// Every payee a live account, every account's slots within its payments,
  /// and the totals the sums of the accounts'.
  func invariantViolation(names: PrefilterNames) -> String? {
    guard slots.count == payments.count * Self.slotsPerAccount, newAmounts.count == payments.count else {
      return "habit slots out of step with the accounts"
    }
    var laterSum = 0, newSum = 0
    for a in payments.indices {
      let own = slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount]
      guard own.reduce(0, { $0 + Int($1.count) }) <= Int(payments[a]), newAmounts[a] < max(payments[a], 1) else {
        return "account \(a)'s habit counts more payments than it made"
      }
      guard own.allSatisfy({ $0.payee < 0 || names.accounts.isLive($0.payee) }) else {
        return "a habit slot names a forgotten payee"
      }
      laterSum += max(Int(payments[a]) - 1, 0)
      newSum += Int(newAmounts[a])
    }
    guard laterSum == later, newSum == newLater else { return "the habits' totals are off" }
    return nil
  }
}

extension PayerHabits {
  /// Writes the habits for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(slots)
    writer.write(payments)
    writer.write(newAmounts)
  }

  /// Restores the habits written by ``write(to:)``.
  init(from reader: inout StateReader) throws(StateReaderError) {
    self.init()
    slots = try reader.readArray(Slot.self)
    payments = try reader.readArray(Int32.self)
    newAmounts = try reader.readArray(Int32.self)
    guard slots.count == payments.count * Self.slotsPerAccount, newAmounts.count == payments.count,
      zip(payments, newAmounts).allSatisfy({ $0 >= 0 && $1 >= 0 && $1 < max($0, 1) }),
      slots.allSatisfy({ $0.count >= 0 && $0.micros >= 0 && $0.payee >= -1 && Int($0.payee) < payments.count })
    else { throw .malformed }
    later = payments.reduce(0) { $0 + max(Int($1) - 1, 0) }
    newLater = newAmounts.reduce(0) { $0 + Int($1) }
  }
}
