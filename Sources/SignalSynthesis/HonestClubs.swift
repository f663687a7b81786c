import SignalGraph
import SplitMix

/// Tight honest communities (planted from `small` up): clubs, classes, families and fan groups of 10
/// to 40 members who all follow each other and like each other's posts over
/// months. Unlabelled: a complete, reciprocated block is a community, not a
/// farm.
///
/// - Per club: members drafted among ordinary persons join over two to four
///   months from its founding (within the first two months of the window);
///   each member follows each other member (95 % of ordered pairs) hours to
///   ten days after the later of the two joined, and likes 5–20 of the
///   others' posts at random times after joining.
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     let clubs = HonestClubs(groups: 10, compact: false, rng: &rng)
///     // after the honest background: clubs.inject(into: &world, rng: &rng)
struct HonestClubs {
  struct Club {
    var members: Int
    var founded: UInt32
    var joinSpan: UInt32
  }

  let clubs: [Club]

  /// Plans one club per two planted groups (at least one); `compact` keeps
  /// them at 10–15 members (for `tiny`).
  init(groups: Int, compact: Bool, rng: inout SplitMix64) {
    clubs = (0..<max(1, groups / 2)).map { _ in
      Club(
        members: compact ? rng.int(in: 10...15) : rng.int(in: 10...40),
        founded: SynthClock.start + rng.uint32(in: 0...(60 * SynthClock.day)),
        joinSpan: rng.uint32(in: (60 * SynthClock.day)...(120 * SynthClock.day)))
    }
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for club in clubs { inject(club, into: &world, &rng) }
  }

  private func inject(_ club: Club, into world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = (0..<club.members).map { _ in world.claimPerson(&rng, minRank: 200) }
    let joined = members.enumerated().map { i, m in
      max(world.activeFrom(m), i == 0 ? club.founded : club.founded + rng.uint32(in: 0...club.joinSpan))
    }
    for (i, m) in members.enumerated() {
      world.markCrowd(m, .club)
      for (j, other) in members.enumerated() where j != i && rng.chance(0.95) {
        let ts = max(joined[i], joined[j]) &+ rng.uint32(in: SynthClock.hour...(10 * SynthClock.day))
        if ts < SynthClock.end { world.follow(m, other, at: ts) }
      }
      for _ in 0..<rng.int(in: 5...20) {
        let j = rng.below(members.count)
        guard j != i else { continue }
        world.like(m, members[j], at: world.time(from: max(joined[i], joined[j]), &rng))
      }
    }
  }
}
