import Foundation

/// Money relayed without being split: chains of transfers in which each
/// account passes on most of what it received, closing back on their origin
/// (a **ring**, however slowly it turns) or converging from one source
/// through several intermediaries on one other account (a
/// **scatter-gather**). The seeds of ``StructuredFlowDetector`` that no
/// split payment gives away.
///
/// A **relay hop** follows a transfer *X → Y* of unit amount *u* on day *d*
/// with a transfer *Y → Z* within ``hopWindow`` buckets (ties allowed, so
/// daily timestamps still order a chain) of an amount in
/// *u* · [1 − ``skim``, 1]. Among the *k* transfers out of *Y* in that
/// window, the chance that one matches is *k* · *q*, *q* the share of
/// payments in the band (of exactly *u* when the amounts are equal). A hop
/// is followed only when *k* · *q* < 1: a hop that chance explains is no
/// evidence.
///
/// - A **ring** starting at transfer *t*₀ that returns to its origin after
///   hops *h*₁ … *h*ₗ has the expected count of chance rings
///   *E* = *T* · ∏ *k*ᵢ*q*ᵢ · (*n* · *q*ₗ), *T* the transfers, *n* the
///   transfers closing on the origin in the window. Two-account returns (a
///   refund, a repaid loan) are not rings.
/// - A **scatter-gather** from source *S*: for the transfers *S* sends
///   within a window, the relays through distinct intermediaries *Iⱼ* that
///   reach one other account *G*. The first relay costs *k*₁*q*₁, each
///   further one *m* · *n*ⱼ · *qⱼ* (*m* transfers of *S* it could have
///   started from, *n*ⱼ transfers from *Iⱼ* to *G*):
///   *E* = *T* · *k*₁*q*₁ · ∏ⱼ≥₂ *m* *n*ⱼ *q*ⱼ.
///
/// A chain with *E* ≤ α is a seed of surprise −log₁₀ *E*.
///
/// - Complexity: each transfer starts at most ``maxExpansions`` hop tests,
///   each O(log *d*) to find the window and O(*d*) to scan it, for
///   accounts of degree at most *d*; scatter-gathers read each fan of at
///   most ``maxFan`` transfers once, O(``maxFan`` · *d*) a fan.
struct RelayChains {
  /// The transfers searched.
  let transfers: PaymentTransfers
  /// The amounts of the honest background.
  let amounts: AmountDistribution
  /// The most buckets between a transfer and the one relaying it.
  var hopWindow: Int64
  /// The largest share of the amount a relaying account may keep.
  var skim: Double
  /// The most hops of a ring.
  var maxHops: Int
  /// The chance bound under which a chain is a seed.
  var alpha: Double
  /// The most hop tests one starting transfer may make.
  var maxExpansions = 256
  /// The most transfers of one fan a scatter-gather search reads.
  var maxFan = 64

  /// A relayed chain and its surprise, −log₁₀ E.
  struct Chain {
    var transfers: [Int]
    var surprise: Double
  }

  // MARK: - Hops

  /// The transfers out of `account` from bucket `day` to `day + hopWindow`.
  func window(out account: Int32, from day: Int64) -> ArraySlice<Int32> {
    let edges = transfers.outgoing.edges(of: account)
    let low = partition(edges) { transfers.bucket[Int($0)] < day }
    let high = partition(edges) { transfers.bucket[Int($0)] <= day + hopWindow }
    return edges[low..<max(low, high)]
  }

  /// The first index of `edges` (sorted by bucket) where `isBefore` turns false.
  private func partition(_ edges: ArraySlice<Int32>, _ isBefore: (Int32) -> Bool) -> Int {
    var low = edges.startIndex, high = edges.endIndex
    while low < high {
      let mid = (low + high) / 2
      if isBefore(edges[mid]) { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Whether `amount` passes on `unit` (at most all of it, at least 1 − skim).
  func relays(_ amount: Int64, _ unit: Int64) -> Bool {
    amount <= unit && Double(amount) >= Double(unit) * (1 - skim)
  }

  /// The chance that a payment's amount passes on `unit`: exactly, or within the skim.
  func chance(of amount: Int64, passingOn unit: Int64) -> Double {
    amount == unit ? amounts.share(exactly: unit) : amounts.share(near: unit, tolerance: skim)
  }

  // MARK: - Rings

  /// The rings that start at some transfer and are too unlikely for chance.
  func rings() -> [Chain] {
    let log10T = log10(Double(max(transfers.count, 1)))
    let bar = log10(alpha)
    var found: [Chain] = []
    var seen = Set<[Int]>()
    var path: [Int] = [], accounts: [Int32] = []
    path.reserveCapacity(maxHops + 1)
    accounts.reserveCapacity(maxHops + 2)
    var budget = 0

    /// Follows the relays of the last transfer of `path`, whose chance so far is 10^log10E.
    func extend(_ log10E: Double) {
      guard budget > 0, path.count <= maxHops else { return }
      budget -= 1
      let last = path[path.count - 1], origin = accounts[0]
      let here = transfers.target[last], unit = transfers.unitMicros[last]
      let candidates = window(out: here, from: transfers.bucket[last])
      let k = Double(candidates.count)
      for c in candidates {
        let next = Int(c)
        let amount = transfers.unitMicros[next]
        guard relays(amount, unit) else { continue }
        let to = transfers.target[next]
        let q = chance(of: amount, passingOn: unit)
        if to == origin {
          guard path.count >= 2 else { continue }  // a return, not a ring
          let closing = candidates.lazy.filter { transfers.target[Int($0)] == origin }.count
          let total = log10E + log10(Double(closing) * q)
          guard total <= bar else { continue }
          let ring = path + [next]
          if seen.insert(ring.sorted()).inserted { found.append(Chain(transfers: ring, surprise: -total)) }
        } else if k * q < 1, !accounts.contains(to) {
          path.append(next)
          accounts.append(to)
          extend(log10E + log10(k * q))
          path.removeLast()
          accounts.removeLast()
        }
      }
    }

    for start in 0..<transfers.count where transfers.source[start] != transfers.target[start] {
      budget = maxExpansions
      path.removeAll(keepingCapacity: true)
      accounts.removeAll(keepingCapacity: true)
      path.append(start)
      accounts.append(transfers.source[start])
      accounts.append(transfers.target[start])
      extend(log10T)
    }
    return found
  }

  // MARK: - Scatter-gather

  /// One relay of a fan: the source's transfer, the intermediary's onward
  /// transfer, and the hop's figures.
  private struct Relay {
    var sink: Int32, intermediary: Int32
    var scatter: Int, gather: Int
    /// Transfers out of the intermediary in the window, and of those, to the sink.
    var looked: Double, toSink: Double
    /// The chance of the onward amount.
    var q: Double
  }

  /// The sources whose money converges through several intermediaries on
  /// one other account, too unlikely for chance.
  ///
  /// A source's transfers are cut into fans of consecutive windows of
  /// ``hopWindow`` buckets; a fan of more than ``maxFan`` transfers is a
  /// payroll or a shop, not a scheme, and is not searched.
  func scatterGathers() -> [Chain] {
    let log10T = log10(Double(max(transfers.count, 1)))
    let bar = log10(alpha)
    var found: [Chain] = []
    var relays: [Relay] = []
    for source in 0..<Int32(transfers.outgoing.nodeCount) {
      let all = transfers.outgoing.edges(of: source)
      guard all.count >= 2 else { continue }
      var next = all.startIndex
      while next < all.endIndex {
        let fan = window(out: source, from: transfers.bucket[Int(all[next])])
        next = fan.endIndex
        guard (2...maxFan).contains(fan.count) else { continue }
        relays.removeAll(keepingCapacity: true)
        for s in fan {
          let scatter = Int(s)
          let intermediary = transfers.target[scatter]
          guard intermediary != source else { continue }
          let unit = transfers.unitMicros[scatter]
          let onward = window(out: intermediary, from: transfers.bucket[scatter])
          for g in onward {
            let gather = Int(g), sink = transfers.target[gather]
            let amount = transfers.unitMicros[gather]
            guard self.relays(amount, unit), sink != source, sink != intermediary else { continue }
            let toSink = onward.lazy.filter { transfers.target[Int($0)] == sink }.count
            relays.append(
              Relay(
                sink: sink, intermediary: intermediary, scatter: scatter, gather: gather, looked: Double(onward.count),
                toSink: Double(toSink), q: chance(of: amount, passingOn: unit)))
          }
        }
        guard relays.count >= 2 else { continue }
        relays.sort { ($0.sink, $0.intermediary, $0.scatter) < ($1.sink, $1.intermediary, $1.scatter) }
        let m = Double(fan.count)
        var i = 0
        while i < relays.count {
          var j = i
          var chosen: [Relay] = []  // the first relay through each intermediary
          while j < relays.count, relays[j].sink == relays[i].sink {
            if chosen.last?.intermediary != relays[j].intermediary { chosen.append(relays[j]) }
            j += 1
          }
          i = j
          guard chosen.count >= 2 else { continue }
          // The first relay may reach any account; each further one must reach this sink.
          var total = log10T + log10(chosen[0].looked * chosen[0].q)
          for r in chosen.dropFirst() { total += log10(m * r.toSink * r.q) }
          if total <= bar {
            found.append(Chain(transfers: chosen.flatMap { [$0.scatter, $0.gather] }, surprise: -total))
          }
        }
      }
    }
    return found
  }
}
