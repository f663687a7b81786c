/// Why a detector could not search a signal set.
///
/// A detector that throws has searched nothing it can vouch for, so its
/// findings are missing from the scan. ``Scanner/scan(_:progress:)`` keeps
/// going with the other detectors and lists the failure among the report's
/// ``ScanReport/warnings``, as the detector's name and this error's
/// ``description``:
///
/// ```text
/// spectral: the rank-10 endorsement spectrum could not be computed (LAPACK LanczosSVD did not converge (info=43)), so no spoke or fBox block was searched
/// ```
public enum DetectorError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The truncated SVD of the endorsement adjacency failed; `reason` is the
  /// decomposition's own message.
  case spectrumFailed(rank: Int, reason: String)
  /// The temporal cycle search over the payments could not start.
  case cycleSearchFailed(TemporalCycleError)

  /// A sentence saying what failed and what the scan is missing because of it.
  public var description: String {
    switch self {
    case let .spectrumFailed(rank, reason):
      return "the rank-\(rank) endorsement spectrum could not be computed (\(reason)), so no spoke or fBox block was searched"
    case let .cycleSearchFailed(error):
      return "the payment cycle search could not start (\(error)), so no payment cycle was searched"
    }
  }
}
