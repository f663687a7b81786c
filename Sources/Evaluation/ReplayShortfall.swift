import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph

/// One reason a fixture fails its replay (see ``FixtureVerdict``).
public enum ReplayShortfall: Sendable, Equatable, CustomStringConvertible {
  /// A demand of the fixture's expectation is not met, in the words of
  /// ``FixtureEvaluation/shortfalls``.
  case unmetExpectation(String)
  /// Detectors could not search the fixture: the scan's warnings, one per
  /// failed detector (``ScanReport/warnings``).
  case detectorFailures([String])
  /// The pre-filter missed its targets (``PrefilterEvaluation/meetsTargets``)
  /// on the fixture's event stream: the shares of fraud and of honest signals
  /// it withheld, and how much of the buyers' inflation it cut (0 … 1).
  case prefilterMissedTargets(fraudWithheld: Double, honestWithheld: Double, inflationCut: Double)

  /// The shortfall in words.
  public var description: String {
    switch self {
    case let .unmetExpectation(demand):
      return demand
    case let .detectorFailures(warnings):
      return "\(warnings.count) detector failure(s)"
    case let .prefilterMissedTargets(fraud, honest, cut):
      return String(
        format: "pre-filter withheld %.1f %% of fraud, %.2f %% of honest signals, cut inflation by %.1f %%",
        100 * fraud, 100 * honest, 100 * cut)
    }
  }
}
