import Foundation
import FraudLinalg
import SignalGraph

/// Finds farms through the spectrum of the endorsement adjacency: blocks that
/// line up on a singular vector (SpokEn), and small stealthy blocks of
/// endorsers whose endorsements the leading spectrum does not explain (fBox).
///
/// The top-*k* truncated SVD A ≈ U Σ Vᵀ of the binary endorser × endorsed
/// matrix (``EndorsementSpectrum``) is computed once per scan, in the
/// ``ScanContext``, from the endorsement graph the other bought-engagement
/// detectors share.
///
/// - **Spokes** [Prakash et al. 2010]: for each singular pair (*u*, *v*), the
///   endorsers with |*u*ᵢ| ≥ ¼ max |*u*| and the endorsed accounts with
///   |*v*ⱼ| ≥ ¼ max |*v*| (``Thresholds/spokeShare``; at most
///   ``Thresholds/maxSpokeAccounts``, 2 000, each) form a candidate block. An honest celebrity's spoke
///   has one column and fails the block test; a farm's has many.
/// - **fBox** [Shah et al. 2014]: an endorser with distinct out-degree *d*
///   has ‖Aᵢ‖ = √*d*, of which its reconstruction explains
///   *e*ᵢ = ‖(UΣ)ᵢ‖ / √*d*. As in the paper, an endorser is judged against the
///   endorsers of its own degree: those (with *d* ≥ 2) whose *e*ᵢ is in the
///   lowest ``Thresholds/unexplainedPercentile`` (5 %) of their degree class
///   (half-octave bins of *d*) and below ``Thresholds/explainedShare`` (½)
///   are flagged. A small farm is too small to own a singular vector, so its
///   members' endorsements go unexplained while celebrity followers' do not;
///   and in a large graph, where a rank-10 spectrum explains little of most
///   honest endorsers, the percentile keeps fBox to the outliers of the
///   background instead of repeating ``DenseBlockDetector`` over all of it.
///   The blocks among the flagged endorsers are then found by the same
///   repeated peeling as ``DenseBlockDetector`` (with its default
///   thresholds, on the one-way endorsements), confined to them.
///
/// Every candidate is trimmed and tested with ``EngagementBlockTest``; the
/// score is its min(−log₁₀ p_density, −log₁₀ p_synchrony).
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     var thresholds = SpectralSpokeDetector.Thresholds()
///     thresholds.rank = 5
///     let findings = try SpectralSpokeDetector(thresholds: thresholds).findings(in: set, graph: GraphIndex(set))
///
/// [Prakash et al. 2010]: https://doi.org/10.1007/978-3-642-13672-6_40
/// [Shah et al. 2014]: https://doi.org/10.1109/ICDM.2014.36
///
/// > B. A. Prakash, A. Sridharan, M. Seshadri, S. Machiraju, C. Faloutsos.
/// "EigenSpokes: Surprising Patterns and Scalable Community Chipping in
/// Large Graphs." *PAKDD 2010*, pp. 435-448. N. Shah, A. Beutel,
/// B. Gallagher, C. Faloutsos. "Spotting Suspicious Link Behavior with fBox:
/// An Adversarial Perspective." *ICDM 2014*, pp. 959-964.
///
/// - Complexity: that of ``LanczosSVD`` on the adjacency, plus O(*n k*)
///   for the reconstruction norms and the peeling of ``DenseBlockDetector``.
public struct SpectralSpokeDetector: Detector {
  /// `spectral`.
  public var name: String { "spectral" }

  /// The documented thresholds of the detector; in a settings file, the
  /// section `spectral` with the snake_case keys of ``CodingKeys`` (the
  /// block test's are the section `engagement-block-test`):
  ///
  ///     var thresholds = SpectralSpokeDetector.Thresholds()
  ///     thresholds.rank = 5   // rank = 5
  ///     let detector = try SpectralSpokeDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// *k*: how many singular triplets.
    public var rank = 10
    /// fBox flags endorsers of whom less than this share of √degree is explained.
    public var explainedShare = 0.5
    /// fBox flags only endorsers whose explained share is in this lowest
    /// fraction of their degree class.
    public var unexplainedPercentile = 0.05
    /// A spoke keeps the entries of at least this share of the vector's largest.
    public var spokeShare = 0.25
    /// The most accounts a spoke keeps on each side.
    public var maxSpokeAccounts = 2_000

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `rank`, `explained_share`, `unexplained_percentile`,
    /// `spoke_share`, `max_spoke_accounts`.
    public enum CodingKeys: String, CodingKey {
      case rank
      case explainedShare = "explained_share"
      case unexplainedPercentile = "unexplained_percentile"
      case spokeShare = "spoke_share"
      case maxSpokeAccounts = "max_spoke_accounts"
    }
  }

  /// The thresholds in use.
  public let thresholds: Thresholds
  /// The block test in use.
  let test: EngagementBlockTest

  /// A detector with the default thresholds.
  public init() {
    thresholds = Thresholds()
    test = EngagementBlockTest()
  }

  /// A detector with `thresholds`, testing its candidates with `blockTest`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds, blockTest: EngagementBlockTest.Thresholds = .init()) throws(DetectorSettingError)
  {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "spectral")
    try check.within(thresholds.rank, 1...200, .rank, "a whole number")
    try check.share(thresholds.explainedShare, .explainedShare)
    try check.share(thresholds.unexplainedPercentile, .unexplainedPercentile)
    try check.share(thresholds.spokeShare, .spokeShare)
    try check.atLeast(thresholds.maxSpokeAccounts, 2, .maxSpokeAccounts, "a whole number")
    self.thresholds = thresholds
    test = try EngagementBlockTest(validating: blockTest)
  }

  /// The thresholds of the block test in use.
  public var blockTest: EngagementBlockTest.Thresholds { test.thresholds }

  /// The spokes and fBox blocks of `set` that pass the test.
  /// - Throws: ``DetectorError`` when the truncated SVD fails; then neither
  ///   spokes nor fBox blocks were searched.
  public func findings(in set: SignalSet, graph: GraphIndex) throws(DetectorError) -> [Finding] {
    try findings(in: ScanContext(set, graph: graph))
  }

  /// The spokes and fBox blocks of the context's set, on the endorsement
  /// graph and spectrum the context builds once per scan.
  /// - Throws: ``DetectorError`` when the truncated SVD fails; then neither
  ///   spokes nor fBox blocks were searched.
  public func findings(in context: ScanContext) throws(DetectorError) -> [Finding] {
    let set = context.set, pairs = context.endorsements
    let n = pairs.nodeCount
    let k = min(thresholds.rank, n / 2)
    guard pairs.edgeCount > 0, k > 0 else { return [] }
    let svd: LanczosSVD
    do {
      svd = try context.spectrum(rank: k).svd
    } catch {
      throw DetectorError(error.failure, reason: error.reason, missing: "no spoke or fBox block was searched")
    }
    var scratch = EngagementBlockTest.Scratch(accounts: n)
    var findings: [Finding] = []
    var claimed = [Bool](repeating: false, count: n)

    // Spokes.
    for c in 0..<k where svd.singularValues[c] > 0 {
      let rows = Self.spoke(svd.u.column(c), share: thresholds.spokeShare, limit: thresholds.maxSpokeAccounts)
      let columns = Self.spoke(svd.v.column(c), share: thresholds.spokeShare, limit: thresholds.maxSpokeAccounts)
      for o in test.blocks(rows: rows, columns: columns, pairs: pairs, set: set, scratch: &scratch) {
        for i in o.endorsers { claimed[Int(i)] = true }
        let sigma = EngagementBlockTest.round(svd.singularValues[c], 2)
        findings.append(
          test.finding(
            o, detector: name, set: set,
            extra: ["singular_vector": .integer(c + 1), "singular_value": .number(sigma)],
            lead: "Spoke on singular vector \(c + 1) (σ = \(sigma)): "))
      }
    }

    // fBox: endorsers the rank-k reconstruction leaves unexplained, for their degree.
    let unexplained = Self.unexplained(
      svd: svd, rank: k, pairs: pairs, skipping: claimed, share: thresholds.explainedShare,
      percentile: thresholds.unexplainedPercentile)
    guard !unexplained.isEmpty else { return findings }
    var excluded = [Bool](repeating: true, count: n)
    for i in unexplained { excluded[Int(i)] = false }
    var peeling = DenseBlockDetector()
    peeling.test = test
    let percent = Int((thresholds.unexplainedPercentile * 100).rounded())
    findings += peeling.search(
      in: set, pairs: pairs, excludedRows: excluded, detector: name,
      lead: "fBox (endorsers whose degree the top-\(k) spectrum leaves unexplained, "
        + "the lowest \(percent) % for their degree; peeling")
    return findings
  }

  /// fBox's flagged endorsers: those of out-degree *d* ≥ 2, not `skipping`,
  /// whose explained share *e*ᵢ = ‖(UΣ)ᵢ‖ / √*d* is below `share` and at or
  /// below the `percentile` quantile of *e* in their degree class (the
  /// half-octave bin ⌊2 log₂ *d*⌋).
  ///
  /// - Complexity: O(*n k*) for the norms, O(*n* log *n*) for the quantiles.
  static func unexplained(
    svd: LanczosSVD, rank k: Int, pairs: EndorsementGraph, skipping: [Bool], share: Double, percentile: Double
  ) -> [Int32] {
    let n = pairs.nodeCount
    var explained = [Double](repeating: .infinity, count: n)
    var classes: [[Double]] = []
    func degreeClass(_ d: Int) -> Int { Int(2 * log2(Double(d))) }
    for i in 0..<n where !skipping[i] {
      let d = pairs.outDegree(of: Int32(i))
      guard d >= 2 else { continue }
      var norm = 0.0
      for c in 0..<k {
        let x = svd.u[i, c] * svd.singularValues[c]
        norm += x * x
      }
      explained[i] = (norm / Double(d)).squareRoot()
      let b = degreeClass(d)
      if b >= classes.count { classes += Array(repeating: [], count: b + 1 - classes.count) }
      classes[b].append(explained[i])
    }
    let cut = classes.map { shares -> Double in
      guard !shares.isEmpty else { return -.infinity }
      let sorted = shares.sorted()
      return sorted[min(sorted.count - 1, Int(percentile * Double(sorted.count)))]
    }
    var flagged: [Int32] = []
    for i in 0..<n where explained[i] < share {
      if explained[i] <= cut[degreeClass(pairs.outDegree(of: Int32(i)))] { flagged.append(Int32(i)) }
    }
    return flagged
  }

  /// The indices whose |entry| is at least `share` of the largest, at most `limit`.
  static func spoke(_ vector: [Double], share: Double, limit: Int) -> [Int32] {
    let top = vector.reduce(0) { max($0, abs($1)) }
    guard top > 0 else { return [] }
    var picked: [Int32] = []
    for (i, x) in vector.enumerated() where abs(x) >= share * top {
      picked.append(Int32(i))
      if picked.count >= limit { break }
    }
    return picked
  }
}
