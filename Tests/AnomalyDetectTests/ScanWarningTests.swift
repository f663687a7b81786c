import Foundation
import FraudLinalg
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InvestigationReport

/// A detector whose work is a Cholesky factorisation of [[1, 2], [2, 1]]:
/// its second leading minor is 1 − 4 = −3, so it always fails.
struct CholeskyDetector: Detector {
  let name = "cholesky"

  func findings(in set: SignalSet, graph: GraphIndex) throws -> [Finding] {
    _ = try MahalanobisDistance(mean: [0, 0], covariance: Matrix(rowMajor: [[1, 2], [2, 1]]))
    return []
  }
}

@Suite struct ScanWarningTests {
  /// The spectral detector's failure when its decomposition does not converge.
  static let spectralFailure = DetectorError(
    "the rank-10 endorsement spectrum could not be computed", reason: "LAPACK LanczosSVD did not converge (info=43)",
    missing: "no spoke or fBox block was searched")

  /// Two fakes liking one customer.
  static func set() -> SignalSet {
    var set = SignalSet()
    set.addInteraction(source: "f1", target: "c1", kind: "like", time: 1_767_225_600)
    set.addInteraction(source: "f2", target: "c1", kind: "like", time: 1_767_225_601)
    return set
  }

  @Test func aDetectorThatThrowsIsNamedInTheWarningsAndTheOthersStillReport() {
    let scanner = Scanner(detectors: [
      CholeskyDetector(), FixedDetector(kind: .boughtEngagement, ids: ["f1", "f2", "c1"]),
    ])
    let report = scanner.scan(Self.set())
    #expect(report.detectors == ["cholesky", "fixed"])
    #expect(report.warnings == ["cholesky: matrix is not positive definite: leading minor 2 is not positive"])
    #expect(report.clusters.map(\.accounts) == [["c1", "f1", "f2"]])
    #expect(report.top(0).warnings == report.warnings)
  }

  /// A detector DetectorError has never heard of fails in its own words.
  struct QuotaDetector: Detector {
    let name = "quota"

    func findings(in set: SignalSet, graph: GraphIndex) throws(DetectorError) -> [Finding] {
      throw DetectorError(
        "the reputation lookup could not start", reason: "the quota of 0 requests is spent",
        missing: "no account's outside reputation was read")
    }
  }

  @Test func anyDetectorSaysWhatFailedWhyAndWhatIsMissing() {
    let report = Scanner(detectors: [QuotaDetector(), FixedDetector(kind: .boughtEngagement, ids: ["f1"])]).scan(
      Self.set())
    #expect(
      report.warnings == [
        "quota: the reputation lookup could not start (the quota of 0 requests is spent), so no account's outside reputation was read"
      ])
    #expect(report.clusters.count == 1)
  }

  @Test func aScanInWhichEveryDetectorRanHasNoWarning() {
    let report = Scanner(detectors: [FixedDetector(kind: .boughtEngagement, ids: ["f1"])]).scan(Self.set())
    #expect(report.warnings.isEmpty)
  }

  @Test func warningsRoundTripThroughTheJSONReport() throws {
    let report = ScanReport(
      clusters: [], detectors: ["spectral"], signals: 2,
      warnings: [Self.spectralFailure.description])
    let data = try report.jsonData()
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["warnings"] as? [String] == report.warnings)
    #expect(try JSONDecoder().decode(ScanReport.self, from: data) == report)
  }

  @Test func withoutWarningsTheJSONKeepsItsThreeKeys() throws {
    let report = ScanReport(clusters: [], detectors: ["dense-block"], signals: 2)
    let data = try report.jsonData()
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(json.keys) == ["clusters", "detectors", "signals"])
    // A report written before `warnings` existed still reads, with none.
    let old = Data(#"{"clusters": [], "detectors": ["dense-block"], "signals": 2}"#.utf8)
    #expect(try JSONDecoder().decode(ScanReport.self, from: old) == report)
  }

  @Test func detectorErrorsSayWhatFailedAndWhatIsMissing() {
    #expect(
      Self.spectralFailure.description
        == "the rank-10 endorsement spectrum could not be computed (LAPACK LanczosSVD did not converge (info=43)), so no spoke or fBox block was searched"
    )
    #expect(
      EndorsementSpectrumError(rank: 10, reason: "LAPACK LanczosSVD did not converge (info=43)").description
        == "the rank-10 endorsement spectrum could not be computed (LAPACK LanczosSVD did not converge (info=43))")
    #expect(
      DetectorError.cycleSearchFailed(.tooManyPayments(3_000_000_000)).description
        == "the payment cycle search could not start (3000000000 payments exceed the 32-bit row limit), so no payment cycle was searched"
    )
  }

  @Test func theHTMLReportListsTheWarningsEscaped() {
    let set = Self.set()
    let graph = GraphIndex(set)
    let warned = ScanReport(clusters: [], detectors: ["x"], signals: 2, warnings: ["x: <b>failed</b> & stopped"])
    let html = HTMLReport(report: warned).render(set: set, graph: graph, spectrum: HTMLReport.spectrum(of: set))
    #expect(html.contains("<li>x: &lt;b&gt;failed&lt;/b&gt; &amp; stopped</li>"))
    let clean = HTMLReport(report: ScanReport(clusters: [], detectors: ["x"], signals: 2))
      .render(set: set, graph: graph, spectrum: HTMLReport.spectrum(of: set))
    #expect(!clean.contains("id=\"warnings\""))
    #expect(!clean.contains("id=\"spectrum-failure\""))
  }

  /// A NaN entry makes LAPACK reject the matrix: a real failure of the
  /// decomposition, whose reason the report must show, not only that the
  /// spectrum is missing.
  @Test func theHTMLReportSaysWhyTheSpectrumCouldNotBeComputed() {
    var triplets: [(row: Int, column: Int, value: Double)] = []
    for i in 0..<6 {
      triplets.append((row: i, column: (i + 1) % 6, value: i == 2 ? .nan : 1))
      triplets.append((row: i, column: (i + 2) % 6, value: 1))
    }
    let poisoned = SparseMatrix(rows: 6, columns: 6, triplets: triplets)
    let spectrum = HTMLReport.spectrum(interactions: 12) { () throws(EndorsementSpectrumError) in
      try EndorsementSpectrum(adjacency: poisoned, rank: 3, top: 1)
    }
    guard case let .failed(error) = spectrum else {
      Issue.record("a matrix with a NaN entry was decomposed")
      return
    }
    #expect(error.rank == 3)
    #expect(error.reason.contains("LAPACK"), "\(error.reason)")
    let set = Self.set()
    let html = HTMLReport(report: ScanReport(clusters: [], detectors: ["x"], signals: 2))
      .render(set: set, graph: GraphIndex(set), spectrum: spectrum)
    #expect(html.contains("<div class=\"warn\" id=\"spectrum-failure\">No scatter plot: \(error).</div>"))
    #expect(html.contains(">the endorsement spectrum could not be computed</text>"))
  }

  @Test func withoutInteractionsTheReportSaysThereIsNoGraphToDecompose() {
    var set = SignalSet()
    set.addPayment(id: "p", source: "a", target: "b", amount: Amount(micros: 1), time: 1_767_225_600)
    let spectrum = HTMLReport.spectrum(of: set)
    guard case .noEndorsementGraph = spectrum else {
      Issue.record("a set without interactions has a spectrum: \(spectrum)")
      return
    }
    let html = HTMLReport(report: ScanReport(clusters: [], detectors: ["x"], signals: 1))
      .render(set: set, graph: GraphIndex(set), spectrum: spectrum)
    #expect(html.contains(">no endorsement graph to decompose</text>"))
    #expect(!html.contains("id=\"spectrum-failure\""))
  }

  @Test func editBurstFallsBackToEuclideanDistanceOnlyWhenCholeskyFails() {
    // [[1, 2], [2, 1]] is not positive definite: the identity is used, and
    // (3, 4) lies at distance 5 from the origin.
    let fallback = EditBehaviourDetector.mahalanobis(mean: [0, 0], covariance: Matrix(rowMajor: [[1, 2], [2, 1]]))
    #expect(abs(fallback.distance(to: [3, 4]) - 5) < 1e-12)
    // A positive definite covariance is used as given: under diag(4, 16),
    // (2, 4) lies at √(2²/4 + 4²/16) = √2.
    let kept = EditBehaviourDetector.mahalanobis(mean: [0, 0], covariance: Matrix(rowMajor: [[4, 0], [0, 16]]))
    #expect(abs(kept.distance(to: [2, 4]) - 2.0.squareRoot()) < 1e-12)
  }
}
