@_spi(Checkpoint) import SignalGraph

/// Each account's habit as a payee, in a few slots: the bands of sums it
/// is paid most, and how often. What ``IncrementalFlowCheck`` reads a
/// fan-in's band against: a club paid its dues, a landlord its rents, a
/// shop its prices last month are paid them by routine this month.
///
/// An account keeps ``slotsPerAccount`` bands, each the sums within a
/// relative `tolerance` of the first it took. They are counted as the
/// space-saving algorithm counts heavy hitters (Metwally, Agrawal and
/// El Abbadi, ICDT 2005): a sum no band takes replaces the band counted
/// least, and inherits its count plus one, the count inherited kept as the
/// band's possible error. A band's count so never understates its sums,
/// its count less its error never overstates them; the habit read is the
/// latter, so that a fan-in's band new to its payee, taking a slot from
/// other sums, is not read as a habit it inherited. The bands paid most
/// (a shop's prices) keep their slots, and their counts are nearly exact.
/// A payment of a sum its payer pays by habit counts among the account's
/// payments but in no band (``record(_:into:banded:)``): a sum the payer
/// set, not the payee.
///
/// - Complexity: ``record(_:into:banded:)`` and ``count(of:from:to:)``
///   O(``slotsPerAccount``); memory ``slotsPerAccount`` slots and one count
///   per account id.
struct PayeeHabits: Sendable {
  /// One band of sums an account is paid.
  ///
  /// A checkpoint copies these as raw bytes, so the fields are laid out
  /// without padding.
  /// Eight bytes: a band's first sum needs no more than a `Float`'s seven
  /// digits to be told from sums 5 % away, and counts that would pass
  /// `UInt16.max` halve the account's instead (its older payments weigh
  /// half).
  struct Slot: Equatable {
    /// The band's first sum, in micro-units (0: an empty slot).
    var micros: Float
    /// The payments counted into it (space-saving: perhaps more).
    var count: UInt16
    /// The count it inherited from the band it replaced: its payments are
    /// at least `count − error`.
    var error: UInt16

    /// No sum.
    static let empty = Slot(micros: 0, count: 0, error: 0)
  }

  /// The bands remembered per account.
  static let slotsPerAccount = 8

  /// How far from a band's first sum, relatively, a sum joins it.
  let tolerance: Double
  /// Per account, its ``slotsPerAccount`` slots.
  private(set) var slots: [Slot] = []
  /// Per account, the payments into it.
  private(set) var payments: [Int32] = []

  /// No habits yet; sums within `tolerance` of a band's first join it.
  init(tolerance: Double) { self.tolerance = tolerance }

  /// Makes room for account ids below `count`.
  mutating func grow(to count: Int) {
    guard payments.count < count else { return }
    let more = count - payments.count
    slots.append(contentsOf: repeatElement(.empty, count: more * Self.slotsPerAccount))
    payments.append(contentsOf: repeatElement(0, count: more))
  }

  /// Notes a payment of `micros` into `payee` (an id below the grown
  /// count), in a band unless `banded` is false (its payer's habitual sum:
  /// counted among the payments only).
  mutating func record(_ micros: Int64, into payee: Int32, banded: Bool = true) {
    let a = Int(payee), base = a * Self.slotsPerAccount
    guard micros > 0 else { return }
    if payments[a] == .max || slots[base..<base + Self.slotsPerAccount].contains(where: { $0.count == .max }) {
      halve(a)
    }
    payments[a] += 1
    guard banded else { return }
    let sum = Double(micros)
    var least = base
    for s in base..<base + Self.slotsPerAccount {
      if slots[s].count > 0, abs(Double(slots[s].micros) - sum) <= tolerance * Double(slots[s].micros) {
        slots[s].count += 1
        return
      }
      if slots[s].count < slots[least].count { least = s }
    }
    let inherited = UInt16(min(Int(slots[least].count), Int(payments[a]) - 1))
    slots[least] = Slot(micros: Float(sum), count: inherited + 1, error: inherited)
  }

  /// Halves account `a`'s counts, its payments' with them.
  private mutating func halve(_ a: Int) {
    payments[a] /= 2
    for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount {
      slots[s].count /= 2
      slots[s].error /= 2
    }
  }

  /// The payments into `payee` its bands within `low...high` (widened by
  /// the bands' tolerance) surely count (each band's count less its
  /// error), and all its payments.
  func count(of payee: Int32, from low: Int64, to high: Int64) -> (inRange: Int, all: Int) {
    let a = Int(payee)
    guard a < payments.count else { return (0, 0) }
    let (bottom, top) = (Double(low) / (1 + tolerance), Double(high) * (1 + tolerance))
    var inRange = 0
    for slot in slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount]
    where slot.count > 0 && Double(slot.micros) >= bottom && Double(slot.micros) <= top {
      inRange += Int(slot.count) - Int(slot.error)
    }
    return (min(inRange, Int(payments[a])), Int(payments[a]))
  }

  /// Drops the habits of the released accounts (`released[a]`), whose ids are about to be reused.
  mutating func forget(_ released: [Bool]) {
    for a in released.indices where released[a] && a < payments.count {
      payments[a] = 0
      for s in a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount { slots[s] = .empty }
    }
  }

  /// Whether an account's counts are possible: each band's within its payments.
  private func isPossible(_ a: Int) -> Bool {
    payments[a] >= 0
      && slots[a * Self.slotsPerAccount..<(a + 1) * Self.slotsPerAccount].allSatisfy {
        Int32($0.count) <= payments[a] && $0.error <= $0.count && $0.micros >= 0 && $0.micros.isFinite
      }
  }

  /// Habits only for live accounts, every account's counts possible.
  func invariantViolation(names: PrefilterNames) -> String? {
    guard slots.count == payments.count * Self.slotsPerAccount, payments.count <= names.accounts.idCapacity else {
      return "payee slots out of step with the accounts"
    }
    for a in payments.indices {
      guard isPossible(a) else { return "account \(a)'s bands count more than it was paid" }
      guard payments[a] == 0 || names.accounts.isLive(Int32(a)) else {
        return "a payee habit kept for forgotten account \(a)"
      }
    }
    return nil
  }
}

extension PayeeHabits {
  /// Writes the habits for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(slots)
    writer.write(payments)
  }

  /// Restores the habits written by ``write(to:)``, bands `tolerance` wide.
  init(tolerance: Double, from reader: inout StateReader) throws(StateReaderError) {
    self.init(tolerance: tolerance)
    slots = try reader.readArray(Slot.self)
    payments = try reader.readArray(Int32.self)
    guard slots.count == payments.count * Self.slotsPerAccount, payments.indices.allSatisfy(isPossible) else {
      throw .malformed
    }
  }
}
