@_spi(Checkpoint) import SignalGraph

/// Checks each payment for closing a conserved, fast, time-increasing cycle,
/// by a bounded backward search over recent payments (in the spirit of 2SCENT,
/// Kumar and Calders, VLDB 2018, restricted to cycles that close at the new edge).
///
/// A payment u → v at time τ closes a cycle v → x₁ → … → u → v when every hop
/// is later than the one before, the whole cycle lies within
/// ``Thresholds/windowSeconds``, and each hop passes on
/// between ``Thresholds/minRatio`` and 100 % of the previous
/// hop's amount (money conserved as it goes round, minus a cut). Such a
/// payment is held and the cycle's earlier payments are revoked. Honest
/// cycles (roommates splitting rent, family transfers) are slow or do not
/// conserve amounts. A cycle of two accounts, money paid back, counts only
/// from its ``Thresholds/minReturnTurns``-th round trip within the window,
/// or when the account paid back has been paid back by another account too
/// (a hub fanning money out to be gathered back): a refund or a repaid loan
/// goes round once, money passed back and forth to fake a payment history
/// goes round again and again, or through several accounts at once (the
/// earlier payments of those round trips are then revoked too).
///
/// Its thresholds are set through the pre-filter's configuration:
///
///     var configuration = PrefilterConfiguration()
///     configuration.cycles.minRatio = 0.9
///
/// - Complexity: per payment, O(min(fan limit^hops, budget)) incoming
///   payments examined; the per-account lists keep only the last window.
public struct IncrementalCycleCheck: PaymentCheck {
  /// The knobs of the cycle check (``PrefilterConfiguration/cycles``).
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Longest time a conserved payment cycle may take, in seconds.
    public var windowSeconds: Int64 = 36 * 3_600
    /// Most payments in one cycle.
    public var maxHops: Int = 8
    /// Each hop passes on at least this share of what the previous hop carried.
    public var minRatio: Double = 0.8
    /// Incoming payments examined per account in the backward search.
    public var fanLimit: Int = 48
    /// Accounts visited per backward search at most.
    public var budget: Int = 2_048
    /// Round trips within the window a two-account cycle needs to be held.
    public var minReturnTurns: Int = 2

    /// The defaults.
    public init() {}
  }

  let thresholds: Thresholds
  /// The payments into each account within the cycle window.
  private(set) var recent: RecentPayments
  private var visits = 0
  private var path: [(account: Int32, index: Int)] = []

  init(configuration: PrefilterConfiguration) {
    thresholds = Self.thresholds(in: configuration)
    recent = RecentPayments(window: thresholds.windowSeconds)
  }

  static var thresholdsKey: KeyPath<PrefilterConfiguration, Thresholds> { \.cycles }
  static var partName: String { "cycles" }
  static var recordSizes: [Int] { [MemoryLayout<RecentPayments.Payment>.size] }
  static func reachBeyondWindow(_ configuration: PrefilterConfiguration) -> Int64 {
    thresholds(in: configuration).windowSeconds
  }

  /// Decides payment `seq` from `source` to `target`.
  mutating func check(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, now: Int64, names: WindowedInterner
  ) -> CheckOutcome {
    recent.grow(to: Int(max(source, target)) + 1)
    var outcome = CheckOutcome.admit
    if source != target {
      visits = 0
      path.removeAll(keepingCapacity: true)
      if search(from: source, before: time, carried: micros, start: time, origin: target, depth: 1) {
        let first = path.last.map { recent.lists[Int($0.account)][$0.index].time } ?? time
        let hours = Double(time - first) / 3_600
        var hops = [names[target]]
        for step in path.reversed() { hops.append(names[step.account]) }
        hops.append(names[target])
        let reason =
          "cycle: \(path.count + 1) payments \(hops.joined(separator: "→")) within \(String(format: "%.1f", hours)) h, each passing on \(Int(thresholds.minRatio * 100))–100 % of the previous"
        outcome.holdReasons.append(reason)
        var earlier = path
        if path.count == 1 {
          // Money paid back: every round trip of the pair, and of the hub, in the window.
          let since = time - thresholds.windowSeconds
          earlier =
            pairPayments(into: source, from: target, since: since).map { (source, $0) }
            + pairPayments(into: target, from: source, since: since).map { (target, $0) }
            + otherReturns(to: target, besides: source, since: since)
        }
        recent.revoke(earlier, reason: reason, into: &outcome)
      }
    }
    recent.append(
      RecentPayments.Payment(
        source: source, time: time, micros: micros, seq: seq, withheld: !outcome.holdReasons.isEmpty),
      to: target, now: time)
    return outcome
  }

  /// Looks for a chain of incoming payments into `node`, each earlier than
  /// `before` and carrying `carried / ratio`, that starts at `origin`.
  private mutating func search(from node: Int32, before: Int64, carried: Int64, start: Int64, origin: Int32, depth: Int)
    -> Bool
  {
    let list = recent.live(into: node)
    var examined = 0
    var i = list.endIndex - 1
    let earliest = start - thresholds.windowSeconds
    while i >= list.startIndex, examined < thresholds.fanLimit, visits < thresholds.budget {
      let p = list[i]
      if p.time < earliest { break }
      i -= 1
      guard p.time < before else { continue }
      examined += 1
      visits += 1
      // carried ≤ p.micros and carried ≥ ratio · p.micros
      guard carried <= p.micros, Double(carried) >= thresholds.minRatio * Double(p.micros) else { continue }
      path.append((node, i + 1))
      if p.source == origin {
        if depth > 1 || roundTrips(between: node, and: origin, since: earliest) >= thresholds.minReturnTurns
          || !otherReturns(to: origin, besides: node, since: earliest).isEmpty
        {
          return true
        }
        path.removeLast()
        continue
      }
      if depth + 1 < thresholds.maxHops, !path.contains(where: { $0.account == p.source }), p.source != node {
        if search(from: p.source, before: p.time, carried: p.micros, start: start, origin: origin, depth: depth + 1) {
          return true
        }
      }
      path.removeLast()
    }
    return false
  }

  /// The indices of the payments into `account` from `payer` since `since`.
  private func pairPayments(into account: Int32, from payer: Int32, since: Int64) -> [Int] {
    let list = recent.live(into: account)
    return list.indices.filter { list[$0].source == payer && list[$0].time >= since }
  }

  /// Round trips between `a` and `b` since `since`, counting the payment
  /// from `a` to `b` being decided: the fewer of the two directions' payments.
  private func roundTrips(between a: Int32, and b: Int32, since: Int64) -> Int {
    min(pairPayments(into: a, from: b, since: since).count, pairPayments(into: b, from: a, since: since).count + 1)
  }

  /// The payments of the round trips through `hub` since `since` by
  /// accounts other than `besides`: a payment from the hub, then one back to
  /// it passing on ``Thresholds/minRatio``–100 % of it (at most
  /// ``Thresholds/fanLimit`` payments into the hub read).
  private func otherReturns(to hub: Int32, besides: Int32, since: Int64) -> [(account: Int32, index: Int)] {
    var found: [(account: Int32, index: Int)] = []
    let list = recent.live(into: hub)
    var i = list.endIndex - 1
    var examined = 0
    while i >= list.startIndex, examined < thresholds.fanLimit, list[i].time >= since {
      defer { i -= 1 }
      let back = list[i]
      examined += 1
      guard back.source != besides, back.source != hub, Int(back.source) < recent.lists.count else { continue }
      let out = recent.live(into: back.source)
      for j in stride(from: out.endIndex - 1, through: out.startIndex, by: -1) {
        let paid = out[j]
        if paid.time < since { break }
        guard paid.source == hub, paid.time < back.time, back.micros <= paid.micros,
          Double(back.micros) >= thresholds.minRatio * Double(paid.micros)
        else { continue }
        found.append((hub, i))
        found.append((back.source, j))
        break
      }
    }
    return found
  }

  /// Drops payments older than the cycle window everywhere (bounded memory).
  mutating func evict(now: Int64) { recent.evict(now: now) }

  /// Drops every payment to or from the released accounts, whose ids are about to be reused.
  ///
  /// - Complexity: O(released accounts + payments kept).
  mutating func forget(_ released: ReleasedIds) {
    if let accounts = released.accounts { recent.forget(accounts) }
  }

  /// Payments kept, over all accounts.
  var paymentsKept: Int { recent.count }

  /// Adds the payments kept.
  func addFootprint(to footprint: inout PrefilterFootprint) {
    footprint.payments += paymentsKept
  }

  /// Every list head within its list, and every kept payment between live accounts.
  func invariantViolation(names: PrefilterNames) -> String? { recent.invariantViolation(names: names) }
}

extension IncrementalCycleCheck {
  /// Writes the kept payments for a checkpoint.
  func write(to writer: inout StateWriter) { recent.write(to: &writer) }

  /// Restores the state written by ``write(to:)``.
  init(configuration: PrefilterConfiguration, from reader: inout StateReader) throws(StateReaderError) {
    self.init(configuration: configuration)
    recent = try RecentPayments(window: thresholds.windowSeconds, from: &reader)
  }
}
