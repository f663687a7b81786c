/// A manipulation kind as written to `labels.csv`.
enum SynthLabel: UInt8, CaseIterable {
  case boughtEngagement
  case fakeProfile
  case circularPayment

  /// The label text the data contract uses.
  var name: String {
    switch self {
    case .boughtEngagement: return "bought_engagement"
    case .fakeProfile: return "fake_profile"
    case .circularPayment: return "circular_payment"
    }
  }
}
