// swift-tools-version:6.0
//
// fraudscan: an anti-manipulation engine for scoring platforms.
//
// Module layout (one concept per module, as in swift-numerics):
//   CLapack, CSQLite  system-library shims over the Debian C libraries
//   FraudLinalg       BLAS/LAPACK-backed dense and sparse linear algebra
//   SignalGraph       the signal model: ingest, validation, storage, graph indexes
//   AnomalyDetect     detectors, cluster ranking, fixture evaluation, scan settings
//   TOMLReading       TOML settings files read as JSON, TOMLKit kept out of sight
//   FraudService      the pre-filter as an HTTP service (`fraudscan serve`), on Hummingbird 2
//   fraudscan         the command-line tool, a thin layer over the libraries
import PackageDescription

let package = Package(
  name: "fraudscan",
  products: [
    .library(name: "FraudLinalg", targets: ["FraudLinalg"]),
    .library(name: "SignalGraph", targets: ["SignalGraph"]),
    .library(name: "AnomalyDetect", targets: ["AnomalyDetect"]),
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
    .target(
      name: "FraudLinalg",
      dependencies: ["CLapack"]),
    .target(
      name: "SignalGraph",
      dependencies: ["CSQLite"]),
    .target(
      name: "AnomalyDetect",
      dependencies: ["SignalGraph", "FraudLinalg", "TOMLReading"]),
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
        "SignalGraph", "AnomalyDetect", "CSQLite",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    .executableTarget(
      name: "fraudscan",
      dependencies: [
        "SignalGraph", "AnomalyDetect", "FraudLinalg", "FraudService",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(name: "FraudLinalgTests", dependencies: ["FraudLinalg"]),
    .testTarget(name: "SignalGraphTests", dependencies: ["SignalGraph"]),
    .testTarget(
      name: "AnomalyDetectTests",
      dependencies: ["AnomalyDetect", "SignalGraph", "FraudLinalg"]),
    // Against the real server on a loopback port (HummingbirdTesting's client).
    .testTarget(
      name: "ServeTests",
      dependencies: [
        "FraudService", "AnomalyDetect", "SignalGraph",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
  ]
)
