import InlinePrefilter

/// Why the service cannot start, or cannot take a request.
public enum ServeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The state file cannot be opened, read or written (SQLite's message).
  case state(path: String, problem: String)
  /// The state file's own tables disagree with its decision log (edited, or
  /// written by another program); `reason` says where.
  case stateInconsistent(path: String, reason: String)
  /// Replaying the stored events gave other decisions than the stored ones at `seq`.
  case stateDiverged(path: String, seq: Int)
  /// No bearer token was given, or the token file is empty.
  case noToken(source: String)
  /// The token file cannot be read.
  case tokenFile(path: String, reason: String)
  /// `--listen` is not `HOST:PORT`.
  case listenAddress(String)
  /// More events are queued than the service takes: retry after a moment.
  case overloaded(queuedEvents: Int, limit: Int)
  /// One request holds more events than the queue can ever take.
  case batchTooLarge(events: Int, limit: Int)
  /// The service stopped taking events (shutting down, or a write failed).
  case unavailable(reason: String)
  /// A pre-filter setting is out of range.
  case prefilterSettings(PrefilterConfigurationError)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .state(path, problem):
      return problem.hasPrefix(path) ? problem : "\(path): \(problem)"
    case let .stateInconsistent(path, reason):
      return
        "\(path): the service's tables disagree with the decision log (\(reason)); use the state file only with `fraudscan serve`, or start a new one"
    case let .stateDiverged(path, seq):
      return
        "\(path): replaying stored event \(seq) gave another decision than the stored one; the state file was written by another build or settings"
    case let .noToken(source):
      return "no bearer token in \(source): every /v1 call needs one (--token-file FILE or FRAUDSCAN_TOKEN)"
    case let .tokenFile(path, reason):
      return "cannot read the token file \(path): \(reason)"
    case let .listenAddress(text):
      return "\"\(text)\" is not HOST:PORT (for example 127.0.0.1:8080)"
    case let .overloaded(queued, limit):
      return "over capacity: \(queued) events queued, at most \(limit); retry later"
    case let .batchTooLarge(events, limit):
      return "the request holds \(events) events, more than the queue of \(limit) can ever take; send smaller batches"
    case let .unavailable(reason):
      return "not taking events: \(reason)"
    case let .prefilterSettings(error):
      return error.description
    }
  }
}
