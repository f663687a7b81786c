import SignalGraph

/// The knobs behind one `SynthScale`: population size, activity rates and
/// how many manipulation groups of each kind are planted.
struct SynthParameters {
  /// Total accounts written to `accounts.csv`, honest and fake.
  var accounts: Int
  /// Groups planted per manipulation kind (farms, rings, template rings).
  var groupsPerKind: Int
  /// Mean honest follows made per person.
  var followsMean: Double
  /// Mean honest likes made per person.
  var likesMean: Double
  /// Mean honest payments to merchants per person.
  var merchantPaymentsMean: Double
  /// Share of persons paid a monthly salary.
  var salaryShare: Double
  /// Share of households paying monthly rent to a landlord.
  var rentShare: Double
  /// Smaller farms and template rings, so `tiny` keeps its fraud share near 5 %.
  var compact: Bool

  init(scale: SynthScale) {
    switch scale {
    case .tiny:
      self = SynthParameters(
        accounts: 1_000, groupsPerKind: 2, followsMean: 2.4, likesMean: 2.2,
        merchantPaymentsMean: 0.8, salaryShare: 0.10, rentShare: 0.10, compact: true)
    case .small:
      self = SynthParameters(
        accounts: 10_000, groupsPerKind: 10, followsMean: 3.5, likesMean: 4.2,
        merchantPaymentsMean: 1.6, salaryShare: 0.15, rentShare: 0.15, compact: false)
    case .medium:
      self = SynthParameters(
        accounts: 100_000, groupsPerKind: 100, followsMean: 5.5, likesMean: 6.5,
        merchantPaymentsMean: 2.4, salaryShare: 0.18, rentShare: 0.2, compact: false)
    case .large:
      self = SynthParameters(
        accounts: 1_000_000, groupsPerKind: 1_000, followsMean: 2.6, likesMean: 3.0,
        merchantPaymentsMean: 0.8, salaryShare: 0.08, rentShare: 0.1, compact: false)
    case .xlarge:
      self = SynthParameters(
        accounts: 1_250_000, groupsPerKind: 1_250, followsMean: 2.6, likesMean: 3.0,
        merchantPaymentsMean: 0.8, salaryShare: 0.08, rentShare: 0.1, compact: false)
    }
  }

  init(
    accounts: Int, groupsPerKind: Int, followsMean: Double, likesMean: Double,
    merchantPaymentsMean: Double, salaryShare: Double, rentShare: Double, compact: Bool
  ) {
    self.accounts = accounts
    self.groupsPerKind = groupsPerKind
    self.followsMean = followsMean
    self.likesMean = likesMean
    self.merchantPaymentsMean = merchantPaymentsMean
    self.salaryShare = salaryShare
    self.rentShare = rentShare
    self.compact = compact
  }
}
