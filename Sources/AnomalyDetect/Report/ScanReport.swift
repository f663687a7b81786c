import Foundation

/// The report of `fraudscan scan`: ranked clusters, most suspicious first.
///
/// Encodes to the contract's JSON (`{"clusters": [...]}`) with ``jsonData()``;
/// the keys `detectors` and `signals` are additions the contract allows.
public struct ScanReport: Sendable, Equatable, Codable {
  /// The clusters, ordered by rank.
  public var clusters: [Cluster]
  /// The detectors that ran, by name.
  public var detectors: [String]
  /// How many signals were scanned.
  public var signals: Int

  /// Creates a report.
  public init(clusters: [Cluster], detectors: [String], signals: Int) {
    self.clusters = clusters
    self.detectors = detectors
    self.signals = signals
  }

  /// The report as pretty-printed JSON with sorted keys (stable for diffs).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// The report keeping only its `top` highest-ranked clusters.
  public func top(_ count: Int) -> ScanReport {
    ScanReport(clusters: Array(clusters.prefix(max(count, 0))), detectors: detectors, signals: signals)
  }

  /// Every account that any cluster of `kind` implicates.
  public func flaggedAccounts(of kind: ManipulationKind) -> Set<String> {
    clusters.lazy.filter { $0.kind == kind }.reduce(into: Set<String>()) { $0.formUnion($1.accounts) }
  }
}
