@_spi(Checkpoint) import SignalGraph

/// The payments into each account within a trailing window, oldest first:
/// what ``IncrementalCycleCheck`` and ``IncrementalFlowCheck`` search
/// backward from a new payment.
///
/// Each account's list is trimmed from its front as time passes (a head
/// index moves on, and the dead prefix is dropped once it is most of the
/// list), so a list holds the last window's payments and memory follows the
/// traffic of one window, not of the stream.
///
/// It also counts the payments kept from each account (``outgoing``), an
/// account's fan-out over about the last window: trimming is lazy, so a
/// count may include payments past the window that no one has trimmed yet,
/// and errs towards more.
///
/// A list may also be capped (``capacity``): past it, the oldest payment
/// goes, so that one busy account keeps no more than that, and a list
/// holding ``capacity`` live payments says the account was busier than its
/// reader cares to read. When asked to (``collectsDropped``), the payments
/// that leave the lists wait in ``dropped`` for the owner to read and clear:
/// what an account was paid before its list.
///
/// - Complexity: ``append(_:to:now:)`` amortised O(1); ``evict(now:)``
///   O(accounts); ``forget(_:)`` O(released accounts + payments kept).
struct RecentPayments: Sendable {
  /// A payment into the list's account.
  ///
  /// A checkpoint copies these as raw bytes, so the fields are laid out
  /// without padding (widest first, then ``unused``): a checkpoint holds
  /// only the payments' bytes, never stale memory between fields.
  struct Payment {
    /// When it was paid.
    var time: Int64
    /// How much, in micro-units.
    var micros: Int64
    /// Its seq in the stream (to revoke it).
    var seq: Int
    /// The payer.
    var source: Int32
    /// Whether it was held or revoked already.
    var withheld: Bool
    /// Whether ``IncrementalFlowCheck``'s withheld amounts count it.
    var counted: Bool
    /// Fills the record to its stride, zero.
    private var unused: UInt16 = 0

    init(source: Int32, time: Int64, micros: Int64, seq: Int, withheld: Bool, counted: Bool = false) {
      (self.time, self.micros, self.seq) = (time, micros, seq)
      (self.source, self.withheld, self.counted) = (source, withheld, counted)
    }
  }

  /// How long a payment is kept, in seconds.
  let window: Int64
  /// The most live payments kept into one account.
  let capacity: Int
  /// Whether payments leaving the lists (past the window or the capacity,
  /// not forgotten) are kept in ``dropped``.
  let collectsDropped: Bool
  /// The payments that left the lists since the owner last cleared it, with their payees.
  var dropped: [(account: Int32, payment: Payment)] = []
  /// Per account, its payments; the live ones start at `heads[a]`.
  private(set) var lists: [[Payment]] = []
  /// Per account, the index of its oldest live payment.
  private(set) var heads: [Int] = []
  /// Per account, the payments from it among the live ones.
  private(set) var outgoing: [Int32] = []

  /// No payments, keeping each for `window` seconds, and at most `capacity` into one account.
  init(window: Int64, capacity: Int = .max, collectsDropped: Bool = false) {
    (self.window, self.capacity, self.collectsDropped) = (window, max(capacity, 1), collectsDropped)
  }

  /// The live payments into `account`, oldest first (indices are positions in its list).
  func live(into account: Int32) -> ArraySlice<Payment> {
    let a = Int(account)
    return lists[a][heads[a]...]
  }

  /// Makes room for account ids below `count`.
  mutating func grow(to count: Int) {
    if lists.count < count {
      lists.append(contentsOf: repeatElement([], count: count - lists.count))
      heads.append(contentsOf: repeatElement(0, count: count - heads.count))
      outgoing.append(contentsOf: repeatElement(0, count: count - outgoing.count))
    }
  }

  /// Adds `payment` into `account` (both its accounts' ids below the grown
  /// count) and trims its list.
  mutating func append(_ payment: Payment, to account: Int32, now: Int64) {
    let a = Int(account)
    lists[a].append(payment)
    outgoing[Int(payment.source)] += 1
    if lists[a].count - heads[a] > capacity {
      outgoing[Int(lists[a][heads[a]].source)] -= 1
      if collectsDropped { dropped.append((account, lists[a][heads[a]])) }
      heads[a] += 1
    }
    trim(a, now: now)
  }

  /// The index in `account`'s list of the live payment numbered `seq`, if
  /// it is kept (a list is in the order of the stream, so of seqs).
  func index(of seq: Int, into account: Int32) -> Int? {
    let list = live(into: account)
    var (low, high) = (list.startIndex, list.endIndex)
    while low < high {
      let middle = (low + high) / 2
      if list[middle].seq < seq { low = middle + 1 } else { high = middle }
    }
    return low < list.endIndex && list[low].seq == seq ? low : nil
  }

  /// Marks payment `index` into `account` withheld (and `counted`); returns
  /// its seq if it was not already.
  mutating func withhold(into account: Int32, at index: Int, counted: Bool = false) -> Int? {
    let a = Int(account)
    guard !lists[a][index].withheld else { return nil }
    lists[a][index].withheld = true
    lists[a][index].counted = counted
    return lists[a][index].seq
  }

  /// Marks payment `index` into `account`, withheld already, counted;
  /// whether it was not.
  mutating func count(into account: Int32, at index: Int) -> Bool {
    let a = Int(account)
    guard lists[a][index].withheld, !lists[a][index].counted else { return false }
    lists[a][index].counted = true
    return true
  }

  /// Withholds each of `payments` (an account and an index into its list)
  /// not withheld already, and adds its seq to `outcome`'s revocations for `reason`.
  mutating func revoke(
    _ payments: some Sequence<(account: Int32, index: Int)>, reason: String, into outcome: inout CheckOutcome
  ) {
    for (account, index) in payments {
      if let seq = withhold(into: account, at: index) { outcome.revoked.append((seq, reason)) }
    }
  }

  /// Drops the payments into account `a` older than the window before `now`.
  mutating func trim(_ a: Int, now: Int64) {
    let cutoff = now - window
    var h = heads[a]
    while h < lists[a].count, lists[a][h].time < cutoff {
      outgoing[Int(lists[a][h].source)] -= 1
      if collectsDropped { dropped.append((Int32(a), lists[a][h])) }
      h += 1
    }
    if h == lists[a].count {
      lists[a].removeAll(keepingCapacity: lists[a].count < 64)
      h = 0
    } else if h > 32, h * 2 > lists[a].count {
      lists[a].removeFirst(h)
      h = 0
    }
    heads[a] = h
  }

  /// Drops payments older than the window everywhere (bounded memory).
  mutating func evict(now: Int64) {
    for a in lists.indices where !lists[a].isEmpty { trim(a, now: now) }
  }

  /// Drops every payment to or from the released accounts (`released[a]`),
  /// whose ids are about to be reused, and the room their lists held.
  mutating func forget(_ released: [Bool]) {
    func gone(_ a: Int32) -> Bool { Int(a) < released.count && released[Int(a)] }
    for a in released.indices where released[a] && a < lists.count {
      lists[a] = []
      heads[a] = 0
    }
    for a in lists.indices where !lists[a].isEmpty && lists[a].contains(where: { gone($0.source) }) {
      lists[a].removeFirst(heads[a])
      heads[a] = 0
      lists[a].removeAll { gone($0.source) }
    }
    outgoing = Self.outgoing(of: lists, heads: heads)
  }

  /// The payments from each account among the live ones of `lists`.
  private static func outgoing(of lists: [[Payment]], heads: [Int]) -> [Int32] {
    var counts = [Int32](repeating: 0, count: lists.count)
    for (a, list) in lists.enumerated() {
      for payment in list[heads[a]...] { counts[Int(payment.source)] += 1 }
    }
    return counts
  }

  /// Payments kept, over all accounts.
  var count: Int { lists.indices.reduce(0) { $0 + lists[$1].count - heads[$1] } }

  /// Every list head within its list, and every kept payment between live accounts.
  func invariantViolation(names: PrefilterNames) -> String? {
    func live(_ a: Int32) -> Bool { names.accounts.isLive(a) }
    guard lists.count == heads.count, lists.count <= names.accounts.idCapacity else {
      return "more payment lists than account ids"
    }
    for (a, list) in lists.enumerated() {
      guard heads[a] >= 0, heads[a] <= list.count else { return "a payment list head out of bounds" }
      guard list.count - heads[a] <= capacity else { return "more payments kept into account \(a) than its list holds" }
      if list.isEmpty { continue }
      guard live(Int32(a)) else { return "payments kept for forgotten account \(a)" }
      guard list.allSatisfy({ live($0.source) && Int($0.source) < lists.count }) else {
        return "a kept payment names a forgotten payer"
      }
    }
    guard outgoing == Self.outgoing(of: lists, heads: heads) else { return "a payer's count of payments kept is off" }
    return nil
  }
}

extension RecentPayments {
  /// Writes the lists for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(lists)
    writer.write(heads)
  }

  /// Restores the lists written by ``write(to:)``, keeping each payment for
  /// `window` seconds, and at most `capacity` into one account.
  init(window: Int64, capacity: Int = .max, collectsDropped: Bool = false, from reader: inout StateReader)
    throws(StateReaderError)
  {
    self.init(window: window, capacity: capacity, collectsDropped: collectsDropped)
    lists = try reader.readArrays(Payment.self)
    heads = try reader.readArray(Int.self)
    guard heads.count == lists.count,
      zip(lists, heads).allSatisfy({ $1 >= 0 && $1 <= $0.count && $0.count - $1 <= capacity }),
      lists.allSatisfy({
        $0.allSatisfy { $0.source >= 0 && Int($0.source) < lists.count && Timestamp.validRange.contains($0.time) }
      })
    else { throw .malformed }
    outgoing = Self.outgoing(of: lists, heads: heads)
  }
}
