import Foundation
import SignalGraph

/// The incremental **scatter-gather**: money fanned out from one account
/// through several intermediaries, each passing most of it on within days,
/// converging on one *other* account. The payment that brings a second (or
/// later) relayed branch to the common sink completes it.
///
/// A payment *w* → *t* of amount *a* completes a scatter-gather when:
///
/// - it relays a payment *x* → *w* of amount *b* (*a* ∈ *b* · [1 − skim, 1],
///   within the relay window, ties allowed), a hop of chance *k* · *q* as in
///   a chain: *k* payments into *w* looked at, *q* the share of recent
///   payments between *a* and *b* (not counting the two). No bound on this
///   chance by itself: the convergence is the evidence, and the hop's
///   chance multiplies into the whole's;
/// - and other payments into *t*, from intermediaries *wⱼ* ∉ {*w*, *x*},
///   relay payments *x* → *wⱼ* the same way. Each such further branch has
///   chance *m* · *cⱼ* · *qⱼ*: *m* the payments *x* made in about the window
///   (any of them could have started it), *cⱼ* the payments *wⱼ* → *t* in
///   the window, *qⱼ* as before (not counting the branch's two payments). The *n* − 1 further branches are a set, not
///   a sequence, so their product is divided by (*n* − 1)!.
///
/// The expected number of such coincidences among the background's *T*
/// payments is *E* = *T* · *k* *q* · ∏ⱼ *m* *cⱼ* *qⱼ* / (*n* − 1)!; the
/// payment is held when *E* ≤ α (the branches kept are the prefix, by
/// chance, that makes *E* smallest), and the branches' earlier payments are
/// revoked. This is the scan's `structured-flow` scatter-gather
/// (`RelayChains.scatterGathers()`) with the chance the stream can compute:
/// the share of *wⱼ*'s payments that go to *t* is counted within the window,
/// and *m* from the payments kept, which errs towards more (less surprise).
///
/// An honest account paying out an amount that two of its payees pass on
/// to one shop is common when the amount is common (large *q*) or the payer
/// pays many (large *m*); a source paying more than
/// ``IncrementalFlowCheck/Thresholds/fanLimit`` payments in the window is a
/// hub (payroll) and starts none.
///
/// - Complexity: at most ``IncrementalFlowCheck/Thresholds/fanLimit``
///   payments into *w* and into *t* read, and at most
///   ``IncrementalFlowCheck/Thresholds/budget`` payments into the *wⱼ*.
extension IncrementalFlowCheck {
  /// A payment *x* → *w* the new payment passes on: a possible scatter's source.
  private struct Scatter {
    var source: Int32
    var index: Int
    var log10Chance: Double
    /// The payments from `source` kept, *m*.
    var fan: Int
  }

  /// A further branch *x* → *wⱼ* → *t*.
  private struct Branch {
    var scatter: Int
    var intermediary: Int32
    /// The payment into *wⱼ* relayed, and the one into *t* relaying it.
    var relayed: Int
    var relaying: Int
    var log10Chance: Double
  }

  mutating func scatterGather(
    source w: Int32, target t: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let scatters = scatters(into: w, passedOn: a, before: time, sink: t)
    guard !scatters.isEmpty else { return }
    let branches = branches(into: t, from: scatters, besides: w, before: time)
    guard !branches.isEmpty else { return }
    let log10Total = log10(Double(max(background.total, 1)))
    var best: (scatter: Int, count: Int, log10E: Double)?
    for (s, scatter) in scatters.enumerated() {
      let chosen = branches.lazy.filter { $0.scatter == s }.map(\.log10Chance)
      var log10E = log10Total + scatter.log10Chance
      var count = 0
      for log10f in chosen.sorted() {
        // The n-th further branch divides by n (the (n − 1)! of a set).
        let next = log10E + log10f - log10(Double(count + 1))
        guard next < log10E || count == 0 else { break }
        log10E = next
        count += 1
      }
      if count > 0, log10E <= log10(thresholds.alpha), log10E < best?.log10E ?? .infinity {
        best = (s, count, log10E)
      }
    }
    guard let best else { return }
    let scatter = scatters[best.scatter]
    let kept = branches.filter { $0.scatter == best.scatter }.sorted { $0.log10Chance < $1.log10Chance }
      .prefix(best.count)
    // Read through `recent` (no copy of its lists held across the withholding below).
    let amounts = ([a] + kept.map { recent.lists[Int(t)][$0.relaying].micros }).sorted()
    let first = kept.map { recent.lists[Int($0.intermediary)][$0.relayed].time }.reduce(
      recent.lists[Int(w)][scatter.index].time, min)
    let reason =
      "scatter-gather: \(names[scatter.source]) paid \(([w] + kept.map(\.intermediary)).map { names[$0] }.joined(separator: ", ")), who passed \(Int(((1 - thresholds.skim) * 100).rounded()))–100 % of it on to \(names[t]) (\(Self.format(amounts.first!))–\(Self.format(amounts.last!))) within \(String(format: "%.1f", Double(time - first) / 86_400)) days (chance ≈ 10^\(Int(best.log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    var revoke = [(w, scatter.index)]
    for branch in kept { revoke += [(branch.intermediary, branch.relayed), (t, branch.relaying)] }
    for (account, index) in revoke {
      if let seq = recent.withhold(into: account, at: index) { outcome.revoked.append((seq, reason)) }
    }
  }

  /// The payments into `w` that `passedOn` relays, from sources other than
  /// `sink` that made 2 to ``Thresholds/fanLimit`` payments kept; the
  /// likeliest per source.
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
      let hop = Double(k) * background.share(from: passedOn, to: c.amount, excluding: 1)
      guard fan >= 2, fan <= thresholds.fanLimit else { continue }
      if let j = scatters.firstIndex(where: { $0.source == c.source }) {
        if log10(hop) < scatters[j].log10Chance {
          scatters[j] = Scatter(source: c.source, index: c.index, log10Chance: log10(hop), fan: fan)
        }
      } else {
        scatters.append(Scatter(source: c.source, index: c.index, log10Chance: log10(hop), fan: fan))
      }
    }
    return scatters
  }

  /// The further branches into `t` (other than from `w`) relaying a payment
  /// from one of the `scatters`' sources: the likeliest per source and intermediary.
  private func branches(into t: Int32, from scatters: [Scatter], besides w: Int32, before: Int64) -> [Branch] {
    let list = recent.live(into: t)
    let lowest = max(list.startIndex, list.endIndex - thresholds.fanLimit)
    var branches: [Branch] = []
    var reads = 0
    for i in stride(from: list.endIndex - 1, through: lowest, by: -1) {
      let into = list[i]
      let wj = into.source
      guard into.time <= before, wj != w, wj != t, !scatters.contains(where: { $0.source == wj }) else { continue }
      let pairPayments = list[lowest...].lazy.filter { $0.source == wj }.count
      let from = recent.live(into: wj)
      var j = from.endIndex - 1
      while j >= from.startIndex, reads < thresholds.budget, from[j].time >= into.time - relayWindow {
        defer { j -= 1 }
        reads += 1
        let p = from[j]
        guard p.time <= into.time, relays(into.micros, p.micros),
          let s = scatters.firstIndex(where: { $0.source == p.source })
        else { continue }
        let f = Double(scatters[s].fan * pairPayments) * background.share(from: into.micros, to: p.micros, excluding: 2)
        let branch = Branch(scatter: s, intermediary: wj, relayed: j, relaying: i, log10Chance: log10(f))
        if let k = branches.firstIndex(where: { $0.scatter == s && $0.intermediary == wj }) {
          if branch.log10Chance < branches[k].log10Chance { branches[k] = branch }
        } else {
          branches.append(branch)
        }
      }
    }
    return branches
  }

  /// Whether `passedOn` relays `received`: no more than it, at most ``Thresholds/skim`` less.
  func relays(_ passedOn: Int64, _ received: Int64) -> Bool {
    passedOn <= received && Double(passedOn) >= (1 - thresholds.skim) * Double(received)
  }
}
