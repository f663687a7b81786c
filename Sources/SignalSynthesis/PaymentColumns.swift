import Foundation
import SignalGraph
import SplitMix

/// Payment columns for the cycles benchmark: read from a signal set or
/// generated in memory.
package struct PaymentColumns: Sendable, Equatable {
  /// Each payment's payer, an account index.
  package var source: [Int32]
  /// Each payment's payee, an account index.
  package var target: [Int32]
  /// Each payment's time, Unix seconds.
  package var time: [Int64]
  /// Accounts, indices `0..<accountCount`.
  package var accountCount: Int

  /// Columns as given.
  package init(source: [Int32], target: [Int32], time: [Int64], accountCount: Int) {
    self.source = source
    self.target = target
    self.time = time
    self.accountCount = accountCount
  }

  /// The payments of `set`.
  package init(_ set: SignalSet) {
    self.init(
      source: set.payments.source, target: set.payments.target, time: set.payments.time,
      accountCount: set.accounts.count)
  }

  /// A deterministic payments-only multigraph of `payments` payments over a
  /// year, one account per ten payments: 1 % merchants drawn by a power law
  /// (rank r with probability ∝ 1/r) receiving 55 % of the payments and
  /// paying 2 % back (refunds); persons whose activity is 70 % uniform and
  /// 30 % heavy-tailed (the busiest scattered at random) paying merchants and,
  /// 43 % of the payments, friends nearby on a lattice, who pay something
  /// back within four days 40 % of the time; and a ring of 3–8 accounts turning five
  /// times (hops an hour apart) per 20 000 payments. Rows are in time order.
  package static func synthetic(payments: Int, seed: UInt64) -> PaymentColumns {
    var rng = SplitMix64(seed: seed)
    let n = max(payments / 10, 200)
    let merchants = max(n / 100, 2)
    let persons = n - merchants
    let year: Int64 = 365 * 86_400
    let start: Int64 = 1_767_225_600
    func powerLaw(_ count: Int, _ rng: inout SplitMix64) -> Int {
      min(Int(exp(rng.unit() * log(Double(count) + 1))) - 1, count - 1)
    }
    // Popularity rank r is person (r * a + b) mod persons, a coprime to it,
    // so the busiest persons are scattered over the friendship lattice
    // instead of being each other's neighbours.
    var a = 2_654_435_761 % persons
    while a < 2 || gcd(a, persons) != 1 { a += 1 }
    let b = Int(rng.next() % UInt64(persons))
    func person(_ rng: inout SplitMix64) -> Int {
      // Busy persons: rank ⌊persons · u²⌋ has density ∝ rank^(-1/2), so the
      // busiest person makes about 0.3 / √persons of the persons' payments.
      let u = rng.unit()
      let rank = rng.unit() < 0.7 ? Int(rng.next() % UInt64(persons)) : min(Int(Double(persons) * u * u), persons - 1)
      return merchants + (rank * a + b) % persons
    }
    var source = [Int32](), target = [Int32](), time = [Int64]()
    source.reserveCapacity(payments)
    target.reserveCapacity(payments)
    time.reserveCapacity(payments)
    let rings = payments / 20_000
    var ringPayments = 0
    for _ in 0..<rings {
      let size = 3 + Int(rng.next() % 6)
      let members = (0..<size).map { _ in Int32(merchants + Int(rng.next() % UInt64(persons))) }
      guard Set(members).count == size else { continue }
      for _ in 0..<5 {
        var t = start + Int64(rng.next() % UInt64(year - 86_400))
        for hop in 0..<size {
          source.append(members[hop])
          target.append(members[(hop + 1) % size])
          time.append(t)
          t += 3_600
          ringPayments += 1
        }
      }
    }
    while source.count < payments {
      let roll = rng.unit()
      let s: Int, d: Int
      if roll < 0.55 {
        s = person(&rng)
        d = powerLaw(merchants, &rng)
      } else if roll < 0.57 {
        s = powerLaw(merchants, &rng)
        d = person(&rng)
      } else {
        s = person(&rng)
        let offset = 1 + Int(rng.next() % 20)
        d = merchants + (s - merchants + (rng.next() & 1 == 0 ? offset : persons - offset)) % persons
      }
      let t = start + Int64(rng.next() % UInt64(year))
      source.append(Int32(s))
      target.append(Int32(d))
      time.append(t)
      if roll >= 0.57 && rng.unit() < 0.4 && source.count < payments {
        // The friend pays something back within four days (a shared bill):
        // honest 2-cycles, and longer cycles round the lattice.
        source.append(Int32(d))
        target.append(Int32(s))
        time.append(t + Int64(rng.next() % (4 * 86_400)))
      }
    }
    var order = Array(0..<source.count)
    order.sort { time[$0] != time[$1] ? time[$0] < time[$1] : $0 < $1 }
    return PaymentColumns(
      source: order.map { source[$0] }, target: order.map { target[$0] }, time: order.map { time[$0] },
      accountCount: n)
  }

  private static func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }

  /// Writes `src,dst,ts` rows (account indices, Unix seconds), for comparison runs.
  package func writeCSV(to path: String) throws {
    var text = "src,dst,ts\n"
    text.reserveCapacity(source.count * 24)
    for r in source.indices { text += "\(source[r]),\(target[r]),\(time[r])\n" }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }
}
