import InlinePrefilter
import Prometheus
import Synchronization

/// The service's Prometheus metrics, in a registry of its own (not the
/// process-wide `MetricsSystem`, so that several servers in one process,
/// as in the tests, keep separate counts). `GET /metrics` renders it.
///
/// - `fraudscan_events_total{kind, outcome}`: events taken, by kind
///   (`payment`, `interaction`, `profile_edit`, `malformed`; `any` for
///   retries, which are not parsed again) and outcome
///   (`admit`, `hold`, `error`, `duplicate` for an answered retry, `conflict`
///   for an id reused by another event);
/// - `fraudscan_revocations_total`: earlier admits revoked;
/// - `fraudscan_request_duration_seconds{route}`: latency histogram;
/// - `fraudscan_http_responses_total{route, status}`;
/// - `fraudscan_event_loop_responses_total`: of those, the `POST /v1/events`
///   answers written on the connection's event loop (``EventsChannelHandler``)
///   rather than by the router;
/// - `fraudscan_idle_connections_closed_total`: connections closed after
///   idling ``ServeConfiguration/idleTimeoutSeconds``;
/// - `fraudscan_commit_events`: events per group commit (histogram);
/// - gauges: the pre-filter's footprint (`fraudscan_prefilter_*`), the state
///   file's size, the queue, the checkpoint's age, and the long polls
///   waiting (`fraudscan_long_polls_waiting`).
final class ServiceMetrics: Sendable {
  let registry: PrometheusCollectorRegistry
  private let events: [String: Counter]
  /// The same counters, indexed as ``EventTally/counts``.
  private let eventCounters: [Counter]
  let revocations: Counter
  let eventLoopResponses: Counter
  let idleConnectionsClosed: Counter
  let commitSize: ValueHistogram
  let queuedEvents: Gauge
  let checkpointAge: Gauge
  let eventsSinceCheckpoint: Gauge
  let stateBytes: Gauge
  let decidedEvents: Gauge
  /// `GET /v1/decisions` requests waiting for a decision (long polls):
  /// clients parked on the server, each a connection held.
  private let longPolls: Gauge
  private let footprint: [(String, Gauge)]
  /// The latency histogram and response counters by route (and status),
  /// kept once made: the registry's own lookup builds label arrays and
  /// strings on every call, and a request would pay it twice.
  private let perRoute = Mutex<RouteMetrics>(RouteMetrics())

  private struct RouteMetrics {
    var latencies: [String: DurationHistogram] = [:]
    var responses: [ResponseKey: Counter] = [:]
  }

  private struct ResponseKey: Hashable {
    var route: String
    var status: Int
  }

  static let kinds = ["payment", "interaction", "profile_edit", "malformed", "any"]
  static let outcomes = ["admit", "hold", "error", "duplicate", "conflict"]

  init() {
    let registry = PrometheusCollectorRegistry()
    self.registry = registry
    var events: [String: Counter] = [:]
    for kind in Self.kinds {
      for outcome in Self.outcomes {
        events[kind + "/" + outcome] = registry.makeCounter(
          descriptor: Self.named("fraudscan_events_total", "Events taken, by kind and outcome"),
          labels: [("kind", kind), ("outcome", outcome)])
      }
    }
    self.events = events
    eventCounters = Self.kinds.flatMap { kind in Self.outcomes.map { events[kind + "/" + $0]! } }
    revocations = registry.makeCounter(
      descriptor: Self.named("fraudscan_revocations_total", "Earlier admits revoked by later events"))
    eventLoopResponses = registry.makeCounter(
      descriptor: Self.named(
        "fraudscan_event_loop_responses_total", "POST /v1/events answers written on the connection's event loop"))
    idleConnectionsClosed = registry.makeCounter(
      descriptor: Self.named(
        "fraudscan_idle_connections_closed_total", "Connections closed after idling the idle timeout"))
    commitSize = registry.makeValueHistogram(
      descriptor: Self.named("fraudscan_commit_events", "Events made durable per group commit"),
      buckets: [1, 4, 16, 64, 256, 1_024, 4_096, 16_384, 65_536])
    queuedEvents = registry.makeGauge(
      descriptor: Self.named("fraudscan_queued_events", "Events waiting for the next group commit"))
    checkpointAge = registry.makeGauge(
      descriptor: Self.named(
        "fraudscan_checkpoint_age_seconds", "Seconds since the pre-filter's state was last checkpointed"))
    eventsSinceCheckpoint = registry.makeGauge(
      descriptor: Self.named(
        "fraudscan_events_since_checkpoint", "Events a restart would replay after the latest checkpoint"))
    stateBytes = registry.makeGauge(
      descriptor: Self.named("fraudscan_state_file_bytes", "Size of the state file and its WAL"))
    decidedEvents = registry.makeGauge(
      descriptor: Self.named("fraudscan_decided_events", "Events decided and durable (the next seq)"))
    longPolls = registry.makeGauge(
      descriptor: Self.named("fraudscan_long_polls_waiting", "GET /v1/decisions requests waiting for a decision"))
    footprint = [
      "accounts", "account_id_range", "profile_values", "payments", "endorsements", "target_pairs", "profile_edits",
      "rarity_counters", "bios",
    ].map { name in
      (
        name,
        registry.makeGauge(
          descriptor: Self.named("fraudscan_prefilter_\(name)", "Pre-filter state held in memory: \(name)"))
      )
    }
  }

  private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)  // the unit is part of `name`
  }

  /// Counts a long poll in the gauge from when it begins waiting until
  /// `body` returns (a compare-and-swap on the gauge's own value, so
  /// concurrent scrapes read the same count).
  func waitingPoll<T>(_ body: () async throws -> T) async rethrows -> T {
    longPolls.increment()
    defer { longPolls.decrement() }
    return try await body()
  }

  /// Counts one event of `kind` with `outcome`.
  func event(kind: String, outcome: String) {
    events[kind + "/" + outcome]?.increment()
  }

  /// Adds a group's counts.
  func count(_ tally: EventTally) {
    for (counter, n) in zip(eventCounters, tally.counts) where n > 0 { counter.increment(by: Int64(n)) }
  }

  /// Sets the footprint gauges.
  func record(_ f: PrefilterFootprint) {
    let values = [
      f.accounts, f.accountIdRange, f.profileValues, f.payments, f.endorsements, f.targetPairs, f.profileEdits,
      f.rarityCounters, f.bios,
    ]
    for ((_, gauge), value) in zip(footprint, values) { gauge.set(to: Double(value)) }
  }

  private static let buckets: [Duration] = [
    .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
    .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
    .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
  ]

  /// The latency histogram of `route` (the registry returns the same one for the same labels).
  func latency(route: String) -> DurationHistogram {
    let registry = registry
    return perRoute.withLock { metrics in
      if let made = metrics.latencies[route] { return made }
      let made = registry.makeDurationHistogram(
        descriptor: Self.named("fraudscan_request_duration_seconds", "Request latency by route"),
        labels: [("route", route)], buckets: Self.buckets)
      metrics.latencies[route] = made
      return made
    }
  }

  /// Counts one response.
  func response(route: String, status: Int) {
    let registry = registry
    let key = ResponseKey(route: route, status: status)
    perRoute.withLock { metrics in
      if let made = metrics.responses[key] { return made }
      let made = registry.makeCounter(
        descriptor: Self.named("fraudscan_http_responses_total", "HTTP responses by route and status"),
        labels: [("route", route), ("status", String(status))])
      metrics.responses[key] = made
      return made
    }.increment()
  }
}
