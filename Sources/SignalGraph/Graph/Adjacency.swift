/// A compressed sparse row (CSR) adjacency: for each node, the contiguous run
/// of its neighbours and of the signal rows that link them.
///
/// Node *v*'s neighbours are `neighbors[offsets[v]..<offsets[v + 1]]`, and
/// `edges` holds, at the same positions, the row of each edge in its signal
/// table, so evidence can always be traced back to the input. Within a run,
/// edges are in the order of the keys given at build time (times, for the
/// adjacencies of ``GraphIndex``), ties in row order.
///
///     let out = Adjacency(nodeCount: 3, sources: [0, 0, 2], targets: [1, 2, 0])
///     out.neighbors(of: 0)   // [1, 2]
///     out.degree(of: 1)      // 0
///
/// - Complexity: building is O(*n* + *m*) (a counting sort) when the edges
///   arrive in key order, more where they do not (see the initializer);
///   every lookup is O(1).
public struct Adjacency: Sendable {
  /// Where each node's run starts; `nodeCount + 1` entries.
  public let offsets: [Int]
  /// The neighbour at the other end of each edge.
  public let neighbors: [Int32]
  /// The signal-table row of each edge.
  public let edges: [Int32]

  /// Builds the adjacency of edges `sources[i] -> targets[i]`, every node's
  /// run in increasing `keys` (a time, say), ties in row order; in row order
  /// when `keys` is `nil`.
  ///
  ///     let out = Adjacency(nodeCount: 2, sources: [0, 0, 1], targets: [1, 1, 0], keys: [30, 10, 20])
  ///     out.edges(of: 0)   // [1, 0]
  ///
  /// One counting sort by source moves each edge's key, neighbour and row
  /// together, so that every node's edges arrive in one contiguous run;
  /// a run out of key order is then sorted where it lies, in cache. A
  /// global sort by key followed by a scatter would instead touch memory
  /// at random for every edge, which is what costs on large graphs.
  ///
  /// - Complexity: O(*n* + *m*) when every node's edges arrive in key
  ///   order, plus O(*d* log *d*) for each node of degree *d* whose do not.
  public init(nodeCount: Int, sources: [Int32], targets: [Int32], keys: [Int64]? = nil) {
    precondition(sources.count == targets.count, "sources and targets differ in length")
    precondition(keys.map { $0.count == sources.count } ?? true, "keys and sources differ in length")
    let m = sources.count
    var offsets = [Int](repeating: 0, count: nodeCount + 1)
    for s in sources { offsets[Int(s) + 1] += 1 }
    for v in 0..<nodeCount { offsets[v + 1] += offsets[v] }
    guard let keys else {
      var cursor = offsets
      var neighbors = [Int32](repeating: 0, count: m)
      var edges = [Int32](repeating: 0, count: m)
      for e in 0..<m {
        let s = Int(sources[e])
        (neighbors[cursor[s]], edges[cursor[s]]) = (targets[e], Int32(e))
        cursor[s] += 1
      }
      (self.offsets, self.neighbors, self.edges) = (offsets, neighbors, edges)
      return
    }
    var entries = Self.runs(offsets: offsets, sources: sources, targets: targets, keys: keys)
    entries.withUnsafeMutableBufferPointer { entries in
      for v in 0..<nodeCount {
        let run = offsets[v]..<offsets[v + 1]
        guard run.count > 1 else { continue }
        var inOrder = true
        for k in run.dropFirst() where entries[k].key < entries[k - 1].key {
          inOrder = false
          break
        }
        if !inOrder { entries[run].sort { ($0.key, $0.edge) < ($1.key, $1.edge) } }
      }
    }
    self.offsets = offsets
    self.neighbors = entries.map(\.neighbor)
    self.edges = entries.map(\.edge)
  }

  /// One edge on its way into place: its sort key, row and other end.
  private struct Entry {
    var key: Int64
    var edge: Int32
    var neighbor: Int32
  }

  /// The edges grouped into their sources' runs (`offsets`), rows ascending within each.
  private static func runs(offsets: [Int], sources: [Int32], targets: [Int32], keys: [Int64]) -> [Entry] {
    var cursor = offsets
    return [Entry](unsafeUninitializedCapacity: sources.count) { entries, initialized in
      // Every position is written exactly once: the runs partition 0..<m.
      for e in sources.indices {
        let s = Int(sources[e])
        entries[cursor[s]] = Entry(key: keys[e], edge: Int32(e), neighbor: targets[e])
        cursor[s] += 1
      }
      initialized = sources.count
    }
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
