import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect
@testable import SignalSynthesis

/// A payment of a hand-made multigraph: `source → target` at `time`.
private typealias Edge = (source: Int32, target: Int32, time: Int64)

private func enumerator(
  _ edges: [Edge], accounts: Int, maxLength: Int = 8, window: Int64 = 72 * 3_600, budget: Int = 256
)
  throws -> TemporalCycleEnumerator
{
  try TemporalCycleEnumerator(
    source: edges.map(\.source), target: edges.map(\.target), time: edges.map(\.time), accountCount: accounts,
    options: .init(maxLength: maxLength, window: window, minimumBackwardBudget: budget))
}

/// The cycles as sorted lists of payment rows (each cycle's hops in time order).
private func cycleSet(_ e: TemporalCycleEnumerator) -> [[Int32]] {
  e.cycles().map { Array($0) }.sorted { $0.lexicographicallyPrecedes($1) }
}

/// The test-only brute force: from every payment, a plain depth-first search
/// over all payment sequences with increasing times inside the window.
private func bruteForce(_ edges: [Edge], maxLength: Int, window: Int64) -> [[Int32]] {
  var found: [[Int32]] = []
  var path: [Int32] = []
  var visited: Set<Int32> = []
  func extend(from v: Int32, start: Int32, t0: Int64, last: Int64) {
    for (r, e) in edges.enumerated() where e.source == v && e.time > last && e.time <= t0 + window {
      if e.target == start {
        found.append(path + [Int32(r)])
      } else if path.count + 1 < maxLength && !visited.contains(e.target) {
        visited.insert(e.target)
        path.append(Int32(r))
        extend(from: e.target, start: start, t0: t0, last: e.time)
        path.removeLast()
        visited.remove(e.target)
      }
    }
  }
  for (r, e) in edges.enumerated() where e.source != e.target {
    path = [Int32(r)]
    visited = [e.source, e.target]
    extend(from: e.target, start: e.source, t0: e.time, last: e.time)
  }
  return found.sorted { $0.lexicographicallyPrecedes($1) }
}

@Suite struct TemporalCycleEnumeratorTests {
  @Test func triangleWithIncreasingTimesIsFound() throws {
    let e = try enumerator([(0, 1, 10), (1, 2, 20), (2, 0, 30)], accounts: 3)
    #expect(cycleSet(e) == [[0, 1, 2]])
  }

  @Test func triangleWithADecreasingHopIsNotFound() throws {
    // 0 → 1 at 10, 1 → 2 at 5 (before the first hop), 2 → 0 at 30.
    let e = try enumerator([(0, 1, 10), (1, 2, 5), (2, 0, 30)], accounts: 3)
    #expect(e.count() == 0)
    // Equal times are not increasing either.
    let tie = try enumerator([(0, 1, 10), (1, 2, 10), (2, 0, 30)], accounts: 3)
    #expect(tie.count() == 0)
  }

  @Test func cycleOutsideTheWindowIsNotFound() throws {
    let h: Int64 = 3_600
    let e = try enumerator([(0, 1, 0), (1, 2, 40 * h), (2, 0, 72 * h + 1)], accounts: 3)
    #expect(e.count() == 0)
    let edge = try enumerator([(0, 1, 0), (1, 2, 40 * h), (2, 0, 72 * h)], accounts: 3)
    #expect(edge.count() == 1)  // the window is inclusive
  }

  @Test func twoCyclesAreFound() throws {
    let e = try enumerator([(0, 1, 10), (1, 0, 20), (1, 0, 5)], accounts: 2)
    // 0 → 1 (10), 1 → 0 (20); and 1 → 0 (5), 0 → 1 (10).
    #expect(cycleSet(e) == [[0, 1], [2, 0]])
    let short = try enumerator([(0, 1, 10), (1, 0, 20)], accounts: 2, maxLength: 2)
    #expect(short.count() == 1)
  }

  @Test func parallelPaymentsGiveOneCycleEach() throws {
    // Two payments 0 → 1, three 1 → 2, one 2 → 0: every increasing choice is a cycle.
    let edges: [Edge] = [(0, 1, 1), (0, 1, 3), (1, 2, 2), (1, 2, 4), (1, 2, 5), (2, 0, 6)]
    let e = try enumerator(edges, accounts: 3)
    // From 0 → 1 at 1: 1 → 2 at 2, 4 or 5; from 0 → 1 at 3: at 4 or 5. Five in all.
    #expect(e.count() == 5)
    #expect(cycleSet(e) == bruteForce(edges, maxLength: 8, window: 72 * 3_600))
  }

  @Test func longCyclesRespectTheLengthBound() throws {
    var ring: [Edge] = []
    for i in 0..<5 { ring.append((Int32(i), Int32((i + 1) % 5), Int64(i + 1))) }
    #expect(try enumerator(ring, accounts: 5, maxLength: 5).count() == 1)
    #expect(try enumerator(ring, accounts: 5, maxLength: 4).count() == 0)
  }

  @Test func nonSimpleWalksAreNotCycles() throws {
    // 0 → 1 → 2 → 1 → 0 revisits 1: only the 2-cycles 1 ⇄ 2 and 0 ⇄ 1 (where timed) count.
    let edges: [Edge] = [(0, 1, 1), (1, 2, 2), (2, 1, 3), (1, 0, 4)]
    let e = try enumerator(edges, accounts: 3)
    #expect(cycleSet(e) == [[0, 3], [1, 2]])
  }

  @Test func selfPaymentsAndAcyclicPaymentsAreDropped() throws {
    let e = try enumerator([(0, 0, 1), (0, 1, 2), (1, 2, 3)], accounts: 3)
    #expect(e.candidatePaymentCount == 0)
    #expect(e.count() == 0)
  }

  @Test func badInputIsRejectedWithATypedError() {
    #expect(throws: TemporalCycleError.maxLengthOutOfRange(1)) {
      try enumerator([], accounts: 1, maxLength: 1)
    }
    #expect(throws: TemporalCycleError.accountOutOfRange(row: 0)) {
      try enumerator([(0, 5, 1)], accounts: 2)
    }
  }

  /// Property: on hundreds of small random multigraphs, with varied length
  /// bounds, windows and backward budgets, the enumerator finds exactly the
  /// brute force's cycles.
  @Test func matchesBruteForceOnRandomMultigraphs() throws {
    var rng = SplitMix64(seed: 2_026)
    var nonEmpty = 0
    for trial in 0..<500 {
      let n = 2 + Int(rng.next() % 7)
      let m = Int(rng.next() % 60)
      let timeSpan = Int64(1 + rng.next() % 60)
      var edges: [Edge] = []
      for _ in 0..<m {
        let s = Int32(rng.next() % UInt64(n))
        let t = Int32(rng.next() % UInt64(n))
        edges.append((s, t, Int64(rng.next() % UInt64(timeSpan))))
      }
      let maxLength = 2 + Int(rng.next() % 7)
      let window = Int64(rng.next() % 40)
      let budget = trial % 3 == 0 ? 0 : 256  // exercise the fallback to forward search alone
      let fast = try enumerator(edges, accounts: n, maxLength: maxLength, window: window, budget: budget)
      let expected = bruteForce(edges, maxLength: maxLength, window: window)
      if !expected.isEmpty { nonEmpty += 1 }
      #expect(cycleSet(fast) == expected, "trial \(trial): n \(n), m \(m), L \(maxLength), W \(window)")
    }
    #expect(nonEmpty > 100)
  }
}
