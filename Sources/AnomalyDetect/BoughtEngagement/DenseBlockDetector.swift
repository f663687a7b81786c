import Foundation
import SignalGraph

/// Finds like and follower farms as dense blocks of the endorser × endorsed
/// graph, by FRAUDAR's camouflage-resistant greedy peeling, repeated to find
/// several blocks.
///
/// Every distinct endorsing pair that the endorsed account does not return
/// is an edge weighing 1 / ln(*d* + 5), *d* the endorsed account's distinct
/// endorsers, and ``GreedyPeeling`` finds the block of highest weighted
/// density f(*S*) / |*S*|. Reciprocated endorsements are left out of the
/// peeling: a club whose members all follow each other is the densest block
/// of many sets, and, being mutual ties rather than bought ones (see
/// ``EngagementBlockTest``), would only spend the search's patience. Edges to celebrities
/// weigh little, so a farm's camouflage follows neither hide it nor pull the
/// celebrities in, and an honest celebrity's thousand followers form a block
/// of density at most its one weight.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let findings = DenseBlockDetector().findings(in: set, graph: GraphIndex(set))
///     findings.first?.evidence   // endorsers, customers, density, window, reason …
///
/// **Several blocks.** A first pass over the whole graph gives every node a
/// peel value; a block of density g that no single removal makes denser has
/// all its nodes at peel value ≥ g, so the next passes peel only the nodes at
/// or above ``Thresholds/minimumDensity`` (0.35), in their connected parts.
/// Each part is peeled alone; each pass takes the densest block of any part
/// (a block spanning two parts is never denser than both) and re-peels only
/// the rest of the part it came from, and of that only the core that can
/// hold its densest block (``GreedyPeeling/densestBlock(bounds:)``, from the
/// part's last peel values). The block is tested with
/// ``EngagementBlockTest`` (block shape, Chung–Lu density with a Poisson tail
/// ≤ α, synchrony with a scan-statistic tail ≤ α, α = 1 % / accounts),
/// reported if it passes, and its nodes are removed either way. **Stopping
/// rule:** peeling stops when the densest block left is below
/// ``Thresholds/minimumDensity``, when ``Thresholds/patience`` (40) blocks in
/// a row fail the test (what remains is no denser than the background gives
/// by chance), or after ``Thresholds/maximumBlocks`` (2 000) passes.
///
/// **Score:** min(−log₁₀ p_density, −log₁₀ p_synchrony) of the test.
///
/// [Hooi et al. 2016]: https://doi.org/10.1145/2939672.2939747
///
/// > B. Hooi, H. A. Song, A. Beutel, N. Shah, K. Shin, C. Faloutsos.
/// "FRAUDAR: Bounding Graph Fraud in the Face of Camouflage."
/// *KDD 2016*, pp. 895-904.
///
/// - Complexity: O(|*E*| log |*V*|) for the first pass and for the region's
///   parts, then O(|*E*ₚ| log |*V*ₚ|) per block for the part *p* it came from;
///   memory linear in the edges.
public struct DenseBlockDetector: Detector {
  /// `dense-block`.
  public var name: String { "dense-block" }

  /// The documented thresholds of the peeling; in a settings file, the
  /// section `dense-block` with the snake_case keys of ``CodingKeys`` (the
  /// block test's are the section `engagement-block-test`):
  ///
  ///     var thresholds = DenseBlockDetector.Thresholds()
  ///     thresholds.minimumDensity = 0.5   // minimum_density = 0.5
  ///     let detector = try DenseBlockDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Nodes whose peel value is below this weighted density are not searched
    /// for blocks after the first pass; a block below it ends the search.
    public var minimumDensity = 0.35
    /// Consecutive blocks failing the test after which the search stops.
    public var patience = 40
    /// The most peeling passes.
    public var maximumBlocks = 2_000

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `minimum_density`, `patience`, `maximum_blocks`.
    public enum CodingKeys: String, CodingKey {
      case minimumDensity = "minimum_density"
      case patience
      case maximumBlocks = "maximum_blocks"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds
  /// The block test in use.
  var test: EngagementBlockTest

  /// A detector with the default thresholds.
  public init() {
    thresholds = Thresholds()
    test = EngagementBlockTest()
  }

  /// A detector with `thresholds`, testing its blocks with `blockTest`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds, blockTest: EngagementBlockTest.Thresholds = .init()) throws(DetectorSettingError)
  {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "dense-block")
    try check.require(
      thresholds.minimumDensity > 0, .minimumDensity, thresholds.minimumDensity, "a number greater than 0")
    try check.atLeast(thresholds.patience, 1, .patience, "a whole number")
    try check.atLeast(thresholds.maximumBlocks, 1, .maximumBlocks, "a whole number")
    self.thresholds = thresholds
    test = try EngagementBlockTest(validating: blockTest)
  }

  /// The thresholds of the block test in use.
  public var blockTest: EngagementBlockTest.Thresholds { test.thresholds }

  /// The dense blocks of `set` that pass the test.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    findings(in: ScanContext(set, graph: graph))
  }

  /// The dense blocks of the context's set, peeled on the endorsement graph
  /// the context builds once for every bought-engagement detector.
  public func findings(in context: ScanContext) -> [Finding] {
    search(
      in: context.set, pairs: context.endorsements, excludedRows: nil, detector: name,
      lead: "Dense block (FRAUDAR peeling")
  }

  /// The repeated peeling, over the endorsers not in `excludedRows`; shared
  /// with ``SpectralSpokeDetector``'s fBox pass.
  func search(
    in set: SignalSet, pairs: EndorsementGraph, excludedRows: [Bool]?, detector: String, lead: String
  ) -> [Finding] {
    let n = pairs.nodeCount
    guard pairs.edgeCount > 0 else { return [] }
    let weights = GreedyPeeling.logWeights(inDegrees: (0..<n).map { pairs.inDegree(of: Int32($0)) })
    let whole = GreedyPeeling(
      rowCount: n, columnCount: n, rowOffsets: pairs.oneWayOffsets, columnIndices: pairs.oneWayTargets,
      columnWeights: weights)
    let (_, peelValue) = whole.peel(removedRows: excludedRows, removedColumns: nil)

    // The region: rows and columns whose peel value reaches the threshold,
    // re-indexed compactly (excluded rows took no part, so their peel value
    // is 0), in its connected parts: a block's removal leaves the other
    // parts' peelings as they were, so each pass re-peels only the part its
    // block came from.
    let minimumDensity = thresholds.minimumDensity
    let accounts = (0..<Int32(n)).map { $0 }
    var parts = Part.parts(
      of: (whole, accounts, accounts), removedRows: (0..<n).map { peelValue[$0] < minimumDensity },
      removedColumns: (0..<n).map { peelValue[n + $0] < minimumDensity }, bounds: nil, minimumDensity: minimumDensity)

    var scratch = EngagementBlockTest.Scratch(accounts: n)
    var findings: [Finding] = []
    var failures = 0
    for _ in 0..<thresholds.maximumBlocks {
      guard let densest = parts.indices.max(by: { parts[$0].block.density < parts[$1].block.density }) else { break }
      let part = parts.remove(at: densest)
      let block = part.block
      let rows = block.rows.map { part.rows[Int($0)] }, columns = block.columns.map { part.columns[Int($0)] }
      var passedAny = false
      for outcome in test.blocks(rows: rows, columns: columns, pairs: pairs, set: set, scratch: &scratch) {
        passedAny = true
        findings.append(
          test.finding(
            outcome, detector: detector, set: set,
            extra: ["peeling_density": .number(EngagementBlockTest.round(block.density, 3))],
            lead: "\(lead), weighted density \(EngagementBlockTest.round(block.density, 2))): "))
      }
      parts += part.removing(block, minimumDensity: minimumDensity)
      if passedAny {
        failures = 0
      } else {
        failures += 1
        if failures >= thresholds.patience { break }
      }
    }
    return findings
  }

  /// A connected part of the region being searched, with its densest block.
  private struct Part {
    /// The part's graph.
    let peeling: GreedyPeeling
    /// The account of each row and column of `peeling`.
    let rows: [Int32], columns: [Int32]
    /// The densest block of `peeling`, in its own indices.
    let block: GreedyPeeling.Block
    /// An upper bound on each node's peel value (rows, then columns).
    let bounds: [Double]

    /// The connected parts of `peeling` (whose rows and columns are the
    /// accounts `rows` and `columns`) less `removedRows` and
    /// `removedColumns`, with a block at least `minimumDensity` dense,
    /// peeled whole, or only in a core when `bounds` bound the peel values
    /// of its nodes (rows, then columns).
    static func parts(
      of peeling: (peeling: GreedyPeeling, rows: [Int32], columns: [Int32]), removedRows: [Bool]? = nil,
      removedColumns: [Bool]? = nil, bounds: [Double]?, guess: Double = 0, minimumDensity: Double
    ) -> [Part] {
      let r = peeling.rows.count
      let components = peeling.peeling.components(removingRows: removedRows, columns: removedColumns)
      return components.compactMap { component in
        let (block, tighter): (GreedyPeeling.Block, [Double])
        if let bounds {
          let own = component.rows.map { bounds[Int($0)] } + component.columns.map { bounds[r + Int($0)] }
          (block, tighter) = component.peeling.densestBlock(bounds: own, guess: guess)
        } else {
          (block, tighter) = component.peeling.peel(removedRows: nil, removedColumns: nil)
        }
        guard !block.rows.isEmpty, !block.columns.isEmpty, block.density >= minimumDensity else { return nil }
        return Part(
          peeling: component.peeling, rows: component.rows.map { peeling.rows[Int($0)] },
          columns: component.columns.map { peeling.columns[Int($0)] }, block: block, bounds: tighter)
      }
    }

    /// The parts of what is left once `block` is removed: their peel values
    /// are at most this part's, so each is peeled only in a core, first
    /// tried at 3/4 of `block`'s density.
    func removing(_ block: GreedyPeeling.Block, minimumDensity: Double) -> [Part] {
      var removedRows = [Bool](repeating: false, count: rows.count)
      var removedColumns = [Bool](repeating: false, count: columns.count)
      for r in block.rows { removedRows[Int(r)] = true }
      for c in block.columns { removedColumns[Int(c)] = true }
      return Self.parts(
        of: (peeling, rows, columns), removedRows: removedRows, removedColumns: removedColumns, bounds: bounds,
        guess: 0.75 * block.density, minimumDensity: minimumDensity)
    }
  }
}
