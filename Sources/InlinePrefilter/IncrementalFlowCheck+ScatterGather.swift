import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// A payment *x* → *w* the new payment passes on: a possible scatter's source.
  fileprivate struct Scatter {
    var source: Int32
    var index: Int
    var log10Chance: Double
    /// The payments from `source` kept, *m*.
    var fan: Int
  }

  /// A further branch *x* → *wⱼ* → *t*.
  fileprivate struct Branch {
    /// The position of its source in the scatters.
    var scatter: Int
    var intermediary: Int32
    /// The payment into *wⱼ* relayed, and the one into *t* relaying it.
    var relayed: Int
    var relaying: Int
    var log10Chance: Double
  }

  /// Checks whether a payment *w* → *t* completes a **scatter-gather**:
  /// money fanned out from one account through several intermediaries, each
  /// passing most of it on within days, converging on one *other* account.
  /// The payment that brings a second (or later) relayed branch to the
  /// common sink completes it. It does when:
  ///
  /// - it relays a payment *x* → *w* of amount *b* (*a* ∈ *b* · [1 − skim,
  ///   1], within the relay window, ties allowed), a hop of chance *k* · *q*
  ///   as in a chain: *k* payments into *w* looked at, *q* the share of
  ///   recent payments between *a* and *b* (not counting the two), read
  ///   against *w*'s habit as a payer (``PayerHabits``). No bound
  ///   on this chance by itself: the convergence is the evidence, and the
  ///   hop's chance multiplies into the whole's;
  /// - and other payments into *t*, from intermediaries *wⱼ* ∉ {*w*, *x*},
  ///   relay payments *x* → *wⱼ* made within the relay window the same way.
  ///   Each such further branch has chance *m* · *kⱼ* · *cⱼ* · *qⱼ*: *m* the
  ///   payments *x* made in about the window (any of them could have started
  ///   it), *kⱼ* the payments into *wⱼ* in the window (any of them could be
  ///   the one passed on: a shop is a poor intermediary), *cⱼ* the payments
  ///   *wⱼ* → *t* in the window, *qⱼ* as before (not counting the branch's
  ///   two payments; read against *wⱼ*'s habit). The *n* − 1 further branches are a set, not a
  ///   sequence, so their product is divided by (*n* − 1)!.
  ///
  /// The expected number of such coincidences among the background's *T*
  /// payments is *E* = *T* · *k* *q* · ∏ⱼ *m* *kⱼ* *cⱼ* *qⱼ* / (*n* − 1)!;
  /// the payment is held when *E* ≤ α (the branches kept are the prefix, by
  /// chance, that makes *E* smallest), and the branches' earlier payments
  /// are revoked. This is the scan's `structured-flow` scatter-gather
  /// (`RelayChains.scatterGathers()`) with the chance the stream can
  /// compute: *x*'s payments and *wⱼ*'s payments to *t* are counted within
  /// the window, *m* from the payments kept, which errs towards more (less
  /// surprise).
  ///
  /// An honest payer whose payees pass an amount on to one shop is common
  /// when the amount is common (large *q*) or the payer pays many (large
  /// *m*); a source with more than ``Thresholds/fanLimit`` payments kept is
  /// a hub (a payroll) and starts none. Not told apart: a parent whose three
  /// children each pass an unusual allowance on to one landlord within days
  /// (BENCHMARKS.md measures how often).
  ///
  /// - Complexity: at most 2 · ``Thresholds/fanLimit`` payments into *w*
  ///   and into *t* read, at most ``Thresholds/budget`` pairs of payments
  ///   compared on the intermediaries' side, and a sort of the
  ///   ``Thresholds/fanLimit`` payments into *t* read.
  mutating func scatterGather(
    source w: Int32, target t: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let scatters = scatters(into: w, passedOn: a, before: time, sink: t)
    guard !scatters.isEmpty else { return }
    var branches = branches(into: t, from: scatters, besides: w, before: time)
    guard !branches.isEmpty else { return }
    branches.sort { ($0.scatter, $0.log10Chance) < ($1.scatter, $1.log10Chance) }
    // Per scatter, the likeliest branches first: the prefix that makes E smallest.
    let log10Total = log10(Double(max(background.total, 1)))
    var best: (branches: Range<Int>, log10E: Double)?
    var start = 0
    while start < branches.count {
      let scatter = branches[start].scatter
      var end = start
      while end < branches.count, branches[end].scatter == scatter { end += 1 }
      var log10E = log10Total + scatters[scatter].log10Chance
      var taken = start
      for j in start..<end {
        // The n-th further branch divides by n (the (n − 1)! of a set).
        let next = log10E + branches[j].log10Chance - log10(Double(j - start + 1))
        guard next < log10E || j == start else { break }
        log10E = next
        taken = j + 1
      }
      if log10E <= log10(structureAlpha(at: time)), log10E < best?.log10E ?? .infinity {
        best = (start..<taken, log10E)
      }
      start = end
    }
    guard let best else { return }
    let kept = branches[best.branches]
    let scatter = scatters[kept.first!.scatter]
    let amounts = ([a] + kept.map { recent.lists[Int(t)][$0.relaying].micros }).sorted()
    let first = kept.map { recent.lists[Int($0.intermediary)][$0.relayed].time }.reduce(
      recent.lists[Int(w)][scatter.index].time, min)
    let intermediaries = ([w] + kept.map(\.intermediary)).map { names[$0] }.joined(separator: ", ")
    let reason =
      "scatter-gather: \(names[scatter.source]) paid \(intermediaries), who passed \(Int(((1 - thresholds.skim) * 100).rounded()))–100 % of it on to \(names[t]) (\(Self.format(amounts.first!))–\(Self.format(amounts.last!))) within \(String(format: "%.1f", Double(time - first) / 86_400)) days (chance ≈ 10^\(Int(best.log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    var payments = [(account: w, index: scatter.index)]
    for branch in kept { payments += [(branch.intermediary, branch.relayed), (t, branch.relaying)] }
    revoke(payments, reason: reason, into: &outcome)
  }

  /// The payments into `w` that `passedOn` relays, from sources other than
  /// `sink` that made 2 to ``Thresholds/fanLimit`` payments kept; the
  /// likeliest per source, ordered by source.
  private func scatters(into w: Int32, passedOn: Int64, before: Int64, sink: Int32) -> [Scatter] {
    let list = recent.live(into: w)
    let earliest = before - relayWindow
    var candidates: [(index: Int, source: Int32, amount: Int64)] = []
    var k = 0
    var later = 0  // payments stamped after `before` (an out-of-order stream), at most fanLimit read
    var i = list.endIndex - 1
    while i >= list.startIndex, k < thresholds.fanLimit, later < thresholds.fanLimit, list[i].time >= earliest {
      defer { i -= 1 }
      let p = list[i]
      guard p.time <= before else {
        later += 1
        continue
      }
      k += 1
      if p.source != sink, p.source != w, relays(passedOn, p.micros) { candidates.append((i, p.source, p.micros)) }
    }
    var scatters: [Scatter] = []
    for c in candidates {
      let fan = Int(recent.outgoing[Int(c.source)])
      guard fan >= 2, fan <= thresholds.fanLimit else { continue }
      let share = background.share(from: passedOn, to: c.amount, excluding: 1)
      let hop = log10(
        Double(k)
          * habits.share(of: w, to: sink, from: passedOn, to: c.amount, background: share, since: list[c.index].time))
      let scatter = Scatter(source: c.source, index: c.index, log10Chance: hop, fan: fan)
      if let j = scatters.firstIndex(where: { $0.source == c.source }) {
        if hop < scatters[j].log10Chance { scatters[j] = scatter }
      } else {
        scatters.append(scatter)
      }
    }
    return scatters.sorted { $0.source < $1.source }
  }

  /// The further branches into `t` (other than from `w`) relaying a payment
  /// from one of the `scatters`' sources (ordered by source) made since the
  /// relay window before `before`: the likeliest per source and intermediary.
  private func branches(into t: Int32, from scatters: [Scatter], besides w: Int32, before: Int64) -> [Branch] {
    let sink = recent.live(into: t)
    let earliest = before - relayWindow
    // The last fanLimit payments into t, grouped by payer.
    var into: [(payer: Int32, index: Int)] = []
    for i in stride(from: sink.endIndex - 1, through: max(sink.startIndex, sink.endIndex - thresholds.fanLimit), by: -1)
    where sink[i].time <= before && sink[i].source != w && sink[i].source != t {
      into.append((sink[i].source, i))
    }
    into.sort { ($0.payer, $0.index) < ($1.payer, $1.index) }
    var branches: [Branch] = []
    var bestPerScatter = [Branch?](repeating: nil, count: scatters.count)
    var compared = 0
    var group = 0
    while group < into.count, compared < thresholds.budget {
      let wj = into[group].payer
      var end = group
      while end < into.count, into[end].payer == wj { end += 1 }
      defer { group = end }
      guard scatters.index(ofSource: wj) == nil else { continue }
      // c: its payments to t; k: the payments into it it could be passing on.
      let c = end - group
      let from = recent.live(into: wj)
      let k = max(
        1, from.reversed().prefix(thresholds.fanLimit).lazy.filter { $0.time <= before && $0.time >= earliest }.count)
      for j in stride(from: from.endIndex - 1, through: from.startIndex, by: -1) {
        let p = from[j]
        guard p.time >= earliest, compared < thresholds.budget else { break }
        compared += 1
        guard p.time <= before, let s = scatters.index(ofSource: p.source) else { continue }
        for relaying in into[group..<end] {
          compared += 1
          let b = sink[relaying.index]
          guard p.time <= b.time, relays(b.micros, p.micros) else { continue }
          let share = background.share(from: b.micros, to: p.micros, excluding: 2)
          let chance =
            Double(scatters[s].fan * k * c)
            * habits.share(
              of: wj, to: t, from: b.micros, to: p.micros, background: share, passedOn: b.micros, since: p.time)
          if log10(chance) < bestPerScatter[s]?.log10Chance ?? .infinity {
            bestPerScatter[s] = Branch(
              scatter: s, intermediary: wj, relayed: j, relaying: relaying.index, log10Chance: log10(chance))
          }
        }
      }
      for s in bestPerScatter.indices {
        if let branch = bestPerScatter[s] { branches.append(branch) }
        bestPerScatter[s] = nil
      }
    }
    return branches
  }
}

extension [IncrementalFlowCheck.Scatter] {
  /// The position of the scatter from `source`, in scatters ordered by source.
  fileprivate func index(ofSource source: Int32) -> Int? {
    var low = 0
    var high = count
    while low < high {
      let mid = (low + high) / 2
      if self[mid].source < source { low = mid + 1 } else { high = mid }
    }
    return low < count && self[low].source == source ? low : nil
  }
}
