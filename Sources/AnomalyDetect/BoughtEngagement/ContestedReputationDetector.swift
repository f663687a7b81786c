import Foundation
import SignalGraph

/// Finds accounts whose reputation the fair raters contest: accounts that
/// gathered endorsements they had not earned, on platforms whose raters can
/// also disapprove (dislikes, reports, negative ratings), as in Bitcoin OTC.
///
/// It is the one bought-engagement test that reads disapproval, and it reads
/// it only through the fairness of whoever voices it. ``RaterFairness``
/// (REV2's fairness and goodness, iterated) gives each rater a fairness *f*
/// and each account a goodness *g*. An account *v* with *n* distinct raters
/// is a **candidate** when
/// - at least ``Thresholds/minimumNegatives`` (2) of them disapprove of it
///   and are fair *elsewhere*, *k* of them in all: they agree with the
///   consensus of raters outside the group of its critics on the other
///   accounts they rate (``RaterFairness/fairnessElsewhere(of:about:group:)``
///   ≥ ``Thresholds/minimumFairness``, 0.5). A block of accounts that dislike
///   the same victims, and rate nothing anyone else rates, is fair by no one's
///   measure but its own and counts for nothing; so dislikes never make a
///   block by themselves, and
/// - the fairness-weighted consensus on it is negative (*g*(*v*) < 0): the
///   raters who agree with consensus elsewhere condemn it more than they
///   praise it. A well-liked account that a few retaliating or colluding
///   raters dislike keeps *g* > 0 and is never a candidate, and neither is a
///   busy rater, a celebrity or an honest crowd, whose endorsers agree.
///
/// **Test.** Under the null hypothesis that *v* is an ordinary account, each
/// of its *n* ratings is a disapproval with the set's own rate *p*₀ (the share
/// of negative opinions among all rated pairs), so the chance of *k* or more
/// fair disapprovals is the binomial tail P(Binomial(*n*, *p*₀) ≥ *k*). The
/// candidates' p-values are compared by the Benjamini–Hochberg procedure at
/// a false discovery rate ``Thresholds/falseDiscoveryRate`` (5 %): sorted
/// ascending, the first *i* are reported for the largest *i* with
/// p₍ᵢ₎ ≤ *q* · *i* / *m*, *m* the number of candidates. A set without
/// disapproval (p₀ = 0: follows and likes only) has no candidate.
///
/// **Rings.** Reported accounts that endorse one another are one finding: a
/// ring of contested accounts vouching for each other, the tight group their
/// unearned standing comes from (connected components of the endorsements
/// among reported accounts only, so a ring never grows through an honest
/// account). A reported account no other reported account endorses, and
/// that endorses none, is a finding of its own.
///
/// **Score:** −log₁₀ p for one account, on the scale of the other
/// bought-engagement detectors' scores; for a ring of *r* accounts, −log₁₀ of
/// Fisher's combination of their p-values, P(χ²₂ᵣ ≥ −2 Σ ln pᵢ). The
/// evidence names, per account, the fair raters who disapprove, its
/// endorsers and its share of the test, and for a ring the endorsements
/// among its members.
///
/// [Kumar et al. 2018]: https://doi.org/10.1145/3159652.3159729
///
/// > S. Kumar, B. Hooi, D. Makhija, M. Kumar, C. Faloutsos, V. S. Subrahmanian.
/// "REV2: Fraudulent User Prediction in Rating Platforms." *WSDM 2018*, pp. 333-341.
///
/// > Y. Benjamini, Y. Hochberg. "Controlling the False Discovery Rate: a
/// Practical and Powerful Approach to Multiple Testing." *J. R. Stat. Soc. B*
/// 57 (1995), pp. 289-300.
///
/// - Complexity: O(*m*) for a set without disapproval (nothing to test);
///   otherwise ``RaterFairness``'s, then O(*m*) for the candidates, and for
///   each, its critics' fairness elsewhere (O(out-degree · critics · log
///   in-degree) per critic), then O(*c* log *c*) for the *c* candidates.
public struct ContestedReputationDetector: Detector {
  /// The documented thresholds of the detector; in a settings file, the
  /// section `contested-reputation` with the snake_case keys of ``CodingKeys``:
  ///
  ///     var thresholds = ContestedReputationDetector.Thresholds()
  ///     thresholds.falseDiscoveryRate = 0.01   // false_discovery_rate = 0.01
  ///     let detector = try ContestedReputationDetector(thresholds: thresholds)
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The fewest fair raters who must disapprove of an account.
    public var minimumNegatives = 2
    /// The least fairness of a rater whose disapproval counts.
    public var minimumFairness = 0.5
    /// The Benjamini–Hochberg false discovery rate *q*.
    public var falseDiscoveryRate = 0.05

    /// The default thresholds.
    public init() {}

    /// The keys of a settings file: `minimum_negatives`, `minimum_fairness`, `false_discovery_rate`.
    public enum CodingKeys: String, CodingKey {
      case minimumNegatives = "minimum_negatives"
      case minimumFairness = "minimum_fairness"
      case falseDiscoveryRate = "false_discovery_rate"
    }
  }

  /// `contested-reputation`.
  public var name: String { "contested-reputation" }
  /// The thresholds in use.
  public let thresholds: Thresholds

  /// A detector with the default thresholds.
  public init() { thresholds = Thresholds() }

  /// A detector with `thresholds`.
  /// - Throws: ``DetectorSettingError`` naming the first setting out of its range.
  public init(thresholds: Thresholds) throws(DetectorSettingError) {
    let check = SettingCheck<Thresholds.CodingKeys>(detector: "contested-reputation")
    try check.atLeast(thresholds.minimumNegatives, 1, .minimumNegatives, "a whole number")
    try check.within(thresholds.minimumFairness, 0...1, .minimumFairness, "a number")
    try check.share(thresholds.falseDiscoveryRate, .falseDiscoveryRate)
    self.thresholds = thresholds
  }

  /// The contested accounts of `set`, under the standard endorsement policy.
  public func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    findings(in: ScanContext(set, graph: graph))
  }

  /// The contested accounts of the context's set, under its endorsement policy.
  public func findings(in context: ScanContext) -> [Finding] {
    let set = context.set
    let opinions = context.policy.opinions(of: set.interactions)
    // A set without disapproval has nothing to test: skip the fairness rounds.
    guard opinions.contains(where: { $0 < 0 }) else { return [] }
    let fair = RaterFairness(set, opinions: opinions)
    let p0 = fair.negativeShare
    guard p0 > 0 else { return [] }
    var candidates: [(v: Int, log10P: Double, raters: Int, critics: [Int32])] = []
    for v in 0..<set.accounts.count where fair.goodness[v] < 0 {
      var n = 0, critics: [Int32] = []
      for (u, s) in fair.raters(of: v) {
        n += 1
        if s < 0 { critics.append(u) }
      }
      // Cheap bound first: fairness elsewhere is measured only for the critics fair overall.
      guard
        critics.filter({ fair.fairness[Int($0)] >= thresholds.minimumFairness }).count >= thresholds.minimumNegatives
      else { continue }
      let fairCritics = critics.filter { u in
        (fair.fairnessElsewhere(of: u, about: v, group: critics) ?? 0) >= thresholds.minimumFairness
      }
      guard fairCritics.count >= thresholds.minimumNegatives else { continue }
      candidates.append((v, EngagementBlockTest.log10BinomialTail(fairCritics.count, trials: n, p: p0), n, fairCritics))
    }
    candidates.sort { $0.log10P != $1.log10P ? $0.log10P < $1.log10P : $0.v < $1.v }
    let m = Double(candidates.count)
    let log10Q = log10(thresholds.falseDiscoveryRate)
    var accepted = 0
    for (i, c) in candidates.enumerated() where c.log10P <= log10Q + log10(Double(i + 1) / m) { accepted = i + 1 }
    let reported = Array(candidates.prefix(accepted))
    // Rings: reported accounts joined by the endorsements among them.
    var slot = [Int: Int]()
    for (i, c) in reported.enumerated() { slot[c.v] = i }
    var rings = DisjointSets(count: reported.count)
    var inner = [Int](repeating: 0, count: reported.count)
    for (i, c) in reported.enumerated() {
      for (u, s) in fair.raters(of: c.v) where s > 0 {
        if let j = slot[Int(u)] {
          rings.union(i, j)
          inner[i] += 1
        }
      }
    }
    var members: [Int: [Int]] = [:]
    for i in reported.indices { members[rings.find(i), default: []].append(i) }
    return members.values.sorted { $0[0] < $1[0] }.map { group in
      let accounts = group.map { reported[$0] }
      let log10P = Self.log10Fisher(accounts.map(\.log10P))
      let parts = accounts.map { c in
        evidence(c.v, log10P: c.log10P, raters: c.raters, critics: c.critics, p0: p0, fair: fair, set: set)
      }
      var combined: Evidence
      if group.count == 1 {
        combined = parts[0]
      } else {
        let links = group.reduce(0) { $0 + inner[$1] }
        var reason =
          "Ring of \(group.count) contested accounts endorsing one another (\(links) endorsements among them): "
        reason +=
          "each drew improbably many disapprovals from fair raters (REV2 fairness) and a negative fair consensus; "
        reason +=
          "their tests combined (Fisher) give chance 10^\(EngagementBlockTest.round(log10P, 1)) that ordinary accounts would"
        combined = .object([
          "members": .integer(group.count),
          "endorsements_among_members": .integer(links),
          "log10_p": .number(EngagementBlockTest.round(log10P, 1)),
          "accounts": .array(Array(parts.prefix(20))),
          "reason": .string(reason),
        ])
      }
      return Finding(
        kind: .boughtEngagement, detector: name, score: EngagementBlockTest.round(-log10P, 2),
        accounts: accounts.map { Int32($0.v) }, evidence: combined)
    }
  }

  /// log₁₀ of Fisher's combined p-value of independent tests with log₁₀ p-values
  /// `log10Ps`: P(χ²₂ᵣ ≥ x) = e^(−x/2) Σⱼ₌₀^{r−1} (x/2)ʲ / j!, x = −2 Σ ln pᵢ.
  /// One test keeps its own p-value.
  static func log10Fisher(_ log10Ps: [Double]) -> Double {
    guard log10Ps.count > 1 else { return log10Ps.first ?? 0 }
    let half = -log(10) * log10Ps.reduce(0, +)  // x / 2
    guard half > 0 else { return 0 }
    let terms = (0..<log10Ps.count).map { j in Double(j) * log(half) - lgamma(Double(j) + 1) }
    let top = terms.max()!
    let logSum = top + log(terms.reduce(0) { $0 + exp($1 - top) })
    return min(0, (-half + logSum) / log(10))
  }

  /// The evidence on one contested account.
  private func evidence(
    _ v: Int, log10P: Double, raters: Int, critics: [Int32], p0: Double, fair: RaterFairness, set: SignalSet
  ) -> Evidence {
    let ids = set.accounts.ids
    let endorsers = fair.raters(of: v).filter { $0.1 > 0 }.map(\.0)
    let negatives = critics.count
    let round = EngagementBlockTest.round
    var reason =
      "Contested reputation (REV2 fairness): \(negatives) of its \(raters) raters disapprove of \(ids[Int32(v)]) "
    reason +=
      "and are fair (they agree with other raters' consensus on the other accounts they rate); the fair consensus on it is "
    reason +=
      "\(round(fair.goodness[v], 2)) on a scale of −1 to 1. An ordinary account would draw that many disapprovals "
    reason += "with chance 10^\(round(log10P, 1)) (the set's disapproval rate is \(round(100 * p0, 1)) %)"
    if !endorsers.isEmpty { reason += "; \(endorsers.count) account(s) endorse it" }
    let names = { (list: [Int32]) in Evidence.array(list.prefix(20).map { .string(ids[$0]) }) }
    return .object([
      "account": .string(ids[Int32(v)]),
      "raters": .integer(raters),
      "fair_disapprovals": .integer(negatives),
      "endorsers": .integer(endorsers.count),
      "goodness": .number(round(fair.goodness[v], 3)),
      "disapproval_rate": .number(round(p0, 4)),
      "log10_p": .number(round(log10P, 1)),
      "false_discovery_rate": .number(thresholds.falseDiscoveryRate),
      "fair_critics": names(critics),
      "endorser_accounts": names(endorsers),
      "reason": .string(reason),
    ])
  }
}
