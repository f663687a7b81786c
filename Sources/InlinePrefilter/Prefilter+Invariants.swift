import SignalGraph

extension Prefilter {
  /// Debug builds only: stops on the first broken invariant
  /// (``invariantViolation()``). Runs after every sweep; compiled out of
  /// release builds, where a restored checkpoint is checked instead.
  ///
  /// - Complexity: O(state).
  func checkInvariants() {
    #if DEBUG
      if let violation = invariantViolation() { preconditionFailure(violation) }
    #endif
  }

  /// The first broken invariant of the state, in words, or `nil`: every id a
  /// check holds is in range and live in its table (a stale id would hand a
  /// forgotten account's history to the new account that reuses it), list
  /// heads lie within their lists, and the indexes agree with each other
  /// (each check's ``PrefilterCheck/invariantViolation(names:)``, in order).
  /// Checked in every build when a checkpoint is restored, so a damaged one
  /// is refused instead of crashing a later decision.
  ///
  /// - Complexity: O(state).
  func invariantViolation() -> String? {
    guard nextSeq >= 0 else { return "a negative event counter" }
    guard checks.map({ type(of: $0).partName }) == Self.checkTypes.map({ $0.partName }) else {
      return "the checks are not those the pre-filter runs"
    }
    for check in checks {
      if let violation = check.invariantViolation(names: names) { return violation }
    }
    return nil
  }
}
