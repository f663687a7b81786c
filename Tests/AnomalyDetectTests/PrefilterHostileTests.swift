import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter
@testable import SignalSynthesis

/// Valid but hostile streams: the pre-filter's cost per event and its state
/// stay bounded however dense the endorsement graph.
@Suite struct PrefilterHostileTests {
  static let t0: Int64 = 1_767_225_600

  /// One account following 3 000 others in an hour used to pair every two of
  /// its targets: 4.5 million pairs, and O(out-degree) work per follow. Now a
  /// follow pairs with at most the latest 64 targets, and not at all past
  /// 1 000 targets.
  @Test func anAccountFollowingEveryoneKeepsFewPairs() {
    var f = Prefilter()
    for i in 0..<3_000 {
      _ = f.decide(.interaction(source: "bot", target: "u\(i)", kind: "follow", time: Self.t0 + Int64(i)))
    }
    let configuration = f.configuration
    #expect(
      f.check(IncrementalEngagementCheck.self)!.pairsKept <= configuration.engagement.maxEndorserDegree
        * configuration.engagement.recentTargets)
    #expect(f.check(IncrementalEngagementCheck.self)!.edgesKept == 3_000)
  }

  /// A complete bipartite follow graph: each pair is bumped by every
  /// endorser, but is queued for eviction once, not once per bump.
  @Test func aCompleteFollowGraphQueuesEachPairOnce() {
    var f = Prefilter()
    let n = 60
    for i in 0..<n {
      for j in 0..<n {
        _ = f.decide(.interaction(source: "f\(i)", target: "c\(j)", kind: "follow", time: Self.t0 + Int64(i * n + j)))
      }
    }
    #expect(f.check(IncrementalEngagementCheck.self)!.pairsKept == n * (n - 1) / 2)
    #expect(
      f.check(IncrementalEngagementCheck.self)!.pairEntriesQueued == f.check(IncrementalEngagementCheck.self)!.pairsKept
    )
    // A window later (the clock moves a day per event at most) everything
    // has aged out, pairs and their entries too.
    for day in 1...(f.configuration.windowDays + 2) {
      _ = f.decide(.interaction(source: "x", target: "y", kind: "like", time: Self.t0 + Int64(day) * 86_400))
    }
    #expect(
      f.check(IncrementalEngagementCheck.self)!.pairsKept <= 1
        && f.check(IncrementalEngagementCheck.self)!.pairEntriesQueued <= 1)
  }

  /// A celebrity's followers age out oldest first: each leaves in O(1), and
  /// the lists keep their order.
  @Test func endorsementListsDropTheOldestInConstantTime() {
    var list = EndorsementList()
    for i in 0..<1_000 { list.append(Int32(i)) }
    for i in 0..<900 { list.remove(Int32(i)) }
    #expect(Array(list.live) == (900..<1_000).map { Int32($0) })
    list.remove(950)  // not the oldest
    list.removeAll { $0 % 2 == 1 }
    #expect(list.count == 49 && list.live.first == 900 && !list.live.contains(950))
    for x in list.live { list.remove(x) }
    #expect(list.isEmpty)
  }

  @Test func theEvictionHeapPopsInTimeOrder() {
    var heap = EvictionHeap()
    var rng = SplitMix64(seed: 3)
    var times: [Int64] = []
    for k in 0..<500 {
      let t = Int64(rng.next() % 1_000)
      times.append(t)
      heap.push(time: t, key: UInt64(k))
    }
    #expect(EvictionHeap(heapOrdered: heap.entries) != nil)
    #expect(heap.popMin(before: -1) == nil)
    var popped: [Int64] = []
    while let (t, _) = heap.popMin(before: 500) { popped.append(t) }
    #expect(popped == times.filter { $0 < 500 }.sorted())
    #expect(heap.count == times.filter { $0 >= 500 }.count)
    #expect(EvictionHeap(heapOrdered: [(5, 1), (1, 2)]) == nil)
  }
}
