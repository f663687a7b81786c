import Foundation
import SignalGraph

/// Replays known fraud fixtures: scans each, compares with its labels and
/// `expected.json`, and says which fall short. What `fraudscan replay` and CI run.
///
///     let results = try FixtureReplay(scanner: .standard).run("fixtures")
///     let ok = results.allSatisfy(\.passed)
public struct FixtureReplay: Sendable {
  /// The scanner under test.
  public var scanner: Scanner

  /// Creates a replay with `scanner`.
  public init(scanner: Scanner) { self.scanner = scanner }

  /// The fixture directories under `path`: `path` itself if it holds an
  /// `expected.json`, else each immediate subdirectory that does, by name.
  public static func fixtures(under path: String) throws -> [String] {
    let fm = FileManager.default
    if fm.fileExists(atPath: (path as NSString).appendingPathComponent("expected.json")) { return [path] }
    guard let names = try? fm.contentsOfDirectory(atPath: path) else {
      throw FixtureError.unreadable(path: path, reason: "not a directory")
    }
    let found = names.sorted().map { (path as NSString).appendingPathComponent($0) }.filter {
      fm.fileExists(atPath: ($0 as NSString).appendingPathComponent("expected.json"))
    }
    if found.isEmpty { throw FixtureError.noFixtures(path: path) }
    return found
  }

  /// Replays the one fixture in `directory`.
  public func evaluate(_ directory: String) throws -> (evaluation: FixtureEvaluation, report: ScanReport) {
    let expectation = try FixtureExpectation(contentsOf: (directory as NSString).appendingPathComponent("expected.json"))
    let set = try SignalSet(contentsOf: directory)
    let truth = try GroundTruth(directory: directory)
    let report = scanner.scan(set)
    let name = (directory as NSString).lastPathComponent
    return (FixtureEvaluation(name: name, report: report, truth: truth, expectation: expectation), report)
  }

  /// Replays every fixture under `path`.
  public func run(_ path: String) throws -> [FixtureEvaluation] {
    try Self.fixtures(under: path).map { try evaluate($0).evaluation }
  }
}
