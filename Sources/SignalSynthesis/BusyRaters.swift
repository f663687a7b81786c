import SignalGraph
import SplitMix

/// Busy raters (planted from `small` up): honest accounts that follow and like several hundred
/// accounts over months, popular and obscure alike, so they touch farm
/// customers, viral targets and strangers by chance. Unlabelled.
///
/// - One busy rater per planted group: 200–700 distinct follows (60–150 for
///   `tiny`), 60 % to persons drawn by popularity and 40 % uniformly, at
///   random times from the rater's first active day, and half as many likes
///   of the accounts it follows.
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     let raters = BusyRaters(groups: 10, compact: false)
///     // after the honest background: raters.inject(into: &world, rng: &rng)
struct BusyRaters {
  let count: Int
  let follows: ClosedRange<Int>

  /// Plans one busy rater per planted group; `compact` keeps them smaller.
  init(groups: Int, compact: Bool) {
    count = max(1, groups)
    follows = compact ? 60...150 : 200...700
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for _ in 0..<count {
      let rater = world.claimPerson(&rng, minRank: 200)
      world.markCrowd(rater, .busyRater)
      let from = world.activeFrom(rater)
      var followed = Set<Int>([rater])
      var order: [Int] = []
      let wanted = min(rng.int(in: follows), world.persons.count / 4)
      while order.count < wanted {
        let p = rng.chance(0.6) ? world.popularPerson(&rng) : world.person(rank: rng.below(world.persons.count))
        if followed.insert(p).inserted { order.append(p) }
      }
      for p in order { world.follow(rater, p, at: world.time(from: from, &rng)) }
      for _ in 0..<(order.count / 2) {
        world.like(rater, rng.element(of: order), at: world.time(from: from, &rng))
      }
    }
  }
}
