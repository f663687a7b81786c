/// What a fixture demands of the pre-filter on its stream: a least share of
/// the manipulation's signals withheld, a most share of honest signals
/// withheld, and a least cut of the buyers' score inflation. The defaults
/// are the issues' targets (90 %, 1 %, 90 %); an expectation may set its own
/// under `"prefilter"` (``FixtureExpectation/prefilter``):
///
/// ```json
/// "prefilter": { "min_fraud_withheld": 0.4, "max_honest_withheld": 0.001, "min_inflation_cut": 0 }
/// ```
///
///     let targets = PrefilterTargets(minFraudWithheld: 0.4, maxHonestWithheld: 0.001, minInflationCut: 0)
///     print(targets.summary)  // ≥40 % / ≤0.1 % / ≥0 %
public struct PrefilterTargets: Sendable, Equatable, Codable {
  /// Least share of the manipulation's signals withheld.
  public var minFraudWithheld: Double
  /// Most share of honest signals withheld.
  public var maxHonestWithheld: Double
  /// Least cut of the buyers' score inflation.
  public var minInflationCut: Double

  enum CodingKeys: String, CodingKey {
    case minFraudWithheld = "min_fraud_withheld"
    case maxHonestWithheld = "max_honest_withheld"
    case minInflationCut = "min_inflation_cut"
  }

  /// Targets of the given shares; by default the issues' (90 %, 1 %, 90 %).
  public init(minFraudWithheld: Double = 0.9, maxHonestWithheld: Double = 0.01, minInflationCut: Double = 0.9) {
    self.minFraudWithheld = minFraudWithheld
    self.maxHonestWithheld = maxHonestWithheld
    self.minInflationCut = minInflationCut
  }

  /// Decodes targets; a target left out keeps its default, and each is a
  /// share from 0 to 1 (40 % is 0.4).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = PrefilterTargets()
    func share(_ key: CodingKeys, _ fallback: Double) throws -> Double {
      guard let value = try c.decodeIfPresent(Double.self, forKey: key) else { return fallback }
      guard (0...1).contains(value) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c, debugDescription: "a share from 0 to 1 (40 % is 0.4), not \(value)")
      }
      return value
    }
    minFraudWithheld = try share(.minFraudWithheld, defaults.minFraudWithheld)
    maxHonestWithheld = try share(.maxHonestWithheld, defaults.maxHonestWithheld)
    minInflationCut = try share(.minInflationCut, defaults.minInflationCut)
  }

  /// Whether `evaluation` meets every target.
  public func met(by evaluation: PrefilterEvaluation) -> Bool {
    evaluation.fraudWithheldShare >= minFraudWithheld && evaluation.honestWithheldShare <= maxHonestWithheld
      && evaluation.inflationCut >= minInflationCut
  }

  /// The targets in a few characters, for a table: `≥90 % / ≤1 % / ≥90 %`.
  public var summary: String {
    func percent(_ x: Double) -> String {
      let p = (x * 1_000).rounded() / 10
      return p == p.rounded() ? "\(Int(p)) %" : "\(p) %"
    }
    return "≥\(percent(minFraudWithheld)) / ≤\(percent(maxHonestWithheld)) / ≥\(percent(minInflationCut))"
  }
}
