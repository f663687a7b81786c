import Foundation
import SignalGraph

extension IncrementalFlowCheck {
  /// Keeps a bipartite block that ``bipartite(seq:source:target:micros:time:payersRead:names:into:)``
  /// could not judge, the habit of one of its payers unread
  /// (``readsHabit(of:before:)``), to wait for both (``deferredBlocks``):
  /// `block`, completed by payment `seq` of `micros` from `u` to `v` at
  /// `time`. It replaces the block `u` had waiting when their bands meet
  /// (the same block, grown) or it reaches at least as many receivers.
  ///
  /// Each payer's other payments so far, not withheld nor a standing
  /// order's, are the first of its habit read, as for a fan-out that waits
  /// (``deferFanOut(seq:of:to:micros:time:members:band:receivers:read:began:names:)``).
  mutating func deferBlock(
    _ block: Block, seq: Int, from u: Int32, to v: Int32, micros a: Int64, time: Int64, names: WindowedInterner
  ) {
    if let waiting = deferredBlocks.waiting[u], waiting.high < block.low || waiting.low > block.high,
      waiting.receivers > block.receivers.count
    {
      return
    }
    let s = block.payer
    let payees = payees(of: block, from: u, to: v)
    func payment(_ p: RecentPayments.Payment, to payee: Int32) -> DeferredFans.Payment {
      .init(seq: p.seq, counterpart: payee, micros: p.micros, time: p.time, fate: p.withheld ? .withheld : .inList)
    }
    let fromPayer =
      [DeferredFans.Payment(seq: seq, counterpart: v, micros: a, time: time, fate: .inList)]
      + block.receivers.map { payment($0.fromPayer, to: $0.account) }
    let fromPartner = [payment(block.receipt, to: v)] + block.receivers.map { payment($0.fromOther, to: $0.account) }
    let band = block.low...block.high
    let last = (fromPayer + fromPartner).reduce(time) { max($0, $1.time) }
    let days = String(format: "%.1f", Double(last - block.began) / 86_400)
    let what =
      "\(names[u]) and \(names[s]) both paid \(names[v]) and \(Self.list(block.receivers.map(\.account), names)) \(Self.format(block.low))–\(Self.format(block.high)) within \(days) days"
    deferredBlocks.keep(
      .init(
        payer: u, partner: s, low: block.low, high: block.high, due: last.saturatingAdding(fanWindow),
        floor: payees.share, receiptChances: [max(payees.habit, payees.receiptFloor)] + payees.receivers,
        payments: fromPayer + fromPartner, description: what,
        payerRead: history(of: u, band: band, besides: fromPayer, at: time),
        partnerRead: history(of: s, band: band, besides: fromPartner, at: time)))
  }

  /// Judges the bipartite blocks due at `time` that waited for their
  /// payers' habits (``DeferredBlocks``), and revokes the payments of those
  /// unlikely under them.
  ///
  /// Each payer's history is read as a waiting fan-out's
  /// (``judgeDeferredFanOuts(at:into:)``): before the block when it was
  /// found, then a fan window at a time after it. Once a warm-up has
  /// passed since the block's last payment, each payer *x* pays the band
  /// by chance, however little it paid, with
  ///
  /// ```text
  /// Pₓ = max(ν · max(q, o) + (1 − ν) · c / m,  s′)
  /// ```
  ///
  /// (``chance(of:reading:band:floor:)``; an account that paid nothing
  /// else, as a stack's layer often does, at the stream's hand-on rate
  /// *s*′), and the block is revoked when
  ///
  /// ```text
  /// E = L · N · K̄ₖ · max(H_v, P_s) · Π_w max(P_u, H_w) · max(P_s, H_w)
  /// ```
  ///
  /// is below ``Thresholds/fanAlpha``: the live check's expectation
  /// (``bipartite(seq:source:target:micros:time:payersRead:names:into:)``),
  /// *H_v* at least the stream's rate of shared receipts, *N* and *K̄ₖ* the
  /// stream's when it is judged, and *L* the times it was judged so far,
  /// this one among them. Until then it reads again a fan window later, or
  /// when the warm-up after its last payment ends if that is sooner
  /// (``nextLook(after:last:)``), for at most ``fanOutWindowsRead`` windows
  /// after its last payment, and is
  /// dropped unjudged after that; so is a block one of whose payers took up
  /// another sum since and paid it to as many payees (which of the two is
  /// its habit the stream cannot tell, unless that sum is paid to the cent
  /// each time and the block's differ), and one whose payers pay the band
  /// again to its own payees after it (a family's monthly allowances: a
  /// routine, not money moved once).
  ///
  /// Known limits: those of a waiting fan-out (a block in the stream's last
  /// months is never judged).
  ///
  /// - Complexity: O(*r* · *f*) per block due, for the *r* ≤
  ///   ``Thresholds/fanMaxRead`` payments out of each payer read and the
  ///   *f* ≤ 2 · (1 + ``maxBlockReceivers``) payments of the block, and
  ///   O(log *w*) for each of the *w* blocks waiting.
  mutating func judgeDeferredBlocks(at time: Int64, into outcome: inout CheckOutcome) {
    let payers = deferredBlocks.popDue(at: time)
    guard !payers.isEmpty else { return }
    let structureBefore = structure.count
    defer { structure.removeSubrange(structureBefore...) }
    for u in payers {
      guard var block = deferredBlocks.take(u) else { continue }
      let s = block.partner, band = block.low...block.high, last = block.last
      let payees = block.receiptChances.count
      let fromPayer = Array(block.payments[..<payees]), fromPartner = Array(block.payments[payees...])
      payouts.trim(Int(u), now: time)
      payouts.trim(Int(s), now: time)
      readPayouts(of: u, band: band, besides: fromPayer, since: last, into: &block.payerRead, at: time)
      readPayouts(of: s, band: band, besides: fromPartner, since: last, into: &block.partnerRead, at: time)
      // Read again a fan window later (or when the warm-up ends, if sooner), while it may wait.
      func readAgain() {
        guard time.saturatingSubtracting(last) < Int64(Self.fanOutWindowsRead) * fanWindow else { return }
        block.due = nextLook(after: time, last: last)
        deferredBlocks.keep(block)
      }
      let (payerRead, partnerRead) = (block.payerRead, block.partnerRead)
      // Judged a warm-up after its last payment, by what its payers paid,
      // however little: an account that pays nothing else exists for the block.
      guard time.saturatingSubtracting(last) >= fanWarmUp else {
        readAgain()
        continue
      }
      guard max(payerRead.takenUpReceivers, partnerRead.takenUpReceivers) < payees,
        payerRead.recurring + partnerRead.recurring == 0,
        block.payments.contains(where: { $0.fate != .withheld })
      else { continue }
      block.payerRead.looks += 1
      let pu = chance(of: u, reading: payerRead, band: band, floor: block.floor)
      let ps = chance(of: s, reading: partnerRead, band: band, floor: block.floor)
      var log10E =
        log10(Double(max(background.total, 1))) + log10(expectedBlocks(of: block.receivers))
        + log10(Double(block.payerRead.looks)) + log10(max(block.receiptChances[0], ps, .leastNormalMagnitude))
      for h in block.receiptChances.dropFirst() {
        log10E += log10(max(pu, h, .leastNormalMagnitude)) + log10(max(ps, h, .leastNormalMagnitude))
      }
      guard log10E <= log10(thresholds.fanAlpha) else {
        readAgain()
        continue
      }
      let reason =
        "bipartite: \(block.description), sums neither paid before: the first paid them in \(payerRead.inBand) of its \(payerRead.payments) other payments and the second in \(partnerRead.inBand) of its \(partnerRead.payments), before it and of the \((time - last) / 86_400) days after (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' payments)"
      for (i, p) in block.payments.enumerated() where p.fate != .withheld {
        revokeWaiting(p, from: block.payer(of: i), to: p.counterpart, reason: reason, outcome: &outcome)
      }
    }
  }
}
