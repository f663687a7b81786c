import ArgumentParser
import FraudService
import InlinePrefilter
import Logging

extension Fraudscan {
  struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the pre-filter as an HTTP service (POST /v1/events, GET /v1/decisions, ...).",
      discussion: """
        Decisions are answered only once committed to the SQLite state file; a restart on the \
        same file resumes where the last acknowledged decision left off. Every /v1 call needs \
        `Authorization: Bearer TOKEN`, the token read from --token-file or FRAUDSCAN_TOKEN. \
        SIGTERM drains the requests in flight and writes a checkpoint. The endpoints are \
        described in docs/openapi.yaml.

        Example:
          fraudscan serve --state /tmp/serve.sqlite --listen 127.0.0.1:8080 \\
              --token-file /tmp/token
        """)

    @Option(help: "The SQLite state file (one server per file).")
    var state: String

    @Option(help: "HOST:PORT to listen on.")
    var listen = "127.0.0.1:8080"

    @Option(help: "A file whose first line is the bearer token (default: the FRAUDSCAN_TOKEN variable).")
    var tokenFile: String?

    @Option(help: "Largest request body in bytes (larger: 413).")
    var maxBodyBytes = 8 << 20

    @Option(help: "Most events waiting for a commit (more: 503 with Retry-After).")
    var maxQueuedEvents = 100_000

    @Option(
      help: "fsync (an acknowledged decision survives a power loss) or process (it survives kill -9 only; faster).")
    var durability = "fsync"

    @Option(help: "Save the pre-filter's state every this many events.")
    var checkpointEvery = 1_000_000

    @Option(help: "Close a connection idle this many seconds, with no request in progress (0: never).")
    var idleTimeout = 75.0

    @Option(help: "Days of history the pre-filter keeps.")
    var windowDays = 60

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Log lines as text or json (one JSON object per line), on standard error.")
    var logFormat = "text"

    func run() async throws {
      var prefilter = PrefilterConfiguration()
      prefilter.windowDays = windowDays
      try prefilter.validate()
      let (host, port) = try ServeConfiguration.listenAddress(listen)
      var configuration = ServeConfiguration(statePath: state, token: try ServeConfiguration.token(file: tokenFile))
      configuration.host = host
      configuration.port = port
      configuration.maxBodyBytes = maxBodyBytes
      configuration.maxQueuedEvents = maxQueuedEvents
      guard let mode = Durability(rawValue: durability) else {
        throw ValidationError("--durability must be fsync or process")
      }
      configuration.durability = mode
      configuration.checkpointEvery = max(1, checkpointEvery)
      guard idleTimeout == 0 || (idleTimeout >= ServeConfiguration.shortestIdleTimeout && idleTimeout.isFinite) else {
        throw ValidationError(
          "--idle-timeout must be 0 (never) or a number of seconds of at least \(ServeConfiguration.shortestIdleTimeout), not \(idleTimeout)"
        )
      }
      configuration.idleTimeoutSeconds = idleTimeout
      configuration.prefilter = prefilter
      guard let level = Logger.Level(rawValue: logLevel) else {
        throw ValidationError("unknown --log-level \(logLevel)")
      }
      switch logFormat {
      case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
      case "text":
        LoggingSystem.bootstrap { label in
          var handler = StreamLogHandler.standardError(label: label)
          handler.logLevel = level
          return handler
        }
      default: throw ValidationError("--log-format must be text or json")
      }
      let server = try FraudServer(configuration: configuration, logger: Logger(label: "fraudscan.serve"))
      try await server.run()
    }
  }
}
