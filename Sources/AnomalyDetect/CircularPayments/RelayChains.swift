import Foundation
import SignalGraph

/// Money relayed without being split: chains of transfers in which each
/// account passes on most of what it received, closing back on their origin
/// (a **ring**, however slowly it turns) or converging from one source
/// through several intermediaries on one other account (a
/// **scatter-gather**), or passed on along a chain (a **stack**). The seeds of ``StructuredFlowDetector`` that no
/// split payment gives away.
///
/// A **relay hop** follows a transfer *X → Y* of unit amount *u* on day *d*
/// with a transfer *Y → Z* within ``hopWindow`` buckets (ties allowed, so
/// daily timestamps still order a chain) of an amount in
/// *u* · [1 − ``skim``, 1], comparing the transfers' units (money passed on
/// payment for payment) or, failing that, their totals (one sum passed on
/// in other parts). Among the *k* transfers out of *Y* in that
/// window, the chance that one matches is *k* · *q*, *q* the share of
/// payments whose amount lies between the amount passed on and *u* (at
/// least as close to *u* as the one seen; exactly *u* when they are equal),
/// read against *Y*'s own habit (``PayerAmounts``: an account that pays one
/// sum to everyone rarely passes on a new one by chance, and one passing on
/// its usual sum does so by routine), the hop itself left out of *Y*'s rate
/// of new sums (a relay that is its payer's one new sum would otherwise
/// excuse itself, as a fan-in's senders' do not).
/// A stack follows a hop only when *k* · *q* ≤ ``maxHopChance``
/// (0.05): a hop that chance readily explains is no evidence of layering; a ring,
/// whose evidence is closing on its origin, follows hops up to
/// ``maxRingHopChance``.
///
/// - A **ring** starting at transfer *t*₀ that returns to its origin after
///   hops *h*₁ … *h*ₗ multiplies the hops' chances *k*ᵢ*q*ᵢ and the chance
///   of closing, *k*ₗ · *s* · *q*ₗ, *s* the chance that one of the last
///   account's transfers goes to the origin, from its other transfers over
///   the whole set and the origin's popularity (``destinationShare(of:)``:
///   a ring of housemates who always pay each other closes by routine, not
///   by chance). Two-account returns (a refund, a repaid loan) are not rings.
/// - A **scatter-gather** from source *S*: for the transfers *S* sends
///   within a window, the relays through distinct intermediaries *Iⱼ* that
///   reach one other account *G*. The first relay's chance is *k*₁*q*₁,
///   each further one's *m* · *k*ⱼ*s*ⱼ · *qⱼ* (*m* transfers of *S* it could
///   have started from, *k*ⱼ*s*ⱼ the transfers from *Iⱼ* in the window
///   expected to go to *G*, *s*ⱼ the chance that one of *Iⱼ*'s transfers
///   goes to *G*, as for a ring's closing),
///   and the *n* − 1 further relays, a set drawn from the *m* rather than a
///   sequence, divide it by (*n* − 1)!. Each relay's amount chances (*q*
///   and its band) are raised by the intermediary's own history when it
///   paid *G* like sums on other occasions (``PairRoutine``: children
///   passing an allowance on as rent every month converge by routine).
/// - A **stack** (layering): an open chain of at least ``minStackHops``
///   relays, multiplying its hops' chances. Of chains that differ only in
///   their first transfer, the most surprising is kept: the first relay
///   passes on one sum, not every like one paid into its account before.
///
/// Each of a chain's *n* links has two chances (``ChainChance``): that it
/// exists at all, *k* · *b* for *b* the share of amounts in the whole relay
/// band, and how close its amount came within the band, *c* = *q* / *b*.
/// The first is a fixed test and multiplies; the second is chosen after the
/// fact, so its product *x* counts as *x* · Σᵢ₌₀ⁿ⁻¹ (−ln *x*)ⁱ / *i*!
/// (``log10Combined(_:factors:)``): the expected count of chance copies is
/// *E* = *T* · ∏ *k*ᵢ*b*ᵢ · *x* Σᵢ (−ln *x*)ⁱ / *i*!, *T* the transfers a
/// chain could start from; with *E* ≤ α the chain is a seed of surprise
/// −log₁₀ *E*.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)   // hops counted in days
///     let amounts = AmountDistribution(set.payments.amountMicros)
///     let habits = PayerAmounts(transfers)
///     let chains = RelayChains(
///       transfers: transfers, amounts: amounts, habits: habits, hopWindow: 7, skim: 0.1, maxHops: 8, alpha: 0.01)
///     let (rings, stacks) = chains.relayedPaths()
///     let seeds = rings + stacks + chains.scatterGathers()
///
/// - Complexity: one sweep of every account's transfers in and out, O(*t*)
///   for *t* transfers plus O(*k*) per transfer for the *k* ≤ ``maxWindow``
///   transfers that could relay it (an account paying out more within a
///   window is a hub, not a relay, and is not read), at most
///   ``maxMatches`` hops kept per transfer, so O(*t*) memory; rings then search only
///   the hops found, at most ``maxExpansions`` per start, and
///   scatter-gathers sort each source's relays once and read at most
///   ``PairRoutine/maxRead`` transfers of each branch's pair.
struct RelayChains {
  /// The transfers searched.
  let transfers: PaymentTransfers
  /// The amounts of the honest background.
  let amounts: AmountDistribution
  /// The most buckets between a transfer and the one relaying it.
  let hopWindow: Int64
  /// The largest share of the amount a relaying account may keep.
  let skim: Double
  /// The most hops of a ring or a stack.
  let maxHops: Int
  /// The most chance, *k* · *q*, of a hop a stack follows
  /// (`StructuredFlowDefaults.maxHopChance`, 5 %, as the pre-filter's
  /// chains): the stack is judged by its hops' combined chance
  /// (``ChainChance``), as a ring is.
  let maxHopChance = StructuredFlowDefaults.maxHopChance
  /// The most chance of a hop a ring may follow: closing on its origin is
  /// the ring's evidence, so its hops need only be more likely relays than
  /// not, and their chances multiply into the ring's.
  let maxRingHopChance = 0.5
  /// The fewest relays of a stack (four accounts in a chain).
  let minStackHops = 2
  /// The chance bound under which a chain is a seed.
  let alpha: Double
  /// The most hop tests one starting transfer may make.
  let maxExpansions = 256
  /// The most transfers of one fan a scatter-gather search reads.
  let maxFan = 64
  /// The most transfers out of one account in one window that are read as
  /// possible relays.
  let maxWindow = 256
  /// The most transfers that may pass one transfer on: with more, the
  /// relaying account pays like amounts out as a matter of routine, and
  /// none of them is read as a relay (this also bounds the hops kept).
  let maxMatches = 16
  /// Every relay hop, grouped by the transfer relayed (``hopOffsets``).
  private let hops: [Hop]
  private let hopOffsets: [Int]

  /// A relayed chain and its surprise, −log₁₀ E.
  struct Chain {
    var transfers: [Int]
    var surprise: Double
  }

  /// A transfer passed on by another.
  struct Hop {
    /// The transfer passing it on.
    var next: Int32
    /// Transfers out of the relaying account in the window.
    var looked: Int32
    /// The chance of `next`'s amount: at least as close to what arrived.
    var q: Double
    /// The chance of an amount anywhere in the relay band (a skim of up to
    /// ``skim``): `q` is its closeness within it.
    var band: Double
  }

  /// The chance of a chain, kept as two products: that each of its links
  /// exists at all (a transfer in the window, its amount anywhere in the
  /// relay band), a fixed test; and how close each amount came within its
  /// band, chosen after the fact. Only the second needs the correction of
  /// ``RelayChains/log10Combined(_:factors:)``.
  struct ChainChance {
    var log10Exists = 0.0, log10Closeness = 0.0
    var factors = 0

    /// The chain with one more link: `count` transfers it could be (each
    /// with chance `band` of an amount in the band), of which one came
    /// with chance `q`.
    func adding(count: Double, q: Double, band: Double) -> ChainChance {
      var next = self
      next.log10Exists += log10(min(count * band, 1))
      next.log10Closeness += log10(min(q / band, 1))
      next.factors += 1
      return next
    }

    /// The chain with `count` of its links counted as a set rather than a
    /// sequence: links drawn from the same *m* candidates in any order are
    /// one of C(*m*, *n*) ≤ *m*ⁿ / *n*! choices, not *m*ⁿ.
    func unordered(_ count: Int) -> ChainChance {
      var next = self
      next.log10Exists -= lgamma(Double(count + 1)) / log(10.0)
      return next
    }

    /// The expected count of chance chains as surprising among `log10T`
    /// (log₁₀) starting transfers, log₁₀.
    func log10Expected(startingFrom log10T: Double) -> Double {
      log10T + log10Exists + RelayChains.log10Combined(log10Closeness, factors: factors)
    }
  }

  /// Finds every relay hop among `transfers` with one sweep per account.
  init(
    transfers: PaymentTransfers, amounts: AmountDistribution, habits: PayerAmounts, hopWindow: Int64, skim: Double,
    maxHops: Int, alpha: Double
  ) {
    (self.transfers, self.amounts, self.hopWindow) = (transfers, amounts, hopWindow)
    (self.skim, self.maxHops, self.alpha) = (skim, maxHops, alpha)
    var found: [(from: Int32, hop: Hop)] = []
    var matches: [(next: Int, amount: Int64, received: Int64)] = []
    // The account's transfers out, in bucket order, copied side by side
    // once: each is read against every transfer in within the hop window
    // (a merchant's refunds against thousands of purchases).
    var outs: [(day: Int64, unit: Int64, total: Int64)] = []
    // And its transfers in's amounts, gathered before they are read: loads
    // that do not wait on each other, where reading each in the sweep
    // below would wait for it (the transfers in lie all over the set).
    var ins: [(unit: Int64, total: Int64)] = []
    let bucket = transfers.bucket
    let target = transfers.target
    let outEdges = transfers.outgoing.edges, outOffsets = transfers.outgoing.offsets
    let inEdges = transfers.incoming.edges, inOffsets = transfers.incoming.offsets
    let inSource = transfers.incoming.neighbors, inBucket = transfers.incomingBucket
    for account in 0..<transfers.outgoing.nodeCount {
      let first = outOffsets[account]
      guard first < outOffsets[account + 1], inOffsets[account] < inOffsets[account + 1] else { continue }
      outs.removeAll(keepingCapacity: true)
      for j in first..<outOffsets[account + 1] {
        let t = Int(outEdges[j])
        outs.append((bucket[t], transfers.unitMicros[t], transfers.totalMicros[t]))
      }
      ins.removeAll(keepingCapacity: true)
      for i in inOffsets[account]..<inOffsets[account + 1] {
        let t = Int(inEdges[i])
        ins.append((transfers.unitMicros[t], transfers.totalMicros[t]))
      }
      var low = 0, high = 0
      for i in inOffsets[account]..<inOffsets[account + 1] {
        let day = inBucket[i]
        while low < outs.count, outs[low].day < day { low += 1 }
        high = max(high, low)
        while high < outs.count, outs[high].day <= day + hopWindow { high += 1 }
        guard low < high, high - low <= maxWindow, inSource[i] != Int32(account) else { continue }
        let relayed = Int(inEdges[i])
        // The transfers that could pass this one on; more than a few is an
        // account's routine (a hub paying out like amounts), not a relay.
        matches.removeAll(keepingCapacity: true)
        let received = ins[i - inOffsets[account]]
        let band = RelayBand(unit: received.unit, total: received.total, skim: skim)
        for j in low..<high {
          if let match = band.match(unit: outs[j].unit, total: outs[j].total) {
            matches.append((Int(outEdges[first + j]), match.amount, match.received))
          }
          if matches.count > maxMatches { break }
        }
        guard matches.count <= maxMatches else { continue }
        for (next, amount, u) in matches {
          // The chance of passing on an amount at least this close to what
          // arrived, read against the relaying account's own habit
          // (``PayerAmounts``), and of one anywhere in the relay band.
          let close = amount...u
          let lowest = RelayBand.floor(of: u, skim: skim)
          let hop = Hop(
            next: Int32(next), looked: Int32(high - low),
            q: habits.share(
              of: Int32(account), to: target[next], pairTransfers: transfers.pairRun(of: next).count, in: close,
              background: amounts.share(in: close), leavingOutOne: true),
            band: amounts.share(in: min(lowest, amount)...u))
          found.append((Int32(relayed), hop))
        }
      }
    }
    // Group by the transfer relayed: a counting sort.
    var offsets = [Int](repeating: 0, count: transfers.count + 1)
    for f in found { offsets[Int(f.from) + 1] += 1 }
    for t in 0..<transfers.count { offsets[t + 1] += offsets[t] }
    var cursor = offsets
    var hops = [Hop](repeating: Hop(next: 0, looked: 0, q: 0, band: 0), count: found.count)
    for f in found {
      hops[cursor[Int(f.from)]] = f.hop
      cursor[Int(f.from)] += 1
    }
    (self.hops, self.hopOffsets) = (hops, offsets)
  }

  /// The hops relaying transfer `t`.
  func hops(of t: Int) -> ArraySlice<Hop> { hops[hopOffsets[t]..<hopOffsets[t + 1]] }

  // MARK: - Rings

  /// The rings, and the open chains of at least ``minStackHops`` relays
  /// (stacks), that start at some transfer and are too unlikely for chance.
  ///
  /// A chain's expected count of chance copies is ``ChainChance``'s over
  /// its links; only the longest stacks are kept (a chain that a further
  /// stack hop extends, or that closes a ring, is not reported on its own).
  func relayedPaths() -> (rings: [Chain], stacks: [Chain]) {
    let log10T = log10(Double(max(transfers.count, 1)))
    let bar = log10(alpha)
    var rings: [Chain] = [], stacks: [Chain] = []
    var seen = Set<[Int]>()
    var path: [Int] = [], accounts: [Int32] = []
    var budget = 0

    /// Follows the hops of the last transfer of `path`, whose hops' chance
    /// is `so`; whether it went any further as a stack could (closing a
    /// ring, or a hop within ``maxHopChance`` on a stack): a weaker hop
    /// only a ring may follow leaves the stack ending here to be reported.
    /// `stack`: every hop so far is within ``maxHopChance``, so the path
    /// may be reported as a stack.
    @discardableResult
    func extend(_ so: ChainChance, stack: Bool) -> Bool {
      guard budget > 0, path.count <= maxHops else { return false }
      budget -= 1
      let last = path[path.count - 1], origin = accounts[0]
      var extended = false
      for hop in hops(of: last) {
        let next = Int(hop.next), to = transfers.target[next]
        let chance = Double(hop.looked) * hop.q
        if to == origin {
          guard path.count >= 2 else { continue }  // a return, not a ring
          // Closing on the origin: of the receiver's transfers in the
          // window, those expected to go there, at a like amount.
          let closing = so.adding(
            count: Double(hop.looked) * destinationShare(of: next), q: hop.q, band: hop.band)
          let total = closing.log10Expected(startingFrom: log10T)
          guard total <= bar else { continue }
          let ring = path + [next]
          if seen.insert(ring.sorted()).inserted { rings.append(Chain(transfers: ring, surprise: -total)) }
          extended = true
        } else if chance <= maxRingHopChance, !accounts.contains(to) {
          path.append(next)
          accounts.append(to)
          let deeper = so.adding(count: Double(hop.looked), q: hop.q, band: hop.band)
          let stillStack = stack && chance <= maxHopChance
          if !extend(deeper, stack: stillStack), stillStack, path.count > minStackHops {
            let total = deeper.log10Expected(startingFrom: log10T)
            if total <= bar, seen.insert(path.sorted()).inserted {
              stacks.append(Chain(transfers: path, surprise: -total))
            }
          }
          path.removeLast()
          accounts.removeLast()
          if stillStack { extended = true }
        }
      }
      return extended
    }

    for start in 0..<transfers.count where hopOffsets[start] < hopOffsets[start + 1] {
      budget = maxExpansions
      path = [start]
      accounts = [transfers.source[start], transfers.target[start]]
      extend(ChainChance(), stack: true)
    }
    // A chain that runs into a ring is the ring seen from outside: an
    // account that paid a member a like amount is not thereby a layer.
    let onRings = Set(rings.flatMap(\.transfers))
    let open = stacks.filter { chain in chain.transfers.lazy.filter { !onRings.contains($0) }.count >= 2 }
    return (rings, Self.longest(Self.strongestStarts(open)))
  }

  /// `chains` keeping, of those that differ only in their first transfer,
  /// the most surprising: the second transfer passes on one sum, so only
  /// one of the transfers it could relay is the chain's start (an account
  /// that paid the first relay a like sum the day before is not thereby a
  /// layer).
  private static func strongestStarts(_ chains: [Chain]) -> [Chain] {
    var strongest: [ArraySlice<Int>: Int] = [:]  // a chain past its start -> its strongest chain
    for (i, chain) in chains.enumerated() {
      let rest = chain.transfers.dropFirst()
      if let j = strongest[rest], chains[j].surprise >= chain.surprise { continue }
      strongest[rest] = i
    }
    return strongest.values.sorted().map { chains[$0] }
  }

  /// `chains` less those lying inside a longer one (the same stack seen from
  /// a later start).
  private static func longest(_ chains: [Chain]) -> [Chain] {
    var kept: [Chain] = []
    var keptWith: [Int: [Int]] = [:]  // transfer -> kept chains holding it
    for chain in chains.sorted(by: { $0.transfers.count > $1.transfers.count }) {
      let inside = (keptWith[chain.transfers[0]] ?? []).contains {
        Set(kept[$0].transfers).isSuperset(of: chain.transfers)
      }
      if inside { continue }
      for t in chain.transfers { keptWith[t, default: []].append(kept.count) }
      kept.append(chain)
    }
    return kept
  }

  /// The chance that `factors` independent coincidences, each as likely as
  /// its own chance says, have chances multiplying to at most
  /// *x* = 10^`log10Product`: *x* · Σᵢ₌₀ⁿ⁻¹ (−ln *x*)ⁱ / *i*! (the
  /// distribution of a product of uniform chances, as in Fisher's method of
  /// combining tests), log₁₀. A chain is judged by its hops' product, and
  /// among many weak hops some product is always small: without this a
  /// four-hop chain of ordinary 1-in-30 coincidences would pass for a
  /// 1-in-800 000 one.
  ///
  ///     RelayChains.log10Combined(-6, factors: 1)   // -6
  ///     RelayChains.log10Combined(-6, factors: 3)   // ≈ -4.0 (1 + 13.8 + 95.4 times 10⁻⁶)
  static func log10Combined(_ log10Product: Double, factors: Int) -> Double {
    guard log10Product < 0 else { return 0 }
    let y = -log10Product * log(10.0)
    var term = 1.0, sum = 1.0
    for i in stride(from: 1, to: max(factors, 1), by: 1) {
      term *= y / Double(i)
      sum += term
    }
    return min(log10Product + log10(sum), 0)
  }

  /// `hop`, relaying transfer `relayed`, with its amount's chances raised by
  /// the relaying pair's own history (``PairRoutine``): a branch of a
  /// scatter-gather that the intermediary pays its sink in like sums on
  /// other occasions is routine. Rings and stacks do not read their pairs'
  /// routine (only the relaying account's habit with others, in ``Hop/q``):
  /// a ring turning several times repeats its own amounts, and that
  /// repetition is its evidence, not a routine that explains it. The
  /// closeness is never made smaller than it was (a pair whose history
  /// fills the band but not as close as this is no evidence either way),
  /// so a routine only ever makes a branch likelier.
  private func withRoutine(_ hop: Hop, relaying relayed: Int) -> Hop {
    let next = Int(hop.next)
    guard let match = transfers.relayMatch(next, passingOn: relayed, skim: skim) else { return hop }
    let routine = PairRoutine(
      transfers, of: next, closeness: match.amount...match.received,
      band: min(RelayBand.floor(of: match.received, skim: skim), match.amount)...match.received, bySum: match.bySum,
      apart: hopWindow)
    var adjusted = hop
    adjusted.q = routine.share(hop.q, closeness: true)
    adjusted.band = min(routine.share(hop.band, closeness: false), hop.band * adjusted.q / hop.q)
    return adjusted
  }

  /// The chance that one of the payer's transfers goes to `transfer`'s
  /// payee, from the rest of the set: how likely the honest background
  /// makes it that the payer pays there.
  ///
  /// The transfer tested is left out (it is what is being explained, not
  /// evidence of a habit). Of the payer's other transfers, *r* − 1 went to
  /// the payee: a habit, (*r* − 1) / *n* of its *n* transfers. Besides, a
  /// payer pays someone new with the chance Good–Turing reads from its
  /// other transfers, (*f*₁ + 1) / *n* for *f*₁ payees it paid exactly once
  /// (a busy payer of many people pays someone new almost every time), and
  /// then this payee as often as the whole set's transfers go to it, its
  /// popularity *g* (its other transfers in over all transfers, at least
  /// one: a configuration-model prior). So the share is
  /// (*r* − 1) / *n* + (*f*₁ + 1) / *n* · *g*: housemates who always pay
  /// each other, or a tenant who pays the landlord every month, pass money
  /// on by habit; an account paying someone it never paid otherwise, and
  /// whom few pay, does so by chance only as often as *g* says.
  private func destinationShare(of transfer: Int) -> Double {
    let payer = transfers.source[transfer], payee = transfers.target[transfer]
    let n = Double(max(transfers.outgoing.edges(of: payer).count, 1))
    let r = transfers.pairRun(of: transfer).count
    // Payees paid exactly once among the payer's other transfers.
    var once = Int(transfers.payeesPaidOnce[Int(payer)])
    if r == 1 { once -= 1 } else if r == 2 { once += 1 }
    let popularity =
      Double(max(transfers.incoming.edges(of: payee).count - 1, 1)) / Double(max(transfers.count, 1))
    return min(1, (Double(r - 1) + Double(once + 1) * popularity) / n)
  }

  // MARK: - Scatter-gather

  /// The sources whose money converges through several intermediaries on
  /// one other account, too unlikely for chance.
  ///
  /// The relays from one source are grouped by the account they reach; the
  /// source's transfers out within ``hopWindow`` of the first of them are
  /// the fan (*m*). A fan of more than ``maxFan`` transfers is a payroll or
  /// a shop, not a scheme, and is not read.
  func scatterGathers() -> [Chain] {
    let log10T = log10(Double(max(transfers.count, 1)))
    let bar = log10(alpha)
    var found: [Chain] = []
    // (sink, intermediary, scatter, hop) of one source's relays
    var relays: [(sink: Int32, intermediary: Int32, scatter: Int, hop: Hop)] = []
    let offsets = transfers.outgoing.offsets, edges = transfers.outgoing.edges
    for source in 0..<Int32(transfers.outgoing.nodeCount) {
      let all = offsets[Int(source)]..<offsets[Int(source) + 1]
      guard all.count >= 2 else { continue }
      relays.removeAll(keepingCapacity: true)
      for e in all {
        let scatter = Int(edges[e])
        let intermediary = transfers.target[scatter]
        guard intermediary != source else { continue }
        for hop in hops(of: scatter) {
          let sink = transfers.target[Int(hop.next)]
          if sink != source && sink != intermediary { relays.append((sink, intermediary, scatter, hop)) }
        }
      }
      guard relays.count >= 2 else { continue }
      relays.sort {
        ($0.sink, transfers.bucket[$0.scatter], $0.intermediary) < (
          $1.sink, transfers.bucket[$1.scatter], $1.intermediary
        )
      }
      var i = 0
      while i < relays.count {
        // One sink's relays whose scatters lie within a window of the first.
        let firstDay = transfers.bucket[relays[i].scatter]
        var j = i
        var chosen: [(scatter: Int, hop: Hop)] = []  // the first relay through each intermediary
        var through = Set<Int32>()
        while j < relays.count, relays[j].sink == relays[i].sink,
          transfers.bucket[relays[j].scatter] <= firstDay + hopWindow
        {
          if through.insert(relays[j].intermediary).inserted { chosen.append((relays[j].scatter, relays[j].hop)) }
          j += 1
        }
        i = j
        guard chosen.count >= 2 else { continue }
        let m = all.lazy.filter {
          let b = transfers.bucket[Int(edges[$0])]
          return b >= firstDay && b <= firstDay + hopWindow
        }.count
        guard m <= maxFan else { continue }
        for c in chosen.indices { chosen[c].hop = withRoutine(chosen[c].hop, relaying: chosen[c].scatter) }
        // The first relay may reach any account; each further one must reach this sink.
        let first = chosen[0].hop
        var chance = ChainChance().adding(count: Double(first.looked), q: first.q, band: first.band)
        for r in chosen.dropFirst() {
          let toSink = Double(r.hop.looked) * destinationShare(of: Int(r.hop.next))
          chance = chance.adding(count: Double(m) * toSink, q: r.hop.q, band: r.hop.band)
        }
        let total = chance.unordered(chosen.count - 1).log10Expected(startingFrom: log10T)
        if total <= bar {
          found.append(Chain(transfers: chosen.flatMap { [$0.scatter, Int($0.hop.next)] }, surprise: -total))
        }
      }
    }
    return found
  }
}
