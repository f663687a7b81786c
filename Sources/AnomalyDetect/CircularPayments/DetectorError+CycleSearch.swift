/// The failure the detectors that search temporal payment cycles
/// (``CircularPaymentDetector``, ``GatherScatterDetector``) report, in one
/// place so that they say it in the same words.
extension DetectorError {
  /// The temporal cycle search over the payments could not start because of
  /// `error` (options out of bounds, more payments than 32-bit rows name).
  static func cycleSearchFailed(_ error: TemporalCycleError) -> DetectorError {
    DetectorError(
      "the payment cycle search could not start", reason: error.description, missing: "no payment cycle was searched")
  }
}
