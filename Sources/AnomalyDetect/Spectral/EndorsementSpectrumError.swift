/// Why an ``EndorsementSpectrum`` could not be computed: the truncated SVD
/// of the endorsement adjacency failed.
///
/// ```text
/// the rank-10 endorsement spectrum could not be computed (LAPACK LanczosSVD did not converge (info=43))
/// ```
public struct EndorsementSpectrumError: Error, Equatable, Sendable, CustomStringConvertible {
  /// How many singular triplets were asked for.
  public var rank: Int
  /// The decomposition's own message.
  public var reason: String

  /// Creates the error of a rank-`rank` decomposition that failed because of `reason`.
  public init(rank: Int, reason: String) {
    self.rank = rank
    self.reason = reason
  }

  /// What failed, as a clause without the reason: `the rank-10 endorsement
  /// spectrum could not be computed`.
  public var failure: String { "the rank-\(rank) endorsement spectrum could not be computed" }

  /// What failed and why.
  public var description: String { "\(failure) (\(reason))" }
}
