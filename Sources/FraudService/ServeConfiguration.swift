import InlinePrefilter
import NIOCore

/// How `fraudscan serve` runs: where its state is, where it listens, who may
/// call it, and its limits.
///
///     var configuration = ServeConfiguration(statePath: "state.sqlite", token: "s3cret")
///     configuration.port = 8080
public struct ServeConfiguration: Sendable {
  /// The SQLite state file (decision log, checkpoints, events, id map); one server per file.
  public var statePath: String
  /// The address to listen on.
  public var host = "127.0.0.1"
  /// The port to listen on; 0 picks a free one (see ``FraudServer/port()``).
  public var port = 8080
  /// The bearer token every `/v1` call must carry.
  public var token: String
  /// The largest request body, in bytes; larger ones get 413.
  public var maxBodyBytes = 8 << 20
  /// The most events waiting for a group commit; a request that would pass it gets 503 with `Retry-After`.
  public var maxQueuedEvents = 100_000
  /// When an acknowledged decision is safe (``Durability``).
  public var durability = Durability.fsync
  /// Save the pre-filter's state at the first group commit after this many events since the last save.
  public var checkpointEvery = 1_000_000
  /// The longest long-poll of `GET /v1/decisions`, in seconds.
  public var maxWaitSeconds = 60
  /// Seconds a connection may go without reading while nothing of it is in
  /// progress (idle between requests, or a request whose client stopped
  /// sending it, or answers it does not read) before the server closes it;
  /// 0 keeps connections open however long they idle (as does anything
  /// not a positive number). Waited at least ``shortestIdleTimeout`` and at
  /// most 10⁹ seconds.
  public var idleTimeoutSeconds = 75.0
  /// The shortest idle timeout: a shorter one would close connections
  /// between a client's requests, and check them without pause.
  public static let shortestIdleTimeout = 0.1
  /// The most signals of one account read for its score (the latest ones).
  public var maxScoreSignals = 100_000
  /// The pre-filter's window and thresholds.
  public var prefilter = PrefilterConfiguration()
  /// The largest group (bytes of its requests) that one thread decides,
  /// writes, fsyncs and answers when the pipeline is idle, instead of
  /// handing it from thread to thread (``CommitQueue``); 0 sends every group
  /// through the pipeline (tests of the pipeline).
  var smallGroupBytes = 64 << 10

  /// ``idleTimeoutSeconds`` as the event loop's time, or nil for none.
  var idleTimeout: TimeAmount? {
    guard idleTimeoutSeconds > 0 else { return nil }
    let seconds = min(max(idleTimeoutSeconds, Self.shortestIdleTimeout), 1e9)
    return .nanoseconds(Int64(seconds * 1e9))
  }

  /// A configuration with the defaults above.
  public init(statePath: String, token: String) {
    self.statePath = statePath
    self.token = token
  }
}
