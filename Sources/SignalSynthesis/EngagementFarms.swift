import SignalGraph
import SplitMix

/// Planted bought engagement: farms of endorsers that follow and like paying
/// customers. Every endorser and every customer is labelled
/// `bought_engagement`; the honest celebrities camouflaged farms also follow
/// stay unlabelled.
///
/// Styles, planted in turn:
/// - `plain`: 20–60 fresh fake accounts × 3–10 customers, each fake
///   endorsing about 80 % of the customers within a day or two;
/// - `stealth`: the same with 5–8 fakes × 2–3 customers;
/// - `camouflaged`: plain, plus each fake follows and likes celebrities;
/// - `lockstep`: the fakes hit the same customer within minutes of each
///   other, in several rounds days apart;
/// - `hijacked`: the endorsers are older honest-looking accounts with normal
///   histories that additionally endorse the customers;
/// - `spreadInTime`: endorsements spread over three to eight weeks;
/// - `agedSmall`: 4–8 aged accounts (created at least half a year before the
///   farm, with honest histories) × 2–3 customers, within a day or two;
/// - `patient`: 10–30 fresh fakes × 3–8 customers, the same group serving
///   the same customers over two to four weeks.
///
/// Fake endorsers are created days before their farm starts.
///
///     var rng = SplitMix64(seed: 1)
///     let parameters = SynthParameters(scale: .small)
///     let farms = EngagementFarms(groups: 10, compact: false, rng: &rng)
///     // lay out the world with farms.newAccounts fewer honest accounts:
///     var world = SynthWorld(parameters: parameters, honestCount: parameters.accounts - farms.newAccounts, rng: &rng)
///     farms.inject(into: &world, rng: &rng)
struct EngagementFarms {
  enum Style: CaseIterable {
    case plain, stealth, camouflaged, lockstep, hijacked, spreadInTime, agedSmall, patient

    /// The name written to `farms.csv`.
    var name: String {
      switch self {
      case .plain: return "plain"
      case .stealth: return "stealth"
      case .camouflaged: return "camouflaged"
      case .lockstep: return "lockstep"
      case .hijacked: return "hijacked"
      case .spreadInTime: return "spread_in_time"
      case .agedSmall: return "aged_small"
      case .patient: return "patient"
      }
    }

    /// Whether the endorsers are drafted honest accounts rather than fresh fakes.
    var reusesHonestAccounts: Bool { self == .hijacked || self == .agedSmall }
  }

  struct Farm {
    var style: Style
    var endorsers: Int
    var customers: Int
    var start: UInt32
  }

  let farms: [Farm]

  /// Plans `groups` farms; `compact` keeps them small (for `tiny`).
  init(groups: Int, compact: Bool, rng: inout SplitMix64) {
    var farms: [Farm] = []
    for g in 0..<groups {
      let style = Style.allCases[g % Style.allCases.count]
      let endorsers: Int
      let customers: Int
      switch style {
      case .stealth:
        endorsers = rng.int(in: 5...8)
        customers = rng.int(in: 2...3)
      case .agedSmall:
        endorsers = rng.int(in: 4...8)
        customers = rng.int(in: 2...3)
      case .patient:
        endorsers = compact ? rng.int(in: 10...20) : rng.int(in: 10...30)
        customers = compact ? rng.int(in: 3...5) : rng.int(in: 3...8)
      default:
        endorsers = compact ? rng.int(in: 20...28) : rng.int(in: 20...60)
        customers = compact ? rng.int(in: 3...6) : rng.int(in: 3...10)
      }
      let start = SynthClock.start + rng.uint32(in: (15 * SynthClock.day)...(115 * SynthClock.day))
      farms.append(Farm(style: style, endorsers: endorsers, customers: customers, start: start))
    }
    self.farms = farms
  }

  /// Fresh accounts the farms need (hijacked and aged farms reuse honest ones).
  var newAccounts: Int {
    farms.reduce(0) { $0 + ($1.style.reusesHonestAccounts ? 0 : $1.endorsers) }
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for (number, farm) in farms.enumerated() {
      inject(farm, number: UInt32(number), into: &world, &rng)
    }
  }

  private func inject(_ farm: Farm, number: UInt32, into world: inout SynthWorld, _ rng: inout SplitMix64) {
    let customers = (0..<farm.customers).map { _ in world.claimPerson(&rng, minRank: 200) }
    var endorsers: [Int] = []
    for _ in 0..<farm.endorsers {
      if farm.style == .hijacked {
        endorsers.append(world.claimPerson(&rng, minRank: 200))
      } else if farm.style == .agedSmall {
        endorsers.append(world.claimPerson(&rng, minRank: 200, createdBefore: farm.start - 180 * SynthClock.day))
      } else {
        let created = farm.start - rng.uint32(in: SynthClock.hour...(10 * SynthClock.day))
        let fake = world.newAccount(createdAt: created)
        endorsers.append(fake)
        world.role = .cover
        if rng.chance(0.7) {
          let seed = rng.next() & ProfileValueRenderer.bioSeedMask
          world.edit(fake, .bio, seed, at: created + rng.uint32(in: 60...(2 * SynthClock.hour)))
        }
      }
    }
    for account in customers + endorsers {
      world.label(account, .boughtEngagement)
    }
    for (accounts, role) in [(endorsers, SynthFarmMember.Role.endorser), (customers, .customer)] {
      for account in accounts {
        world.farmMembers.append(
          SynthFarmMember(account: UInt32(account), farm: number, style: farm.style.name, role: role))
      }
    }
    world.buyers.append(contentsOf: customers.map { UInt32($0) })
    world.role = .fraud
    defer { world.role = .honest }

    // Who endorses whom: ~80 % dense, and nobody left out.
    var targets: [[Int]] = endorsers.map { _ in customers.filter { _ in rng.chance(0.8) } }
    for i in targets.indices where targets[i].isEmpty {
      targets[i] = [rng.element(of: customers)]
    }
    for c in customers where !targets.contains(where: { $0.contains(c) }) {
      targets[rng.below(targets.count)].append(c)
    }

    if farm.style == .lockstep {
      lockstep(farm, endorsers, targets, &world, &rng)
    } else {
      let span: UInt32
      switch farm.style {
      case .spreadInTime: span = rng.uint32(in: (21 * SynthClock.day)...(56 * SynthClock.day))
      case .patient: span = rng.uint32(in: (14 * SynthClock.day)...(28 * SynthClock.day))
      case .hijacked: span = rng.uint32(in: SynthClock.day...(3 * SynthClock.day))
      case .agedSmall: span = rng.uint32(in: (6 * SynthClock.hour)...(2 * SynthClock.day))
      default: span = rng.uint32(in: (6 * SynthClock.hour)...(2 * SynthClock.day))
      }
      for (e, endorser) in endorsers.enumerated() {
        for customer in targets[e] {
          let ts = farm.start + rng.uint32(in: 0...span)
          world.follow(endorser, customer, at: ts)
          for _ in 0..<rng.below(3) {
            let later = ts + rng.uint32(in: SynthClock.minute...(span / 4 + SynthClock.hour))
            if later < SynthClock.end { world.like(endorser, customer, at: later) }
          }
        }
      }
    }

    if farm.style == .camouflaged {
      world.role = .cover
      for fake in endorsers {
        for _ in 0..<rng.int(in: 3...8) {
          let celebrity = world.celebrity(&rng)
          let ts = world.time(from: world.createdAt[fake], &rng)
          if rng.chance(0.6) {
            world.follow(fake, celebrity, at: ts)
          } else {
            world.like(fake, celebrity, at: ts)
          }
        }
      }
    }
  }

  /// Rounds days apart; in each round every endorser hits each of its
  /// customers within three minutes of the others.
  private func lockstep(
    _ farm: Farm, _ endorsers: [Int], _ targets: [[Int]],
    _ world: inout SynthWorld, _ rng: inout SplitMix64
  ) {
    var round = farm.start
    for r in 0..<rng.int(in: 2...4) {
      for (e, endorser) in endorsers.enumerated() {
        for (c, customer) in targets[e].enumerated() {
          let ts = round + UInt32(c) * 10 * SynthClock.minute + rng.uint32(in: 0...180)
          guard ts < SynthClock.end else { continue }
          if r == 0 {
            world.follow(endorser, customer, at: ts)
          } else {
            world.like(endorser, customer, at: ts)
          }
        }
      }
      round += rng.uint32(in: (2 * SynthClock.day)...(10 * SynthClock.day))
    }
  }
}
