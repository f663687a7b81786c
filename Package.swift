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
//   fraudscan         the command-line tool, a thin layer over the libraries
import PackageDescription

let package = Package(
  name: "fraudscan",
  products: [
    .library(name: "FraudLinalg", targets: ["FraudLinalg"]),
    .library(name: "SignalGraph", targets: ["SignalGraph"]),
    .library(name: "AnomalyDetect", targets: ["AnomalyDetect"]),
    .executable(name: "fraudscan", targets: ["fraudscan"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Settings files in TOML (`scan --config FILE.toml`); JSON needs nothing.
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
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
    .executableTarget(
      name: "fraudscan",
      dependencies: [
        "SignalGraph", "AnomalyDetect", "FraudLinalg",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "FraudLinalgTests", dependencies: ["FraudLinalg"]),
    .testTarget(name: "SignalGraphTests", dependencies: ["SignalGraph"]),
    .testTarget(
      name: "AnomalyDetectTests",
      dependencies: ["AnomalyDetect", "SignalGraph", "FraudLinalg"]),
  ]
)
