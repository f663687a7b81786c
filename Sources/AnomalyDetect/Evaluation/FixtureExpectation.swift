import Foundation

/// What a fixture's `expected.json` demands of the detectors.
///
///     {
///       "description": "a 5x5 like farm with camouflage",
///       "kinds": { "bought_engagement": { "min_precision": 0.9, "min_recall": 0.9 } },
///       "max_unlabelled_flagged": 0
///     }
///
/// A kind may carry `"pending": "why"`: its figures are measured and shown
/// but not enforced, for a kind whose detector is not written yet.
public struct FixtureExpectation: Sendable, Equatable, Codable {
  /// The minimum quality for one kind.
  public struct Minimum: Sendable, Equatable, Codable {
    /// Least share of flagged accounts that must carry the label.
    public var minPrecision: Double
    /// Least share of labelled accounts that must be flagged.
    public var minRecall: Double
    /// Why the minimum is not enforced yet, if it is not.
    public var pending: String?

    enum CodingKeys: String, CodingKey {
      case minPrecision = "min_precision", minRecall = "min_recall", pending
    }

    /// A minimum of `precision` and `recall`, enforced unless `pending` says why not.
    public init(minPrecision: Double, minRecall: Double, pending: String? = nil) {
      self.minPrecision = minPrecision
      self.minRecall = minRecall
      self.pending = pending
    }
  }

  /// One line on what the fixture is.
  public var description: String
  /// The minimum per kind; kinds not listed are measured, not enforced.
  public var kinds: [String: Minimum]
  /// How many accounts without any label detectors may flag.
  public var maxUnlabelledFlagged: Int

  enum CodingKeys: String, CodingKey {
    case description, kinds, maxUnlabelledFlagged = "max_unlabelled_flagged"
  }

  /// Creates an expectation.
  public init(description: String, kinds: [String: Minimum], maxUnlabelledFlagged: Int) {
    self.description = description
    self.kinds = kinds
    self.maxUnlabelledFlagged = maxUnlabelledFlagged
  }

  /// The issues' quality targets for every kind (precision and recall at
  /// least 0.9) and no unlabelled account flagged: what `fraudscan synth
  /// --expectations` writes beside a synthetic set.
  public static func targets(description: String) -> FixtureExpectation {
    let minimum = Minimum(minPrecision: 0.9, minRecall: 0.9)
    return FixtureExpectation(
      description: description,
      kinds: Dictionary(uniqueKeysWithValues: ManipulationKind.allCases.map { ($0.rawValue, minimum) }),
      maxUnlabelledFlagged: 0)
  }

  /// The expectation as pretty-printed JSON with sorted keys.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }

  /// Reads `expected.json` at `path`.
  /// - Throws: ``FixtureError`` naming the file and what is wrong with it.
  public init(contentsOf path: String) throws {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw FixtureError.unreadable(path: path, reason: error.localizedDescription)
    }
    do {
      self = try JSONDecoder().decode(FixtureExpectation.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw FixtureError.invalid(path: path, reason: "missing key \"\(key.stringValue)\"\(Self.at(context))")
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      throw FixtureError.invalid(path: path, reason: "\(context.debugDescription)\(Self.at(context))")
    } catch {
      throw FixtureError.invalid(path: path, reason: "not valid JSON (\(error))")
    }
    for kind in kinds.keys where ManipulationKind(rawValue: kind) == nil {
      throw FixtureError.invalid(path: path, reason: "unknown kind \"\(kind)\" under \"kinds\"")
    }
  }

  private static func at(_ context: DecodingError.Context) -> String {
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return path.isEmpty ? "" : " at \(path)"
  }
}

/// Why a fixture could not be replayed.
public enum FixtureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The file does not say what `expected.json` must.
  case invalid(path: String, reason: String)
  /// The directory holds no fixture.
  case noFixtures(path: String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
    case let .invalid(path, reason): return "\(path): \(reason)"
    case let .noFixtures(path): return "\(path): no fixture found (a fixture is a directory with an expected.json)"
    }
  }
}
