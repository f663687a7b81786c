import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph

/// What a fixture's `expected.json` demands of the detectors.
///
/// ```json
/// {
///   "description": "a 5x5 like farm with camouflage",
///   "kinds": { "bought_engagement": { "min_precision": 0.9, "min_recall": 0.9 } },
///   "max_unlabelled_flagged": 0
/// }
/// ```
///
/// A kind may carry `"pending": "why"`: its figures are measured and shown
/// but not enforced, for a kind whose detector is not written yet. It may
/// also demand a least F1 (`min_f1`), precision among the first 10 and 50
/// accounts of the account ranking (`min_precision_at_10`,
/// `min_precision_at_50`), average precision of the ranking
/// (`min_average_precision`) and a most number of known-honest accounts
/// among its first 50 (`max_honest_in_top_50`); see ``FixtureEvaluation``.
///
/// **Real data in place.** An expectation file other than a fixture's
/// `expected.json` (e.g. `fixtures/realdata/bitcoin-otc.json`) names its
/// signal set with `"data"`, a path relative to the file's own directory, so
/// that data kept outside the repository (`../shared/realdata`) is replayed
/// where it lies and never copied in:
///
/// ```json
/// {
///   "description": "Bitcoin OTC with REV2's partial ground truth",
///   "data": "../../../shared/realdata/bitcoin-otc",
///   "labels": "partial",
///   "kinds": { "bought_engagement": { "min_precision": 0.9, "min_recall": 0.5,
///                                     "max_honest_in_top_50": 0 } }
/// }
/// ```
///
/// `"labels": "partial"` says accounts absent from `labels.csv` are unknown,
/// not honest: precision counts labelled accounts only (those of the kind
/// against those labelled `honest`) and no unlabelled account counts against
/// the set (`max_unlabelled_flagged` is then not read; it defaults to 0).
///
/// **The pre-filter.** `"prefilter"` (``PrefilterTargets``) sets what the
/// pre-filter must reach on the fixture's event stream, in place of the
/// issues' targets; on a set without one (real data, complete labels), it
/// asks replay to stream the set's payments in time order through the
/// pre-filter (``PrefilterEvaluation/init(paymentsOf:truth:configuration:)``).
public struct FixtureExpectation: Sendable, Equatable, Codable {
  /// The minimum quality for one kind.
  public struct Minimum: Sendable, Equatable, Codable {
    /// Least share of flagged accounts that must carry the label.
    public var minPrecision: Double
    /// Least share of labelled accounts that must be flagged.
    public var minRecall: Double
    /// Why the minimum is not enforced yet, if it is not.
    public var pending: String?
    /// Least F1 of precision and recall, if demanded.
    public var minF1: Double?
    /// Least precision among the first 10 (labelled) accounts of the ranking, if demanded.
    public var minPrecisionAt10: Double?
    /// Least precision among the first 50 (labelled) accounts of the ranking, if demanded.
    public var minPrecisionAt50: Double?
    /// Least average precision of the account ranking, if demanded.
    public var minAveragePrecision: Double?
    /// Most known-honest accounts among the first 50 (labelled) of the ranking, if limited.
    public var maxHonestInTop50: Int?

    enum CodingKeys: String, CodingKey {
      case minPrecision = "min_precision"
      case minRecall = "min_recall"
      case pending
      case minF1 = "min_f1"
      case minPrecisionAt10 = "min_precision_at_10"
      case minPrecisionAt50 = "min_precision_at_50"
      case minAveragePrecision = "min_average_precision"
      case maxHonestInTop50 = "max_honest_in_top_50"
    }

    /// A minimum of `precision` and `recall`, enforced unless `pending` says why not.
    public init(minPrecision: Double, minRecall: Double, pending: String? = nil) {
      self.minPrecision = minPrecision
      self.minRecall = minRecall
      self.pending = pending
    }
  }

  /// Whether `labels.csv` names every manipulating account.
  public enum Labels: String, Sendable, Equatable, Codable {
    /// Every account not in `labels.csv` is honest (the default).
    case complete
    /// Accounts not in `labels.csv` are unknown; `honest` marks the known benign ones.
    case partial
  }

  /// One line on what the fixture is.
  public var description: String
  /// The minimum per kind; kinds not listed are measured, not enforced.
  public var kinds: [String: Minimum]
  /// How many accounts without any label detectors may flag (complete labels only).
  public var maxUnlabelledFlagged: Int
  /// Whether the labels are complete or partial.
  public var labels: Labels
  /// The signal set's directory relative to the expectation file's own, for
  /// a file that is not a fixture directory's `expected.json`.
  public var data: String?
  /// What the pre-filter must reach, if the fixture sets it.
  public var prefilter: PrefilterTargets?

  enum CodingKeys: String, CodingKey {
    case description, kinds
    case maxUnlabelledFlagged = "max_unlabelled_flagged"
    case labels, data, prefilter
  }

  /// Creates an expectation.
  public init(
    description: String, kinds: [String: Minimum], maxUnlabelledFlagged: Int, labels: Labels = .complete,
    data: String? = nil, prefilter: PrefilterTargets? = nil
  ) {
    self.description = description
    self.kinds = kinds
    self.maxUnlabelledFlagged = maxUnlabelledFlagged
    self.labels = labels
    self.data = data
    self.prefilter = prefilter
  }

  /// Decodes an expectation; `labels` defaults to complete, and
  /// `max_unlabelled_flagged` is required with complete labels only.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    description = try c.decode(String.self, forKey: .description)
    kinds = try c.decode([String: Minimum].self, forKey: .kinds)
    labels = try c.decodeIfPresent(Labels.self, forKey: .labels) ?? .complete
    data = try c.decodeIfPresent(String.self, forKey: .data)
    prefilter = try c.decodeIfPresent(PrefilterTargets.self, forKey: .prefilter)
    maxUnlabelledFlagged =
      labels == .partial
      ? try c.decodeIfPresent(Int.self, forKey: .maxUnlabelledFlagged) ?? 0
      : try c.decode(Int.self, forKey: .maxUnlabelledFlagged)
  }

  /// Encodes the expectation; `labels` is written only when partial, `data`
  /// and `prefilter` only when set, so existing `expected.json` files stay as
  /// they are.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(description, forKey: .description)
    try c.encode(kinds, forKey: .kinds)
    try c.encode(maxUnlabelledFlagged, forKey: .maxUnlabelledFlagged)
    if labels == .partial { try c.encode(labels, forKey: .labels) }
    try c.encodeIfPresent(data, forKey: .data)
    try c.encodeIfPresent(prefilter, forKey: .prefilter)
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
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
      let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty
    {
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
  /// An expectation file's `data` names a directory that is not there.
  case missingData(path: String, data: String, resolved: String)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
    case let .invalid(path, reason): return "\(path): \(reason)"
    case let .noFixtures(path):
      return
        "\(path): no fixture found (a fixture is a directory with an expected.json, or an expectation .json file with \"data\")"
    case let .missingData(path, data, resolved):
      return
        "\(path): its signal set \"\(data)\" (resolved from the file's own directory to \(resolved)) is not there; "
        + "the data is not copied into the repository: check out the shared data beside it, or remove this expectation file"
    }
  }
}
