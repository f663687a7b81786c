import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph

/// The pre-filter's quality on a stream with known truth: the share of
/// fraudulent signals withheld by the end (held, or admitted then revoked),
/// the share of honest signals withheld, and how much of the buyers' score
/// inflation it removes.
///
/// The truth file is `events_truth.csv` (`seq,fraud`: 1 the manipulation,
/// 2 planted cover activity, excluded from both rates, 0 honest); buyers are
/// listed in `events_buyers.csv` (`account`, one a line), which must exist
/// and name accounts of the stream. Inflation is Σ over buyers of (score with
/// the signals counted − score with honest signals only, i.e. without the
/// fraud = 1 ones), with every signal counted (no pre-filter) versus only
/// the admitted ones; all three scorings use the same reference time.
///
///     let q = try PrefilterEvaluation(directory: "/tmp/small")
///     print(q.fraudWithheldShare, q.honestWithheldShare, q.inflationCut)
///
/// - Complexity: one pass of the pre-filter plus three O(n + m) scorings.
public struct PrefilterEvaluation: Sendable {
  /// Lines in the stream.
  public var events = 0
  /// Lines that were not events.
  public var errors = 0
  /// Signals of the manipulation, and how many were withheld.
  public var fraud = 0, fraudWithheld = 0
  /// Honest signals, and how many were withheld.
  public var honest = 0, honestWithheld = 0
  /// Planted cover signals, and how many were withheld.
  public var cover = 0, coverWithheld = 0
  /// Held at arrival, and revoked later.
  public var held = 0, revoked = 0
  /// Accounts the manipulation benefits.
  public var buyers = 0
  /// Σ buyers' score inflation without and with the pre-filter.
  public var inflationWithout = 0, inflationWith = 0

  /// Share of fraudulent signals withheld.
  public var fraudWithheldShare: Double { fraud == 0 ? 1 : Double(fraudWithheld) / Double(fraud) }
  /// Share of honest signals withheld.
  public var honestWithheldShare: Double { honest == 0 ? 0 : Double(honestWithheld) / Double(honest) }
  /// 1 − inflation with / inflation without.
  public var inflationCut: Double {
    inflationWithout <= 0 ? 1 : 1 - Double(inflationWith) / Double(inflationWithout)
  }

  /// The targets the run is judged by: the issues' (≥ 90 % withheld, ≤ 1 %
  /// honest withheld, ≥ 90 % inflation cut) unless a fixture sets its own.
  public var targets = PrefilterTargets()

  /// Whether the ``targets`` hold.
  public var meetsTargets: Bool { targets.met(by: self) }

  /// Evaluates the stream `events.ndjson` of `directory` against its truth files.
  ///
  /// - Throws: ``PrefilterEvaluationError`` when a file is missing or
  ///   malformed: the stream, its truth, or its buyers (without which the
  ///   inflation cut could not be measured).
  public init(directory: String, configuration: PrefilterConfiguration = PrefilterConfiguration()) throws {
    let dir = URL(fileURLWithPath: directory)
    func read(_ name: String) throws -> Data {
      do { return try Data(contentsOf: dir.appendingPathComponent(name)) } catch {
        throw PrefilterEvaluationError.unreadable(path: dir.appendingPathComponent(name).path, reason: "\(error)")
      }
    }
    let stream = try read("events.ndjson")
    let truth = try Self.truth(
      String(decoding: try read("events_truth.csv"), as: UTF8.self),
      path: dir.appendingPathComponent("events_truth.csv").path)
    // Without the buyers the inflation cut would be 1 by default and the
    // targets "met" untested: a missing buyers file is an error, as is one
    // listing no buyer when the truth marks fraud, or a buyer the stream never names.
    let buyersPath = dir.appendingPathComponent("events_buyers.csv").path
    let buyerIds = String(decoding: try read("events_buyers.csv"), as: UTF8.self)
      .split(separator: "\n").dropFirst().map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
      .filter { !$0.isEmpty }
    var events: [Result<SignalEvent, EventParseError>] = []
    var lines = LineSplitter()
    func parse(_ line: [UInt8]) {
      events.append(Result { () throws(EventParseError) in try EventParser.parse(line: line, seq: events.count) })
    }
    lines.split([UInt8](stream)) { parse($0) }
    if let last = lines.finish() { parse(last) }
    guard truth.count == events.count else {
      throw PrefilterEvaluationError.malformed(
        path: "events_truth.csv", reason: "\(truth.count) rows for \(events.count) events")
    }
    try measure(events, truth: truth, buyerIds: buyerIds, buyersPath: buyersPath, configuration: configuration)
  }

  /// Evaluates the pre-filter on the payments of `set`, streamed in time
  /// order (ties in the order read), against complete labels `truth`: a
  /// payment between two labelled accounts is the manipulation, one between
  /// two unlabelled accounts honest, and one joining a labelled account to
  /// an unlabelled one neither (like cover: a member's routine payments to
  /// the public, which the labels do not say are part of the scheme). The
  /// buyers are the labelled accounts. For real data kept without an event
  /// stream (``FixtureExpectation/prefilter``).
  ///
  ///     let set = try SignalSet(contentsOf: "../shared/realdata/amlsim-fanin-cycle")
  ///     let truth = try GroundTruth(directory: "../shared/realdata/amlsim-fanin-cycle")
  ///     let q = try PrefilterEvaluation(paymentsOf: set, truth: truth)
  ///
  /// - Throws: ``PrefilterEvaluationError/malformed(path:reason:)`` when no
  ///   payment joins two labelled accounts (nothing to measure: the share
  ///   withheld would be 1 by default).
  public init(
    paymentsOf set: SignalSet, truth: GroundTruth, configuration: PrefilterConfiguration = PrefilterConfiguration()
  ) throws {
    let p = set.payments, ids = set.accounts.ids
    let labelled = truth.labelledAccounts
    let isLabelled = (0..<Int32(set.accounts.count)).map { labelled.contains(ids[$0]) }
    let order = (0..<p.count).sorted { (p.time[$0], $0) < (p.time[$1], $1) }
    let events = order.map { r -> Result<SignalEvent, EventParseError> in
      .success(
        .payment(
          id: p.ids[r], source: ids[p.source[r]], target: ids[p.target[r]], amount: Amount(micros: p.amountMicros[r]),
          time: p.time[r]))
    }
    let classes = order.map { r -> UInt8 in
      switch (isLabelled[Int(p.source[r])], isLabelled[Int(p.target[r])]) {
      case (true, true): 1
      case (false, false): 0
      default: 2
      }
    }
    // The buyers: labelled accounts that pay or are paid (the stream holds payments only).
    var paying = [Bool](repeating: false, count: set.accounts.count)
    for r in 0..<p.count where isLabelled[Int(p.source[r])] || isLabelled[Int(p.target[r])] {
      for a in [p.source[r], p.target[r]] where isLabelled[Int(a)] { paying[Int(a)] = true }
    }
    let buyerIds = (0..<Int32(set.accounts.count)).filter { paying[Int($0)] }.map { ids[$0] }
    guard classes.contains(1) else {
      throw PrefilterEvaluationError.malformed(
        path: "labels.csv", reason: "no payment joins two labelled accounts: nothing for the pre-filter to withhold")
    }
    try measure(events, truth: classes, buyerIds: buyerIds, buyersPath: "labels.csv", configuration: configuration)
  }

  /// Runs the pre-filter over `events` (a line that was not an event is
  /// rejected, as the stream's reader would) and counts what it withheld
  /// by `truth`, one class per event.
  private mutating func measure(
    _ events: [Result<SignalEvent, EventParseError>], truth: [UInt8], buyerIds: [String], buyersPath: String,
    configuration: PrefilterConfiguration
  ) throws {
    var filter = Prefilter(configuration: configuration)
    var set = SignalSet()
    var kindRow: [(kind: UInt8, row: Int32)] = []
    var withheld = [Bool](repeating: false, count: events.count)
    for (seq, parsed) in events.enumerated() {
      switch parsed {
      case let .success(event):
        switch event {
        case .payment: kindRow.append((0, Int32(set.payments.count)))
        case .interaction: kindRow.append((1, Int32(set.interactions.count)))
        case .profileEdit: kindRow.append((2, Int32(set.profileEdits.count)))
        }
        set.add(event)
        let d = filter.decide(event)
        if d.isHeld {
          withheld[seq] = true
          held += 1
        }
        for r in d.revocations where !withheld[r.seq] {
          withheld[r.seq] = true
          revoked += 1
        }
      case let .failure(error):
        _ = filter.reject(error)
        kindRow.append((255, -1))
        errors += 1
      }
    }
    self.events = events.count
    var honestMask = SignalMask(allOf: set), admittedMask = SignalMask(allOf: set)
    for seq in 0..<events.count where kindRow[seq].kind != 255 {
      let (kind, row) = kindRow[seq]
      switch truth[seq] {
      case 1:
        fraud += 1
        if withheld[seq] { fraudWithheld += 1 }
      case 2:
        cover += 1
        if withheld[seq] { coverWithheld += 1 }
      default:
        honest += 1
        if withheld[seq] { honestWithheld += 1 }
      }
      func clear(_ mask: inout SignalMask) {
        switch kind {
        case 0: mask.payments[Int(row)] = false
        case 1: mask.interactions[Int(row)] = false
        default: mask.profileEdits[Int(row)] = false
        }
      }
      if truth[seq] == 1 { clear(&honestMask) }
      if withheld[seq] { clear(&admittedMask) }
    }
    let all = CreditScore(set)
    let honestOnly = CreditScore(set, mask: honestMask, referenceTime: all.referenceTime)
    let admitted = CreditScore(set, mask: admittedMask, referenceTime: all.referenceTime)
    if buyerIds.isEmpty && fraud > 0 {
      throw PrefilterEvaluationError.malformed(
        path: buyersPath,
        reason: "lists no buyer, but the truth marks \(fraud) fraudulent signals: the inflation cut cannot be measured")
    }
    for id in buyerIds {
      guard let a = set.accounts.ids.index(of: id) else {
        throw PrefilterEvaluationError.malformed(
          path: buyersPath, reason: "buyer \(JSONString.quoted(id)) appears in no event of the stream")
      }
      buyers += 1
      let base = honestOnly.score(of: a)
      inflationWithout += all.score(of: a) - base
      inflationWith += admitted.score(of: a) - base
    }
  }

  static func truth(_ text: String, path: String) throws -> [UInt8] {
    var out: [UInt8] = []
    for (i, line) in text.split(separator: "\n").enumerated() where i > 0 {
      guard let comma = line.firstIndex(of: ","), let v = UInt8(line[line.index(after: comma)...]) else {
        throw PrefilterEvaluationError.malformed(path: path, reason: "line \(i + 1) is not seq,fraud")
      }
      out.append(v)
    }
    return out
  }
}

/// Why a pre-filter evaluation could not run.
public enum PrefilterEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A file could not be read.
  case unreadable(path: String, reason: String)
  /// A file is not in the expected form.
  case malformed(path: String, reason: String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
    case let .malformed(path, reason): return "\(path): \(reason)"
    }
  }
}
