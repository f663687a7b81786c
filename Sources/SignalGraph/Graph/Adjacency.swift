/// A compressed sparse row (CSR) adjacency: for each node, the contiguous run
/// of its neighbours and of the signal rows that link them.
///
/// Node *v*'s neighbours are `neighbors[offsets[v]..<offsets[v + 1]]`, and
/// `edges` holds, at the same positions, the row of each edge in its signal
/// table, so evidence can always be traced back to the input. Within a row,
/// edges keep the order of the permutation given at build time (by time, for
/// the adjacencies of ``GraphIndex``).
///
///     let out = Adjacency(nodeCount: 3, sources: [0, 0, 2], targets: [1, 2, 0])
///     out.neighbors(of: 0)   // [1, 2]
///     out.degree(of: 1)      // 0
///
/// - Complexity: building is O(*n* + *m*) (a counting sort); every lookup is O(1).
public struct Adjacency: Sendable {
  /// Where each node's run starts; `nodeCount + 1` entries.
  public let offsets: [Int]
  /// The neighbour at the other end of each edge.
  public let neighbors: [Int32]
  /// The signal-table row of each edge.
  public let edges: [Int32]

  /// Builds the adjacency of edges `sources[i] -> targets[i]`, visiting the
  /// edges in `order` (a permutation of their rows; `nil` means row order),
  /// so that every node's run keeps that order.
  public init(nodeCount: Int, sources: [Int32], targets: [Int32], order: [Int32]? = nil) {
    precondition(sources.count == targets.count, "sources and targets differ in length")
    let m = sources.count
    var offsets = [Int](repeating: 0, count: nodeCount + 1)
    for s in sources { offsets[Int(s) + 1] += 1 }
    for v in 0..<nodeCount { offsets[v + 1] += offsets[v] }
    var cursor = offsets
    var neighbors = [Int32](repeating: 0, count: m)
    var edges = [Int32](repeating: 0, count: m)
    func place(_ e: Int) {
      let s = Int(sources[e])
      let at = cursor[s]
      cursor[s] = at + 1
      neighbors[at] = targets[e]
      edges[at] = Int32(e)
    }
    if let order {
      precondition(order.count == m, "order is not a permutation of the edges")
      for e in order { place(Int(e)) }
    } else {
      for e in 0..<m { place(e) }
    }
    self.offsets = offsets
    self.neighbors = neighbors
    self.edges = edges
  }

  /// The number of nodes.
  public var nodeCount: Int { offsets.count - 1 }

  /// The number of edges.
  public var edgeCount: Int { neighbors.count }

  /// The number of edges leaving `node`.
  @inline(__always)
  public func degree(of node: Int32) -> Int { offsets[Int(node) + 1] - offsets[Int(node)] }

  /// The neighbours of `node`, in build order.
  @inline(__always)
  public func neighbors(of node: Int32) -> ArraySlice<Int32> {
    neighbors[offsets[Int(node)]..<offsets[Int(node) + 1]]
  }

  /// The signal rows of the edges leaving `node`, in build order.
  @inline(__always)
  public func edges(of node: Int32) -> ArraySlice<Int32> {
    edges[offsets[Int(node)]..<offsets[Int(node) + 1]]
  }

  /// The degree of every node.
  public var degrees: [Int32] {
    (0..<nodeCount).map { Int32(offsets[$0 + 1] - offsets[$0]) }
  }
}
