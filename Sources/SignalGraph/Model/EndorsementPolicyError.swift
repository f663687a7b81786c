/// Why a list of endorsement kinds was refused (``EndorsementPolicy/init(listing:)``).
public enum EndorsementPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The list names no kind.
  case empty
  /// An entry is not a kind: kinds are lower-case words (`[a-z0-9_-]+`).
  case notAKind(String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case .empty:
      return "no endorsement kind given: list the kinds that endorse, comma-separated, such as follow,like"
    case let .notAKind(entry):
      return "\"\(entry)\" is not an interaction kind: kinds are lower-case words such as follow, like or vouch"
    }
  }
}
