import FraudLinalg
import SignalGraph

/// The top singular triplets of the endorsement graph and, for each, the
/// accounts that weigh most on it: the raw material of spectral
/// ("eigenspoke") analysis.
///
/// The matrix is the binary endorser × endorsed adjacency of every
/// interaction (follow, like or other kind), one row and one column per
/// account: entry (*i*, *j*) is 1 when *i* endorsed *j* at least once. A farm
/// whose fakes all endorse the same customers is a near-complete bipartite
/// block, and such a block of *a* endorsers and *b* customers has a singular
/// value close to √(*ab*); its members stand out as the large components of
/// one singular vector pair, lined up along an axis ("spokes") when two
/// vectors are plotted against each other [Prakash et al. 2010].
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let spectrum = try EndorsementSpectrum(set, rank: 10)
///     for c in spectrum.components {
///       print(c.singularValue, c.endorsers.prefix(3), c.endorsed.prefix(3))
///     }
///
/// [Prakash et al. 2010]: https://doi.org/10.1007/978-3-642-13672-6_40
///
/// > B. A. Prakash, A. Sridharan, M. Seshadri, S. Machiraju, C. Faloutsos.
/// "EigenSpokes: Surprising Patterns and Scalable Community Chipping in
/// Large Graphs." *PAKDD 2010*, pp. 435-448.
///
/// The decomposition is ``LanczosSVD`` (Golub–Kahan bidiagonalization with
/// full reorthogonalization): on endorsement graphs, whose spectra are flat
/// past the first few values, it reaches every requested value to 1e-10
/// faster than randomized subspace iteration reaches 1e-3 (see BENCHMARKS.md).
///
/// - Complexity: building the matrix is O(*m* log *d*) for *m* interactions
///   and largest out-degree *d*; the SVD is that of ``LanczosSVD``.
public struct EndorsementSpectrum: Sendable {
  /// One singular triplet, reduced to the accounts that weigh most on it.
  public struct Component: Sendable, Equatable {
    /// The singular value σ.
    public var singularValue: Double
    /// The largest |u| entries: endorsers, as (account index, component).
    public var endorsers: [(account: Int32, weight: Double)]
    /// The largest |v| entries: endorsed accounts, as (account index, component).
    public var endorsed: [(account: Int32, weight: Double)]

    public static func == (a: Component, b: Component) -> Bool {
      a.singularValue == b.singularValue
        && a.endorsers.elementsEqual(b.endorsers, by: { $0.account == $1.account && $0.weight == $1.weight })
        && a.endorsed.elementsEqual(b.endorsed, by: { $0.account == $1.account && $0.weight == $1.weight })
    }
  }

  /// The components, largest singular value first.
  public let components: [Component]
  /// The full decomposition, for detectors that need every component.
  public let svd: LanczosSVD
  /// The binary adjacency that was decomposed.
  public let adjacency: SparseMatrix

  /// Decomposes the endorsement adjacency of `set`.
  /// - Parameters:
  ///   - rank: How many singular triplets, k (capped at the number of accounts).
  ///   - top: How many accounts to keep per singular vector.
  ///   - seed: The seed of the randomized SVD; equal seeds give equal results.
  /// - Throws: ``EndorsementSpectrumError`` with the decomposition's message
  ///   when the SVD fails.
  public init(_ set: SignalSet, rank: Int, top: Int = 10, seed: UInt64 = 1) throws(EndorsementSpectrumError) {
    try self.init(adjacency: Self.binaryAdjacency(set), rank: rank, top: top, seed: seed)
  }

  /// Decomposes `adjacency`, the binary endorsement adjacency of a set
  /// (``binaryAdjacency(_:)``, or ``EndorsementGraph/binaryAdjacency``, the
  /// same matrix); the parameters are those of ``init(_:rank:top:seed:)``.
  /// - Throws: ``EndorsementSpectrumError`` when the SVD fails.
  init(adjacency: SparseMatrix, rank: Int, top: Int = 10, seed: UInt64 = 1) throws(EndorsementSpectrumError) {
    self.adjacency = adjacency
    let k = min(rank, adjacency.rows)
    do {
      svd = try LanczosSVD(adjacency, rank: k, seed: seed)
    } catch {
      throw EndorsementSpectrumError(rank: rank, reason: "\(error)")
    }
    var components: [Component] = []
    for c in 0..<k {
      components.append(
        Component(
          singularValue: svd.singularValues[c],
          endorsers: Self.largest(svd.u.column(c), top),
          endorsed: Self.largest(svd.v.column(c), top)))
    }
    self.components = components
  }

  /// The binary endorser × endorsed matrix of `set`'s endorsements (the
  /// interactions `policy` counts as such).
  public static func binaryAdjacency(_ set: SignalSet, policy: EndorsementPolicy = .standard) -> SparseMatrix {
    let n = set.accounts.count
    let endorses = policy.endorsements(of: set.interactions)
    let i = set.interactions
    let rows = i.source.indices.filter { endorses[$0] }
    let out = Adjacency(nodeCount: n, sources: rows.map { i.source[$0] }, targets: rows.map { i.target[$0] })
    var rowOffsets = [Int](repeating: 0, count: n + 1)
    var columns: [Int32] = []
    columns.reserveCapacity(out.edgeCount)
    var row: [Int32] = []
    for v in 0..<Int32(n) {
      row.removeAll(keepingCapacity: true)
      row.append(contentsOf: out.neighbors(of: v))
      row.sort()
      var previous: Int32 = -1
      for w in row where w != previous {
        columns.append(w)
        previous = w
      }
      rowOffsets[Int(v) + 1] = columns.count
    }
    return SparseMatrix(
      rows: n, columns: n, rowOffsets: rowOffsets, columnIndices: columns,
      values: [Double](repeating: 1, count: columns.count))
  }

  /// The `count` entries of largest magnitude, largest first (ties by index).
  /// - Complexity: O(*n* · `count`), one pass with a small sorted buffer.
  static func largest(_ vector: [Double], _ count: Int) -> [(account: Int32, weight: Double)] {
    guard count > 0 else { return [] }
    var kept: [Int] = []  // indices, by decreasing magnitude
    kept.reserveCapacity(count + 1)
    for i in vector.indices {
      let x = abs(vector[i])
      if kept.count == count, x <= abs(vector[kept[count - 1]]) { continue }
      var at = kept.count
      while at > 0, abs(vector[kept[at - 1]]) < x { at -= 1 }
      kept.insert(i, at: at)
      if kept.count > count { kept.removeLast() }
    }
    return kept.map { (Int32($0), vector[$0]) }
  }
}
