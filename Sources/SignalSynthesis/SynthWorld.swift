import SignalGraph
import SplitMix

/// The population being generated and every signal recorded so far.
///
/// Accounts are dense internal indices. Honest accounts come first and are laid
/// out by role (employers, landlords, merchants, then persons grouped into
/// households); fraud accounts are appended by the injectors. Internal indices
/// never reach the files: `SyntheticSignalSet` maps them through a random
/// permutation to ids like `u000123`, so neither roles nor fraud are
/// contiguous in the output.
struct SynthWorld {
  /// A run of consecutive persons living at one address.
  struct Household {
    enum Kind { case single, family, roommates }
    var start: Int
    var size: Int
    var kind: Kind
    var members: Range<Int> { start..<(start + size) }
  }

  /// A labelled account.
  struct Label {
    var account: UInt32
    var kind: ManipulationKind
  }

  let parameters: SynthParameters
  /// Accounts that pay salaries.
  let employers: Range<Int>
  /// Accounts that collect rent.
  let landlords: Range<Int>
  /// Accounts that sell things; rank 0 is the busiest.
  let merchants: Range<Int>
  /// Ordinary people; their popularity follows Zipf's law by rank.
  let persons: Range<Int>
  private(set) var households: [Household] = []

  var createdAt: [UInt32]
  /// Honest payments each account took part in, to find busy accounts.
  var paymentCount: [UInt16]
  /// Honest accounts already drafted into a planted scenario.
  private var claimed: [Bool]

  let personZipf: ZipfSampler
  let merchantZipf: ZipfSampler
  let employerZipf: ZipfSampler
  let landlordZipf: ZipfSampler
  private let rankMultiplier: Int
  private let rankOffset: Int
  private var nextSharedKey: UInt64 = 1 << 32

  var payments: [SynthPayment] = []
  var interactions: [SynthInteraction] = []
  var profileEdits: [SynthProfileEdit] = []
  var labels: [Label] = []
  /// Accounts a planted scenario benefits (farm customers, ring and template
  /// members), for the pre-filter's score-inflation figure.
  var buyers: [UInt32] = []
  /// Unlabelled accounts of the honest crowds, with their crowd, for `crowds.csv`.
  var crowdMembers: [(account: UInt32, crowd: SynthCrowd)] = []
  /// Accounts of the planted engagement farms, for `farms.csv`.
  var farmMembers: [SynthFarmMember] = []

  /// What the signals recorded next are, for the event stream's truth.
  enum Role: UInt8 {
    /// Normal life.
    case honest = 0
    /// The manipulation itself: a farm's endorsements of its customers, a
    /// ring's payments, a template ring's profile edits.
    case fraud = 1
    /// Planted but not the manipulation: camouflage, cover purchases, fakes'
    /// own bios, fans of fake profiles. Excluded from both quality rates.
    case cover = 2
  }
  /// The role stamped on every signal recorded from now on.
  var role: Role = .honest

  /// Lays out `honestCount` honest accounts (at least 100).
  init(parameters: SynthParameters, honestCount: Int, rng: inout SplitMix64) {
    precondition(honestCount >= 100, "too few honest accounts for a believable background")
    self.parameters = parameters
    let employerCount = max(3, honestCount / 2_500)
    let landlordCount = max(3, honestCount / 300)
    let merchantCount = max(5, honestCount / 400)
    employers = 0..<employerCount
    landlords = employers.upperBound..<(employers.upperBound + landlordCount)
    merchants = landlords.upperBound..<(landlords.upperBound + merchantCount)
    persons = merchants.upperBound..<honestCount
    createdAt = [UInt32](repeating: 0, count: honestCount)
    paymentCount = [UInt16](repeating: 0, count: honestCount)
    claimed = [Bool](repeating: false, count: honestCount)
    personZipf = ZipfSampler(count: persons.count)
    merchantZipf = ZipfSampler(count: merchantCount)
    employerZipf = ZipfSampler(count: employerCount)
    landlordZipf = ZipfSampler(count: landlordCount)

    // rank -> person is r * a + b (mod n) with a coprime to n: a bijection
    // that scatters celebrities over the friendship lattice.
    let n = persons.count
    var a = 2_654_435_761 % n
    while a < 2 || Self.gcd(a, n) != 1 { a += 1 }
    rankMultiplier = a
    rankOffset = rng.below(n)

    var p = persons.lowerBound
    while p < persons.upperBound {
      let roll = rng.unit()
      var kind = Household.Kind.single
      var size = 1
      if roll < 0.35 {
        kind = .family
        size = rng.int(in: 2...5)
      } else if roll < 0.40 {
        kind = .roommates
        size = rng.int(in: 2...4)
      }
      size = min(size, persons.upperBound - p)
      if size == 1 { kind = .single }
      households.append(Household(start: p, size: size, kind: kind))
      p += size
    }
  }

  private static func gcd(_ x: Int, _ y: Int) -> Int {
    var (a, b) = (x, y)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }

  /// Total accounts, honest and fraud.
  var accountCount: Int { createdAt.count }

  /// The person with popularity `rank` (0 is the biggest celebrity).
  func person(rank: Int) -> Int {
    persons.lowerBound + (rank % persons.count * rankMultiplier + rankOffset) % persons.count
  }

  /// A person drawn by popularity (Zipf).
  func popularPerson(_ rng: inout SplitMix64) -> Int {
    person(rank: personZipf.sample(&rng))
  }

  /// One of the most followed honest persons; never labelled.
  func celebrity(_ rng: inout SplitMix64) -> Int {
    person(rank: rng.below(min(30, persons.count)))
  }

  /// A friend of `p`: a nearby person on the friendship lattice (which also
  /// holds `p`'s household).
  func friend(of p: Int, _ rng: inout SplitMix64) -> Int {
    var offset = rng.int(in: 1...40)
    if rng.chance(0.5) { offset = -offset }
    let n = persons.count
    return persons.lowerBound + ((p - persons.lowerBound + offset) % n + n) % n
  }

  /// The first second `account` may act in the window.
  func activeFrom(_ account: Int) -> UInt32 {
    max(SynthClock.start, createdAt[account])
  }

  /// A uniform second in `[max(from, start), end)`.
  func time(from: UInt32, _ rng: inout SplitMix64) -> UInt32 {
    let lo = min(max(from, SynthClock.start), SynthClock.end - 1)
    return rng.uint32(in: lo...(SynthClock.end - 1))
  }

  /// Appends a new account (a fake, or a fresh ring member) and returns it.
  mutating func newAccount(createdAt t: UInt32) -> Int {
    createdAt.append(t)
    return createdAt.count - 1
  }

  /// Drafts an ordinary honest person outside the most popular `minRank`
  /// ranks and not yet drafted; prefers one with at least `minPayments`
  /// honest payments when `minPayments > 0`, and one created before
  /// `createdBefore` (an aged account) when given.
  mutating func claimPerson(
    _ rng: inout SplitMix64, minRank: Int, minPayments: Int = 0, createdBefore: UInt32 = .max
  ) -> Int {
    let lowest = min(minRank, persons.count / 2)
    var fallback = -1
    for _ in 0..<400 {
      let p = person(rank: lowest + rng.below(persons.count - lowest))
      if claimed[p] { continue }
      if fallback < 0 { fallback = p }
      if Int(paymentCount[p]) >= minPayments, createdAt[p] < createdBefore {
        claimed[p] = true
        return p
      }
    }
    if fallback < 0 {
      fallback = persons.first { !claimed[$0] } ?? persons.lowerBound
    }
    claimed[fallback] = true
    return fallback
  }

  /// A fresh key for a phone or device shared by a fraud ring; never equal to
  /// an account index, so it cannot collide with an honest number.
  mutating func sharedKey() -> UInt64 {
    nextSharedKey += 1
    return nextSharedKey
  }

  mutating func follow(_ src: Int, _ dst: Int, at ts: UInt32) {
    interactions.append(
      SynthInteraction(ts: ts, src: UInt32(src), dst: UInt32(dst), kind: .follow, role: role.rawValue))
  }

  mutating func like(_ src: Int, _ dst: Int, at ts: UInt32) {
    interactions.append(SynthInteraction(ts: ts, src: UInt32(src), dst: UInt32(dst), kind: .like, role: role.rawValue))
  }

  mutating func pay(_ src: Int, _ dst: Int, cents: UInt64, at ts: UInt32) {
    payments.append(SynthPayment(ts: ts, src: UInt32(src), dst: UInt32(dst), cents: max(cents, 1), role: role.rawValue))
    if src < paymentCount.count, paymentCount[src] < .max { paymentCount[src] += 1 }
    if dst < paymentCount.count, paymentCount[dst] < .max { paymentCount[dst] += 1 }
  }

  mutating func edit(_ account: Int, _ field: SynthProfileEdit.Field, _ value: UInt64, at ts: UInt32) {
    profileEdits.append(
      SynthProfileEdit(ts: ts, account: UInt32(account), field: field, value: value, role: role.rawValue))
  }

  mutating func markCrowd(_ account: Int, _ crowd: SynthCrowd) {
    crowdMembers.append((UInt32(account), crowd))
  }

  mutating func label(_ account: Int, _ kind: ManipulationKind) {
    labels.append(Label(account: UInt32(account), kind: kind))
  }
}
