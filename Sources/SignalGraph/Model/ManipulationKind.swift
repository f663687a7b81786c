/// The kinds of manipulation fraudscan looks for: the one list every module
/// reads, named by their raw values as in the report's `kind` field, in
/// `clusters.csv` and `accounts.csv`, and as the labels of `labels.csv`.
///
/// Adding a kind means a case here and one exhaustive `switch` per module
/// that the compiler then points at (the report's colours and drawings);
/// everything that lists the kinds iterates ``allCases``.
///
///     ManipulationKind(rawValue: "fake_profile")   // .fakeProfile
///     ManipulationKind.circularPayment.rawValue     // "circular_payment"
public enum ManipulationKind: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
  /// Follower and like farms: fake or hijacked accounts endorsing customers.
  case boughtEngagement = "bought_engagement"
  /// Profile details bought from one template.
  case fakeProfile = "fake_profile"
  /// Money passed round a ring to fake a payment history.
  case circularPayment = "circular_payment"

  /// Orders kinds by their names, as sorted output lists them.
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

  /// The kind's name as the contract writes it (its raw value), so that
  /// interpolating a kind prints `fake_profile`, never `fakeProfile`.
  public var description: String { rawValue }
}
