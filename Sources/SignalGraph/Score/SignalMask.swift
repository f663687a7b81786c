/// Which signals of a ``SignalSet`` count: one flag per payment, interaction
/// and profile edit, row for row with the set's tables.
///
/// Scoring with a mask scores only what a pre-filter admitted:
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     var mask = SignalMask(allOf: set)
///     mask.interactions[17] = false      // held by the pre-filter
///     let scores = CreditScore(set, mask: mask)
///
/// - Complexity: O(*n*) memory, one byte per signal.
public struct SignalMask: Sendable, Equatable {
  /// `true` for each payment that counts.
  public var payments: [Bool]
  /// `true` for each interaction that counts.
  public var interactions: [Bool]
  /// `true` for each profile edit that counts.
  public var profileEdits: [Bool]

  /// A mask that counts every signal of `set`.
  public init(allOf set: SignalSet) {
    payments = Array(repeating: true, count: set.payments.count)
    interactions = Array(repeating: true, count: set.interactions.count)
    profileEdits = Array(repeating: true, count: set.profileEdits.count)
  }
}
