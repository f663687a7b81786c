import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph
import SignalSynthesis

extension Fraudscan {
  struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure fraudscan's speed (build with -c release).",
      discussion: """
        Reads the signal set at --input, or writes a synthetic one first, and runs the \
        chosen suites; each prints its figures (best of --repeat runs) for BENCHMARKS.md.

        Suites:
          ingest      CSV parse and intern, SQLite append, CSR index build, peak memory
          svd         top-10 truncated SVD of a power-law matrix and of the
                      endorsement graph
          engagement  FRAUDAR peeling of a power-law graph of --peel-edges edges and
                      of the input's endorsements; the whole bought-engagement pass
          profiles    the fake-profile detectors over the profile edits (edits/s)
          cycles      temporal cycles (8 hops, 72 h): index build, enumeration,
                      detector, peak memory; --payments N enumerates a synthetic
                      in-memory multigraph of N payments instead
          report      the investigator's HTML report: the input's scan and 1 000
                      synthetic clusters
          prefilter   the inline pre-filter over the input's events.ndjson: events/s
                      and p50/p99/p99.9 decision latency (synth --stream writes it)
          prefilter-memory
                      the pre-filter over --stream-events generated events whose
                      accounts and values keep changing: remembered state and
                      resident memory at ten checkpoints (flat once the window has
                      filled)
          hostile     valid inputs shaped to stall a scan, each written, loaded,
                      scanned and fed to the pre-filter: complete bipartite follows
                      1 000² and 2 000², one account paying itself a million times,
                      200 000 accounts sharing one value, one account following a
                      million and one followed by a million; time and peak memory
          scan        the whole scan of the input as `fraudscan scan` runs it: each
                      detector's start and end, CPU seconds and resident memory

        Examples:
          swift build -c release
          .build/release/fraudscan bench --scale medium
          .build/release/fraudscan bench --input /tmp/big --suite ingest
          .build/release/fraudscan bench --input /tmp/big --suite engagement \\
              --peel-edges 10000000
          .build/release/fraudscan bench --suite cycles --payments 10000000 --repeat 1
          .build/release/fraudscan bench --suite prefilter-memory --window-days 30
          .build/release/fraudscan bench --suite hostile --repeat 1
        """)

    @Option(help: "A signal-set directory to read instead of synthetic data.")
    var input: String?

    @Option(help: "The synthetic scale to generate when no --input is given.")
    var scale: SynthScale = .medium

    @Option(help: "The synthetic seed.")
    var seed: UInt64 = 1

    @Option(help: "The suites to run (repeatable); all by default.")
    var suite: [BenchSuite] = BenchSuite.allCases

    @Option(name: .customLong("repeat"), help: "Repetitions of each measurement; the best is reported.")
    var repetitions: Int = 3

    @Option(help: "svd: nonzeros of the synthetic power-law matrix.")
    var svdNonzeros: Int = 1_000_000

    @Option(help: "svd: rows and columns of the synthetic matrix.")
    var svdDimension: Int = 200_000

    @Option(help: "svd: also write the synthetic matrix to this Matrix Market file (for scipy).")
    var writeMatrix: String?

    @Option(help: "engagement: edges of the synthetic power-law endorsement graph to peel.")
    var peelEdges: Int = 10_000_000
    @Option(help: "cycles suite: enumerate a synthetic multigraph of this many payments, generated in memory.")
    var payments: Int?

    @Option(help: "cycles suite: also write the payments it enumerates as src,dst,ts CSV to this path.")
    var cyclesCSV: String?

    @Option(help: "prefilter, prefilter-memory: days of history the pre-filter keeps.")
    var windowDays: Int = 60

    @Option(help: "prefilter-memory: events of the generated churning stream.")
    var streamEvents: Int = 10_000_000

    @Option(
      help:
        "prefilter-memory: write the churning stream to DIR/events.ndjson instead of deciding it (for --suite prefilter --input DIR)."
    )
    var streamOut: String?

    func validate() throws {
      guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
      guard svdDimension >= 1 else { throw ValidationError("--svd-dimension must be at least 1") }
      guard svdNonzeros >= 1 else { throw ValidationError("--svd-nonzeros must be at least 1") }
      guard peelEdges >= 1 else { throw ValidationError("--peel-edges must be at least 1") }
      guard windowDays >= 1 else { throw ValidationError("--window-days must be at least 1") }
      guard streamEvents >= 1 else { throw ValidationError("--stream-events must be at least 1") }
      if let payments, payments < 1 { throw ValidationError("--payments must be at least 1") }
    }

    func run() throws {
      let needsSet = suite.contains { $0 == .cycles ? payments == nil : $0 != .prefilterMemory && $0 != .hostile }
      let input = needsSet ? try self.input ?? generate() : ""
      var bench = BenchRun(input: input, repetitions: repetitions)
      bench.svd = .init(nonzeros: svdNonzeros, dimension: svdDimension, writeMatrix: writeMatrix)
      bench.peelEdges = peelEdges
      bench.syntheticPayments = payments
      bench.seed = seed
      bench.cyclesCSV = cyclesCSV
      bench.windowDays = windowDays
      bench.streamEvents = streamEvents
      bench.streamOut = streamOut
      for suite in suite {
        Output.write("== \(suite.rawValue)\n")
        try suite.run(&bench)
      }
      Output.write("peak resident memory: \(Stopwatch.peakResidentBytes() / 1_048_576) MiB\n")
    }

    /// Writes the synthetic set to a temporary directory and returns its path.
    func generate() throws -> String {
      let directory = NSTemporaryDirectory() + "fraudscan-bench-\(scale.rawValue)-\(seed)"
      let (summary, seconds) = try Stopwatch.time {
        try SyntheticSignalSet(scale: scale, seed: seed).write(
          to: URL(fileURLWithPath: directory), stream: suite.contains(.prefilter))
      }
      let signals = summary.payments + summary.interactions + summary.profileEdits
      Output.write(
        "synth \(scale.rawValue): \(signals) signals, \(summary.accounts) accounts in "
          + "\(String(format: "%.2f", seconds)) s (\(directory))\n")
      return directory
    }
  }
}

/// The benchmark suites of `fraudscan bench`, one file each (`BenchSuite+Name.swift`).
enum BenchSuite: String, CaseIterable, ExpressibleByArgument {
  case ingest
  case svd
  case engagement
  case profiles
  case cycles
  case report
  case prefilter
  case prefilterMemory = "prefilter-memory"
  case hostile
  case scan

  func run(_ bench: inout BenchRun) throws {
    switch self {
    case .ingest: try runIngest(&bench)
    case .svd: try runSVD(&bench)
    case .engagement: try runEngagement(&bench)
    case .profiles: try runProfiles(&bench)
    case .cycles: try runCycles(&bench)
    case .report: try runReport(&bench)
    case .prefilter: try runPrefilter(&bench)
    case .prefilterMemory: try runPrefilterMemory(&bench)
    case .hostile: try runHostile(&bench)
    case .scan: try runScan(&bench)
    }
  }
}

/// What the suites share: the input, the loaded set (read once), and the reporting.
struct BenchRun {
  let input: String
  let repetitions: Int
  /// cycles suite: generate this many payments in memory instead of reading `input`.
  var syntheticPayments: Int?
  /// The seed of generated data.
  var seed: UInt64 = 1
  /// cycles suite: where to write the enumerated payments as CSV.
  var cyclesCSV: String?
  private var loaded: SignalSet?

  /// The options of the svd suite.
  struct SVDOptions {
    var nonzeros = 1_000_000
    var dimension = 200_000
    var writeMatrix: String?
  }
  var svd = SVDOptions()
  /// The engagement suite's synthetic graph size, in edges.
  var peelEdges = 10_000_000
  /// The prefilter suites' history window, in days.
  var windowDays = 60
  /// The prefilter-memory suite's stream length, in events.
  var streamEvents = 10_000_000
  /// prefilter-memory: a directory to write the stream to instead.
  var streamOut: String?

  init(input: String, repetitions: Int) {
    self.input = input
    self.repetitions = repetitions
  }

  /// The signal set at `input`, read on first use.
  mutating func set() throws -> SignalSet {
    if let loaded { return loaded }
    let set = try SignalSet(contentsOf: input)
    loaded = set
    return set
  }

  /// The best time of `repetitions` runs of `body`, and its last result.
  func best<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    var best = Double.infinity
    var result: T?
    for _ in 0..<repetitions {
      let (r, seconds) = try Stopwatch.time(body)
      result = r
      best = min(best, seconds)
    }
    return (result!, best)
  }

  /// Prints one figure: what was measured, on how much, how long, and the rate.
  func record(_ what: String, size: Int, unit: String, seconds: Double) {
    let rate = Double(size) / seconds
    Output.write(
      "\(what): \(size) \(unit) in \(String(format: "%.3f", seconds)) s "
        + "(\(String(format: "%.0f", rate)) \(unit)/s)\n")
  }
}
