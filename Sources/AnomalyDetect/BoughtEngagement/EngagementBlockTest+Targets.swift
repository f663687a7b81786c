import Foundation
import SignalGraph

extension EngagementBlockTest {
  /// The most customers whose ties ``independentTargets(customers:endorsers:before:log10Alpha:pairs:scratch:)``
  /// checks pair by pair; a block with more counts each customer as a target
  /// (so many customers are evidence of a farm whatever a few of them share).
  static let relatedCheckLimit = 16

  /// How many independent targets a block's `customers` are: customers tied
  /// to each other *outside the block*, before it began (`before`: the start
  /// of its synchrony window less the window's width), count as one. A farm is a group that
  /// moves together on several customers; an organic burst toward one
  /// account that spills over to its one related account (a singer and her
  /// band) is a burst toward one target, however many join it.
  ///
  /// Two customers *u*, *v* are tied when
  /// - one endorsed the other before the block began and is not itself one
  ///   of the block's `endorsers` (a ring's members endorse each other as
  ///   part of the block; that is evidence, not an explanation), or
  /// - they share *s* ≥ 2 endorsers outside the block who endorsed them
  ///   before it began, improbably many for their in-degrees *d*ᵤ, *d*ᵥ
  ///   counted the same way: P(Poisson(*d*ᵤ *d*ᵥ / *N*) ≥ *s*) ≤ α, *N* the
  ///   set's endorsers, α the block test's (so a tie needs the same strength
  ///   of evidence as a farm). Endorsers who joined during the block's run
  ///   (a farm's stragglers left out of the trimmed block) tie nothing.
  ///
  /// Targets are the connected groups of tied customers.
  ///
  /// - Complexity: O(*b*² (log *d* + *d*)) for *b* ≤ ``relatedCheckLimit``
  ///   customers of in-degree at most *d*; O(1) above it.
  func independentTargets(
    customers: [Int32], endorsers: [Int32], before: Int64, log10Alpha: Double, pairs: EndorsementGraph,
    scratch: inout Scratch
  ) -> Int {
    let b = customers.count
    guard b >= 2, b <= Self.relatedCheckLimit else { return b }
    scratch.stamp += 1
    let stamp = scratch.stamp
    for i in endorsers { scratch.mark[Int(i)] = stamp }
    var outside: [[Int32]] = customers.map { j in
      var sources: [Int32] = []
      for k in pairs.inOffsets[Int(j)]..<pairs.inOffsets[Int(j) + 1]
      where pairs.inTime[k] < before && scratch.mark[Int(pairs.inSources[k])] != stamp {
        sources.append(pairs.inSources[k])
      }
      return sources
    }
    for x in outside.indices { outside[x].sort() }
    let population = Double(max(pairs.endorserCount, 1))
    var groups = DisjointSets(count: b)
    for x in 0..<b {
      for y in (x + 1)..<b where groups.find(x) != groups.find(y) {
        let u = customers[x], v = customers[y]
        let direct =
          tie(u, v, before: before, stamp: stamp, pairs: pairs, scratch: scratch)
          || tie(v, u, before: before, stamp: stamp, pairs: pairs, scratch: scratch)
        if direct {
          groups.union(x, y)
          continue
        }
        let shared = Self.sharedCount(outside[x], outside[y])
        guard shared >= 2 else { continue }
        let mean = Double(outside[x].count) * Double(outside[y].count) / population
        if Self.log10PoissonTail(shared, mean: mean) <= log10Alpha { groups.union(x, y) }
      }
    }
    return Set((0..<b).map { groups.find($0) }).count
  }

  /// Whether `u`, not one of the block's endorsers (marked `stamp`), first
  /// endorsed `v` before `before`.
  private func tie(_ u: Int32, _ v: Int32, before: Int64, stamp: Int32, pairs: EndorsementGraph, scratch: Scratch)
    -> Bool
  {
    guard scratch.mark[Int(u)] != stamp, pairs.endorses(u, v) else { return false }
    for k in pairs.inOffsets[Int(v)]..<pairs.inOffsets[Int(v) + 1] where pairs.inSources[k] == u {
      return pairs.inTime[k] < before
    }
    return false
  }

  /// How many values two ascending arrays share.
  static func sharedCount(_ a: [Int32], _ b: [Int32]) -> Int {
    var i = 0, j = 0, shared = 0
    while i < a.count && j < b.count {
      if a[i] < b[j] {
        i += 1
      } else if a[i] > b[j] {
        j += 1
      } else {
        shared += 1
        i += 1
        j += 1
      }
    }
    return shared
  }
}
