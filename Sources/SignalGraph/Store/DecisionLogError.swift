/// Why a file cannot be used as a ``DecisionLog``.
public enum DecisionLogError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The log was written with schema version `found` (0: before logs
  /// recorded one); this fraudscan reads `supported` only.
  case otherSchema(path: String, found: Int, supported: Int)
  /// The file is a SQLite database, but not a decision log.
  case notADecisionLog(path: String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .otherSchema(path, found, supported):
      return
        "\(path): the decision log has schema version \(found), but this fraudscan reads version \(supported) only; "
        + "use a new state file (the input is then decided again from its start)"
    case let .notADecisionLog(path):
      return
        "\(path): a SQLite database, but not a fraudscan decision log; give --state a new file or one an earlier `fraudscan filter` wrote"
    }
  }
}
