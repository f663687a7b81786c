/// Why a detector could not search a signal set: what failed, why, and what
/// the scan is missing because of it.
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
///
/// It names no detector: each detector throws it in its own words, so a new
/// detector does not touch this type.
///
///     throw DetectorError(
///       "the payment cycle search could not start", reason: "3000000000 payments exceed the 32-bit row limit",
///       missing: "no payment cycle was searched")
public struct DetectorError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What could not be done, as a clause, e.g. `the payment cycle search
  /// could not start`.
  public var failure: String
  /// Why, usually the underlying error's own message, e.g. `3000000000
  /// payments exceed the 32-bit row limit`.
  public var reason: String
  /// What the scan lacks because of it, as a clause, e.g. `no payment cycle
  /// was searched`.
  public var missing: String

  /// Creates the error of a detector whose `failure` (a clause) happened
  /// because of `reason`, so that the scan lacks `missing` (a clause).
  public init(_ failure: String, reason: String, missing: String) {
    self.failure = failure
    self.reason = reason
    self.missing = missing
  }

  /// One sentence: what failed, why in parentheses, and what the scan is
  /// missing because of it.
  public var description: String { "\(failure) (\(reason)), so \(missing)" }
}
