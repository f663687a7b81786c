/// The three kinds of manipulation fraudscan looks for, named as in the
/// contract's `kind` field and in fixtures' `labels.csv`.
public enum ManipulationKind: String, CaseIterable, Codable, Sendable, Comparable {
  /// Follower and like farms: fake or hijacked accounts endorsing customers.
  case boughtEngagement = "bought_engagement"
  /// Profile details bought from one template.
  case fakeProfile = "fake_profile"
  /// Money passed round a ring to fake a payment history.
  case circularPayment = "circular_payment"

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
