import Foundation
import SignalGraph

/// The report of `fraudscan scan`: ranked clusters, most suspicious first.
///
/// Encodes to the contract's JSON (`{"clusters": [...]}`) with ``jsonData()``;
/// the keys `detectors`, `signals` and `warnings` are additions the contract
/// allows. `warnings` is written only when there is one, so the report of a
/// scan in which every detector ran is the same as before the key existed; a
/// reader takes a missing `warnings` as none.
public struct ScanReport: Sendable, Equatable, Codable {
  /// The clusters, ordered by rank.
  public var clusters: [Cluster]
  /// The detectors that ran, by name.
  public var detectors: [String]
  /// How many signals were scanned.
  public var signals: Int
  /// What went wrong during the scan, one sentence each, starting with the
  /// detector's name: `"spectral: the rank-10 endorsement spectrum could not
  /// be computed (…), so no spoke or fBox block was searched"`. A detector
  /// named here found nothing because it could not search, not because the
  /// set is clean. Empty when every detector ran.
  public var warnings: [String]

  /// Creates a report.
  public init(clusters: [Cluster], detectors: [String], signals: Int, warnings: [String] = []) {
    self.clusters = clusters
    self.detectors = detectors
    self.signals = signals
    self.warnings = warnings
  }

  enum CodingKeys: String, CodingKey {
    case clusters, detectors, signals, warnings
  }

  /// Decodes a report; a missing `warnings` key means none.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    clusters = try c.decode([Cluster].self, forKey: .clusters)
    detectors = try c.decode([String].self, forKey: .detectors)
    signals = try c.decode(Int.self, forKey: .signals)
    warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
  }

  /// Encodes the report, leaving out `warnings` when there is none.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(clusters, forKey: .clusters)
    try c.encode(detectors, forKey: .detectors)
    try c.encode(signals, forKey: .signals)
    if !warnings.isEmpty { try c.encode(warnings, forKey: .warnings) }
  }

  /// The report as pretty-printed JSON with sorted keys (stable for diffs).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// The report keeping only its `top` highest-ranked clusters.
  public func top(_ count: Int) -> ScanReport {
    ScanReport(
      clusters: Array(clusters.prefix(max(count, 0))), detectors: detectors, signals: signals, warnings: warnings)
  }

  /// Every account that any cluster of `kind` implicates.
  public func flaggedAccounts(of kind: ManipulationKind) -> Set<String> {
    clusters.lazy.filter { $0.kind == kind }.reduce(into: Set<String>()) { $0.formUnion($1.accounts) }
  }
}
