import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import SignalSynthesis

@Suite struct CircularPaymentDetectorTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures")

  /// The accounts `detector` flags in `set`, by id.
  func flagged(_ detector: some Detector, _ set: SignalSet) throws -> Set<String> {
    let findings = try detector.findings(in: set, graph: GraphIndex(set))
    #expect(findings.allSatisfy { $0.kind == .circularPayment })
    return Set(findings.flatMap(\.accounts).map { set.accounts.ids[$0] })
  }

  func fixture(_ name: String) throws -> SignalSet {
    try SignalSet(contentsOf: Self.fixtures.appendingPathComponent(name).path)
  }

  /// A ring `a → b → c → a` turned `turns` times, each turn's hops `gap`
  /// seconds apart passing on `ratio` of the previous hop, turns 10 days apart.
  func ring(turns: Int, gap: Int64 = 3_600, ratio: Double = 0.95, members: [String] = ["a", "b", "c"]) -> SignalSet {
    var set = SignalSet()
    var id = 0
    for turn in 0..<turns {
      var t = Int64(1_767_225_600 + turn * 10 * 86_400)
      var cents = 100_000.0
      for hop in members.indices {
        id += 1
        set.addPayment(
          id: "p\(id)", source: members[hop], target: members[(hop + 1) % members.count],
          amount: Amount(micros: Int64(cents) * 10_000), time: t)
        t += gap
        cents *= ratio
      }
    }
    return set
  }

  @Test(arguments: ["payment-ring", "ring-in-merchant-traffic", "honest-cycles", "prefilter-stream"])
  func aScansSharedCycleIndexFindsWhatEachDetectorsOwnFinds(_ name: String) throws {
    let set = try fixture(name)
    let context = ScanContext(set)
    let graph = GraphIndex(set)
    for detector in [CircularPaymentDetector(), GatherScatterDetector()] as [any Detector] {
      #expect(try detector.findings(in: context) == detector.findings(in: set, graph: graph), "\(detector.name)")
    }
    #expect(try context.cycleIndex().candidatePaymentCount > 0)
  }

  @Test func aConservedFastRingTurningThreeTimesIsFlagged() throws {
    #expect(try flagged(CircularPaymentDetector(), ring(turns: 3)) == ["a", "b", "c"])
  }

  @Test func twoTurnsSlowHopsOrUnconservedAmountsAreNot() throws {
    let detector = CircularPaymentDetector()
    #expect(try flagged(detector, ring(turns: 2)).isEmpty)
    #expect(try flagged(detector, ring(turns: 5, gap: 30 * 3_600)).isEmpty)  // a day and more between hops
    #expect(try flagged(detector, ring(turns: 5, ratio: 0.5)).isEmpty)  // half passed on: a split, not a relay
    #expect(try flagged(detector, ring(turns: 5, ratio: 1.3)).isEmpty)  // more passed on than arrived
  }

  @Test func evidenceNamesTheRingTurnsAndHops() throws {
    let set = ring(turns: 4, members: ["x", "y", "z", "w"])
    let finding = try #require(CircularPaymentDetector().findings(in: set, graph: GraphIndex(set)).first)
    guard case let .object(evidence) = finding.evidence else {
      Issue.record("evidence should be an object")
      return
    }
    #expect(evidence["turns"] == .integer(4))
    #expect(evidence["ring"] == ["x", "y", "z", "w"])  // cyclic order from the first account interned
    #expect(evidence["median_hop_ratio"] == .number(0.95))
    #expect(evidence["median_hop_gap_hours"] == .number(1))
    #expect(evidence["volume"] == .string("4000.00"))
    guard case let .array(cycles)? = evidence["cycles"], case let .object(first)? = cycles.first,
      case let .array(hops)? = first["hops"], case let .object(hop)? = hops.first
    else {
      Issue.record("evidence should list the cycles hop by hop")
      return
    }
    #expect(hops.count == 4)
    #expect(hop["from"] == "x" && hop["to"] == "y" && hop["amount"] == "1000.00")
    #expect(hop["ts"] == "2026-01-01T00:00:00Z" && hop["payment"] == "p1")
    guard case let .string(reason)? = evidence["reason"] else { return }
    #expect(reason.hasPrefix("4-account ring turned 4 times within 72 h windows"))
  }

  @Test func gatherScatterFindsFansReturningToTheOrigin() throws {
    var set = SignalSet()
    var id = 0
    for fan in 0..<3 {
      let t = Int64(1_767_225_600 + fan * 7 * 86_400)
      for (k, intermediary) in ["i1", "i2", "i3", "i4"].enumerated() {
        id += 2
        set.addPayment(
          id: "p\(id)", source: "o", target: intermediary, amount: Amount(micros: 2_500_000_000),
          time: t + Int64(k) * 300)
        set.addPayment(
          id: "q\(id)", source: intermediary, target: "o", amount: Amount(micros: 2_300_000_000),
          time: t + 4 * 3_600 + Int64(k) * 600)
      }
    }
    #expect(try flagged(GatherScatterDetector(), set) == ["o", "i1", "i2", "i3", "i4"])
    // One fan only is not enough.
    var once = SignalSet()
    for (k, intermediary) in ["i1", "i2", "i3"].enumerated() {
      once.addPayment(
        id: "p\(k)", source: "o", target: intermediary, amount: Amount(micros: 1_000_000_000), time: 1_000 + Int64(k))
      once.addPayment(
        id: "q\(k)", source: intermediary, target: "o", amount: Amount(micros: 900_000_000), time: 5_000 + Int64(k))
    }
    #expect(try flagged(GatherScatterDetector(), once).isEmpty)
  }

  @Test func badThresholdsAreRejected() {
    var t = CircularPaymentDetector.Thresholds()
    t.search.maxLength = 40
    let refused = DetectorSettingError(
      detector: "circular-payment", setting: "max_cycle_length", value: "40",
      allowed: "a whole number of hops from 2 to 32")
    #expect(throws: refused) { try CircularPaymentDetector(thresholds: t) }
  }

  @Test func paymentRingFixtureFlagsTheRingAndNotTheHonestCycles() throws {
    let set = try fixture("payment-ring")
    #expect(try flagged(CircularPaymentDetector(), set) == ["kappa_trade", "lumen_goods", "vireo_ltd", "ostra_supply"])
    #expect(try flagged(GatherScatterDetector(), set).isEmpty)
  }

  @Test func ringInMerchantTrafficFlagsTheRingOnly() throws {
    let set = try fixture("ring-in-merchant-traffic")
    #expect(try flagged(CircularPaymentDetector(), set) == ["r_nova", "r_pike", "r_quill", "r_rook", "r_sage"])
  }

  @Test(arguments: ["honest-cycles", "honest-only"])
  func honestCyclesAreNotFlagged(_ name: String) throws {
    let set = try fixture(name)
    #expect(try flagged(CircularPaymentDetector(), set).isEmpty)
    #expect(try flagged(GatherScatterDetector(), set).isEmpty)
  }

  /// Account-level F1 of `circular_payment` on a synthetic `small` set written
  /// to disk and read back (10 planted rings among 10 000 accounts).
  @Test func f1OnSyntheticSmallIsAtLeastPointNine() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    _ = try SyntheticSignalSet(scale: .small, seed: 11).write(to: URL(fileURLWithPath: dir.path))
    let set = try SignalSet(contentsOf: dir.path)
    let truth = try GroundTruth(directory: dir.path).accountsByKind[.circularPayment] ?? []
    let flagged = Scanner.standard.scan(set).flaggedAccounts(of: .circularPayment)
    let correct = Double(flagged.intersection(truth).count)
    let precision = flagged.isEmpty ? 1 : correct / Double(flagged.count)
    let recall = truth.isEmpty ? 1 : correct / Double(truth.count)
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    #expect(truth.count >= 30)
    #expect(f1 >= 0.9, "precision \(precision), recall \(recall)")
    #expect(precision >= 0.9)
  }
}
