import Foundation
import SignalGraph

/// Finds money fanned out from one account through several intermediaries
/// and converging back on it within hours: the scatter-gather typology of
/// AMLSim (IBM, "AMLSim: a multi-agent simulator for anti-money laundering";
/// Altman et al., NeurIPS 2023 datasets track), returning to its origin.
///
/// Each path out and back is a temporal cycle through the origin, so the
/// detector enumerates short cycles (2 to ``Thresholds/maxPathLength`` hops,
/// within ``Thresholds/window``) with ``TemporalCycleEnumerator`` and keeps
/// those that conserve the amount (each hop passing on 0.80–1.00 of the
/// previous) and move fast (hops at most 12 hours apart). A **fan** is a set
/// of such cycles from one origin whose first hops leave within
/// ``Thresholds/fanSpan`` (1 hour) of each other towards at least
/// ``Thresholds/minFanOut`` (3) distinct intermediaries. An origin with at
/// least ``Thresholds/minFans`` (2) fans is flagged, with every account on
/// its fans' cycles, as `circular_payment`.
///
/// **Score**: `log2(1 + fans) × log10(10 + volume) × mean fan-out / 3`, where
/// *volume* is the money sent out in the fans (currency units).
///
///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
///     let findings = try GatherScatterDetector().findings(in: set, graph: GraphIndex(set))
///
/// - Complexity: the enumeration's with a short length bound (see
///   ``TemporalCycleEnumerator``), plus a sort of the kept cycles per origin.
public struct GatherScatterDetector: Detector {
  /// The documented thresholds of the detector; in a settings file, the
  /// section `gather-scatter` with the snake_case keys of ``CodingKeys``:
  ///
  ///     var thresholds = GatherScatterDetector.Thresholds()
  ///     thresholds.minFans = 3   // min_fans = 3
  ///     let detector = try GatherScatterDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The longest path out and back, in hops (2: origin → intermediary → origin).
    public var maxPathLength = 3
    /// The most seconds between a path's first and last hop.
    public var window: Int64 = 72 * 3_600
    /// The least share of the previous hop's amount a hop must pass on.
    public var minHopRatio = 0.80
    /// The greatest share of the previous hop's amount a hop may pass on.
    public var maxHopRatio = 1.00
    /// The most seconds between consecutive hops of a path.
    public var maxHopGap: Int64 = 12 * 3_600
    /// The most seconds between the first hops of one fan.
    public var fanSpan: Int64 = 3_600
    /// The fewest distinct intermediaries of a fan.
    public var minFanOut = 3
    /// The fewest fans that flag an origin.
    public var minFans = 2

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `max_path_length`, `window`,
    /// `min_hop_ratio`, `max_hop_ratio`, `max_hop_gap`, `fan_span`,
    /// `min_fan_out`, `min_fans`.
    public enum CodingKeys: String, CodingKey {
      case maxPathLength = "max_path_length"
      case window
      case minHopRatio = "min_hop_ratio"
      case maxHopRatio = "max_hop_ratio"
      case maxHopGap = "max_hop_gap"
      case fanSpan = "fan_span"
      case minFanOut = "min_fan_out"
      case minFans = "min_fans"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds

  /// A detector with the default thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "gather-scatter")
    try check.within(thresholds.maxPathLength, 2...32, .maxPathLength, "a whole number of hops")
    try check.atLeast(thresholds.window, 0, .window, "a whole number of seconds")
    try check.ratios(thresholds.minHopRatio, .minHopRatio, thresholds.maxHopRatio, .maxHopRatio)
    try check.atLeast(thresholds.maxHopGap, 0, .maxHopGap, "a whole number of seconds")
    try check.atLeast(thresholds.fanSpan, 0, .fanSpan, "a whole number of seconds")
    try check.atLeast(thresholds.minFanOut, 1, .minFanOut, "a whole number")
    try check.atLeast(thresholds.minFans, 1, .minFans, "a whole number")
    self.thresholds = thresholds
  }

  /// `gather-scatter`.
  public var name: String { "gather-scatter" }

  /// The origins of `set` whose money fans out and comes back.
  /// - Throws: ``DetectorError`` when the cycle search cannot run on `set`
  ///   (more payments than 32-bit rows can name).
  public func findings(in set: SignalSet, graph: GraphIndex) throws(DetectorError) -> [Finding] {
    findings(paths: try relayTest.relays(in: set, options: search), in: set)
  }

  /// The origins of the context's set whose money fans out and comes back,
  /// searched on the scan's shared cycle index (``ScanContext/cycleIndex()``).
  /// - Throws: ``DetectorError`` as ``findings(in:graph:)``.
  public func findings(in context: ScanContext) throws(DetectorError) -> [Finding] {
    let enumerator: TemporalCycleEnumerator
    do throws(TemporalCycleError) {
      enumerator = try context.cycleIndex().searching(search)
    } catch {
      throw .cycleSearchFailed(error)
    }
    return findings(paths: relayTest.relays(in: context.set, enumerator: enumerator), in: context.set)
  }

  /// The cycle search: out and back within the window.
  var search: TemporalCycleEnumerator.Options {
    TemporalCycleEnumerator.Options(maxLength: thresholds.maxPathLength, window: thresholds.window)
  }

  /// The test each path out and back passes: conserved and fast.
  var relayTest: RelayTest {
    RelayTest(minRatio: thresholds.minHopRatio, maxRatio: thresholds.maxHopRatio, maxGap: thresholds.maxHopGap)
  }

  /// The findings among the kept `paths` out and back.
  func findings(paths: TemporalCycles, in set: SignalSet) -> [Finding] {
    let p = set.payments
    // Cycles come grouped by origin, first hops in time order.
    let render = PaymentEvidence(set: set)
    var findings: [Finding] = []
    var c = 0
    while c < paths.count {
      let origin = p.source[Int(paths[c].first!)]
      var end = c
      while end < paths.count && p.source[Int(paths[end].first!)] == origin { end += 1 }
      if let finding = fans(origin: origin, paths: paths, range: c..<end, render: render) {
        findings.append(finding)
      }
      c = end
    }
    findings.sort {
      $0.score > $1.score || ($0.score == $1.score && $0.accounts.lexicographicallyPrecedes($1.accounts))
    }
    return findings
  }

  /// The finding of one origin's kept paths, if they form enough fans.
  func fans(origin: Int32, paths: TemporalCycles, range: Range<Int>, render: PaymentEvidence) -> Finding? {
    let p = render.set.payments
    func firstHop(_ c: Int) -> Int { Int(paths[c].first!) }
    var fans: [[Int]] = []
    var i = range.lowerBound
    while i < range.upperBound {
      let t = p.time[firstHop(i)]
      var j = i
      var members: [Int] = []
      var used = Set<Int32>()
      while j < range.upperBound && p.time[firstHop(j)] - t <= thresholds.fanSpan {
        // One path per first hop and intermediary, sharing no payment.
        let intermediary = p.target[firstHop(j)]
        let fresh = !members.contains { p.target[firstHop($0)] == intermediary }
        if fresh && paths[j].allSatisfy({ !used.contains($0) }) {
          used.formUnion(paths[j])
          members.append(j)
        }
        j += 1
      }
      if members.count >= thresholds.minFanOut {
        fans.append(members)
        i = j
      } else {
        i += 1
      }
    }
    guard fans.count >= thresholds.minFans else { return nil }
    var accounts = Set<Int32>([origin])
    var volume: Int64 = 0
    for fan in fans {
      for c in fan {
        for row in paths[c] { accounts.insert(p.target[Int(row)]) }
        volume &+= p.amountMicros[firstHop(c)]
      }
    }
    let fanOut = Double(fans.reduce(0) { $0 + $1.count }) / Double(fans.count)
    let units = Double(volume) / Double(Amount.microsPerUnit)
    let score = log2(1 + Double(fans.count)) * log10(10 + units) * fanOut / 3
    let sorted = accounts.sorted()
    let ids = render.set.accounts.ids
    let evidence: Evidence = [
      "origin": .string(ids[origin]),
      "intermediaries": .array(sorted.filter { $0 != origin }.map { .string(ids[$0]) }),
      "fans": .integer(fans.count),
      "mean_fan_out": PaymentEvidence.rounded(fanOut, 2),
      "volume": .string(Amount(micros: volume).description),
      "first_fans": .array(
        fans.prefix(2).map { fan in .object(["cycles": .array(fan.map { render.cycle(paths[$0]) })]) }),
      "reason": .string(
        "\(ids[origin]) sent money out to \(String(format: "%.1f", fanOut)) intermediaries at once, \(fans.count) times, "
          + "and each time nearly all of it came back within hours"),
    ]
    return Finding(kind: .circularPayment, detector: name, score: score, accounts: sorted, evidence: evidence)
  }
}
