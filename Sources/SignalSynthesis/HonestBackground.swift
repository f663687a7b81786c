import SignalGraph
import SplitMix

/// Normal life: the heavy-tailed honest activity the manipulation hides in.
///
/// - Follows and likes: 45 % to friends nearby on a friendship lattice (often
///   followed back), the rest to persons drawn by Zipf popularity or to the
///   top five, so a few honest celebrities collect thousands of followers. Likes go mostly to accounts
///   the person follows, spread over the whole window.
/// - Payments: monthly salaries from a few employers (paid in payroll
///   batches), monthly rent to landlords, slow non-conserving rent-split
///   cycles between roommates, family transfers back and forth, purchases from
///   merchants (Zipf: one merchant is very busy) and small payments to friends.
/// - Profile edits: employers (five big ones shared by thousands plus a long
///   tail), schools, phones and devices (unique, except a family's shared home
///   phone or tablet), addresses shared by households, mostly unique bios.
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     var world = SynthWorld(parameters: SynthParameters(scale: .tiny), honestCount: 950, rng: &rng)
///     HonestBackground().generate(into: &world, rng: &rng)
///
/// - Complexity: O(*n*) signals for *n* accounts, each placed in O(log *n*).
struct HonestBackground {
  func generate(into world: inout SynthWorld, rng: inout SplitMix64) {
    assignCreationTimes(&world, &rng)
    socialGraph(&world, &rng)
    profiles(&world, &rng)
    salaries(&world, &rng)
    households(&world, &rng)
    purchases(&world, &rng)
  }

  private func assignCreationTimes(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let business = SynthClock.earliestAccount
    for a in 0..<world.persons.lowerBound {
      world.createdAt[a] = rng.uint32(in: business...(business + 700 * SynthClock.day))
    }
    for p in world.persons {
      if rng.chance(0.92) {
        world.createdAt[p] = rng.uint32(in: SynthClock.earliestAccount...(SynthClock.start - 1))
      } else {
        world.createdAt[p] = rng.uint32(in: SynthClock.start...(SynthClock.start + 150 * SynthClock.day))
      }
    }
  }

  private func socialGraph(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let followMin = world.parameters.followsMean / 2
    let likeMin = world.parameters.likesMean / 2
    var followed: [Int] = []
    for p in world.persons {
      let from = world.activeFrom(p)
      followed.removeAll(keepingCapacity: true)
      let follows = rng.paretoCount(minimum: followMin, cap: 400)
      for _ in 0..<follows {
        let roll = rng.unit()
        let isFriend = roll < 0.45
        let target: Int
        if isFriend {
          target = world.friend(of: p, &rng)
        } else if roll < 0.88 {
          target = world.popularPerson(&rng)
        } else {
          // Star power beyond Zipf: a handful of celebrities draw thousands.
          target = world.person(rank: min(rng.below(5), rng.below(5)))
        }
        if target == p || followed.contains(target) { continue }
        followed.append(target)
        let ts = world.time(from: from, &rng)
        world.follow(p, target, at: ts)
        if isFriend && rng.chance(0.5) {
          let back = max(ts, world.activeFrom(target)) &+ rng.uint32(in: SynthClock.hour...(3 * SynthClock.day))
          if back < SynthClock.end { world.follow(target, p, at: back) }
        }
      }
      let likes = rng.paretoCount(minimum: likeMin, cap: 600)
      for _ in 0..<likes {
        let target: Int
        if !followed.isEmpty && rng.chance(0.7) {
          target = rng.element(of: followed)
        } else {
          target = world.popularPerson(&rng)
        }
        if target == p { continue }
        world.like(p, target, at: world.time(from: from, &rng))
      }
    }
  }

  private func profiles(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let bigEmployers = SynthVocabulary.bigEmployers.count
    let weights = SynthVocabulary.bigEmployerWeights
    let totalWeight = weights.reduce(0, +)
    let employerTail = ZipfSampler(count: max(10, world.persons.count / 40))
    let schoolTail = ZipfSampler(count: max(10, world.persons.count / 100))
    let bigSchools = UInt64(SynthVocabulary.bigSchools.count)
    for household in world.households {
      let isFamily = household.kind == .family
      let homePhone = isFamily && rng.chance(0.25)
      let sharedTablet = isFamily && rng.chance(0.35)
      let hasAddress = household.kind != .single || rng.chance(0.4)
      for p in household.members {
        let from = world.activeFrom(p)
        if rng.chance(0.6) {
          var value: UInt64
          if rng.chance(0.5) {
            var w = rng.below(totalWeight)
            var i = 0
            while w >= weights[i] {
              w -= weights[i]
              i += 1
            }
            value = UInt64(i)
          } else {
            value = UInt64(bigEmployers + employerTail.sample(&rng))
          }
          world.edit(p, .employer, value, at: world.time(from: from, &rng))
        }
        if rng.chance(0.4) {
          let value =
            rng.chance(0.5) ? UInt64(rng.below(Int(bigSchools))) : bigSchools + UInt64(schoolTail.sample(&rng))
          world.edit(p, .school, value, at: world.time(from: from, &rng))
        }
        if rng.chance(0.7) {
          let key = homePhone ? household.start : p
          world.edit(p, .phone, UInt64(key), at: world.time(from: from, &rng))
        }
        if rng.chance(0.6) {
          let key = sharedTablet ? household.start : p
          world.edit(p, .device, UInt64(key), at: world.time(from: from, &rng))
        }
        if hasAddress {
          world.edit(p, .address, UInt64(household.start), at: world.time(from: from, &rng))
        }
        let bios = rng.chance(0.85) ? (rng.chance(0.2) ? 2 : 1) : 0
        for _ in 0..<bios {
          let seed = rng.next() & ProfileValueRenderer.bioSeedMask
          world.edit(p, .bio, seed, at: world.time(from: from, &rng))
        }
      }
    }
    for merchant in world.merchants where rng.chance(0.6) {
      let seed = rng.next() & ProfileValueRenderer.bioSeedMask
      world.edit(merchant, .bio, seed, at: world.time(from: world.activeFrom(merchant), &rng))
    }
  }

  /// Monthly payroll: each employer pays all its staff within a few minutes
  /// on its payday, a burst that is honest.
  private func salaries(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    for p in world.persons where rng.chance(world.parameters.salaryShare) {
      let e = world.employers.lowerBound + world.employerZipf.sample(&rng)
      let salary = UInt64(rng.int(in: 1_800...9_000)) * 100
      let payday = UInt32(24 + (e % 4))
      let payrollSecond = UInt32(9 * 3_600 + (e * 397) % 7_200)
      for monthStart in SynthClock.monthStarts {
        let ts =
          SynthClock.start + (monthStart + payday) * SynthClock.day + payrollSecond
          + UInt32(rng.below(600))
        guard ts >= world.activeFrom(p), ts < SynthClock.end else { continue }
        let bonus = rng.chance(0.1) ? UInt64(rng.below(50_000)) : 0
        world.pay(e, p, cents: salary + bonus, at: ts)
      }
    }
  }

  /// Rent, roommates' rent-split cycles and family transfers.
  private func households(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    for household in world.households {
      let head = household.start
      if household.kind == .roommates || rng.chance(world.parameters.rentShare) {
        let landlord = world.landlords.lowerBound + world.landlordZipf.sample(&rng)
        let rent = UInt64(rng.int(in: 700...3_200)) * 100
        let day = UInt32(rng.below(3))
        for monthStart in SynthClock.monthStarts {
          let ts =
            SynthClock.start + (monthStart + day) * SynthClock.day
            + rng.uint32(in: (8 * SynthClock.hour)...(22 * SynthClock.hour))
          if ts >= world.activeFrom(head) { world.pay(head, landlord, cents: rent, at: ts) }
        }
      }
      if household.kind == .roommates {
        // A pays B, B pays C, C pays A: slow (days between hops), weekly or
        // monthly, with unrelated amounts: an honest cycle.
        let period = rng.chance(0.3) ? 7 * SynthClock.day : 30 * SynthClock.day
        var turn = SynthClock.start + rng.uint32(in: 0...period)
        while turn < SynthClock.end {
          var ts = turn
          for i in 0..<household.size {
            let src = household.start + i
            let dst = household.start + (i + 1) % household.size
            if ts < SynthClock.end, ts >= world.activeFrom(src) {
              world.pay(src, dst, cents: UInt64(rng.int(in: 1_500...45_000)), at: ts)
            }
            ts &+= rng.uint32(in: SynthClock.day...(4 * SynthClock.day))
          }
          turn &+= period
        }
      }
      if household.kind == .family && rng.chance(0.6) {
        // Two relatives sending money back and forth over weeks.
        let a = household.start
        let b = household.start + 1 + rng.below(household.size - 1)
        let transfers = rng.int(in: 3...10)
        let from = max(world.activeFrom(a), world.activeFrom(b))
        for _ in 0..<transfers {
          let (src, dst) = rng.chance(0.6) ? (a, b) : (b, a)
          world.pay(src, dst, cents: UInt64(rng.int(in: 2_000...200_000)), at: world.time(from: from, &rng))
        }
      }
    }
  }

  /// Purchases from merchants and small payments between friends.
  private func purchases(_ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let purchaseMin = world.parameters.merchantPaymentsMean / 2
    for p in world.persons {
      let from = world.activeFrom(p)
      let count = rng.paretoCount(minimum: purchaseMin, cap: 300)
      for _ in 0..<count {
        let m = world.merchants.lowerBound + world.merchantZipf.sample(&rng)
        let cents = UInt64(rng.paretoCount(minimum: 800, cap: 200_000))
        world.pay(p, m, cents: cents, at: world.time(from: from, &rng))
      }
      if rng.chance(0.2) {
        for _ in 0..<rng.int(in: 1...3) {
          let f = world.friend(of: p, &rng)
          world.pay(p, f, cents: UInt64(rng.int(in: 1_000...10_000)), at: world.time(from: from, &rng))
        }
      }
    }
  }
}
