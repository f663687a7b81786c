import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Checks whether a payment *u* → *v* of amount *a* joins a **fan-in**
  /// already caught: a transfer into *v* held within the link window
  /// (``Thresholds/linkWindowSeconds``, weeks, before or after) — a split,
  /// or a payment linked so before — from another sender, of an amount
  /// within ``Thresholds/linkTolerance`` of *a*. Launderers' fan-ins
  /// (AMLSim's; Altman et al., NeurIPS 2023) send one amount from several
  /// senders over weeks, some of them splitting it; once one split is
  /// caught, the senders after it are linked to it, as the scan's
  /// `structured-flow` links transfers to a seed. Each link is held on as
  /// an anchor itself, so a fan-in keeps being linked while its senders
  /// come less than the window apart. The earlier senders' payments are not
  /// revoked: only the relay window's are kept.
  ///
  /// The chance of such a match is *c* · *k* · *q*: *c* the held transfers
  /// into *v* looked at (the tests made), *k* the payments into *v* over
  /// the link window (the relay window's, scaled: a busy account receives
  /// many amounts), *q* the larger of two shares of the amount (exactly
  /// *a* when the two are equal, else anywhere within the tolerance of the
  /// held one, as the scan's links):
  /// - among all recent payments, not counting the held ones themselves
  ///   (the scheme does not hide in its own amounts);
  /// - among *v*'s own payments in the relay window, not withheld, from
  ///   senders other than *u*: an account whose money mostly comes as one
  ///   price (club dues, one rent, a ticket) receives it by routine, even
  ///   after one of its payers split it.
  ///
  /// The payment is held when the chance is at most
  /// ``Thresholds/linkAlpha`` (the scan's bar for a link: the held transfer
  /// has passed the bar of a finding already).
  ///
  /// - Complexity: O(*h*²) for the *h* ≤ 2 · ``Thresholds/fanLimit``
  ///   transfers kept held into *v*, plus at most ``Thresholds/budget``
  ///   payments into *v* read.
  mutating func fanIn(
    source u: Int32, target v: Int32, micros a: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    let anchors = held.live(into: v, now: time, besides: u)
    guard !anchors.isEmpty, a > 0 else { return }
    // Held payments still counted in the background (its epochs span less than the link window).
    let backgroundSpan = background.epochSeconds * Int64(background.epochCount - 1)
    var best: (anchor: HeldTransfers.Transfer, q: Double)?
    for anchor in anchors where anchor.micros > 0 {
      let distance = abs(Double(a) - Double(anchor.micros)) / Double(anchor.micros)
      guard distance <= thresholds.linkTolerance else { continue }
      let low = distance == 0 ? a : Self.micros(Double(anchor.micros) * (1 - thresholds.linkTolerance))
      let high = distance == 0 ? a : Self.micros(Double(anchor.micros) * (1 + thresholds.linkTolerance))
      let own = anchors.lazy.filter {
        $0.micros >= low && $0.micros <= high
          && time.saturatingSubtracting($0.time).magnitude <= backgroundSpan.magnitude
      }.reduce(0) { $0 + Int($1.payments) }
      let overall =
        distance == 0
        ? background.share(exactly: a, excluding: own) : background.share(from: low, to: high, excluding: own)
      let q = max(overall, localShare(into: v, from: low, to: high, besides: u))
      if q < best?.q ?? .infinity { best = (anchor, q) }
    }
    guard let best else { return }
    let k = Double(max(1, recent.live(into: v).count)) * Double(linkWindow) / Double(max(relayWindow, 1))
    let chance = Double(anchors.count) * k * best.q
    guard chance <= thresholds.linkAlpha else { return }
    let days = Double(time.saturatingSubtracting(best.anchor.time).magnitude) / 86_400
    outcome.holdReasons.append(
      "fan-in: \(names[u]) paid \(names[v]) \(Self.format(a)), as \(names[best.anchor.source]) did in a transfer held \(String(format: "%.1f", days)) days apart (chance ≈ 10^\(Int(log10(max(chance, .leastNormalMagnitude)).rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    )
    held.add(
      HeldTransfers.Transfer(source: u, payments: 1, micros: a, time: time), into: v, merging: thresholds.bucketSeconds)
  }

  /// The share of the payments into `v` kept (the relay window's), not
  /// withheld and not from `besides`, between `low` and `high`: how often
  /// the account receives such an amount by routine. Reads at most
  /// ``Thresholds/budget`` payments, the latest.
  private func localShare(into v: Int32, from low: Int64, to high: Int64, besides: Int32) -> Double {
    let list = recent.live(into: v)
    var read = 0, matching = 0
    for p in list.reversed().prefix(thresholds.budget) {
      read += 1
      if !p.withheld, p.source != besides, p.micros >= low, p.micros <= high { matching += 1 }
    }
    return read == 0 ? 0 : Double(matching) / Double(read)
  }
}
