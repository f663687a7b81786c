import SignalGraph
import SplitMix

/// Organic viral bursts (planted from `small` up): an ordinary honest account goes viral (a clip, a TV
/// appearance) and hundreds to thousands of unrelated accounts, old and new,
/// follow or like it within a day; some also follow or like its one related
/// account (its band, its shop). Unlabelled: a burst toward one account is
/// not a farm.
///
/// - Per burst: 300–2 000 fans (at most an eighth of the accounts), of whom
///   10–35 % are newcomers created up to three days before they endorse; the
///   endorsements thin out from the burst's start (half of them within three
///   hours, all within a day); 55 % of fans follow only,
///   20 % like only, 25 % both; 10–50 % (one share per burst) also endorse
///   the related account minutes to hours later.
/// - Before the burst, the target and its related account follow each other
///   and a few of the target's friends follow both; afterwards, newcomers
///   lead ordinary lives (a few follows and likes of popular persons). The
///   fans move together on no other account.
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     let bursts = ViralBursts(groups: 10, accounts: 10_000, rng: &rng)
///     // lay out the world with bursts.newAccounts fewer honest accounts, then:
///     // bursts.inject(into: &world, rng: &rng)
struct ViralBursts {
  struct Burst {
    var fans: Int
    var newcomers: Int
    var start: UInt32
    var relatedShare: Double
  }

  let bursts: [Burst]

  /// Plans one burst per five planted groups (at least one).
  init(groups: Int, accounts: Int, rng: inout SplitMix64) {
    bursts = (0..<max(1, groups / 5)).map { _ in
      let fans = min(rng.int(in: 300...2_000), max(20, accounts / 8))
      let newcomers = Int(Double(fans) * rng.double(in: 0.10...0.35))
      let start = SynthClock.start + rng.uint32(in: (10 * SynthClock.day)...(170 * SynthClock.day))
      return Burst(fans: fans, newcomers: newcomers, start: start, relatedShare: rng.double(in: 0.10...0.50))
    }
  }

  /// Fresh accounts the bursts bring (the newcomers).
  var newAccounts: Int { bursts.reduce(0) { $0 + $1.newcomers } }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for burst in bursts { inject(burst, into: &world, &rng) }
  }

  private func inject(_ burst: Burst, into world: inout SynthWorld, _ rng: inout SplitMix64) {
    let target = world.claimPerson(&rng, minRank: 200)
    let related = world.claimPerson(&rng, minRank: 200)
    world.markCrowd(target, .viralTarget)
    world.markCrowd(related, .viralTarget)
    let before = max(world.activeFrom(target), world.activeFrom(related))
    if before < burst.start {
      world.follow(target, related, at: rng.uint32(in: before...(burst.start - 1)))
      world.follow(related, target, at: rng.uint32(in: before...(burst.start - 1)))
      for _ in 0..<rng.int(in: 5...20) {
        let friend = world.friend(of: target, &rng)
        let from = max(before, world.activeFrom(friend))
        guard friend != related, from < burst.start else { continue }
        world.follow(friend, target, at: rng.uint32(in: from...(burst.start - 1)))
        world.follow(friend, related, at: rng.uint32(in: from...(burst.start - 1)))
      }
    }

    var fans = Set<Int>([target, related])
    var order: [Int] = []
    while order.count < burst.fans - burst.newcomers {
      let p = world.person(rank: rng.below(world.persons.count))
      if fans.insert(p).inserted { order.append(p) }
    }
    let firstNewcomer = world.accountCount
    for _ in 0..<burst.newcomers {
      order.append(world.newAccount(createdAt: burst.start))
    }
    for fan in order {
      // Decaying from the start: a day times u³ (median 3 h, mean 6 h); no
      // logarithm, so that the bytes are the same on every machine.
      let u = rng.unit()
      let ts = burst.start + UInt32(Double(SynthClock.day - 1) * u * u * u)
      let isNewcomer = fan >= firstNewcomer
      if isNewcomer { world.createdAt[fan] = ts - rng.uint32(in: 60...(3 * SynthClock.day)) }
      guard ts < SynthClock.end else { continue }
      world.markCrowd(fan, .viralFan)
      let roll = rng.unit()
      if roll < 0.8 { world.follow(fan, target, at: ts) }
      if roll >= 0.55 { world.like(fan, target, at: ts + rng.uint32(in: 10...(2 * SynthClock.hour))) }
      if rng.chance(burst.relatedShare) {
        let later = ts + rng.uint32(in: SynthClock.minute...(6 * SynthClock.hour))
        if later < SynthClock.end {
          if rng.chance(0.7) { world.follow(fan, related, at: later) } else { world.like(fan, related, at: later) }
        }
      }
      if isNewcomer {
        // A newcomer's ordinary life afterwards.
        for _ in 0..<rng.int(in: 1...5) {
          let other = world.popularPerson(&rng)
          let t = world.time(from: ts, &rng)
          if rng.chance(0.6) { world.follow(fan, other, at: t) } else { world.like(fan, other, at: t) }
        }
      }
    }
  }
}
