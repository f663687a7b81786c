import SignalGraph

/// The inline pre-filter: a scoring service links it and calls
/// ``decide(_:)`` for every incoming signal, in arrival order. Each event is
/// admitted (it may raise a score) or held with reasons, and new evidence can
/// revoke earlier admits.
///
/// It is incremental: it keeps the graph and detector state up to date per
/// event instead of rescanning. A payment is checked for closing a conserved
/// temporal cycle (``IncrementalCycleCheck``, a bounded backward search after
/// 2SCENT); an endorsement updates dense-block state around its endorser and
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
  private(set) var accounts = WindowedInterner()
  private(set) var fields = WindowedInterner()
  private(set) var values = WindowedInterner()
  private(set) var cycles: IncrementalCycleCheck
  private(set) var engagement: IncrementalEngagementCheck
  private(set) var profiles: IncrementalProfileCheck
  private(set) var now = Int64.min
  private(set) var nextSweep = Int64.min

  /// Creates a pre-filter with empty state.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    cycles = IncrementalCycleCheck(configuration: configuration)
    engagement = IncrementalEngagementCheck(configuration: configuration)
    profiles = IncrementalProfileCheck(configuration: configuration)
  }

  /// Creates a pre-filter from restored parts (see `Prefilter+Checkpoint.swift`).
  init(
    configuration: Configuration, nextSeq: Int, now: Int64, nextSweep: Int64,
    accounts: WindowedInterner, fields: WindowedInterner, values: WindowedInterner,
    cycles: IncrementalCycleCheck, engagement: IncrementalEngagementCheck, profiles: IncrementalProfileCheck
  ) {
    self.configuration = configuration
    self.nextSeq = nextSeq
    self.now = now
    self.nextSweep = nextSweep
    self.accounts = accounts
    self.fields = fields
    self.values = values
    self.cycles = cycles
    self.engagement = engagement
    self.profiles = profiles
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
    let outcome: CheckOutcome
    switch event {
    case let .payment(_, source, target, amount, time):
      let s = accounts.intern(source, at: time), t = accounts.intern(target, at: time)
      outcome = cycles.check(seq: seq, source: s, target: t, micros: amount.micros, time: time, names: accounts)
    case let .interaction(source, target, kind, time, rating):
      if configuration.endorsement.isEndorsement(kind: kind, rating: rating) {
        let s = accounts.intern(source, at: time), t = accounts.intern(target, at: time)
        outcome = engagement.check(seq: seq, endorser: s, target: t, time: time, now: now, names: accounts)
      } else {
        outcome = .admit  // a dislike, a report, a negative rating: never an endorsement to withhold
      }
    case let .profileEdit(account, field, value, time):
      let a = accounts.intern(account, at: time), f = fields.intern(field, at: time)
      let key: UInt64
      if field == "bio" {
        key = profiles.bioKey(field: f, account: a, text: value, time: time)
      } else {
        key = UInt64(UInt32(bitPattern: f)) << 32 | UInt64(UInt32(bitPattern: values.intern(value, at: time)))
      }
      outcome = profiles.check(
        seq: seq, account: a, key: key, time: time,
        fields: fields, values: values,
        names: accounts)
    }
    var decision = Decision(seq: seq, verdict: outcome.holdReasons.isEmpty ? .admit : .hold, reasons: outcome.holdReasons)
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

  /// Evicts what every checker keeps beyond its window, then forgets the
  /// accounts, values and fields idle for longer than
  /// ``PrefilterConfiguration/idleSeconds`` (each checker first drops what
  /// still names them), so their ids can be reused.
  private mutating func sweep() {
    cycles.evict(now: now)
    engagement.evict(now: now)
    profiles.evict(now: now)
    let cutoff = now - configuration.idleSeconds
    let goneAccounts = Self.mask(accounts.release(idleBefore: cutoff), count: accounts.idCapacity)
    let goneValues = Self.mask(values.release(idleBefore: cutoff), count: values.idCapacity)
    let goneFields = Self.mask(fields.release(idleBefore: cutoff), count: fields.idCapacity)
    if let goneAccounts {
      cycles.forget(released: goneAccounts)
      engagement.forget(released: goneAccounts)
    }
    if goneAccounts != nil || goneValues != nil || goneFields != nil {
      profiles.forget(accounts: goneAccounts ?? [], values: goneValues ?? [], fields: goneFields ?? [])
    }
    nextSweep = now + 86_400
    checkInvariants()
  }

  /// `ids` as a membership mask over `count` ids, or nil when empty.
  private static func mask(_ ids: [Int32], count: Int) -> [Bool]? {
    guard !ids.isEmpty else { return nil }
    var mask = [Bool](repeating: false, count: count)
    for id in ids { mask[Int(id)] = true }
    return mask
  }

  static func describe(_ key: UInt64, fields: WindowedInterner, values: WindowedInterner) -> String {
    let field = fields[Int32(truncatingIfNeeded: key >> 32)]
    if key & IncrementalProfileCheck.bioClusterFlag != 0 { return "near-duplicate \(field)s" }
    return "\(field) \(Decision.quoted(values[Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)]))"
  }
}
