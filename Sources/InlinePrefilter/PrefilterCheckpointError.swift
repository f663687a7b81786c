/// Why a checkpoint cannot be restored. In each case the caller can still
/// rebuild the state by replaying the stream from its start.
public enum PrefilterCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  /// It was written by a build with another state layout.
  case otherFormat
  /// It was written with other pre-filter settings.
  case otherConfiguration
  /// It is cut short or does not describe a pre-filter's state.
  case damaged
  /// Its bytes differ from those written: its checksum does not match.
  case checksumMismatch
  /// It reads, but its state contradicts itself (the reason in words).
  case inconsistent(String)
  /// Its bytes could not be read from the state file (the reason in words).
  case unreadable(String)
  /// Its event counter disagrees with the counts the decision log stored
  /// beside it, or those counts or the input digest were changed since.
  case disagreesWithLog

  /// A message a person can act on.
  public var description: String {
    switch self {
    case .otherFormat: return "the checkpoint was written by another version of fraudscan"
    case .otherConfiguration: return "the checkpoint was written with other pre-filter settings"
    case .damaged: return "the checkpoint is damaged (cut short or not a pre-filter's state)"
    case .checksumMismatch: return "the checkpoint is damaged (its checksum does not match its bytes)"
    case let .inconsistent(reason): return "the checkpoint is damaged (\(reason))"
    case let .unreadable(reason): return "the checkpoint could not be read from the state file (\(reason))"
    case .disagreesWithLog:
      return "the checkpoint's event and line counts or input digest disagree with the decision log (edited or damaged)"
    }
  }
}
