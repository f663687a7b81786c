/// Strongly connected components of a directed multigraph, by Tarjan's
/// algorithm ("Depth-first search and linear graph algorithms", SIAM J.
/// Computing 1972), iterative so deep graphs cannot overflow the stack.
///
///     let c = StronglyConnectedComponents.label(nodeCount: 3, source: [0, 1, 1], target: [1, 0, 2])
///     c[0] == c[1]   // true: 0 → 1 → 0
///     c[1] == c[2]   // false
///
/// - Complexity: O(*n* + *m*) time, 4 bytes per edge and 25 per node of memory.
enum StronglyConnectedComponents {
  /// The component of each node: nodes share a label exactly when each reaches the other.
  static func label(nodeCount n: Int, source: [Int32], target: [Int32]) -> [Int32] {
    var offsets = [Int](repeating: 0, count: n + 1)
    for s in source { offsets[Int(s) + 1] += 1 }
    for v in 0..<n { offsets[v + 1] += offsets[v] }
    var cursor = offsets
    var neighbors = [Int32](repeating: 0, count: source.count)
    for e in source.indices {
      let s = Int(source[e])
      neighbors[cursor[s]] = target[e]
      cursor[s] += 1
    }
    let unvisited: Int32 = -1
    var index = [Int32](repeating: unvisited, count: n)
    var low = [Int32](repeating: 0, count: n)
    var onStack = [Bool](repeating: false, count: n)
    var component = [Int32](repeating: -1, count: n)
    var stack: [Int32] = []
    var callStack: [(node: Int32, next: Int)] = []
    var counter: Int32 = 0
    var components: Int32 = 0
    for root in 0..<n where index[root] == unvisited {
      callStack.append((Int32(root), offsets[root]))
      index[root] = counter
      low[root] = counter
      counter += 1
      stack.append(Int32(root))
      onStack[root] = true
      while let (v32, next) = callStack.last {
        let v = Int(v32)
        if next < offsets[v + 1] {
          callStack[callStack.count - 1].next = next + 1
          let w = Int(neighbors[next])
          if index[w] == unvisited {
            index[w] = counter
            low[w] = counter
            counter += 1
            stack.append(Int32(w))
            onStack[w] = true
            callStack.append((Int32(w), offsets[w]))
          } else if onStack[w] {
            low[v] = min(low[v], index[w])
          }
        } else {
          callStack.removeLast()
          if let parent = callStack.last {
            low[Int(parent.node)] = min(low[Int(parent.node)], low[v])
          }
          if low[v] == index[v] {
            while let w = stack.popLast() {
              onStack[Int(w)] = false
              component[Int(w)] = components
              if Int(w) == v { break }
            }
            components += 1
          }
        }
      }
    }
    return component
  }
}
