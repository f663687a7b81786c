import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

/// Hand-checkable graphs for the bought-engagement detectors.
@Suite struct BoughtEngagementTests {
  @Test func transposeListsEachColumnsRowsInOrder() {
    // rows 0: [1, 2], 1: [], 2: [0, 2]  →  columns 0: [2], 1: [0], 2: [0, 2]
    let t = transposeCSR(rowOffsets: [0, 2, 2, 4], columnIndices: [1, 2, 0, 2], columnCount: 3)
    #expect(t.offsets == [0, 1, 2, 4])
    #expect(t.indices == [2, 0, 0, 2])
    let back = transposeCSR(rowOffsets: t.offsets, columnIndices: t.indices, columnCount: 3)
    #expect(back.offsets == [0, 2, 2, 4] && back.indices == [1, 2, 0, 2])
  }

  /// A deterministic generator for noise.
  struct LCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static let day: Int64 = 86_400
  static let t0: Int64 = 1_767_225_600

  /// 200 honest accounts following random others over 180 days, a planted
  /// 5 × 5 complete block within two hours, and optionally camouflage edges
  /// from the block's endorsers to `star`, whom 150 honest accounts follow.
  static func plantedSet(camouflage: Bool) -> SignalSet {
    var set = SignalSet()
    var rng = LCG(state: 42)
    addHonestFollows(&set, &rng, persons: 200) { _ in 4 }
    for h in 0..<150 {
      set.addInteraction(source: "h\(h)", target: "star", kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
    }
    for f in 0..<5 {
      for c in 0..<5 {
        set.addInteraction(
          source: "fake\(f)", target: "cust\(c)", kind: "follow", time: t0 + 60 * day + Int64(rng.next(7_200)))
      }
      if camouflage {
        set.addInteraction(source: "fake\(f)", target: "star", kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
        set.addInteraction(
          source: "fake\(f)", target: "h\(rng.next(200))", kind: "like", time: t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    return set
  }

  /// `persons` honest accounts `h0`, `h1`, … each following `follows`
  /// random others (a draw of the generator) at random times over 180 days.
  static func addHonestFollows(
    _ set: inout SignalSet, _ rng: inout LCG, persons: Int, follows: (inout LCG) -> Int
  ) {
    for h in 0..<persons {
      for _ in 0..<follows(&rng) {
        let t = rng.next(persons)
        if t != h {
          set.addInteraction(source: "h\(h)", target: "h\(t)", kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
        }
      }
    }
  }

  static func flagged(_ set: SignalSet, _ detector: any Detector) throws -> Set<String> {
    let findings = try detector.findings(in: set, graph: GraphIndex(set))
    return Set(findings.flatMap(\.accounts).map { set.accounts.ids[$0] })
  }

  static let block: Set<String> = Set((0..<5).map { "fake\($0)" } + (0..<5).map { "cust\($0)" })

  @Test func heapPopsInKeyOrderAfterDecreases() {
    var heap = IndexedMinHeap(keys: [5, 3, 8, 1, 9], members: [0, 1, 2, 3, 4])
    heap.decreaseKey(of: 4, by: 8.5)  // 0.5
    heap.decreaseKey(of: 2, by: 6)  // 2
    var order: [Int32] = []
    while let v = heap.popMin() { order.append(v) }
    #expect(order == [4, 3, 2, 1, 0])
  }

  @Test func peelingFindsACompleteBlockInAPath() {
    // Rows 0–2 × columns 0–2 complete (9 edges), plus row 3 → column 3 alone.
    let peeling = GreedyPeeling(
      rowCount: 4, columnCount: 4, rowOffsets: [0, 3, 6, 9, 10],
      columnIndices: [0, 1, 2, 0, 1, 2, 0, 1, 2, 3], columnWeights: [1, 1, 1, 1])
    let block = peeling.densestBlock()
    #expect(block.rows == [0, 1, 2])
    #expect(block.columns == [0, 1, 2])
    #expect(abs(block.density - 1.5) < 1e-12)  // 9 edges / 6 nodes
  }

  @Test func denseBlockFindsThePlanted5x5BlockExactly() throws {
    let set = Self.plantedSet(camouflage: false)
    #expect(try Self.flagged(set, DenseBlockDetector()) == Self.block)
  }

  @Test func camouflageDoesNotDragThePopularAccountIn() throws {
    let set = Self.plantedSet(camouflage: true)
    let flagged = try Self.flagged(set, DenseBlockDetector())
    #expect(flagged == Self.block)
    #expect(!flagged.contains("star"))
  }

  @Test func aCelebrityWithAThousandHonestFollowersIsNotFlagged() throws {
    var set = SignalSet()
    var rng = LCG(state: 7)
    for f in 0..<1_000 {
      set.addInteraction(
        source: "fan\(f)", target: "celebrity", kind: "follow", time: Self.t0 + Int64(rng.next(180 * 86_400)))
      set.addInteraction(
        source: "fan\(f)", target: "fan\(rng.next(1_000))", kind: "like", time: Self.t0 + Int64(rng.next(180 * 86_400)))
    }
    let graph = GraphIndex(set)
    for detector in Scanner.standard.detectors {
      #expect(try detector.findings(in: set, graph: graph).isEmpty, "\(detector.name)")
    }
  }

  @Test func lockstepFindsTheBurstButNotTheSameEdgesSpreadOverMonths() throws {
    let burst = Self.plantedSet(camouflage: false)
    #expect(try Self.flagged(burst, LockstepDetector()) == Self.block)
    // The same 25 endorsements, each a month or more apart per target.
    var spread = SignalSet()
    var rng = LCG(state: 42)
    Self.addHonestFollows(&spread, &rng, persons: 200) { _ in 4 }
    for f in 0..<5 {
      for c in 0..<5 {
        spread.addInteraction(
          source: "fake\(f)", target: "cust\(c)", kind: "follow",
          time: Self.t0 + Int64(f * 35) * Self.day + Int64(c) * 3_600)
      }
    }
    #expect(try Self.flagged(spread, LockstepDetector()).isEmpty)
  }

  @Test func fBoxFlagsASmallStealthFarm() throws {
    let set = Self.plantedSet(camouflage: false)
    var thresholds = SpectralSpokeDetector.Thresholds()
    thresholds.rank = 5
    #expect(try Self.flagged(set, SpectralSpokeDetector(thresholds: thresholds)).isSuperset(of: Self.block))
  }

  /// fBox judges an endorser against those of its degree: in a background
  /// whose rank-5 spectrum is six stars' followings, and explains little of
  /// most honest endorsers, it flags the fakes of a farm too small to own a
  /// singular vector and only the lowest twentieth of the others, not the
  /// whole background (which would make it a second dense-block search).
  @Test func fBoxFlagsOnlyTheLowestShareOfEachDegreeClass() throws {
    var set = SignalSet()
    var rng = LCG(state: 7)
    Self.addHonestFollows(&set, &rng, persons: 2_000) { 2 + $0.next(6) }
    for star in 0..<6 {
      for _ in 0..<300 {
        let follower = rng.next(2_000)
        set.addInteraction(
          source: "h\(follower)", target: "star\(star)", kind: "follow", time: Self.t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    for f in 0..<5 {
      for c in 0..<5 {
        set.addInteraction(
          source: "fake\(f)", target: "cust\(c)", kind: "follow", time: Self.t0 + 100 * Self.day + Int64(f * 60 + c))
      }
    }
    let context = ScanContext(set, graph: GraphIndex(set))
    let pairs = context.endorsements
    let svd = try context.spectrum(rank: 5).svd
    let everyone = [Bool](repeating: false, count: pairs.nodeCount)
    let loose = SpectralSpokeDetector.unexplained(
      svd: svd, rank: 5, pairs: pairs, skipping: everyone, share: 0.5, percentile: 1)
    let strict = SpectralSpokeDetector.unexplained(
      svd: svd, rank: 5, pairs: pairs, skipping: everyone, share: 0.5, percentile: 0.05)
    let ids = Set(strict.map { set.accounts.ids[$0] })
    #expect(loose.count > 1_000)  // the absolute share alone: most of the background
    #expect(ids.isSuperset(of: (0..<5).map { "fake\($0)" }))
    #expect(strict.count <= 5 + 2_000 / 20 + 10)  // a twentieth per class, rounding up in each of ~10 classes
  }

  @Test func statisticalTailsAreSane() {
    #expect(EngagementBlockTest.log10PoissonTail(1, mean: 5) == 0)
    #expect(abs(EngagementBlockTest.log10PoissonTail(1, mean: 1) - log10(1 - exp(-1))) < 0.3)
    #expect(EngagementBlockTest.log10BinomialTail(10, trials: 10, p: 0.1) < -9.9)
    #expect(EngagementBlockTest.format(1_767_225_600) == "2026-01-01T00:00Z")
  }
}
