// swift-tools-version:6.0
//
// fraudscan: an anti-manipulation engine for scoring platforms.
//
// Module layout (one role per module; docs/architecture.md draws the graph):
//   CLapack, CSQLite     system-library shims over the Debian C libraries
//   SplitMix             the one seeded generator (SplitMix64) and 64-bit mixer, for every module
//   FraudLinalg          BLAS/LAPACK-backed dense and sparse linear algebra
//   SignalGraph          the signal model: ingest, validation, storage, graph indexes, the score
//   SignalSynthesis      synthetic signal sets and streams with planted fraud (synth, bench, tests)
//   AnomalyDetect        the batch detectors, cluster ranking, the scan report and its settings
//   InlinePrefilter      the incremental pre-filter and its durable sessions (needs only SignalGraph)
//   InvestigationReport  the HTML/SVG investigation report
//   Evaluation           fixture replay: a scan and a pre-filter run scored against labels
//   TOMLReading          TOML settings files read as JSON, TOMLKit kept out of sight
//   FraudService         the pre-filter as an HTTP service (`fraudscan serve`), on Hummingbird 2
//   fraudscan            the command-line tool: argument parsing and printing
import PackageDescription

let package = Package(
  name: "fraudscan",
  products: [
    .library(name: "SplitMix", targets: ["SplitMix"]),
    .library(name: "FraudLinalg", targets: ["FraudLinalg"]),
    .library(name: "SignalGraph", targets: ["SignalGraph"]),
    .library(name: "SignalSynthesis", targets: ["SignalSynthesis"]),
    .library(name: "AnomalyDetect", targets: ["AnomalyDetect"]),
    .library(name: "InlinePrefilter", targets: ["InlinePrefilter"]),
    .library(name: "InvestigationReport", targets: ["InvestigationReport"]),
    .library(name: "Evaluation", targets: ["Evaluation"]),
    .library(name: "FraudService", targets: ["FraudService"]),
    .executable(name: "fraudscan", targets: ["fraudscan"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Settings files in TOML (`scan --config FILE.toml`); JSON needs nothing.
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    // `fraudscan serve` (FraudService): the HTTP server, its lifecycle, logs and metrics.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CLapack",
      providers: [.apt(["libblas-dev", "liblapack-dev"])]),
    .systemLibrary(
      name: "CSQLite",
      providers: [.apt(["libsqlite3-dev"])]),
    // A leaf: FraudLinalg and SignalGraph do not depend on each other, and
    // both draw from the same generator.
    .target(name: "SplitMix"),
    .target(
      name: "FraudLinalg",
      dependencies: ["CLapack", "SplitMix"]),
    .target(
      name: "SignalGraph",
      dependencies: ["CSQLite", "SplitMix"]),
    .target(
      name: "SignalSynthesis",
      dependencies: ["SignalGraph", "SplitMix"]),
    .target(
      name: "AnomalyDetect",
      dependencies: ["SignalGraph", "FraudLinalg", "TOMLReading"]),
    // What a scoring service links: no LAPACK, no HTML, no synthesis.
    .target(
      name: "InlinePrefilter",
      dependencies: ["SignalGraph"]),
    .target(
      name: "InvestigationReport",
      dependencies: ["AnomalyDetect", "SignalGraph", "FraudLinalg"]),
    .target(
      name: "Evaluation",
      dependencies: ["AnomalyDetect", "InlinePrefilter", "SignalGraph"]),
    // TOMLKit behind one small module: the settings are read as JSON and no
    // other file names a TOMLKit type.
    .target(
      name: "TOMLReading",
      dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
    // The pre-filter as a service: Hummingbird and the server libraries stay
    // inside this module; the CLI only parses `serve`'s arguments.
    .target(
      name: "FraudService",
      dependencies: [
        "SignalGraph", "InlinePrefilter",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    .executableTarget(
      name: "fraudscan",
      dependencies: [
        "SignalGraph", "SignalSynthesis", "AnomalyDetect", "InlinePrefilter", "InvestigationReport",
        "Evaluation", "FraudService", "FraudLinalg",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(name: "SplitMixTests", dependencies: ["SplitMix"]),
    .testTarget(name: "FraudLinalgTests", dependencies: ["FraudLinalg", "SplitMix"]),
    .testTarget(name: "SignalGraphTests", dependencies: ["SignalGraph", "SignalSynthesis", "SplitMix"]),
    .testTarget(
      name: "AnomalyDetectTests",
      dependencies: [
        "AnomalyDetect", "InlinePrefilter", "InvestigationReport", "Evaluation", "SignalSynthesis",
        "SignalGraph", "FraudLinalg", "SplitMix",
      ]),
    // Against the real server on a loopback port (HummingbirdTesting's client).
    .testTarget(
      name: "ServeTests",
      dependencies: [
        "FraudService", "InlinePrefilter", "SignalGraph", "SplitMix",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
  ]
)
