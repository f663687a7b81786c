import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph

/// Replays known fraud fixtures: scans each, compares with its labels and
/// `expected.json`, and says which fall short. What `fraudscan replay` and CI run.
///
///     let results = try FixtureReplay(scanner: .standard).run("fixtures")
///     let ok = results.allSatisfy(\.passed)
public struct FixtureReplay: Sendable {
  /// The scanner under test.
  public var scanner: AnomalyDetect.Scanner

  /// Creates a replay with `scanner`.
  public init(scanner: AnomalyDetect.Scanner) { self.scanner = scanner }

  /// The fixtures under `path`, by name: `path` itself if it holds an
  /// `expected.json` or is an expectation `.json` file; else each `.json`
  /// file in it, each immediate subdirectory that holds an `expected.json`
  /// and, in a subdirectory that does not (such as `fixtures/realdata/`),
  /// each `.json` file in it: an expectation whose `"data"` names a signal
  /// set kept elsewhere.
  public static func fixtures(under path: String) throws -> [String] {
    let fm = FileManager.default
    if path.hasSuffix(".json") || fm.fileExists(atPath: (path as NSString).appendingPathComponent("expected.json")) {
      return [path]
    }
    let names = try Self.listDirectory(path)
    var found: [String] = []
    for sub in names.sorted().map({ (path as NSString).appendingPathComponent($0) }) {
      if sub.hasSuffix(".json") {
        found.append(sub)  // `path` is itself a folder of expectation files
      } else if fm.fileExists(atPath: (sub as NSString).appendingPathComponent("expected.json")) {
        found.append(sub)
      } else if let files = try? fm.contentsOfDirectory(atPath: sub) {
        found += files.filter { $0.hasSuffix(".json") }.sorted().map { (sub as NSString).appendingPathComponent($0) }
      }
    }
    if found.isEmpty { throw FixtureError.noFixtures(path: path) }
    return found
  }

  /// The entries of the directory `path`.
  /// - Throws: ``FixtureError/unreadable(path:reason:)`` saying why not:
  ///   missing, not a directory, or the system's reason it cannot be read.
  static func listDirectory(_ path: String) throws(FixtureError) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadable(path: path, reason: "no such file or directory")
    }
    guard isDirectory.boolValue else {
      throw .unreadable(
        path: path,
        reason: "not a directory (give a fixture directory, an expectation .json file or a directory of fixtures)")
    }
    do {
      return try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
      let reason = underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription
      throw .unreadable(path: path, reason: reason)
    }
  }

  /// Where the fixture `path` (a directory with `expected.json`, or an
  /// expectation `.json` file) keeps its expectation and its signal set,
  /// and its name (the directory's, or the file's without `.json`).
  /// - Throws: ``FixtureError/missingData(path:data:resolved:)`` when the
  ///   signal set named by `"data"` is not there: a clear failure, never a skip.
  public static func locate(_ path: String) throws -> (name: String, expectation: FixtureExpectation, directory: String)
  {
    let isFile = path.hasSuffix(".json")
    let file = isFile ? path : (path as NSString).appendingPathComponent("expected.json")
    let expectation = try FixtureExpectation(contentsOf: file)
    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    guard let data = expectation.data else {
      if isFile {
        throw FixtureError.invalid(
          path: file,
          reason: "an expectation file outside a fixture directory needs \"data\", the path of its signal set")
      }
      return (name, expectation, path)
    }
    // Relative to the file's own directory, so that a checkout finds `../shared` wherever it lies.
    let base = URL(fileURLWithPath: (file as NSString).deletingLastPathComponent, isDirectory: true)
    let resolved = URL(fileURLWithPath: data, isDirectory: true, relativeTo: base).standardizedFileURL.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw FixtureError.missingData(path: file, data: data, resolved: resolved)
    }
    return (name, expectation, resolved)
  }

  /// Replays the one fixture at `path` (see ``locate(_:)``).
  public func evaluate(_ path: String) throws -> (evaluation: FixtureEvaluation, report: ScanReport) {
    let fixture = try Self.load(path)
    return scan(fixture)
  }

  /// Replays the one fixture at `path` (see ``locate(_:)``) and runs the
  /// pre-filter: over its event stream when it is a directory with one
  /// (`events.ndjson`), else over its payments in time order when its
  /// expectation sets `"prefilter"` targets (complete labels only).
  /// Everything replay decides a fixture's pass or failure on.
  public func verdict(_ path: String) throws -> FixtureVerdict {
    let fixture = try Self.load(path)
    let (evaluation, report) = scan(fixture)
    var prefilter: PrefilterEvaluation?
    let stream = (fixture.directory as NSString).appendingPathComponent("events.ndjson")
    if FileManager.default.fileExists(atPath: stream) {
      prefilter = try PrefilterEvaluation(directory: fixture.directory)
    } else if fixture.expectation.prefilter != nil {
      guard fixture.expectation.labels == .complete else {
        throw FixtureError.invalid(
          path: path,
          reason: "\"prefilter\" on a set without events.ndjson streams its payments and needs complete labels")
      }
      prefilter = try PrefilterEvaluation(paymentsOf: fixture.set, truth: fixture.truth)
    }
    if let targets = fixture.expectation.prefilter { prefilter?.targets = targets }
    return FixtureVerdict(evaluation: evaluation, report: report, prefilter: prefilter)
  }

  /// A located fixture with its signal set and labels loaded.
  private struct Loaded {
    var name: String
    var expectation: FixtureExpectation
    var directory: String
    var set: SignalSet
    var truth: GroundTruth
  }

  private static func load(_ path: String) throws -> Loaded {
    let (name, expectation, directory) = try locate(path)
    return Loaded(
      name: name, expectation: expectation, directory: directory, set: try SignalSet(contentsOf: directory),
      truth: try GroundTruth(directory: directory))
  }

  private func scan(_ fixture: Loaded) -> (evaluation: FixtureEvaluation, report: ScanReport) {
    let report = scanner.scan(fixture.set)
    return (
      FixtureEvaluation(name: fixture.name, report: report, truth: fixture.truth, expectation: fixture.expectation),
      report
    )
  }

  /// Replays every fixture under `path`.
  public func run(_ path: String) throws -> [FixtureEvaluation] {
    try Self.fixtures(under: path).map { try evaluate($0).evaluation }
  }
}
