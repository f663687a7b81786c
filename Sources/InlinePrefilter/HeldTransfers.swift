import SignalGraph

/// The transfers ``IncrementalFlowCheck`` held into each account over the
/// last link window: the anchors a later payment of the same amount into
/// that account links to (a fan-in reaching on after its first split
/// sender was caught, over weeks).
///
/// Only held transfers are kept (splits and the links to them), so memory
/// follows what was held, not the traffic; each account's list is trimmed
/// from its front as time passes, like ``RecentPayments``.
///
/// - Complexity: ``add(_:into:)`` amortised O(1); ``live(into:now:)``
///   O(transfers held into the account); ``evict(now:)`` O(accounts).
struct HeldTransfers: Sendable {
  /// A transfer held into the list's account.
  struct Transfer: Equatable {
    /// The payer.
    var source: Int32
    /// Its payments (the parts of a split; one for a linked payment).
    var payments: Int32
    /// The amount of one part (all parts of a split are within its spread).
    var micros: Int64
    /// When it was held.
    var time: Int64
  }

  /// How long a transfer is kept, in seconds.
  let window: Int64
  /// Per account, the transfers held into it, oldest first.
  private(set) var lists: [[Transfer]] = []

  /// No transfers, keeping each for `window` seconds.
  init(window: Int64) { self.window = window }

  /// Adds `transfer` into `account` and drops the ones older than the window.
  mutating func add(_ transfer: Transfer, into account: Int32) {
    let a = Int(account)
    if lists.count <= a { lists.append(contentsOf: repeatElement([], count: a + 1 - lists.count)) }
    lists[a].append(transfer)
    trim(a, now: transfer.time)
  }

  /// The transfers held into `account` within the window before `now` (or
  /// after it: an out-of-order stream), oldest first.
  func live(into account: Int32, now: Int64) -> [Transfer] {
    let a = Int(account)
    guard a < lists.count else { return [] }
    return lists[a].filter { now.saturatingSubtracting($0.time).magnitude <= window.magnitude }
  }

  /// Drops transfers older than the window everywhere.
  mutating func evict(now: Int64) {
    for a in lists.indices where !lists[a].isEmpty { trim(a, now: now) }
  }

  /// Drops every transfer to or from the released accounts (`released[a]`),
  /// whose ids are about to be reused.
  mutating func forget(_ released: [Bool]) {
    func gone(_ a: Int) -> Bool { a < released.count && released[a] }
    for a in lists.indices where !lists[a].isEmpty {
      if gone(a) { lists[a] = [] } else { lists[a].removeAll { gone(Int($0.source)) } }
    }
  }

  /// Transfers kept, over all accounts.
  var count: Int { lists.reduce(0) { $0 + $1.count } }

  private mutating func trim(_ a: Int, now: Int64) {
    let cutoff = now.saturatingSubtracting(window)
    if let first = lists[a].firstIndex(where: { $0.time >= cutoff }) {
      if first > 0 { lists[a].removeFirst(first) }
    } else {
      lists[a] = []
    }
  }

  /// Every kept transfer between live accounts, within the contract's times.
  func invariantViolation(names: PrefilterNames) -> String? {
    guard lists.count <= names.accounts.idCapacity else { return "more held-transfer lists than account ids" }
    for (a, list) in lists.enumerated() where !list.isEmpty {
      guard names.accounts.isLive(Int32(a)) else { return "held transfers kept for forgotten account \(a)" }
      guard list.allSatisfy({ names.accounts.isLive($0.source) && Timestamp.validRange.contains($0.time) }) else {
        return "a held transfer names a forgotten payer or an impossible time"
      }
    }
    return nil
  }
}

extension HeldTransfers {
  /// Writes the lists for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(lists)
  }

  /// Restores the lists written by ``write(to:)``, keeping each transfer for `window` seconds.
  init(window: Int64, from reader: inout StateReader) throws(StateReaderError) {
    self.init(window: window)
    lists = try reader.readArrays(Transfer.self)
    guard
      lists.allSatisfy({
        $0.allSatisfy { $0.source >= 0 && Timestamp.validRange.contains($0.time) }
      })
    else { throw .malformed }
  }
}
