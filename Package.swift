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
    .executableTarget(
      name: "fraudscan",
      dependencies: [
        "SignalGraph", "SignalSynthesis", "AnomalyDetect", "InlinePrefilter", "InvestigationReport",
        "Evaluation", "FraudLinalg",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
  ]
)
