import Foundation
import SignalGraph

/// Finds rings of accounts passing money round and round: temporal cycles
/// that conserve the amount hop after hop, move within hours, and repeat.
///
/// Honest life has cycles too (roommates splitting rent, families sending
/// money back and forth, a loan repaid weeks later); what tells a laundering
/// ring apart is time and amount. Following the cycle-based typologies of
/// AMLSim (Altman et al., "Realistic synthetic financial transactions for
/// anti-money laundering models", NeurIPS 2023 datasets track; IBM AMLSim)
/// and the temporal-cycle features of Blanuša et al. (VLDB 2022), the
/// detector enumerates every temporal cycle with ``TemporalCycleEnumerator``
/// and keeps a cycle as a **turn** when
///
/// - it **conserves** the money: every hop passes on between
///   ``Thresholds/minHopRatio`` (0.80) and ``Thresholds/maxHopRatio`` (1.00)
///   of what the previous hop carried (fees and skims; honest splits are not
///   conserved), and
/// - it is **fast**: no hop follows the previous one by more than
///   ``Thresholds/maxHopGap`` (12 hours; honest rent splits take days).
///
/// Turns are grouped by **ring**, the accounts in cyclic order (so a turn
/// starting at any member counts for the same ring); a ring's turns are
/// counted greedily in time order among turns sharing no payment. A ring that
/// turned at least ``Thresholds/minTurns`` (3) times is flagged; rings
/// sharing accounts form one finding of kind `circular_payment`.
///
/// **Score** of a ring, higher is worse:
///
/// ```text
/// log2(1 + turns) × log10(10 + volume) × median hop ratio × 24 / (24 + median hop gap in hours)
/// ```
///
/// where *volume* is the money set going round (the first hop of each
/// counted turn, in currency units). A finding scores its best ring plus a
/// tenth of each other ring. The evidence names the ring, its turns, volume,
/// hop ratios and gaps, and lists the first turns hop by hop.
///
///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
///     let detector = CircularPaymentDetector()
///     for finding in try detector.findings(in: set, graph: GraphIndex(set)) {
///       print(finding.score, finding.accounts)
///     }
///
/// - Complexity: the enumeration's (see ``TemporalCycleEnumerator``), plus
///   O(*k*) per cycle of *k* hops for the turn test; only turns are kept.
public struct CircularPaymentDetector: Detector {
  /// The documented thresholds of the detector; in a settings file, the
  /// section `circular-payment` with the snake_case keys of ``CodingKeys``
  /// (the cycle search's bounds as `max_cycle_length` and `window`):
  ///
  ///     var thresholds = CircularPaymentDetector.Thresholds()
  ///     thresholds.minTurns = 4   // min_turns = 4
  ///     let detector = try CircularPaymentDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The cycle search: cycles of 2 to 8 hops within 72 hours.
    public var search = TemporalCycleEnumerator.Options()
    /// The least share of the previous hop's amount a hop must pass on.
    public var minHopRatio = 0.80
    /// The greatest share of the previous hop's amount a hop may pass on.
    public var maxHopRatio = 1.00
    /// The most seconds between consecutive hops of a turn.
    public var maxHopGap: Int64 = 12 * 3_600
    /// The fewest turns, sharing no payment, that flag a ring.
    public var minTurns = 3

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `max_cycle_length` and `window` (the
    /// cycle search's), `min_hop_ratio`, `max_hop_ratio`, `max_hop_gap`, `min_turns`.
    public enum CodingKeys: String, CodingKey {
      case maxCycleLength = "max_cycle_length"
      case window
      case minHopRatio = "min_hop_ratio"
      case maxHopRatio = "max_hop_ratio"
      case maxHopGap = "max_hop_gap"
      case minTurns = "min_turns"
    }

    /// Thresholds read from a settings file, every key present.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      search.maxLength = try c.decode(Int.self, forKey: .maxCycleLength)
      search.window = try c.decode(Int64.self, forKey: .window)
      minHopRatio = try c.decode(Double.self, forKey: .minHopRatio)
      maxHopRatio = try c.decode(Double.self, forKey: .maxHopRatio)
      maxHopGap = try c.decode(Int64.self, forKey: .maxHopGap)
      minTurns = try c.decode(Int.self, forKey: .minTurns)
    }

    /// Writes every key.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(search.maxLength, forKey: .maxCycleLength)
      try c.encode(search.window, forKey: .window)
      try c.encode(minHopRatio, forKey: .minHopRatio)
      try c.encode(maxHopRatio, forKey: .maxHopRatio)
      try c.encode(maxHopGap, forKey: .maxHopGap)
      try c.encode(minTurns, forKey: .minTurns)
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// A detector with the default thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "circular-payment")
    try check.within(thresholds.search.maxLength, 2...32, .maxCycleLength, "a whole number of hops")
    try check.atLeast(thresholds.search.window, 0, .window, "a whole number of seconds")
    try check.ratios(thresholds.minHopRatio, .minHopRatio, thresholds.maxHopRatio, .maxHopRatio)
    try check.atLeast(thresholds.maxHopGap, 0, .maxHopGap, "a whole number of seconds")
    try check.atLeast(thresholds.minTurns, 1, .minTurns, "a whole number")
    self.thresholds = thresholds
  }

  /// `circular-payment`.
  public var name: String { "circular-payment" }

  /// The rings of `set` (the enumerator builds its own time-ordered rows).
  /// - Throws: ``DetectorError`` when the cycle search cannot run on `set`
  ///   (more payments than 32-bit rows can name).
  public func findings(in set: SignalSet, graph: GraphIndex) throws(DetectorError) -> [Finding] {
    findings(turns: try relayTest.relays(in: set, options: thresholds.search), in: set)
  }

  /// The rings of the context's set, searched on the scan's shared cycle
  /// index (``ScanContext/cycleIndex()``), which ``GatherScatterDetector``
  /// reads too.
  /// - Throws: ``DetectorError`` as ``findings(in:graph:)``.
  public func findings(in context: ScanContext) throws(DetectorError) -> [Finding] {
    let enumerator: TemporalCycleEnumerator
    do throws(TemporalCycleError) {
      enumerator = try context.cycleIndex().searching(thresholds.search)
    } catch {
      throw .cycleSearchFailed(error)
    }
    return findings(turns: relayTest.relays(in: context.set, enumerator: enumerator), in: context.set)
  }

  /// The flagged rings among `turns`, grouped into findings.
  func findings(turns: TemporalCycles, in set: SignalSet) -> [Finding] {
    let rings = self.rings(of: turns, in: set).filter { $0.turns.count >= thresholds.minTurns }
    return group(rings, turns: turns, in: set)
  }

  // MARK: - Turns

  /// The test a cycle passes to be a turn: conserved and fast.
  var relayTest: RelayTest {
    RelayTest(minRatio: thresholds.minHopRatio, maxRatio: thresholds.maxHopRatio, maxGap: thresholds.maxHopGap)
  }

  /// Every cycle of `set` that conserves the amount and moves fast.
  func turns(in set: SignalSet) throws(DetectorError) -> TemporalCycles {
    try relayTest.relays(in: set, options: thresholds.search)
  }

  // MARK: - Rings

  /// A ring and the turns counted for it.
  struct Ring {
    /// The members in cyclic order, starting at the smallest account index.
    var members: [Int32]
    /// The counted turns, as indices into the turn list, in time order.
    var turns: [Int]
    var volumeMicros: Int64
    var hopRatios: [Double]
    var hopGapHours: [Double]
    var score: Double
  }

  /// Groups `turns` by ring and counts each ring's payment-disjoint turns.
  func rings(of turns: TemporalCycles, in set: SignalSet) -> [Ring] {
    let p = set.payments
    var byRing: [[Int32]: [Int]] = [:]
    for c in turns.indices {
      let members = turns[c].map { p.source[Int($0)] }
      let start = members.indices.min { members[$0] < members[$1] }!
      byRing[Array(members[start...] + members[..<start]), default: []].append(c)
    }
    var rings: [Ring] = []
    for (members, cycles) in byRing.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
      let ordered = cycles.sorted { p.time[Int(turns[$0].first!)] < p.time[Int(turns[$1].first!)] }
      var used = Set<Int32>()
      var counted: [Int] = []
      var volume: Int64 = 0
      var ratios: [Double] = [], gaps: [Double] = []
      for c in ordered where turns[c].allSatisfy({ !used.contains($0) }) {
        let hops = turns[c]
        used.formUnion(hops)
        counted.append(c)
        volume &+= p.amountMicros[Int(hops.first!)]
        for (a, b) in zip(hops, hops.dropFirst()) {
          ratios.append(Double(p.amountMicros[Int(b)]) / Double(max(p.amountMicros[Int(a)], 1)))
          gaps.append(Double(p.time[Int(b)] - p.time[Int(a)]) / 3_600)
        }
      }
      let ratio = PaymentEvidence.median(ratios), gap = PaymentEvidence.median(gaps)
      let units = Double(volume) / Double(Amount.microsPerUnit)
      let score = log2(1 + Double(counted.count)) * log10(10 + units) * ratio * 24 / (24 + gap)
      rings.append(
        Ring(members: members, turns: counted, volumeMicros: volume, hopRatios: ratios, hopGapHours: gaps, score: score)
      )
    }
    return rings
  }

  // MARK: - Findings

  /// One finding per group of rings sharing accounts, strongest first.
  func group(_ rings: [Ring], turns: TemporalCycles, in set: SignalSet) -> [Finding] {
    var sets = DisjointSets(count: rings.count)
    var owner: [Int32: Int] = [:]
    for (r, ring) in rings.enumerated() {
      for m in ring.members {
        if let o = owner[m] {
          sets.union(r, o)
        } else {
          owner[m] = r
        }
      }
    }
    var groups: [Int: [Int]] = [:]
    for r in rings.indices { groups[sets.find(r), default: []].append(r) }
    let render = PaymentEvidence(set: set)
    var findings: [Finding] = groups.values.map { group in
      let parts = group.map { rings[$0] }.sorted {
        $0.score > $1.score || ($0.score == $1.score && $0.members.lexicographicallyPrecedes($1.members))
      }
      let score = parts[0].score + parts.dropFirst().reduce(0) { $0 + $1.score / 10 }
      let accounts = Array(Set(parts.flatMap(\.members))).sorted()
      let evidence: Evidence
      if parts.count == 1 {
        evidence = ringEvidence(parts[0], turns: turns, render: render)
      } else {
        let totalTurns = parts.reduce(0) { $0 + $1.turns.count }
        let volume = parts.reduce(Int64(0)) { $0 &+ $1.volumeMicros }
        evidence = [
          "rings": .array(parts.map { ringEvidence($0, turns: turns, render: render) }),
          "turns": .integer(totalTurns),
          "volume": .string(Amount(micros: volume).description),
          "reason": .string(
            "\(parts.count) rings sharing accounts (\(accounts.count) accounts) turned \(totalTurns) times in all, "
              + "each turn fast and passing on most of what arrived"),
        ]
      }
      return Finding(kind: .circularPayment, detector: name, score: score, accounts: accounts, evidence: evidence)
    }
    findings.sort {
      $0.score > $1.score || ($0.score == $1.score && $0.accounts.lexicographicallyPrecedes($1.accounts))
    }
    return findings
  }

  /// The evidence of one ring, in words a person can check.
  func ringEvidence(_ ring: Ring, turns: TemporalCycles, render: PaymentEvidence) -> Evidence {
    let ids = ring.members.map { render.set.accounts.ids[$0] }
    let times = ring.turns.map { render.set.payments.time[Int(turns[$0].first!)] }
    let ratio = PaymentEvidence.median(ring.hopRatios), gap = PaymentEvidence.median(ring.hopGapHours)
    let low = Int(((ring.hopRatios.min() ?? 0) * 100).rounded())
    let high = Int(((ring.hopRatios.max() ?? 0) * 100).rounded())
    let hours = Double(thresholds.search.window) / 3_600
    let windowText = hours == hours.rounded() ? "\(Int(hours)) h" : "\(hours) h"
    return [
      "ring": .array(ids.map { .string($0) }),
      "turns": .integer(ring.turns.count),
      "volume": .string(Amount(micros: ring.volumeMicros).description),
      "median_hop_ratio": PaymentEvidence.rounded(ratio, 3),
      "min_hop_ratio": PaymentEvidence.rounded(ring.hopRatios.min() ?? 0, 3),
      "max_hop_ratio": PaymentEvidence.rounded(ring.hopRatios.max() ?? 0, 3),
      "median_hop_gap_hours": PaymentEvidence.rounded(gap, 2),
      "first_turn": .string(PaymentEvidence.iso8601(times.first ?? 0)),
      "last_turn": .string(PaymentEvidence.iso8601(times.last ?? 0)),
      "score": PaymentEvidence.rounded(ring.score, 3),
      "cycles": .array(ring.turns.prefix(3).map { render.cycle(turns[$0]) }),
      "reason": .string(
        "\(ids.count)-account ring turned \(ring.turns.count) times within \(windowText) windows, "
          + "each hop passing on \(low)–\(high)% of what arrived, "
          + "a median \(String(format: "%.1f", gap)) h after the previous one"),
    ]
  }
}
