/// One account's score split into its capped parts, with the inputs each part
/// was computed from, so a person can check it by hand (see ``CreditScore``
/// for the formula).
///
///     let b = CreditScore(try SignalSet(contentsOf: "fixtures/like-farm")).breakdown(of: 3)
///     print(b.score, b.paymentVolume, b.distinctEndorsers)
public struct ScoreBreakdown: Sendable, Equatable, Codable {
  /// Total payment volume in currency units, sent and received.
  public var volumeUnits: Double
  /// Distinct accounts paid by or paying this account.
  public var distinctCounterparties: Int
  /// Distinct 30-day months (counted from the Unix epoch) with a payment.
  public var monthsActive: Int
  /// Distinct accounts that endorsed this account.
  public var distinctEndorsers: Int
  /// Distinct profile fields this account has set.
  public var profileFields: Int
  /// Age in days at the reference time (from `created_at`, else the first signal).
  public var ageDays: Double

  /// Points for payment volume, at most ``CreditScore/volumeCap``.
  public var paymentVolume: Double
  /// Points for distinct counterparties, at most ``CreditScore/counterpartyCap``.
  public var paymentCounterparties: Double
  /// Points for months active, at most ``CreditScore/monthsCap``.
  public var paymentMonths: Double
  /// Points for social standing, at most ``CreditScore/socialCap``.
  public var socialStanding: Double
  /// Points for profile completeness, at most ``CreditScore/profileCap``.
  public var profileCompleteness: Double
  /// Points for account age, at most ``CreditScore/ageCap``.
  public var accountAge: Double

  /// The score: ``CreditScore/floor`` plus the rounded sum of the parts, 350 … 950.
  public var score: Int {
    let sum = paymentVolume + paymentCounterparties + paymentMonths + socialStanding + profileCompleteness + accountAge
    return CreditScore.floor + Int(sum.rounded())
  }
}
