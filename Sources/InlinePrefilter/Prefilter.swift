import SignalGraph

/// The inline pre-filter: a scoring service links it and calls
/// ``decide(_:)`` for every incoming signal, in arrival order. Each event is
/// admitted (it may raise a score) or held with reasons, and new evidence can
/// revoke earlier admits.
///
/// It is incremental: it keeps the graph and detector state up to date per
/// event instead of rescanning. A payment is checked for closing a conserved
/// temporal cycle (``IncrementalCycleCheck``, a bounded backward search after
/// 2SCENT) and for completing a split transfer or a slow relay chain
/// (``IncrementalFlowCheck``, weighed against recent amounts); an endorsement updates dense-block state around its endorser and
/// target (``IncrementalEngagementCheck``, incremental peeling in the spirit
/// of Spade, Jiang et al., VLDB 2023); a profile edit is looked up in a rare
/// value index and a MinHash LSH index of bios (``IncrementalProfileCheck``).
/// Memory is bounded by the window, not the stream: state older than its
/// window is evicted as time advances, and once per stream day accounts,
/// profile values and field names unseen for longer than
/// ``PrefilterConfiguration/idleSeconds`` are forgotten and their ids reused
/// (``WindowedInterner``), so a stream of ever-new accounts and bios runs in
/// flat memory. ``footprint`` tells what is held.
///
/// Decisions are deterministic: the same events in the same order give the
/// same decisions, which is what makes `fraudscan filter --state` resumable.
///
///     var filter = Prefilter()
///     let d = filter.decide(.interaction(source: "a", target: "b", kind: "like", time: 1_767_225_600))
///     print(d.jsonLines, terminator: "")   // {"seq":0,"decision":"admit"}
///
/// - Complexity: per event O(local degree) expected (see each checker), plus
///   an O(state) sweep once per day of stream time.
public struct Prefilter: Sendable {
  /// The configuration (window and thresholds).
  public typealias Configuration = PrefilterConfiguration

  /// The configuration in use.
  public let configuration: Configuration
  /// The seq the next event gets: the number of events (and error lines) decided so far.
  public private(set) var nextSeq = 0
  private(set) var names = PrefilterNames()
  /// The checks, one of each of ``checkTypes``, in that order.
  private(set) var checks: [any PrefilterCheck]
  private(set) var now = Int64.min
  private(set) var nextSweep = Int64.min

  /// Every check the pre-filter runs, in the order it offers them events
  /// and writes their checkpoint parts: the one place a check is registered.
  static let checkTypes: [any PrefilterCheck.Type] = [
    IncrementalCycleCheck.self,
    IncrementalFlowCheck.self,
    IncrementalEngagementCheck.self,
    IncrementalProfileCheck.self,
  ]

  /// For each ``PrefilterEvent/Kind`` (by raw value), the indices in
  /// ``checkTypes`` of the checks that watch it.
  private static let watchers: [[Int]] = PrefilterEvent.Kind.allCases.map { kind in
    checkTypes.indices.filter { checkTypes[$0].watches.contains(kind) }
  }

  /// Creates a pre-filter with empty state.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    checks = Self.checkTypes.map { $0.init(configuration: configuration) }
  }

  /// Creates a pre-filter from restored parts (see `PrefilterCheckpoint.swift`).
  init(
    configuration: Configuration, nextSeq: Int, now: Int64, nextSweep: Int64,
    names: PrefilterNames, checks: [any PrefilterCheck]
  ) {
    self.configuration = configuration
    self.nextSeq = nextSeq
    self.now = now
    self.nextSweep = nextSweep
    self.names = names
    self.checks = checks
  }

  /// The check of type `type`, for tests and benchmarks.
  func check<Check: PrefilterCheck>(_ type: Check.Type) -> Check? {
    for check in checks { if let check = check as? Check { return check } }
    return nil
  }

  /// Decides the next event of the stream (it gets seq ``nextSeq``).
  public mutating func decide(_ event: SignalEvent) -> Decision {
    let seq = nextSeq
    nextSeq += 1
    let time = event.time
    if time > now {
      // The stream's clock follows event times but moves at most a day per
      // event, so one event dated years ahead (a broken clock) cannot expire
      // all state at once; a real gap in the stream is crossed a day per event.
      now = now == .min ? time : min(time, now + 86_400)
      if nextSweep == .min { nextSweep = now + 86_400 }
      if now >= nextSweep { sweep() }
    }
    let checked: PrefilterEvent
    switch event {
    case let .payment(_, source, target, amount, time):
      let s = names.accounts.intern(source, at: time), t = names.accounts.intern(target, at: time)
      checked = .payment(source: s, target: t, micros: amount.micros)
    case let .interaction(source, target, kind, time, rating):
      // A dislike, a report, a negative rating: never an endorsement to withhold.
      guard configuration.endorsement.isEndorsement(kind: kind, rating: rating) else {
        return Decision(seq: seq, verdict: .admit, reasons: [])
      }
      let s = names.accounts.intern(source, at: time), t = names.accounts.intern(target, at: time)
      checked = .endorsement(endorser: s, target: t)
    case let .profileEdit(account, field, value, time):
      let a = names.accounts.intern(account, at: time), f = names.fields.intern(field, at: time)
      checked = .profileEdit(account: a, field: f, fieldName: field, value: value)
    }
    var outcome = CheckOutcome.admit
    for i in Self.watchers[checked.kind.rawValue] {
      let found = checks[i].check(checked, seq: seq, time: time, now: now, names: &names)
      if found.holdReasons.isEmpty && found.revoked.isEmpty { continue }
      if outcome.holdReasons.isEmpty && outcome.revoked.isEmpty {
        outcome = found
      } else {
        outcome.holdReasons += found.holdReasons
        outcome.revoked += found.revoked
      }
    }
    var decision = Decision(
      seq: seq, verdict: outcome.holdReasons.isEmpty ? .admit : .hold, reasons: outcome.holdReasons)
    if !outcome.revoked.isEmpty {
      var seen = Set<Int>()
      decision.revocations = outcome.revoked.sorted { $0.seq < $1.seq }
        .filter { $0.seq != seq && seen.insert($0.seq).inserted }
        .map { Decision(seq: $0.seq, verdict: .revoke, reasons: [$0.reason]) }
    }
    return decision
  }

  /// Records a line that is not an event: it takes the next seq and gets an `error` decision.
  public mutating func reject(_ error: EventParseError) -> Decision {
    let seq = nextSeq
    nextSeq += 1
    return Decision(seq: seq, verdict: .error, reasons: [error.description])
  }

  /// Parses one input line (without its newline) and decides it, or rejects it.
  ///
  ///     var filter = Prefilter()
  ///     let d = filter.decide(line: Array(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}"#.utf8))
  public mutating func decide(line: [UInt8]) -> Decision {
    do {
      return decide(try EventParser.parse(line: line, seq: nextSeq))
    } catch {
      return reject(error)
    }
  }

  /// Evicts what every check keeps beyond its window, then forgets the
  /// accounts, values and fields idle for longer than
  /// ``PrefilterConfiguration/idleSeconds`` (each check first drops what
  /// still names them), so their ids can be reused.
  private mutating func sweep() {
    for i in checks.indices { checks[i].evict(now: now) }
    let released = names.release(idleBefore: now - configuration.idleSeconds)
    if !released.isEmpty {
      for i in checks.indices { checks[i].forget(released) }
    }
    nextSweep = now + 86_400
    checkInvariants()
  }
}
