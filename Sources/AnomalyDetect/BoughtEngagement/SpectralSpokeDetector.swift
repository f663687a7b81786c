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
///   |*v*ⱼ| ≥ ¼ max |*v*| form a candidate block. An honest celebrity's spoke
///   has one column and fails the block test; a farm's has many.
/// - **fBox** [Shah et al. 2014]: an endorser with distinct out-degree *d*
///   has ‖Aᵢ‖ = √*d*, of which its reconstruction explains ‖(UΣ)ᵢ‖. Endorsers
///   (with *d* ≥ 2) of whom less than ``explainedShare`` (½) is explained are
///   flagged: a small farm is too small to own a singular vector, so its
///   members' endorsements go unexplained while celebrity followers' do not.
///   The blocks among the flagged endorsers are then found by the same
///   repeated peeling as ``DenseBlockDetector``, confined to them.
///
/// Every candidate is trimmed and tested with ``EngagementBlockTest``; the
/// score is its min(−log₁₀ p_density, −log₁₀ p_synchrony).
///
///     let spectral = SpectralSpokeDetector(rank: 10)
///     let findings = spectral.findings(in: set, graph: GraphIndex(set))
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
  /// *k*: how many singular triplets.
  public var rank: Int
  /// fBox flags endorsers of whom less than this share of √degree is explained.
  public var explainedShare: Double
  /// A spoke keeps the entries of at least this share of the vector's largest.
  public var spokeShare: Double

  /// Creates the detector.
  public init(rank: Int = 10, explainedShare: Double = 0.5, spokeShare: Double = 0.25) {
    self.rank = rank
    self.explainedShare = explainedShare
    self.spokeShare = spokeShare
  }

  /// The spokes and fBox blocks of `set` that pass the test.
  /// - Throws: ``DetectorError/spectrumFailed(rank:reason:)`` when the
  ///   truncated SVD fails; then neither spokes nor fBox blocks were searched.
  public func findings(in set: SignalSet, graph: GraphIndex) throws(DetectorError) -> [Finding] {
    try findings(in: ScanContext(set, graph: graph))
  }

  /// The spokes and fBox blocks of the context's set, on the endorsement
  /// graph and spectrum the context builds once per scan.
  /// - Throws: ``DetectorError/spectrumFailed(rank:reason:)`` when the
  ///   truncated SVD fails; then neither spokes nor fBox blocks were searched.
  public func findings(in context: ScanContext) throws(DetectorError) -> [Finding] {
    let set = context.set, pairs = context.endorsements
    let n = pairs.nodeCount
    let k = min(rank, n / 2)
    guard pairs.edgeCount > 0, k > 0 else { return [] }
    let svd = try context.spectrum(rank: k).svd
    let test = EngagementBlockTest()
    var scratch = EngagementBlockTest.Scratch(accounts: n)
    var findings: [Finding] = []
    var claimed = [Bool](repeating: false, count: n)

    // Spokes.
    for c in 0..<k where svd.singularValues[c] > 0 {
      let rows = Self.spoke(svd.u.column(c), share: spokeShare)
      let columns = Self.spoke(svd.v.column(c), share: spokeShare)
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

    // fBox: endorsers the rank-k reconstruction leaves unexplained.
    var excluded = [Bool](repeating: true, count: n)
    var flagged = 0
    for i in 0..<n {
      let d = pairs.outDegree(of: Int32(i))
      guard d >= 2, !claimed[i] else { continue }
      var explained = 0.0
      for c in 0..<k {
        let x = svd.u[i, c] * svd.singularValues[c]
        explained += x * x
      }
      if explained.squareRoot() < explainedShare * Double(d).squareRoot() {
        excluded[i] = false
        flagged += 1
      }
    }
    guard flagged > 0 else { return findings }
    findings += DenseBlockDetector().search(
      in: set, pairs: pairs, excludedRows: excluded, detector: name,
      lead: "fBox (endorsers whose degree the top-\(k) spectrum leaves unexplained; peeling")
    return findings
  }

  /// The indices whose |entry| is at least `share` of the largest, at most 2 000.
  static func spoke(_ vector: [Double], share: Double) -> [Int32] {
    let top = vector.reduce(0) { max($0, abs($1)) }
    guard top > 0 else { return [] }
    var picked: [Int32] = []
    for (i, x) in vector.enumerated() where abs(x) >= share * top {
      picked.append(Int32(i))
      if picked.count >= 2_000 { break }
    }
    return picked
  }
}
