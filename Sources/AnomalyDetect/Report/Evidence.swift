/// The evidence of a finding: a small JSON value a person can read, such as
/// `{"density": 4.2, "background_density": 0.3, "window": "2026-03-01 12:00–12:40"}`.
///
/// Detectors build it from literals:
///
///     let evidence: Evidence = ["density": 4.2, "accounts": ["u1", "u2"], "reason": "…"]
public indirect enum Evidence: Sendable, Equatable {
  /// Text, such as a reason in words or a timestamp.
  case string(String)
  /// A real number, such as a density or a ratio.
  case number(Double)
  /// A whole number, such as a count.
  case integer(Int)
  /// A yes or no.
  case bool(Bool)
  /// A list, such as the hops of a cycle.
  case array([Evidence])
  /// Named values.
  case object([String: Evidence])
  /// No value.
  case null
}
