#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A deterministic, explainable score from 350 to 950 for every account of a
/// signal set, computed from the signals that count (all, or those a
/// ``SignalMask`` admits).
///
/// The score is 350 plus the rounded sum of six capped parts (600 points in all):
///
/// | part | formula | cap |
/// |---|---|---|
/// | payment volume | 25 · log10(1 + units sent and received) | 100 |
/// | counterparties | 20 · log2(1 + distinct accounts paid or paying) | 80 |
/// | months active | 10 · distinct 30-day months with a payment | 70 |
/// | social standing | 50 · log2(1 + distinct endorsers) | 200 |
/// | profile completeness | 20 · distinct profile fields set | 100 |
/// | account age | 50 · age in days / 730 | 50 |
///
/// Months are `floor(ts / 2 592 000)`. Age is measured at the reference time
/// (the latest timestamp of the whole set, masked or not, unless given) from
/// `created_at`, or when unknown from the first counted signal it took part
/// in (paid, was paid, endorsed, was endorsed, edited);
/// never negative. Each part saturates, so no single kind of signal (the kind a
/// black market sells) can buy more than its cap.
///
///     let scores = CreditScore(try SignalSet(contentsOf: "fixtures/like-farm"))
///     scores.score(of: 0)          // e.g. 612
///     scores.breakdown(of: 0)      // the parts and their inputs
///
/// - Complexity: O(*n* + *m*) expected time and memory for *n* accounts and
///   *m* signals (distinct pairs are counted with hash sets).
public struct CreditScore: Sendable {
  /// The lowest score; an account with no counted signal gets it.
  public static let floor = 350
  /// The highest score.
  public static let ceiling = 950
  /// Cap of the payment-volume part.
  public static let volumeCap = 100.0
  /// Cap of the counterparties part.
  public static let counterpartyCap = 80.0
  /// Cap of the months-active part.
  public static let monthsCap = 70.0
  /// Cap of the social-standing part.
  public static let socialCap = 200.0
  /// Cap of the profile-completeness part.
  public static let profileCap = 100.0
  /// Cap of the account-age part.
  public static let ageCap = 50.0
  /// Seconds in a scoring month.
  public static let monthSeconds: Int64 = 2_592_000

  /// The time ages are measured at, in Unix seconds.
  public let referenceTime: Int64
  private var volume: [Int64]
  private var counterparties: [Int32]
  private var months: [Int32]
  private var endorsers: [Int32]
  private var fields: [Int32]
  private var ageStart: [Int64]

  /// Scores every account of `set`, counting only what `mask` admits (all when `nil`).
  public init(_ set: SignalSet, mask: SignalMask? = nil, referenceTime: Int64? = nil) {
    let n = set.accounts.count
    volume = Array(repeating: 0, count: n)
    counterparties = Array(repeating: 0, count: n)
    months = Array(repeating: 0, count: n)
    endorsers = Array(repeating: 0, count: n)
    fields = Array(repeating: 0, count: n)
    ageStart = set.accounts.createdAt
    var latest = Int64.min
    for t in set.payments.time { latest = max(latest, t) }
    for t in set.interactions.time { latest = max(latest, t) }
    for t in set.profileEdits.time { latest = max(latest, t) }
    self.referenceTime = referenceTime ?? (latest == .min ? 0 : latest)
    var firstSeen = Array(repeating: Int64.max, count: n)

    let p = set.payments
    var pairs = Set<UInt64>()
    var monthKeys = Set<UInt64>()
    for i in 0..<p.count where mask?.payments[i] ?? true {
      let s = Int(p.source[i]), d = Int(p.target[i]), t = p.time[i]
      volume[s] &+= p.amountMicros[i]
      if s != d { volume[d] &+= p.amountMicros[i] }
      firstSeen[s] = min(firstSeen[s], t)
      firstSeen[d] = min(firstSeen[d], t)
      if s != d {
        if pairs.insert(Self.key(s, d)).inserted { counterparties[s] += 1 }
        if pairs.insert(Self.key(d, s)).inserted { counterparties[d] += 1 }
      }
      let month = UInt64(bitPattern: t.floorDivided(by: Self.monthSeconds)) & 0xFFFF_FFFF
      if monthKeys.insert(UInt64(s) << 32 | month).inserted { months[s] += 1 }
      if s != d, monthKeys.insert(UInt64(d) << 32 | month).inserted { months[d] += 1 }
    }
    pairs.removeAll(keepingCapacity: true)
    let r = set.interactions
    let endorses = EndorsementPolicy.standard.endorsements(of: r)
    for i in 0..<r.count where mask?.interactions[i] ?? true {
      let s = Int(r.source[i]), d = Int(r.target[i])
      firstSeen[s] = min(firstSeen[s], r.time[i])
      firstSeen[d] = min(firstSeen[d], r.time[i])
      if s != d, endorses[i], pairs.insert(Self.key(d, s)).inserted { endorsers[d] += 1 }
    }
    pairs.removeAll(keepingCapacity: true)
    let e = set.profileEdits
    for i in 0..<e.count where mask?.profileEdits[i] ?? true {
      let a = Int(e.account[i])
      firstSeen[a] = min(firstSeen[a], e.time[i])
      if pairs.insert(UInt64(a) << 32 | UInt64(UInt32(bitPattern: e.field[i]))).inserted { fields[a] += 1 }
    }
    for a in 0..<n where ageStart[a] == AccountTable.unknownTime {
      ageStart[a] = firstSeen[a] == .max ? AccountTable.unknownTime : firstSeen[a]
    }
  }

  /// The number of accounts scored.
  public var count: Int { volume.count }

  /// The score of account `account`, 350 … 950.
  public func score(of account: Int32) -> Int { breakdown(of: account).score }

  /// The parts of account `account`'s score and their inputs.
  public func breakdown(of account: Int32) -> ScoreBreakdown {
    let a = Int(account)
    let units = Double(volume[a]) / Double(Amount.microsPerUnit)
    var age = 0.0
    if ageStart[a] != AccountTable.unknownTime {
      age = max(0, Double(referenceTime.saturatingSubtracting(ageStart[a])) / 86_400)
    }
    return ScoreBreakdown(
      volumeUnits: units,
      distinctCounterparties: Int(counterparties[a]),
      monthsActive: Int(months[a]),
      distinctEndorsers: Int(endorsers[a]),
      profileFields: Int(fields[a]),
      ageDays: age,
      paymentVolume: min(Self.volumeCap, 25 * log10(1 + units)),
      paymentCounterparties: min(Self.counterpartyCap, 20 * log2(1 + Double(counterparties[a]))),
      paymentMonths: min(Self.monthsCap, 10 * Double(months[a])),
      socialStanding: min(Self.socialCap, 50 * log2(1 + Double(endorsers[a]))),
      profileCompleteness: min(Self.profileCap, 20 * Double(fields[a])),
      accountAge: min(Self.ageCap, 50 * age / 730))
  }

  @inline(__always)
  static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(a) << 32 | UInt64(b) }
}
