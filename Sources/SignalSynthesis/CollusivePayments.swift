import SignalGraph
import SplitMix

/// Planted collusive payments of the anti-money-laundering typologies that
/// move slowly and need not turn repeatedly (issue 12); every member is
/// labelled `circular_payment`.
///
/// Members are busy honest people drafted from the background, so each
/// scheme hides inside an ordinary payment history. Variants, in turn:
/// - `splitFanIn`: 3–6 senders each pay one receiver one small amount on
///   one day, 10 to 25 days apart, most of them splitting it into 2–5
///   equal payments that day (AMLSim's fan-in);
/// - `slowRing`: 3–6 members pass one amount round once over weeks, each hop
///   1–12 days after the previous, keeping 1–5 %, some hops split on their
///   day (AMLSim's cycle);
/// - `scatterGather`: a source pays 3–5 intermediaries within a day, and each
///   passes 95–99 % of it on to one other account within six days;
/// - `stack`: money passed on through a chain of 4–6 accounts, a hop every
///   1–4 days, keeping 1–4 % at each (layering);
/// - `gatherScatter`: 3–5 senders each pay one hub a near-equal sum (±1.5 %)
///   over 1–6 days, and the hub pays what came in, less 2–4 %, straight on
///   to 3–5 other accounts in near-equal sums within a week (AMLworld's
///   gather-scatter);
/// - `fanOut`: one sender pays 4–7 receivers one sum (±1 %), a payment every
///   2 hours to 3 days (AMLworld's fan-out).
///
/// For example:
///
///     var rng = SplitMix64(seed: 1)
///     var world = SynthWorld(parameters: SynthParameters(scale: .tiny), honestCount: 1_000, rng: &rng)
///     HonestBackground().generate(into: &world, rng: &rng)   // the people it drafts
///     let schemes = CollusivePayments(groups: 10, rng: &rng)
///     schemes.inject(into: &world, rng: &rng)
struct CollusivePayments {
  enum Variant: CaseIterable {
    case splitFanIn, slowRing, scatterGather, stack, gatherScatter, fanOut
  }

  let variants: [Variant]

  /// Plans `groups` schemes, the variants in turn.
  init(groups: Int, rng: inout SplitMix64) {
    variants = (0..<groups).map { Variant.allCases[$0 % Variant.allCases.count] }
  }

  func inject(into world: inout SynthWorld, rng: inout SplitMix64) {
    for variant in variants {
      // Early enough that the slowest scheme (a fan-in of six senders) ends in the window.
      let start = SynthClock.start + rng.uint32(in: (5 * SynthClock.day)...(45 * SynthClock.day))
      world.role = .fraud
      switch variant {
      case .splitFanIn: splitFanIn(start, &world, &rng)
      case .slowRing: slowRing(start, &world, &rng)
      case .scatterGather: scatterGather(start, &world, &rng)
      case .stack: stack(start, &world, &rng)
      case .gatherScatter: gatherScatter(start, &world, &rng)
      case .fanOut: fanOut(start, &world, &rng)
      }
      world.role = .honest
    }
  }

  /// `count` busy honest people, labelled and counted as buyers.
  private func draft(_ count: Int, _ world: inout SynthWorld, _ rng: inout SplitMix64) -> [Int] {
    let members = (0..<count).map { _ in world.claimPerson(&rng, minRank: 200, minPayments: 8) }
    for m in members { world.label(m, .circularPayment) }
    world.buyers.append(contentsOf: members.map { UInt32($0) })
    return members
  }

  /// `cents` from `src` to `dst` on the day of `ts`, in `parts` equal payments minutes apart.
  private func pay(
    _ src: Int, _ dst: Int, cents: UInt64, at ts: UInt32, parts: Int, _ world: inout SynthWorld,
    _ rng: inout SplitMix64
  ) {
    var t = ts
    for _ in 0..<parts where t < SynthClock.end {
      world.pay(src, dst, cents: cents, at: t)
      t += rng.uint32(in: (2 * SynthClock.minute)...(90 * SynthClock.minute))
    }
  }

  private func splitFanIn(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = draft(1 + rng.int(in: 3...6), &world, &rng)
    let receiver = members[0]
    let cents = UInt64(rng.int(in: 200...2_500))
    var day = start
    for sender in members.dropFirst() {
      let parts = rng.unit() < 0.75 ? rng.int(in: 2...5) : 1
      pay(sender, receiver, cents: cents, at: day, parts: parts, &world, &rng)
      day += rng.uint32(in: (10 * SynthClock.day)...(25 * SynthClock.day))
    }
  }

  private func slowRing(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = draft(rng.int(in: 3...6), &world, &rng)
    var cents = UInt64(rng.int(in: 5_000...500_000))
    var ts = start
    for hop in members.indices {
      let parts = rng.unit() < 0.4 ? rng.int(in: 2...4) : 1
      pay(
        members[hop], members[(hop + 1) % members.count], cents: cents / UInt64(parts), at: ts, parts: parts, &world,
        &rng)
      cents = cents * UInt64(rng.int(in: 95...99)) / 100
      ts += rng.uint32(in: SynthClock.day...(12 * SynthClock.day))
    }
  }

  private func scatterGather(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = draft(2 + rng.int(in: 3...5), &world, &rng)
    let source = members[0], sink = members[1]
    for intermediary in members.dropFirst(2) {
      let cents = UInt64(rng.int(in: 50_000...900_000))
      let out = start + rng.uint32(in: 0...(20 * SynthClock.hour))
      world.pay(source, intermediary, cents: cents, at: out)
      let on = out + rng.uint32(in: (2 * SynthClock.hour)...(6 * SynthClock.day))
      if on < SynthClock.end {
        world.pay(intermediary, sink, cents: cents * UInt64(rng.int(in: 95...99)) / 100, at: on)
      }
    }
  }

  private func stack(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = draft(rng.int(in: 4...6), &world, &rng)
    var cents = UInt64(rng.int(in: 100_000...2_000_000))
    var ts = start
    for (src, dst) in zip(members, members.dropFirst()) where ts < SynthClock.end {
      world.pay(src, dst, cents: cents, at: ts)
      cents = cents * UInt64(rng.int(in: 96...99)) / 100
      ts += rng.uint32(in: SynthClock.day...(4 * SynthClock.day))
    }
  }

  private func gatherScatter(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let senders = rng.int(in: 3...5), receivers = rng.int(in: 3...5)
    let members = draft(1 + senders + receivers, &world, &rng)
    let hub = members[0]
    let cents = rng.int(in: 20_000...300_000)
    var gathered = 0
    var ts = start
    for sender in members[1...senders] {
      let part = cents * rng.int(in: 985...1_015) / 1_000
      world.pay(sender, hub, cents: UInt64(part), at: ts)
      gathered += part
      ts += rng.uint32(in: (2 * SynthClock.hour)...(36 * SynthClock.hour))
    }
    let share = gathered * rng.int(in: 96...98) / 100 / receivers
    for receiver in members[(1 + senders)...] {
      ts += rng.uint32(in: (2 * SynthClock.hour)...(40 * SynthClock.hour))
      guard ts < SynthClock.end else { return }
      world.pay(hub, receiver, cents: UInt64(share * rng.int(in: 995...1_005) / 1_000), at: ts)
    }
  }

  private func fanOut(_ start: UInt32, _ world: inout SynthWorld, _ rng: inout SplitMix64) {
    let members = draft(1 + rng.int(in: 4...7), &world, &rng)
    let cents = rng.int(in: 20_000...300_000)
    var ts = start
    for receiver in members.dropFirst() where ts < SynthClock.end {
      world.pay(members[0], receiver, cents: UInt64(cents * rng.int(in: 990...1_010) / 1_000), at: ts)
      ts += rng.uint32(in: (2 * SynthClock.hour)...(3 * SynthClock.day))
    }
  }
}
