import SignalGraph

/// Runs a list of detectors over a signal set and ranks what they find.
///
///     let set = try SignalSource(path: "fixtures/like-farm").load()
///     let report = Scanner.standard.scan(set)
///     print(report.clusters.first?.accounts ?? [])
public struct Scanner: Sendable {
  /// The detectors, run in this order.
  public var detectors: [any Detector]

  /// Creates a scanner running `detectors`.
  public init(detectors: [any Detector]) { self.detectors = detectors }

  /// Every detector fraudscan ships:
  /// - ``CircularPaymentDetector`` (`circular-payment`): rings turning money
  ///   round within hours, conserving it hop after hop (temporal cycles);
  /// - ``GatherScatterDetector`` (`gather-scatter`): money fanned out through
  ///   several intermediaries and converging back on its origin within hours.
  ///
  /// The detectors of bought engagement and fake profiles join this list as
  /// they are written.
  public static let standard = Scanner(detectors: [CircularPaymentDetector(), GatherScatterDetector()])

  /// Scans `set` with every detector and ranks the findings.
  public func scan(_ set: SignalSet, progress: ProgressReporter = .silent) -> ScanReport {
    let graph = GraphIndex(set)
    var findings: [Finding] = []
    for detector in detectors {
      progress.show("scanning: \(detector.name)")
      findings += detector.findings(in: set, graph: graph)
    }
    progress.finish()
    return ScanReport(
      clusters: ClusterRanking.rank(findings, accounts: set.accounts),
      detectors: detectors.map(\.name), signals: set.signalCount)
  }
}
