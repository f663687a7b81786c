@_spi(Checkpoint) import SignalGraph

/// The transfers ``IncrementalFlowCheck`` held over the last link window,
/// listed by one of their two accounts: the anchors a later payment of a
/// like amount links to (a fan-in reaching on after its first split sender
/// was caught, money passed on or paid back over weeks). The check keeps
/// two: one listing each transfer under its payee (``Transfer/counterpart``
/// the payer), one under its payer (``Transfer/counterpart`` the payee).
///
/// Only held transfers are kept (splits and the payments linked to them),
/// at most ``capacity`` per account (the latest), so memory follows what was
/// held, not the traffic, and a hostile stream holding many transfers into
/// one account cannot make its payments costly. Lists are in arrival order;
/// a transfer leaves its list once it is older than the window before the
/// newest time seen there (out-of-order times are kept as they came).
///
/// - Complexity: ``add(_:at:merging:)``, ``live(at:now:besides:)`` and trimming
///   O(``capacity``); ``evict(now:)`` O(accounts with a list).
struct HeldTransfers: Sendable {
  /// A transfer held to or from the list's account.
  struct Transfer {
    /// The transfer's other account: its payer in a list by payee, its
    /// payee in a list by payer.
    var counterpart: Int32
    /// Its payments withheld, negative when the check's withheld amounts
    /// do not count them (``payments``, ``counted``).
    private var signedPayments: Int32
    /// The amount (of one part, for a split: the parts' median).
    var micros: Int64
    /// The parts' largest relative distance from `micros` (0 for one
    /// payment or equal parts): a split of unequal parts matches amounts
    /// within its own spread.
    var spread: Double
    /// When it was held.
    var time: Int64

    /// A transfer of `payments` withheld (at least one), `counted` or not in
    /// the check's withheld amounts.
    init(counterpart: Int32, payments: Int32, counted: Bool = true, micros: Int64, spread: Double, time: Int64) {
      let payments = max(1, payments)
      (self.counterpart, signedPayments) = (counterpart, counted ? payments : -payments)
      (self.micros, self.spread, self.time) = (micros, spread, time)
    }

    /// Its payments withheld: a split's parts (or a linked split's); one for
    /// a payment linked.
    var payments: Int32 { Int32(clamping: signedPayments.magnitude) }

    /// Whether ``IncrementalFlowCheck``'s withheld amounts count its
    /// payments (not those of a split held on its own).
    var counted: Bool { signedPayments > 0 }
  }

  /// How long a transfer is kept, in seconds.
  let window: Int64
  /// The most transfers kept per account.
  let capacity: Int
  /// Per account, the transfers held to or from it, in arrival order.
  private(set) var lists: [[Transfer]] = []

  /// No transfers, keeping each for `window` seconds, at most `capacity` per account.
  init(window: Int64, capacity: Int) {
    (self.window, self.capacity) = (window, max(1, capacity))
  }

  /// Adds `transfer` to `account`'s list, or, when the latest transfer
  /// there with the same counterpart was held less than `merging` seconds
  /// before (the same split held again at a later part), puts it in that
  /// one's place (keeping the larger count of payments, counted if either
  /// was); then drops what is older than the window, and the oldest
  /// beyond ``capacity``.
  mutating func add(_ transfer: Transfer, at account: Int32, merging: Int64) {
    let a = Int(account)
    if lists.count <= a { lists.append(contentsOf: repeatElement([], count: a + 1 - lists.count)) }
    if let same = lists[a].lastIndex(where: { $0.counterpart == transfer.counterpart }),
      transfer.time.saturatingSubtracting(lists[a][same].time).magnitude < merging.magnitude
    {
      // The same transfer: its payments withheld are at least what either counted.
      let old = lists[a][same]
      lists[a][same] = Transfer(
        counterpart: transfer.counterpart, payments: max(old.payments, transfer.payments),
        counted: old.counted || transfer.counted, micros: transfer.micros, spread: transfer.spread,
        time: transfer.time)
    } else {
      lists[a].append(transfer)
    }
    trim(a, now: transfer.time)
    if lists[a].count > capacity { lists[a].removeFirst(lists[a].count - capacity) }
  }

  /// The transfers held to or from `account` within the window of `now`,
  /// before or after it, with counterparts other than `besides`: the latest
  /// ``capacity``.
  func live(at account: Int32, now: Int64, besides: Int32) -> [Transfer] {
    let a = Int(account)
    guard a < lists.count else { return [] }
    return lists[a].filter { $0.counterpart != besides && now.saturatingSubtracting($0.time).magnitude <= window }
  }

  /// Drops transfers older than the window before `now` everywhere.
  mutating func evict(now: Int64) {
    for a in lists.indices where !lists[a].isEmpty { trim(a, now: now) }
  }

  /// Drops every transfer to or from the released accounts (`released[a]`),
  /// whose ids are about to be reused: their lists, and their transfers in
  /// the others' lists.
  mutating func forget(_ released: [Bool]) {
    func gone(_ a: Int) -> Bool { a < released.count && released[a] }
    for a in lists.indices where !lists[a].isEmpty {
      if gone(a) { lists[a] = [] } else { lists[a].removeAll { gone(Int($0.counterpart)) } }
    }
  }

  /// The lists of `accounts`, to put back with ``restore(_:)``.
  func lists(of accounts: [Int32]) -> [(account: Int32, transfers: [Transfer])] {
    accounts.map { ($0, Int($0) < lists.count ? lists[Int($0)] : []) }
  }

  /// Puts back lists saved by ``lists(of:)``: what was added to them since is gone.
  mutating func restore(_ saved: [(account: Int32, transfers: [Transfer])]) {
    for (account, transfers) in saved where Int(account) < lists.count { lists[Int(account)] = transfers }
  }

  /// Transfers kept, over all accounts.
  var count: Int { lists.reduce(0) { $0 + $1.count } }

  /// Drops the transfers in account `a`'s list older than the window before `now`.
  private mutating func trim(_ a: Int, now: Int64) {
    let cutoff = now.saturatingSubtracting(window)
    lists[a].removeAll { $0.time < cutoff }
  }

  /// Every kept transfer between live accounts, of one payment or more, at
  /// a possible time; at most ``capacity`` per account.
  func invariantViolation(names: PrefilterNames) -> String? {
    guard lists.count <= names.accounts.idCapacity else { return "more held-transfer lists than account ids" }
    for (a, list) in lists.enumerated() where !list.isEmpty {
      guard list.count <= capacity else { return "more held transfers listed under account \(a) than the capacity" }
      guard names.accounts.isLive(Int32(a)) else { return "held transfers kept for forgotten account \(a)" }
      guard list.allSatisfy({ names.accounts.isLive($0.counterpart) && Self.isPossible($0) }) else {
        return "a held transfer names a forgotten account, no payment or an impossible amount, spread or time"
      }
    }
    return nil
  }

  /// Whether `transfer`'s fields are ones a stream can produce.
  fileprivate static func isPossible(_ transfer: Transfer) -> Bool {
    transfer.counterpart >= 0 && transfer.payments >= 1 && transfer.micros >= 0
      && (0...1).contains(transfer.spread) && Timestamp.validRange.contains(transfer.time)
  }
}

extension HeldTransfers {
  /// Writes the lists for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(lists)
  }

  /// Restores the lists written by ``write(to:)``, keeping each transfer for
  /// `window` seconds, at most `capacity` per account.
  init(window: Int64, capacity: Int, from reader: inout StateReader) throws(StateReaderError) {
    self.init(window: window, capacity: capacity)
    lists = try reader.readArrays(Transfer.self)
    guard lists.allSatisfy({ $0.count <= self.capacity && $0.allSatisfy(Self.isPossible) }) else {
      throw .malformed
    }
  }
}
