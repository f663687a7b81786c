/// The shape of a collusive payment structure, as anti-money-laundering
/// practice and AMLSim (IBM; Altman et al., NeurIPS 2023) name them. Every
/// typology is reported under the kind `circular_payment`, the contract's
/// kind for collusive payments; the evidence's `"typology"` says which.
///
///     PaymentTypology.classify(edges: [(0, 1), (1, 2), (2, 0)])   // .cycle
///     PaymentTypology.classify(edges: [(0, 3), (1, 3), (2, 3)])   // .fanIn
public enum PaymentTypology: String, Sendable, CaseIterable {
  /// Money goes round accounts and comes back to where it started.
  case cycle
  /// Money fans out from a source through intermediaries to a different sink.
  case scatterGather = "scatter_gather"
  /// Several sources each pay several of the same sinks.
  case bipartite
  /// Money gathered from several accounts by one is fanned out again.
  case gatherScatter = "gather_scatter"
  /// Several senders pay one receiver.
  case fanIn = "fan_in"
  /// One sender pays several receivers.
  case fanOut = "fan_out"
  /// Money passed on along a chain of three or more hops (layers of intermediaries).
  case stack
  /// One transfer split into several near-equal payments between few accounts.
  case structuring

  /// The typology of the account graph with the directed `edges` (payer,
  /// payee; repeats allowed), checked from the most specific shape to the
  /// least: cycle, scatter-gather, bipartite, gather-scatter, fan-in,
  /// fan-out, stack, structuring.
  ///
  /// - Complexity: O(*e* · *d*) for *e* edges and out-degrees at most *d*
  ///   (the bipartite test compares at most 256 sources pairwise).
  public static func classify(edges: [(Int32, Int32)]) -> PaymentTypology {
    var out: [Int32: Set<Int32>] = [:], into: [Int32: Set<Int32>] = [:]
    for (a, b) in edges where a != b {
      out[a, default: []].insert(b)
      into[b, default: []].insert(a)
    }
    if hasCycle(out) { return .cycle }
    // Two or more two-hop paths from one source to one other sink.
    for (s, middles) in out {
      var reached: [Int32: Int] = [:]
      for m in middles {
        for t in out[m] ?? [] where t != s { reached[t, default: 0] += 1 }
      }
      if reached.values.contains(where: { $0 >= 2 }) { return .scatterGather }
    }
    // Pairs of sources sharing two sinks; past a few hundred sources the
    // structure is not read as bipartite, to keep the test near-linear.
    let sources = out.filter { $0.value.count >= 2 }
    for (a, targetsA) in sources where sources.count <= 256 {
      for (b, targetsB) in sources where a < b && targetsA.intersection(targetsB).count >= 2 { return .bipartite }
    }
    if out.contains(where: { $0.value.count >= 2 && (into[$0.key]?.count ?? 0) >= 2 }) { return .gatherScatter }
    if into.values.contains(where: { $0.count >= 3 }) { return .fanIn }
    if out.values.contains(where: { $0.count >= 3 }) { return .fanOut }
    if longestPath(out) >= 3 { return .stack }
    return .structuring
  }

  private static func hasCycle(_ out: [Int32: Set<Int32>]) -> Bool {
    var state: [Int32: UInt8] = [:]  // 1 on the stack, 2 done
    for start in out.keys where state[start] == nil {
      var stack: [(Int32, [Int32])] = [(start, Array(out[start] ?? []))]
      state[start] = 1
      while let (node, rest) = stack.last {
        guard let next = rest.last else {
          state[node] = 2
          stack.removeLast()
          continue
        }
        stack[stack.count - 1].1.removeLast()
        switch state[next] {
        case 1: return true
        case 2: continue
        default:
          state[next] = 1
          stack.append((next, Array(out[next] ?? [])))
        }
      }
    }
    return false
  }

  /// The most hops on a path of the (acyclic) graph, by Kahn's topological order.
  private static func longestPath(_ out: [Int32: Set<Int32>]) -> Int {
    var indegree: [Int32: Int] = [:]
    for (v, targets) in out {
      indegree[v, default: 0] += 0
      for t in targets { indegree[t, default: 0] += 1 }
    }
    var ready = indegree.filter { $0.value == 0 }.map(\.key)
    var depth: [Int32: Int] = [:]
    var longest = 0
    while let v = ready.popLast() {
      let d = depth[v] ?? 0
      longest = max(longest, d)
      for t in out[v] ?? [] {
        depth[t] = max(depth[t] ?? 0, d + 1)
        indegree[t]! -= 1
        if indegree[t] == 0 { ready.append(t) }
      }
    }
    return longest
  }
}
