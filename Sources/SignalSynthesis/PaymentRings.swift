import SignalGraph
import SplitMix

/// Planted circular payments; every member is labelled `circular_payment`.
///
/// A ring of 3–8 accounts passes money round (A → B → … → A), each hop
/// within hours of the previous one and passing on 0.85–0.99 of what
/// arrived; the ring turns 3–10 times over the window. Variants:
/// - `freshAccounts`: members are new accounts with a little cover activity;
/// - `merchantHidden`: members also buy heavily from a big merchant (and get
///   refunds), so the ring sits inside the merchant's traffic; the merchant
///   stays unlabelled;
/// - `embedded`: members are busy honest accounts with salaries and purchases;
/// - `gatherScatter`: an origin fans out to 3–5 intermediaries that each send
///   most of it back to the origin within hours.
///
/// Honest cycles (roommates, families) are slow and do not conserve amounts;
/// these are fast and conserve 85–99 % per hop.
///
///     var rng = SplitMix64(seed: 1)
///     let parameters = SynthParameters(scale: .small)
///     let rings = PaymentRings(groups: 10, rng: &rng)
///     var world = SynthWorld(parameters: parameters, honestCount: parameters.accounts - rings.newAccounts, rng: &rng)
///     rings.inject(into: &world, rng: &rng)
struct PaymentRings {
  enum Variant {
    case freshAccounts, merchantHidden, embedded, gatherScatter
  }

  struct Ring {
    var variant: Variant
    /// Members; for `gatherScatter`, the origin and its intermediaries.
    var size: Int
    var turns: Int
  }

  let rings: [Ring]

  /// Plans `groups` rings. Ring 1 (and every 20th after it) hides in a big
  /// merchant's traffic.
  init(groups: Int, rng: inout SplitMix64) {
    var rings: [Ring] = []
    let others: [Variant] = [.freshAccounts, .embedded, .gatherScatter]
    for g in 0..<groups {
      let variant = g % 20 == 1 ? .merchantHidden : others[g % others.count]
      let size = variant == .gatherScatter ? 1 + rng.int(in: 3...5) : rng.int(in: 3...8)
      rings.append(Ring(variant: variant, size: size, turns: rng.int(in: 3...10)))
    }
    self.rings = rings
  }

  /// Fresh accounts the rings need.
  var newAccounts: Int {
    rings.reduce(0) { $0 + ($1.variant == .freshAccounts ? $1.size : 0) }
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for (index, ring) in rings.enumerated() {
      inject(ring, index: index, into: &world, &rng)
    }
  }

  private func inject(_ ring: Ring, index: Int, into world: inout SynthWorld, _ rng: inout SplitMix64) {
    let firstTurn = SynthClock.start + rng.uint32(in: (10 * SynthClock.day)...(60 * SynthClock.day))
    var members: [Int] = []
    world.role = .cover
    defer { world.role = .honest }
    for _ in 0..<ring.size {
      switch ring.variant {
      case .freshAccounts:
        let created = firstTurn - rng.uint32(in: SynthClock.day...(20 * SynthClock.day))
        let account = world.newAccount(createdAt: created)
        members.append(account)
        coverActivity(account, &world, &rng)
      case .embedded, .gatherScatter:
        members.append(world.claimPerson(&rng, minRank: 200, minPayments: 8))
      case .merchantHidden:
        members.append(world.claimPerson(&rng, minRank: 200, minPayments: 2))
      }
    }
    for m in members { world.label(m, .circularPayment) }
    world.buyers.append(contentsOf: members.map { UInt32($0) })
    world.role = .fraud

    var turnStarts = (0..<ring.turns).map { _ in
      rng.uint32(in: firstTurn...(SynthClock.end - 2 * SynthClock.day))
    }
    turnStarts.sort()
    var amount = UInt64(rng.int(in: 1_000...20_000)) * 100
    for start in turnStarts {
      if ring.variant == .gatherScatter {
        gatherScatter(members, start: start, amount: amount, &world, &rng)
      } else {
        turn(members, start: start, amount: amount, &world, &rng)
      }
      amount = amount * UInt64(rng.int(in: 80...120)) / 100
    }

    world.role = .cover
    if ring.variant == .merchantHidden {
      let merchant = world.merchants.lowerBound + (index / 20) % min(3, world.merchants.count)
      for m in members {
        for _ in 0..<rng.int(in: 20...50) {
          world.pay(
            m, merchant, cents: UInt64(rng.paretoCount(minimum: 2_000, cap: 300_000)),
            at: world.time(from: firstTurn - 30 * SynthClock.day, &rng))
        }
        for _ in 0..<rng.int(in: 1...3) {
          world.pay(merchant, m, cents: UInt64(rng.int(in: 500...20_000)), at: world.time(from: firstTurn, &rng))
        }
      }
    }
  }

  /// One turn round the ring, starting at a random member.
  private func turn(_ members: [Int], start: UInt32, amount: UInt64, _ world: inout SynthWorld, _ rng: inout SplitMix64)
  {
    var ts = start
    var carried = amount
    let first = rng.below(members.count)
    for hop in 0..<members.count {
      let src = members[(first + hop) % members.count]
      let dst = members[(first + hop + 1) % members.count]
      if ts >= SynthClock.end { return }
      world.pay(src, dst, cents: carried, at: ts)
      carried = carried * UInt64(rng.int(in: 850...990)) / 1_000
      ts += rng.uint32(in: (5 * SynthClock.minute)...(4 * SynthClock.hour))
    }
  }

  /// The origin (`members[0]`) fans out, the intermediaries converge back.
  private func gatherScatter(
    _ members: [Int], start: UInt32, amount: UInt64, _ world: inout SynthWorld, _ rng: inout SplitMix64
  ) {
    let origin = members[0]
    let share = amount / UInt64(members.count - 1)
    for intermediary in members.dropFirst() {
      let out = start + rng.uint32(in: 0...(30 * SynthClock.minute))
      let sent = share * UInt64(rng.int(in: 90...110)) / 100
      world.pay(origin, intermediary, cents: sent, at: out)
      let back = out + rng.uint32(in: (20 * SynthClock.minute)...(6 * SynthClock.hour))
      if back < SynthClock.end {
        world.pay(intermediary, origin, cents: sent * UInt64(rng.int(in: 850...990)) / 1_000, at: back)
      }
    }
  }

  /// A few purchases and follows so a fresh ring member is not a bare
  /// payment-only account.
  private func coverActivity(_ account: Int, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let from = world.createdAt[account]
    for _ in 0..<rng.int(in: 1...4) {
      let m = world.merchants.lowerBound + world.merchantZipf.sample(&rng)
      world.pay(account, m, cents: UInt64(rng.paretoCount(minimum: 800, cap: 50_000)), at: world.time(from: from, &rng))
    }
    for _ in 0..<rng.int(in: 0...3) {
      world.follow(account, world.popularPerson(&rng), at: world.time(from: from, &rng))
    }
  }
}
