import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The pre-filter as an HTTP service: what `fraudscan serve` runs.
///
/// Opening it takes the state file's lock (a second server on the same file
/// is refused), restores the latest checkpoint and replays the events after
/// it. ``run()`` serves until SIGTERM or SIGINT (or ``shutdown()``): then
/// the server stops accepting, drains the requests in flight, and writes a
/// checkpoint.
///
///     let logger = Logger(label: "fraudscan.serve")
///     let token = try ServeConfiguration.token(file: "token.txt")
///     let server = try FraudServer(configuration: ServeConfiguration(statePath: "state.sqlite", token: token), logger: logger)
///     try await server.run()
public final class FraudServer: Sendable {
  /// The `Server` header of every response.
  static let serverName = "fraudscan"

  private let group: ServiceGroup
  private let listening = ListeningPort()

  /// Opens the state and prepares the server; `handlesSignals` installs the
  /// SIGTERM and SIGINT handlers that shut it down gracefully.
  ///
  /// - Throws: ``ServeError`` when the state file cannot be used (locked by another server among others).
  public init(configuration: ServeConfiguration, logger: Logger, handlesSignals: Bool = true) throws {
    guard !configuration.token.isEmpty else { throw ServeError.noToken(source: "the configuration") }
    let metrics = ServiceMetrics()
    let core = try DecisionCore(configuration: configuration, metrics: metrics, logger: logger)
    let routes = ServeRoutes(core: core, configuration: configuration, metrics: metrics, logger: logger)
    let listening = self.listening
    let events = routes.events
    let token = routes.token
    // The idle timeout is the events handler's (Hummingbird's own never sees
    // the requests that handler takes, and would close a connection under one).
    let idle = configuration.idleTimeout
    let application = Application(
      router: routes.build(),
      server: .http1(
        configuration: .init(
          additionalChannelHandlers: {
            let handler = EventsChannelHandler(
              endpoint: events, token: token, metrics: metrics, serverName: Self.serverName, idleTimeout: idle)
            guard let idle else { return [handler] }
            return [IdleStateHandler(readTimeout: idle), handler]
          }())),
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: Self.serverName),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        logger.info("listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        await listening.set(port)
      },
      logger: logger)
    group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [
          .init(service: CheckpointOnShutdown(core: core)),
          .init(service: application),
        ],
        gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
        logger: logger))
  }

  /// Serves until a graceful shutdown (a signal or ``shutdown()``) has drained and checkpointed.
  public func run() async throws {
    try await group.run()
  }

  /// Starts a graceful shutdown, as SIGTERM does.
  public func shutdown() async {
    await group.triggerGracefulShutdown()
  }

  /// The port the server listens on, once it does (useful with port 0).
  public func port() async -> Int {
    await listening.wait()
  }
}
