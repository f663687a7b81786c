/// Counts, degree distributions and time spans of a signal set, per kind of
/// signal: what `fraudscan stats` prints.
///
///     let stats = SignalStatistics(try SignalSet(contentsOf: "fixtures/like-farm"))
///     for kind in stats.kinds { print(kind.name, kind.count, kind.outDegree.max) }
///
/// Degree percentiles are over the accounts that have at least one edge of
/// the kind (an account with none is not part of that distribution).
///
/// - Complexity: O(*n* + *m*) time, O(*n*) extra memory, plus a sort of each
///   non-zero degree list.
public struct SignalStatistics: Sendable, Codable, Equatable {
  /// A degree distribution.
  public struct Degrees: Sendable, Codable, Equatable {
    /// Accounts with at least one edge.
    public var accounts: Int
    /// Largest, mean and percentile degrees among those accounts.
    public var max: Int, mean: Double, p50: Int, p90: Int, p99: Int
  }

  /// The summary of one kind of signal.
  public struct Kind: Sendable, Codable, Equatable {
    /// `payment`, an interaction kind (`follow`, `like`, …) or `profile_edit`.
    public var name: String
    /// Number of signals.
    public var count: Int
    /// Earliest and latest timestamps (Unix seconds), `nil` when empty.
    public var firstTime: Int64?, lastTime: Int64?
    /// Signals per acting account (payer, endorser, editor).
    public var outDegree: Degrees
    /// Signals per receiving account (payee, endorsed); for profile edits,
    /// accounts per distinct value.
    public var inDegree: Degrees
    /// Total amount moved, for payments (decimal string, exact).
    public var totalAmount: String?
  }

  /// Number of accounts.
  public var accounts: Int
  /// Accounts with a known creation time.
  public var accountsWithCreationTime: Int
  /// One entry per kind, payments first, then interaction kinds, then profile edits.
  public var kinds: [Kind]

  /// Summarises `set`.
  public init(_ set: SignalSet) {
    let n = set.accounts.count
    accounts = n
    accountsWithCreationTime = set.accounts.createdAt.lazy.filter { $0 != AccountTable.unknownTime }.count
    kinds = []
    let p = set.payments
    if p.count > 0 {
      var summary = Self.summarise(
        name: "payment", rows: 0..<p.count, sources: p.source, sourceCount: n, targets: p.target,
        targetCount: n, time: p.time, accepts: { _ in true })
      var total: Int64 = 0
      var overflow = false
      for a in p.amountMicros {
        let (s, o) = total.addingReportingOverflow(a)
        total = s
        overflow = overflow || o
      }
      summary.totalAmount = overflow ? "overflow" : Amount(micros: total).description
      kinds.append(summary)
    }
    let i = set.interactions
    for kind in 0..<Int32(i.kinds.count) {
      let summary = Self.summarise(
        name: i.kinds[kind], rows: 0..<i.count, sources: i.source, sourceCount: n, targets: i.target,
        targetCount: n, time: i.time, accepts: { i.kind[$0] == kind })
      if summary.count > 0 { kinds.append(summary) }
    }
    let e = set.profileEdits
    if e.count > 0 {
      kinds.append(
        Self.summarise(
          name: "profile_edit", rows: 0..<e.count, sources: e.account, sourceCount: n, targets: e.value,
          targetCount: e.values.count, time: e.time, accepts: { _ in true }))
    }
  }

  static func summarise(
    name: String, rows: Range<Int>, sources: [Int32], sourceCount: Int, targets: [Int32], targetCount: Int,
    time: [Int64], accepts: (Int) -> Bool
  ) -> Kind {
    var outDegree = [Int32](repeating: 0, count: sourceCount)
    var inDegree = [Int32](repeating: 0, count: targetCount)
    var count = 0
    var first = Int64.max, last = Int64.min
    for r in rows where accepts(r) {
      count += 1
      outDegree[Int(sources[r])] += 1
      inDegree[Int(targets[r])] += 1
      first = Swift.min(first, time[r])
      last = Swift.max(last, time[r])
    }
    return Kind(
      name: name, count: count,
      firstTime: count > 0 ? first : nil, lastTime: count > 0 ? last : nil,
      outDegree: degrees(outDegree), inDegree: degrees(inDegree), totalAmount: nil)
  }

  /// The distribution of the non-zero entries of `degree`.
  static func degrees(_ degree: [Int32]) -> Degrees {
    var nonZero = degree.filter { $0 > 0 }
    guard !nonZero.isEmpty else { return Degrees(accounts: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0) }
    nonZero.sort()
    func percentile(_ q: Double) -> Int {
      // Nearest-rank percentile: the smallest value with at least q of the data at or below it.
      let rank = Int((q * Double(nonZero.count)).rounded(.up))
      return Int(nonZero[Swift.max(rank, 1) - 1])
    }
    let sum = nonZero.reduce(0) { $0 + Int($1) }
    return Degrees(
      accounts: nonZero.count, max: Int(nonZero.last!), mean: Double(sum) / Double(nonZero.count),
      p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99))
  }
}
