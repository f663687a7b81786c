import Foundation
import FraudLinalg
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InvestigationReport

@Suite struct ScanContextTests {
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures")

  /// Where an array's elements live: equal for two copies sharing one buffer.
  static func storage<T>(_ array: [T]) -> UnsafeRawPointer? {
    array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
  }

  /// Accounts a, b, c, d (first seen in that order): a → c twice, a → b,
  /// c → a, b → b, the rows out of time order and of two kinds.
  static func small() -> SignalSet {
    var set = SignalSet()
    set.addInteraction(source: "a", target: "c", kind: "like", time: 50)
    set.addInteraction(source: "a", target: "b", kind: "follow", time: 10)
    set.addInteraction(source: "c", target: "a", kind: "like", time: 30)
    set.addInteraction(source: "a", target: "c", kind: "follow", time: 20)
    set.addInteraction(source: "b", target: "b", kind: "like", time: 40)
    set.addInteraction(source: "d", target: "a", kind: "like", time: 60)
    return set
  }

  @Test func theEndorsementGraphsAdjacencyIsTheSpectrumsMatrix() {
    let set = Self.small()
    let ids = set.accounts.ids
    let (a, b, c) = (ids.index(of: "a")!, ids.index(of: "b")!, ids.index(of: "c")!)
    #expect((a, b, c) == (0, 2, 1))  // c is interned before b: rows list targets by index
    let shared = ScanContext(set).endorsements.binaryAdjacency
    let own = EndorsementSpectrum.binaryAdjacency(set)
    // a → {c, b}, c → {a}, b → {b}, d → {a}: 5 distinct pairs.
    #expect(shared.rowOffsets == [0, 2, 3, 4, 5])
    #expect(shared.columnIndices == [1, 2, 0, 2, 0])
    #expect(shared.values == [1, 1, 1, 1, 1])
    #expect(
      shared.rowOffsets == own.rowOffsets && shared.columnIndices == own.columnIndices && shared.values == own.values)
  }

  @Test func eachIndexIsBuiltOncePerContext() throws {
    let context = ScanContext(Self.small())
    #expect(Self.storage(context.endorsements.outTargets) == Self.storage(context.endorsements.outTargets))
    let first = try context.spectrum(rank: 2)
    #expect(Self.storage(try context.spectrum(rank: 2).svd.u.elements) == Self.storage(first.svd.u.elements))
    // The plots take the rank-2 spectrum for its leading vector …
    #expect(Self.storage(try context.spectrum(leading: 1).svd.u.elements) == Self.storage(first.svd.u.elements))
    // … but a detector asking for another rank gets its own decomposition.
    #expect(try context.spectrum(rank: 1).svd.singularValues.count == 1)
    // A new context builds anew.
    #expect(
      Self.storage(ScanContext(Self.small()).endorsements.outTargets) != Self.storage(context.endorsements.outTargets))
  }

  @Test func aScanSharesItsSpectrumWithTheReportAndFindsWhatStandaloneDetectorsFind() throws {
    let set = try SignalSet(contentsOf: Self.fixtures.appendingPathComponent("like-farm").path)
    let context = ScanContext(set)
    let report = AnomalyDetect.Scanner(detectors: AnomalyDetect.Scanner.boughtEngagementDetectors).scan(context)
    #expect(!report.clusters.isEmpty)
    #expect(report.warnings.isEmpty)
    // Each detector run on its own (its own context) finds the same.
    let graph = GraphIndex(set)
    var alone: [Finding] = []
    for detector in AnomalyDetect.Scanner.boughtEngagementDetectors {
      alone += try detector.findings(in: set, graph: graph)
    }
    #expect(report.clusters == ClusterRanking.rank(alone, accounts: set.accounts))
    // The report's scatter plots reuse the spectral detector's rank-10 decomposition.
    let spectral = try context.spectrum(rank: SpectralSpokeDetector().thresholds.rank)
    let plotted = try #require(HTMLReport.spectrum(of: context).computed)
    #expect(Self.storage(plotted.svd.u.elements) == Self.storage(spectral.svd.u.elements))
    // Its leading vectors are the rank-3 decomposition's, to the Lanczos
    // tolerance and up to sign (u₃'s largest entries, jo's and kim's, tie
    // at ±0.454, so which one the sign rule makes positive is rounding's choice).
    let own = try #require(HTMLReport.spectrum(of: set).computed)
    for c in 0..<3 {
      #expect(abs(plotted.components[c].singularValue - own.components[c].singularValue) < 1e-8)
      let x = plotted.svd.u.column(c), y = own.svd.u.column(c)
      let same = zip(x, y).map { abs($0 - $1) }.max() ?? 0, flipped = zip(x, y).map { abs($0 + $1) }.max() ?? 0
      #expect(min(same, flipped) < 1e-6, "u\(c + 1)")
    }
  }
}
