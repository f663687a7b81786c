import SignalGraph
import SplitMix

/// Planted fake profiles: template rings of 6–30 fresh accounts whose
/// profiles are filled in one burst (minutes to a few hours) shortly before
/// they start receiving endorsements and payments. Every member is labelled
/// `fake_profile`.
///
/// Variants, planted in turn:
/// - `exactDuplicate`: the same rare phone, device, invented employer (for
///   example "Quantix Global Partners") and bio, word for word;
/// - `sharedDevice`: the same device and invented employer, bios that differ
///   in one or two words;
/// - `textOnly`: only the invented employer and near-duplicate bios are
///   shared; phones are unique.
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     let parameters = SynthParameters(scale: .small)
///     let templates = ProfileTemplates(groups: 10, compact: false, rng: &rng)
///     var world = SynthWorld(parameters: parameters, honestCount: parameters.accounts - templates.newAccounts, rng: &rng)
///     templates.inject(into: &world, rng: &rng)
struct ProfileTemplates {
  enum Variant: CaseIterable {
    case exactDuplicate, sharedDevice, textOnly
  }

  struct TemplateRing {
    var variant: Variant
    var size: Int
    var burst: UInt32
  }

  let rings: [TemplateRing]

  /// Plans `groups` rings; `compact` keeps them at 6–10 members (for `tiny`).
  init(groups: Int, compact: Bool, rng: inout SplitMix64) {
    rings = (0..<groups).map { g in
      TemplateRing(
        variant: Variant.allCases[g % Variant.allCases.count],
        size: compact ? rng.int(in: 6...10) : rng.int(in: 6...30),
        burst: SynthClock.start + rng.uint32(in: (10 * SynthClock.day)...(150 * SynthClock.day)))
    }
  }

  /// Fresh accounts the rings need.
  var newAccounts: Int {
    rings.reduce(0) { $0 + $1.size }
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for (index, ring) in rings.enumerated() {
      inject(ring, index: index, into: &world, &rng)
    }
  }

  private func inject(_ ring: TemplateRing, index: Int, into world: inout SynthWorld, _ rng: inout SplitMix64) {
    let employer = ProfileValueRenderer.inventedFlag | UInt64(index)
    let phone = world.sharedKey()
    let device = world.sharedKey()
    let bioSeed = rng.next() & ProfileValueRenderer.bioSeedMask
    let burstLength = rng.uint32(in: (10 * SynthClock.minute)...(3 * SynthClock.hour))
    let receivingFrom = ring.burst + burstLength + rng.uint32(in: (2 * SynthClock.hour)...(2 * SynthClock.day))

    for member in 0..<ring.size {
      let account = world.newAccount(
        createdAt: ring.burst - rng.uint32(in: (10 * SynthClock.minute)...(2 * SynthClock.day)))
      world.label(account, .fakeProfile)
      world.buyers.append(UInt32(account))
      world.role = .fraud
      defer { world.role = .honest }
      func inBurst(_ rng: inout SplitMix64) -> UInt32 { ring.burst + rng.uint32(in: 0...burstLength) }

      let variant = ring.variant == .exactDuplicate ? 0 : UInt64(member + 1)
      world.edit(account, .bio, bioSeed | variant << 40, at: inBurst(&rng))
      world.edit(account, .employer, employer, at: inBurst(&rng))
      switch ring.variant {
      case .exactDuplicate:
        world.edit(account, .phone, phone, at: inBurst(&rng))
        world.edit(account, .device, device, at: inBurst(&rng))
      case .sharedDevice:
        world.edit(account, .device, device, at: inBurst(&rng))
      case .textOnly:
        if rng.chance(0.7) { world.edit(account, .phone, UInt64(account), at: inBurst(&rng)) }
      }

      world.role = .cover
      // Then the ring goes to work: honest persons start following, liking
      // and paying its members.
      for _ in 0..<rng.int(in: 2...8) {
        let fan = world.person(rank: 100 + rng.below(world.persons.count - 100))
        let ts = receivingFrom + rng.uint32(in: 0...(20 * SynthClock.day))
        if ts >= SynthClock.end { continue }
        if rng.chance(0.5) { world.follow(fan, account, at: ts) } else { world.like(fan, account, at: ts) }
      }
      if rng.chance(0.4) {
        for _ in 0..<rng.int(in: 1...3) {
          let payer = world.person(rank: 100 + rng.below(world.persons.count - 100))
          let ts = receivingFrom + rng.uint32(in: 0...(20 * SynthClock.day))
          if ts < SynthClock.end { world.pay(payer, account, cents: UInt64(rng.int(in: 2_000...50_000)), at: ts) }
        }
      }
      if rng.chance(0.5) {
        for _ in 0..<rng.int(in: 1...4) {
          let ts = receivingFrom + rng.uint32(in: 0...(10 * SynthClock.day))
          if ts < SynthClock.end { world.follow(account, world.celebrity(&rng), at: ts) }
        }
      }
    }
  }
}
