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
/// State older than the configured window is evicted once per stream day, so
/// memory is bounded by the window, not the stream.
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
  private var accounts = StringInterner()
  private var fields = StringInterner()
  private var values = StringInterner()
  private var bioField: Int32
  private var cycles: IncrementalCycleCheck
  private var engagement: IncrementalEngagementCheck
  private var profiles: IncrementalProfileCheck
  private var now = Int64.min
  private var nextSweep = Int64.min

  /// Creates a pre-filter with empty state.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    bioField = fields.intern("bio")
    cycles = IncrementalCycleCheck(configuration: configuration)
    engagement = IncrementalEngagementCheck(configuration: configuration)
    profiles = IncrementalProfileCheck(configuration: configuration)
  }

  /// Decides the next event of the stream (it gets seq ``nextSeq``).
  public mutating func decide(_ event: SignalEvent) -> Decision {
    let seq = nextSeq
    nextSeq += 1
    let time = event.time
    if time > now {
      now = time
      if nextSweep == .min { nextSweep = now + 86_400 }
      if now >= nextSweep { sweep() }
    }
    let outcome: CheckOutcome
    switch event {
    case let .payment(_, source, target, amount, time):
      let s = accounts.intern(source), t = accounts.intern(target)
      outcome = cycles.check(seq: seq, source: s, target: t, micros: amount.micros, time: time, names: accounts)
    case let .interaction(source, target, _, time):
      let s = accounts.intern(source), t = accounts.intern(target)
      outcome = engagement.check(seq: seq, endorser: s, target: t, time: time, names: accounts)
    case let .profileEdit(account, field, value, time):
      let a = accounts.intern(account), f = fields.intern(field)
      let key: UInt64
      if f == bioField {
        key = profiles.bioKey(field: f, account: a, text: value, time: time)
      } else {
        key = UInt64(UInt32(bitPattern: f)) << 32 | UInt64(UInt32(bitPattern: values.intern(value)))
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
  ///     let d = filter.decide(line: Array(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}"#.utf8))
  public mutating func decide(line: [UInt8]) -> Decision {
    do {
      return decide(try EventParser.parse(line: line, seq: nextSeq))
    } catch {
      return reject(error)
    }
  }

  private mutating func sweep() {
    cycles.evict(now: now)
    profiles.evict(now: now)
    nextSweep = now + 86_400
  }

  static func describe(_ key: UInt64, fields: StringInterner, values: StringInterner) -> String {
    let field = fields[Int32(truncatingIfNeeded: key >> 32)]
    if key & IncrementalProfileCheck.bioClusterFlag != 0 { return "near-duplicate \(field)s" }
    return "\(field) \(Decision.quoted(values[Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)]))"
  }
}
