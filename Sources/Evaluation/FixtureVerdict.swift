import AnomalyDetect
import InlinePrefilter
import SignalGraph

/// Whether one fixture passes its replay, and why not: what
/// `fraudscan replay` and CI decide from.
///
/// A fixture fails when its scan misses a demand of its expectation
/// (``FixtureEvaluation/shortfalls``), when a detector could not search it
/// (a warning in its report), or, for a fixture with an event stream
/// (`events.ndjson` with `events_truth.csv`), when the pre-filter misses its
/// targets (``PrefilterEvaluation/meetsTargets``).
///
///     let verdict = try FixtureReplay(scanner: .standard).verdict("fixtures/like-farm")
///     if !verdict.passed { print(verdict.shortfalls.map(\.description)) }
public struct FixtureVerdict: Sendable {
  /// The scan's figures against the fixture's labels and expectation.
  public var evaluation: FixtureEvaluation
  /// The scan's report.
  public var report: ScanReport
  /// The pre-filter's figures on the fixture's event stream, if it has one.
  public var prefilter: PrefilterEvaluation?

  /// Creates the verdict on a fixture's scan and, if it has an event stream,
  /// its pre-filter run.
  public init(evaluation: FixtureEvaluation, report: ScanReport, prefilter: PrefilterEvaluation? = nil) {
    self.evaluation = evaluation
    self.report = report
    self.prefilter = prefilter
  }

  /// The fixture's name.
  public var name: String { evaluation.name }

  /// Every reason the fixture fails: the pre-filter's, the expectation's
  /// unmet demands, then the detectors that failed.
  public var shortfalls: [ReplayShortfall] {
    var found: [ReplayShortfall] = []
    if let prefilter, !prefilter.meetsTargets {
      found.append(
        .prefilterMissedTargets(
          fraudWithheld: prefilter.fraudWithheldShare, honestWithheld: prefilter.honestWithheldShare,
          inflationCut: prefilter.inflationCut))
    }
    found += evaluation.shortfalls.map(ReplayShortfall.unmetExpectation)
    if !report.warnings.isEmpty { found.append(.detectorFailures(report.warnings)) }
    return found
  }

  /// Whether the fixture meets everything asked of it.
  public var passed: Bool { shortfalls.isEmpty }
}
