import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Checks whether a payment *u* → *v* of amount *a* joins a **fan-in**
  /// already caught: a transfer into *v* held within the link window
  /// (``Thresholds/linkWindowSeconds``, weeks) — a split, or a payment
  /// linked so before — from another sender, of an amount within
  /// ``Thresholds/linkTolerance`` of *a*. Launderers' fan-ins (AMLSim's;
  /// Altman et al., NeurIPS 2023) send one amount from several senders over
  /// weeks, some of them splitting it; once one split is caught, the senders
  /// after it are linked to it as the scan's `structured-flow` links them.
  ///
  /// The chance of such a match is *c* · *k* · *q*: *c* the held transfers
  /// into *v* it could match (the tests made), *k* the payments into *v*
  /// over the link window (estimated from the relay window's: a busy
  /// account receives many amounts), *q* the share of recent payments of
  /// exactly *a*, or within the two amounts' relative distance of the held
  /// one, not counting the held payments themselves. The payment is held
  /// when the chance is at most ``Thresholds/linkAlpha`` (the scan's bar
  /// for a link: the held transfer has passed the bar of a finding
  /// already), and is held on as an anchor itself. Payments before the first split was caught are not revoked:
  /// the relay window's payments only are kept.
  ///
  /// Honest look-alikes stay admitted: only an account that received a held
  /// transfer is looked at, common amounts (rent, round sums) have large
  /// *q*, and a busy account large *k*.
  ///
  /// - Complexity: O(*h*²) for the *h* ≤ ``Thresholds/fanLimit`` latest
  ///   transfers held into *v* in the window that are read.
  mutating func fanIn(
    source u: Int32, target v: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let anchors = held.live(into: v, now: time).filter { $0.source != u }.suffix(thresholds.fanLimit)
    guard !anchors.isEmpty, a > 0 else { return }
    var best: (anchor: HeldTransfers.Transfer, q: Double)?
    for anchor in anchors where anchor.micros > 0 {
      let distance = abs(Double(a) - Double(anchor.micros)) / Double(anchor.micros)
      guard distance <= thresholds.linkTolerance else { continue }
      let low = Self.micros(Double(anchor.micros) * (1 - distance))
      let high = Self.micros(Double(anchor.micros) * (1 + distance))
      // Not counting the held payments themselves: the scheme does not hide in its own amounts.
      let own = anchors.lazy.filter { $0.micros >= low && $0.micros <= high }.reduce(0) { $0 + Int($1.payments) }
      let q =
        distance == 0
        ? background.share(exactly: a, excluding: own) : background.share(from: low, to: high, excluding: own)
      if q < best?.q ?? .infinity { best = (anchor, q) }
    }
    guard let best else { return }
    // The payments into v kept (about the relay window's, trimmed lazily:
    // errs towards more), scaled to the link window.
    let k = Double(max(1, recent.live(into: v).count)) * Double(linkWindow) / Double(max(relayWindow, 1))
    let chance = Double(anchors.count) * k * best.q
    guard chance <= thresholds.linkAlpha else { return }
    let days = Double(time.saturatingSubtracting(best.anchor.time).magnitude) / 86_400
    outcome.holdReasons.append(
      "fan-in: \(names[u]) paid \(names[v]) \(Self.format(a)), as \(names[best.anchor.source]) did in a transfer held \(String(format: "%.1f", days)) days apart (chance ≈ 10^\(Int(log10(chance).rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    )
    held.add(HeldTransfers.Transfer(source: u, payments: 1, micros: a, time: time), into: v)
  }
}
