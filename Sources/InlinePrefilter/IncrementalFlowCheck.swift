import Foundation
@_spi(Checkpoint) import SignalGraph

/// Checks each payment for completing a slow collusive flow: a transfer
/// **split** into several near-equal payments less than a day apart
/// (structuring), or
/// money **relayed**, each account passing on most of what it received
/// within days, along a chain of three or more payments (a stack, or a ring
/// closing on its origin however slowly). The streaming counterpart of the
/// scan's `structured-flow` detector, for what a single payment can complete.
///
/// ``IncrementalCycleCheck`` catches fast rings that turn within hours; the
/// laundering of exported banking data (IBM AMLSim; Altman et al., NeurIPS
/// 2023) moves one amount round once over weeks, in daily timestamps, often
/// paying a hop as several equal payments the same day. Each coincidence is
/// weighed against the stream's own recent amounts
/// (``PaymentAmountBackground``, the last ``Thresholds/backgroundDays``):
///
/// - **Split.** The *n*-th payment (*n* ≥ 2) from *u* to *v* less than
///   ``Thresholds/bucketSeconds`` (a day) before or after the others, not
///   in one calendar day (a split across midnight counts; at a daily
///   resolution the two are the same; the scan's `structured-flow` groups
///   by calendar day), the pair having paid *m* times
///   within the split span (``Thresholds/splitSpanSeconds``) of *D* buckets, has chance
///
///   ```text
///   p = C(m, n) · D^−(n−1) · q^(n−1)
///   ```
///
///   *q* the share of recent payments of exactly the parts' amount when they
///   are equal, else within their largest relative distance *s* (at least
///   1 %) of their median, not counting the parts themselves, the payments
///   withheld as parts of structures (``withheld``; the pair's own count
///   back), nor those of the transfers held on their own that it joins.
/// - **Relay.** A payment *u* → *v* of amount *a* relays an earlier payment
///   *x* → *u* of amount *b* within ``Thresholds/relayWindowSeconds`` (ties
///   in time allowed) when *a* ∈ *b* · [1 − ``Thresholds/skim``, 1]. Among
///   the *k* payments into *u* looked at, one matches by chance with
///   probability *k* · *q*, *q* the share of recent payments between *a* and
///   *b* (not counting the two themselves), read against *u*'s own habit as
///   a payer (``PayerHabits``: an account that pays one sum to everyone
///   rarely passes on a new one by chance; a sum it first paid after *b*
///   came in, to others too, is the structure's own, a stack's layer paying
///   each account of the next, not a habit); a hop is followed only when
///   *k* · *q* ≤ ``Thresholds/maxHopChance``. A chain of *h* ≥ 2 such hops
///   (three payments) has *p* = ∏ *k*ᵢ *q*ᵢ.
/// - **Scatter-gather.** A relayed payment into an account that other
///   relays of the same source's money reached too, through other
///   intermediaries (`IncrementalFlowCheck+ScatterGather.swift`).
/// - **Fan-in.** A payment that makes several senders, each off its own
///   habit, paying one account near-equal sums within weeks
///   (`IncrementalFlowCheck+FanIn.swift`).
/// - **Fan-out.** A payment that makes one account, off its own habit,
///   paying several receivers near-equal sums within weeks
///   (`IncrementalFlowCheck+FanOut.swift`).
/// - **Gather-scatter.** A payment out of an account that gathered
///   near-equal sums from several senders and now has paid about their sum
///   on to several others in near-equal sums
///   (`IncrementalFlowCheck+GatherScatter.swift`).
/// - **Bipartite.** A payment that makes two payers, each off its own
///   habit, paying the same two or more accounts near-equal sums within
///   days: a stack's layer (`IncrementalFlowCheck+Bipartite.swift`).
/// - **Links.** A payment of the amount of a transfer held within weeks
///   that shares an account with it: into the same payee from another
///   sender (a fan-in), out of the held transfer's payee (money passed on),
///   or into its payer (money come back)
///   (`IncrementalFlowCheck+Links.swift`): linked at the scan's bar for a
///   link, ``Thresholds/linkAlpha``.
///
/// A payment is held when the expected number of such coincidences among the
/// recent payments, *E* = *T* · *p* with *T* the payments in the background,
/// is at most ``Thresholds/alpha`` (10⁻², the scan's bar for a structure:
/// at most one chance hold in a hundred backgrounds' worth of honest
/// payments; 10⁻³, ``Thresholds/warmUpAlpha``, in the stream's first month,
/// before payers' habits can be read); the earlier payments of
/// the split, the chain, the scatter-gather, the fan-in or the fan-out are revoked. A link needs a
/// held transfer first, so it is judged at the scan's bar for a link.
/// Honest money rarely does any:
/// purchases repeat common amounts (large *q*), salaries and rent are passed
/// on in common, round sums, and a repaid loan is a two-account return, not
/// a chain.
///
///     var configuration = PrefilterConfiguration()
///     configuration.flows.skim = 0.05
///     var filter = Prefilter(configuration: configuration)
///
/// - Complexity: per payment, at most ``Thresholds/budget`` payments into
///   the payee read for the split (however busy the payee), and for a chain
///   at most 2 · ``Thresholds/fanLimit`` payments read per account and
///   ``Thresholds/budget`` hops examined, for a scatter-gather at most
///   2 · ``Thresholds/fanLimit`` payments read and ``Thresholds/budget``
///   pairs compared, for a fan-in O(*r*³) for the *r* ≤
///   ``Thresholds/fanMaxRead`` payments into the payee read, for a link
///   the transfers held to or from the payer and the payee, plus
///   O(bins) per amount range looked up, for a gather-scatter O(*r*³) for
///   the *r* ≤ ``Thresholds/fanMaxRead`` payments out of and into the payer
///   read, for a fan-out O(*r*³) for the *r* ≤ ``Thresholds/fanMaxRead``
///   payments out of the payer read, for a bipartite block O(*b* · *r*)
///   for the *b* ≤ ``Thresholds/budget`` payments out of the payee's payers
///   read and the *r* ≤ ``Thresholds/fanMaxRead`` payees of the payer,
///   plus O(*r*²) for the payee's payers;
///   memory is the payments of the last
///   relay window (listed under their payee), those of the fan window
///   (at most ``Thresholds/fanMaxRead`` per payee, and as many per
///   payer), a few sums per payer and per
///   payee, the transfers held within the link window, and a fixed amount
///   background.
public struct IncrementalFlowCheck: PaymentCheck {
  /// The knobs of the flow check (``PrefilterConfiguration/flows``).
  public struct Thresholds: Sendable, Equatable, Codable {
    /// The time span of a split: payments of one pair within it are one transfer.
    public var bucketSeconds: Int64 = 86_400
    /// The most seconds between a payment and the one relaying it (the
    /// scan's `structured-flow.relay_window`, 14 days; at most the
    /// pre-filter's ``PrefilterConfiguration/windowDays``).
    public var relayWindowSeconds = StructuredFlowDefaults.relayWindowSeconds
    /// The span over which a pair's payments are counted for a split, the
    /// *D* buckets of its chance (at most ``relayWindowSeconds``).
    public var splitSpanSeconds: Int64 = 7 * 86_400
    /// The largest share of what it received a relaying account may keep.
    public var skim = 0.10
    /// The most relays of one chain.
    public var maxRelayHops = 6
    /// The most chance, *k* · *q*, of a hop a chain follows (the scan's,
    /// 5 %): a weaker hop is no evidence of money passed on; a chain of
    /// hops under it is judged by their product.
    public var maxHopChance = StructuredFlowDefaults.maxHopChance
    /// The most expected chance coincidences among the background's payments
    /// for a split, a chain or a scatter-gather to be held (the scan's
    /// `structured-flow.alpha`).
    public var alpha = StructuredFlowDefaults.alpha
    /// ``alpha`` while the stream has watched less than
    /// ``fanWarmUpSeconds``: payers' habits are unread then, so the
    /// background's amounts stand in for them, and honest friends' first
    /// rounds of sums passed round read rarer than they are.
    public var warmUpAlpha = 0.001
    /// Payments into one account looked at per step.
    public var fanLimit = 48
    /// Hops examined per payment at most.
    public var budget = 1_024
    /// Days of payment amounts in the background (rounded up to weeks).
    public var backgroundDays = 56
    /// The most seconds between a held transfer and a payment of its amount
    /// linked to it (a fan-in over weeks; at most the pre-filter's
    /// ``PrefilterConfiguration/windowDays``).
    public var linkWindowSeconds: Int64 = 60 * 86_400
    /// The largest relative distance of a linked payment's amount from the
    /// held transfer's (widened to a split's own spread, up to 50 %).
    public var linkTolerance = 0.10
    /// The most chance of a link, *c* · *k* · *q*, for a payment to be held
    /// as part of a flow already caught (the scan's bar for a link).
    public var linkAlpha = 0.01
    /// The span of a fan-in: its senders' payments within it of the one
    /// decided (the scan's `structured-flow.fan_window`, 25 days: under a
    /// month, so that a monthly payer is the payee's habit; at most the
    /// pre-filter's ``PrefilterConfiguration/windowDays``).
    public var fanWindowSeconds = StructuredFlowDefaults.fanWindowSeconds
    /// How long the stream must have watched before a fan-in beginning then
    /// is judged (a month: a monthly routine, a club's dues, is seen once
    /// first; at most the pre-filter's ``PrefilterConfiguration/windowDays``),
    /// and before splits, chains and scatter-gathers are held at ``alpha``
    /// rather than ``warmUpAlpha``.
    public var fanWarmUpSeconds: Int64 = 31 * 86_400
    /// The fewest distinct senders of a fan-in.
    public var minFanSenders = StructuredFlowDefaults.minFanSenders
    /// The width of a fan-in's band of amounts: its top at most
    /// 1 + 2 · this times its bottom (about ± this around its middle).
    public var fanTolerance = StructuredFlowDefaults.fanBandTolerance
    /// The most payments into one account within the fan window read for a
    /// fan-in; a busier account (a shop) is not read.
    public var fanMaxRead = StructuredFlowDefaults.fanMaxRead
    /// The most expected chance fan-ins among the background's payments
    /// for one to be held (the scan's `structured-flow.alpha`).
    public var fanAlpha = StructuredFlowDefaults.alpha

    /// The defaults.
    public init() {}
  }

  let thresholds: Thresholds
  /// ``Thresholds/relayWindowSeconds``, within the history window.
  let relayWindow: Int64
  /// ``Thresholds/splitSpanSeconds``, within the relay window.
  let splitSpan: Int64
  /// ``Thresholds/linkWindowSeconds``, within the history window.
  let linkWindow: Int64
  /// ``Thresholds/fanWindowSeconds``, within the history window.
  let fanWindow: Int64
  /// ``Thresholds/fanWarmUpSeconds``, within the history window.
  let fanWarmUp: Int64
  /// The transfers held within the link window, listed under their payee:
  /// the anchors of fan-ins and of money passed on (kept by the split,
  /// fan-in and link checks, ``keepAnchor(from:to:payments:counted:micros:spread:time:)``).
  var heldInto: HeldTransfers
  /// The same transfers listed under their payer: the anchors of money come back.
  var heldFrom: HeldTransfers
  /// The payments into each account within the relay window.
  private(set) var recent: RecentPayments
  /// The payments out of each account within the fan window (or the relay
  /// window, whichever is longer), at most ``Thresholds/fanMaxRead`` of
  /// them, listed under their payer (each one's `source` is its payee): a
  /// fan-out's payments, and a gather-scatter's payments out.
  var payouts: RecentPayments
  /// The gather-scatter windows read (``countWindow(of:at:)``) from a relay
  /// window after the stream's first payment on: the rate that spreads the
  /// scan's count of windows read over the background.
  var gatherWindows = 0
  /// Per account, when a window of it as a hub was last counted (`Int64.min`: never).
  var windowCounted: [Int64] = []
  /// The amounts of recent payments.
  private(set) var background: PaymentAmountBackground
  /// The amounts of the payments among them this check withheld as parts
  /// of a structure: a split sharing an account with another transfer held
  /// (``HeldTransfers``), a payment linked, a relay chain, a scatter-gather.
  /// A split held on its own may be an honest one, so its parts stay in the
  /// honest background: one false hold must not make the next honest pair
  /// splitting that price look rarer.
  ///
  /// A split and a link are weighed against the payments these do not count
  /// (nor the transfers held on their own that they join), as the scan's
  /// links are against what its seeds leave unexplained: schemes crowding
  /// one amount band (AMLSim's fan-ins) do not hide in each other's amounts.
  /// A pair's own transfers counted before count back (``pairWithheld``).
  /// Relays and scatter-gathers are weighed against every payment: an honest
  /// family passing an allowance on to its landlord, held once, is not
  /// judged rarer the next month.
  private(set) var withheld: PaymentAmountBackground
  /// Each payer's habit, that a relay's amount is read against.
  private(set) var habits = PayerHabits()
  /// The payments into each account within the fan window, at most
  /// ``Thresholds/fanMaxRead`` of them: a fan-in's senders.
  var fanLists: RecentPayments
  /// Each account's habit as a payee before its fan list: the bands of
  /// sums it was paid by routine, not withheld (``noteDroppedReceipts()``),
  /// a fan-in's *H*.
  var receipts: PayeeHabits
  /// The fan-ins found in the stream's first month, waiting for their
  /// payee's habit to show in the month after.
  var deferredFanIns = DeferredFans()
  /// The fan-outs found before their payer's habit could be read, waiting
  /// for it to show in the months after.
  var deferredFanOuts = DeferredFans()
  /// The bipartite blocks found before their payers' habits could be read,
  /// waiting for them to show in the months after.
  var deferredBlocks = DeferredBlocks()
  /// Over the stream, the consecutive payments into one account counted,
  /// and those where the later, from another sender, repeated the earlier's
  /// sum, neither withheld (``repeatsSum(_:_:_:held:)``): a fan-in's *s*.
  var consecutiveReceipts = 0, sharedReceipts = 0
  /// Over the stream, the payments counted in their payer's rates that
  /// followed its last payment to another payee (withheld or not), and
  /// those among them that repeated its sum when that was new to the
  /// payer, neither withheld (``notePayout(source:target:micros:held:)``):
  /// a fan-out's *s*.
  var payoutPairs = 0, handedOn = 0
  /// Over the stream, the payments counted in their payer's rates to a
  /// payee among its payouts kept (paid within a window), neither
  /// withheld, and those among them that varied the sum paid that payee
  /// last (``AmountHabit/varies(_:_:)``; ``notePayout(source:target:micros:held:)``):
  /// a fan-out's *v*.
  var payeeRepeats = 0, variedPayeeRepeats = 0
  /// Over the stream, the payments read for squares, and the blocks of 1, 2, … receivers they
  /// closed whatever their sums (``squares(closedBy:_:at:)``): a
  /// bipartite block's *K̄ₖ*.
  var squarePayments = 0
  var squareCounts = Array(repeating: 0, count: maxBlockReceivers)
  /// The time of the stream's first payment (`Int64.max` before one), set
  /// once (a payment dated earlier later on does not move it): an account's
  /// receipts are watched from then on, so a fan-in is judged only once the
  /// stream watched its payee for ``Thresholds/fanWarmUpSeconds`` before it.
  var firstPayment = Int64.max
  /// Room for a fan's candidates, reused from payment to payment: taken
  /// out with `swap` and put back, so that its buffer is held once and kept
  /// (with a copy left in place, `removeAll(keepingCapacity:)` would
  /// allocate a new one).
  var fanCandidates: [FanCandidate] = []
  /// Room for counting squares (``squares(closedBy:_:at:)``), reused the
  /// same way.
  var squareRoom = SquareRoom()
  /// The payments a check withheld as parts of a structure, the payment
  /// decided last (scratch: ``linkBack(at:names:into:)``'s).
  var structure: [StructurePayment] = []
  private var visits = 0
  private var path: [(account: Int32, index: Int)] = []

  init(configuration: PrefilterConfiguration) {
    thresholds = Self.thresholds(in: configuration)
    relayWindow = min(thresholds.relayWindowSeconds, configuration.windowSeconds)
    splitSpan = min(thresholds.splitSpanSeconds, relayWindow)
    linkWindow = min(thresholds.linkWindowSeconds, configuration.windowSeconds)
    fanWindow = min(thresholds.fanWindowSeconds, configuration.windowSeconds)
    fanWarmUp = min(thresholds.fanWarmUpSeconds, configuration.windowSeconds)
    recent = RecentPayments(window: relayWindow)
    payouts = RecentPayments(window: max(relayWindow, fanWindow), capacity: thresholds.fanMaxRead)
    fanLists = RecentPayments(window: fanWindow, capacity: thresholds.fanMaxRead, collectsDropped: true)
    receipts = PayeeHabits(tolerance: thresholds.fanTolerance)
    heldInto = HeldTransfers(window: linkWindow, capacity: 2 * thresholds.fanLimit)
    heldFrom = HeldTransfers(window: linkWindow, capacity: 2 * thresholds.fanLimit)
    background = PaymentAmountBackground(days: thresholds.backgroundDays)
    withheld = PaymentAmountBackground(days: thresholds.backgroundDays)
  }

  static var thresholdsKey: KeyPath<PrefilterConfiguration, Thresholds> { \.flows }
  static var partName: String { "flows" }
  static var recordSizes: [Int] {
    [
      MemoryLayout<RecentPayments.Payment>.size, MemoryLayout<HeldTransfers.Transfer>.size,
      MemoryLayout<PayerHabits.Slot>.size, MemoryLayout<PayeeHabits.Slot>.size,
    ]
  }
  /// None: the relay, fan and link windows lie within the history window.
  static func reachBeyondWindow(_ configuration: PrefilterConfiguration) -> Int64 { 0 }

  /// Decides payment `seq` of `micros` from `source` to `target` at `time`, the clock at `now`.
  mutating func check(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, now: Int64, names: WindowedInterner
  ) -> CheckOutcome {
    recent.grow(to: Int(max(source, target)) + 1)
    payouts.grow(to: Int(max(source, target)) + 1)
    if windowCounted.count <= Int(max(source, target)) {
      windowCounted.append(contentsOf: repeatElement(.min, count: Int(max(source, target)) + 1 - windowCounted.count))
    }
    fanLists.grow(to: Int(max(source, target)) + 1)
    habits.grow(to: Int(max(source, target)) + 1)
    receipts.grow(to: Int(max(source, target)) + 1)
    background.advance(to: time)
    withheld.advance(to: time)
    if firstPayment == .max { firstPayment = time }
    var outcome = CheckOutcome.admit
    var heldAlone = false  // as a split, and for nothing else
    if source != target {
      recent.trim(Int(target), now: time)
      recent.trim(Int(source), now: time)
      payouts.trim(Int(source), now: time)
      fanLists.trim(Int(target), now: time)
      noteDroppedReceipts()
      // At the stream's clock: one payment dated far ahead must not judge every fan-in before its month after.
      judgeDeferredFanIns(at: min(time, now), into: &outcome)
      judgeDeferredFanOuts(at: min(time, now), into: &outcome)
      judgeDeferredBlocks(at: min(time, now), into: &outcome)
      let (transfer, alone) = split(
        seq: seq, source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      let reasons = outcome.holdReasons.count
      relay(source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      scatterGather(source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      heldAlone = alone && outcome.holdReasons.count == reasons
      if outcome.holdReasons.isEmpty {
        fanIn(seq: seq, source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      }
      if outcome.holdReasons.isEmpty {
        link(
          source: source, target: target, micros: micros, transfer: transfer, time: time, names: names, into: &outcome)
      }
      if outcome.holdReasons.isEmpty {
        gatherScatter(source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      }
      if outcome.holdReasons.isEmpty {
        fanOut(seq: seq, source: source, target: target, micros: micros, time: time, names: names, into: &outcome)
      }
      // Judged against the squares of the payments before it, then counted.
      let closed = squares(closedBy: source, target, at: time)
      if closed.blocks[0] > 0, outcome.holdReasons.isEmpty {
        bipartite(
          seq: seq, source: source, target: target, micros: micros, time: time, payersRead: closed.payersRead,
          names: names, into: &outcome)
      }
      squarePayments += 1
      for k in squareCounts.indices { squareCounts[k] += closed.blocks[k] }
      // A fan-out or block waiting with this payment in it must not revoke it once held.
      if !outcome.holdReasons.isEmpty {
        deferredFanOuts.noteWithheld(seq, at: source)
        deferredBlocks.noteWithheld(seq)
      }
    }
    if source != target, !structure.isEmpty {
      structure.append(.init(payer: source, payee: target, micros: micros, time: time))
      linkBack(at: time, names: names, into: &outcome)
      structure.removeAll(keepingCapacity: true)
    }
    background.add(micros, at: time)
    // A split held on its own is no structure yet (see ``withheld``).
    let held = !outcome.holdReasons.isEmpty
    let counted = held && !heldAlone
    if counted { withheld.add(micros, at: time) }
    recent.append(
      RecentPayments.Payment(source: source, time: time, micros: micros, seq: seq, withheld: held, counted: counted),
      to: target, now: time)
    if source != target {
      notePayout(source: source, target: target, micros: micros, held: held)
      payouts.append(
        RecentPayments.Payment(source: target, time: time, micros: micros, seq: seq, withheld: held, counted: counted),
        to: source, now: time)
      habits.record(from: source, to: target, micros: micros, at: time)
      if held { habits.noteWithheld(source) }
      noteReceipt(seq: seq, source: source, target: target, micros: micros, time: time, held: held, counted: counted)
    }
    return outcome
  }

  // MARK: Splits

  /// A transfer of several payments from one payer within a day that was
  /// not held as a split: what its parts' coincidence weighs when the
  /// transfer links to a flow caught (as the scan's `structured-flow` multiplies
  /// a linked transfer's split chance into its link).
  struct Split {
    /// Its payments, the one being decided included.
    var payments: Int
    /// The pair's payments within the split span, these included.
    var pairPayments: Int
    /// Its parts' median amount, and their largest relative distance from it.
    var unit: Int64, spread: Double
    /// The band of its amounts (exactly one amount when `low == high`).
    var low: Int64, high: Int64
    /// The share of the background's payments in that band.
    var share: Double
    /// Its earlier parts: indices into the payee's list of recent payments.
    var parts: [Int]
  }

  /// Holds the payment when it completes a split (see the type's
  /// documentation); returns the transfer it is a part of when it has
  /// earlier parts and was not held, for the link check, and whether it was
  /// held as a split on its own (joining no other transfer held, its parts
  /// withheld by nothing else: no structure, see ``withheld``).
  private mutating func split(
    seq: Int, source: Int32, target: Int32, micros: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) -> (transfer: Split?, heldAlone: Bool) {
    let list = recent.live(into: target)
    var pairPayments = 1
    var parts: [Int] = []
    var amounts = [micros]
    var uncounted = 0  // earlier parts the withheld amounts do not count
    var examined = 0
    var scanned = 0
    var i = list.endIndex - 1
    while i >= list.startIndex, examined < thresholds.fanLimit, scanned < thresholds.budget {
      defer { i -= 1 }
      scanned += 1
      guard list[i].source == source, list[i].time.saturatingSubtracting(time).magnitude <= splitSpan.magnitude
      else { continue }
      examined += 1
      pairPayments += 1
      // Less than a bucket's length apart, not in the same calendar bucket:
      // a split across midnight is still one transfer (at a daily
      // resolution, the two are the same).
      if list[i].time.saturatingSubtracting(time).magnitude < thresholds.bucketSeconds.magnitude {
        parts.append(i)
        amounts.append(list[i].micros)
        if !list[i].counted { uncounted += 1 }
      }
    }
    guard !parts.isEmpty else { return (nil, false) }
    amounts.sort()
    let median = Double(amounts[amounts.count / 2])
    guard median > 0 else { return (nil, false) }
    let spread = amounts.map { abs(Double($0) - median) / median }.max() ?? 0
    let n = amounts.count
    let (low, high) =
      spread == 0
      ? (micros, micros)
      : (Self.micros(median * (1 - max(spread, 0.01))), Self.micros(median * (1 + max(spread, 0.01))))
    // Not counting the split's own parts, the payments withheld as parts of
    // structures, nor those of the transfers held on their own that it
    // joins; the pair's own earlier transfers counted count back (one hold
    // must not make the pair's next transfer look rarer).
    let structure = structureAnchors(source: source, target: target, time: time)
    let own = HeldAmounts(structure, near: time, within: backgroundSpan)
    let excluding =
      uncounted + own.payments(from: low, to: high)
      - pairWithheld(from: source, to: target, low: low, high: high, before: time)
    let q =
      spread == 0
      ? background.share(exactly: micros, besides: withheld, excluding: excluding)
      : background.share(from: low, to: high, besides: withheld, excluding: excluding)
    let transfer = Split(
      payments: n, pairPayments: pairPayments, unit: Self.micros(median), spread: spread, low: low, high: high,
      share: q, parts: parts)
    let log10E = log10(Double(max(background.total, 1))) + log10Chance(of: transfer, share: q)
    guard log10E <= log10(structureAlpha(at: time)) else { return (transfer, false) }
    let reason =
      "split: \(n) payments \(names[source])→\(names[target]) within one day of \(Self.format(amounts.first!))–\(Self.format(amounts.last!)) (chance ≈ 10^\(Int(log10E.rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    // Its parts a relay chain withheld already make it a part of that structure.
    let joined = !structure.isEmpty || parts.contains { list[$0].counted }
    revoke(parts.map { (target, $0) }, reason: reason, into: &outcome, counting: joined)
    // One anchor per split (a later part holds it again: merged).
    keepAnchor(
      from: source, to: target, payments: Int32(clamping: n), counted: joined, micros: Self.micros(median),
      spread: spread, time: time)
    return (nil, !joined)
  }

  /// The payments the withheld amounts count in the transfers from
  /// `source` to `target` held at least a bucket before `time` (not the
  /// transfer being decided) and within ``backgroundSpan`` of it, of
  /// amounts from `low` to `high`. Every part of a split of unequal parts
  /// counts, as ``HeldAmounts`` counts one: both err toward admitting.
  func pairWithheld(from source: Int32, to target: Int32, low: Int64, high: Int64, before time: Int64) -> Int {
    let span = backgroundSpan
    return heldFrom.live(at: source, now: time, besides: -1).reduce(0) { sum, t in
      let age = time.saturatingSubtracting(t.time)
      guard t.counterpart == target, t.counted, age >= thresholds.bucketSeconds, age <= span, t.micros >= low,
        t.micros <= high
      else { return sum }
      return sum + Int(t.payments)
    }
  }

  /// The transfers held within the link window into or out of `source` or
  /// `target`, other than between the two (this pair's own, or a refund of
  /// one held the other way: money paid back is no structure, as for a
  /// link): the structure a split there joins (none: a split on its own).
  private func structureAnchors(source: Int32, target: Int32, time: Int64) -> [HeldTransfers.Transfer] {
    heldInto.live(at: target, now: time, besides: source) + heldFrom.live(at: source, now: time, besides: target)
      + heldInto.live(at: source, now: time, besides: target) + heldFrom.live(at: target, now: time, besides: source)
  }

  /// Seconds of payments still counted in the background (its epochs span
  /// less than the link window).
  var backgroundSpan: Int64 { background.epochSeconds * Int64(background.epochCount - 1) }

  /// Keeps a transfer just held, `payments` of `micros` (its parts' median,
  /// their relative `spread` around it), `counted` or not in the withheld
  /// amounts, as an anchor for later links, under its payee and under its
  /// payer. A split held again at a later part merges into its anchor.
  mutating func keepAnchor(
    from source: Int32, to target: Int32, payments: Int32, counted: Bool = true, micros: Int64, spread: Double,
    time: Int64
  ) {
    let spread = min(spread, 1)
    heldInto.add(
      .init(counterpart: source, payments: payments, counted: counted, micros: micros, spread: spread, time: time),
      at: target, merging: thresholds.bucketSeconds)
    heldFrom.add(
      .init(counterpart: target, payments: payments, counted: counted, micros: micros, spread: spread, time: time),
      at: source, merging: thresholds.bucketSeconds)
  }

  /// The bar for a split, a chain or a scatter-gather decided at `time`:
  /// ``Thresholds/alpha`` once the stream has watched
  /// ``Thresholds/fanWarmUpSeconds``, ``Thresholds/warmUpAlpha`` before.
  func structureAlpha(at time: Int64) -> Double {
    time.saturatingSubtracting(firstPayment) >= fanWarmUp ? thresholds.alpha : thresholds.warmUpAlpha
  }

  /// log₁₀ of the chance of `transfer`'s parts, their amounts' share being
  /// `q`: *p* = C(*m*, *n*) · *D*^−(*n*−1) · *q*^(*n*−1).
  func log10Chance(of transfer: Split, share q: Double) -> Double {
    let n = transfer.payments
    let days = Double(max(1, splitSpan / thresholds.bucketSeconds))
    return Self.log10Binomial(transfer.pairPayments, n) - Double(n - 1) * log10(days) + Double(n - 1) * log10(q)
  }

  // MARK: Relays

  private mutating func relay(
    source: Int32, target: Int32, micros: Int64, time: Int64, names: WindowedInterner,
    into outcome: inout CheckOutcome
  ) {
    visits = 0
    path.removeAll(keepingCapacity: true)
    let log10Total = log10(Double(max(background.total, 1)))
    let threshold = log10(structureAlpha(at: time)) - log10Total
    guard
      let log10p = search(
        into: source, passedOn: micros, to: target, before: time, log10p: 0, threshold: threshold, origin: target,
        depth: 1)
    else { return }
    let firstHop = recent.lists[Int(path.last!.account)][path.last!.index]
    let hops = [names[firstHop.source]] + path.reversed().map { names[$0.account] } + [names[target]]
    let first = firstHop.time
    let days = Double(time - first) / 86_400
    let shape = hops.first == hops.last ? "ring" : "chain"
    let reason =
      "relayed \(shape): \(path.count + 1) payments \(hops.joined(separator: "→")) within \(String(format: "%.1f", days)) days, each passing on \(Int(((1 - thresholds.skim) * 100).rounded()))–100 % of the previous (chance ≈ 10^\(Int((log10p + log10Total).rounded(.down))) against the last \(thresholds.backgroundDays) days' amounts)"
    outcome.holdReasons.append(reason)
    revoke(path.map { ($0.account, $0.index) }, reason: reason, into: &outcome)
  }

  /// Looks for payments into `node` that `passedOn` (paid by `node` to
  /// `payee`) relays (within the relay window before `before`, carrying
  /// between `passedOn` and `passedOn / (1 − skim)`), each a hop of chance
  /// *k* · *q* (*q* read against `node`'s habit, ``PayerHabits``) at most
  /// ``Thresholds/maxHopChance``, extending the chain until its chance
  /// `log10p` falls to `threshold` with two hops or more. Returns the chain's
  /// log₁₀ chance, its hops in `path` (last hop first).
  private mutating func search(
    into node: Int32, passedOn: Int64, to payee: Int32, before: Int64, log10p: Double, threshold: Double,
    origin: Int32, depth: Int
  ) -> Double? {
    let list = recent.live(into: node)
    let earliest = before - relayWindow
    // The k payments into `node` that could be relayed: the latest up to
    // `before`, at most fanLimit of them (and fanLimit later ones skipped).
    var k = 0
    var later = 0
    var i = list.endIndex - 1
    while i >= list.startIndex, k < thresholds.fanLimit, later < thresholds.fanLimit, list[i].time >= earliest {
      if list[i].time <= before { k += 1 } else { later += 1 }
      i -= 1
    }
    guard k > 0 else { return nil }
    let lowest = i + 1
    i = list.endIndex - 1
    while i >= lowest, visits < thresholds.budget {
      let p = list[i]
      defer { i -= 1 }
      guard p.time <= before, relays(passedOn, p.micros) else { continue }
      visits += 1
      // A two-account return (a refund, a repaid loan) is not a relay.
      if depth == 1 && p.source == origin { continue }
      // Not counting the hop's own payments (the one passed on, once it is
      // an earlier one), and read against the relaying account's habit.
      let share = background.share(from: passedOn, to: p.micros, excluding: depth == 1 ? 1 : 2)
      let hop =
        Double(k)
        * habits.share(
          of: node, to: payee, from: passedOn, to: p.micros, background: share, passedOn: depth == 1 ? nil : passedOn,
          since: p.time)
      guard hop <= thresholds.maxHopChance else { continue }
      let chain = log10p + log10(hop)
      path.append((node, i))
      if depth >= 2, chain <= threshold { return chain }
      if p.source != origin, depth < thresholds.maxRelayHops, p.source != node,
        !path.contains(where: { $0.account == p.source }),
        let found = search(
          into: p.source, passedOn: p.micros, to: node, before: p.time, log10p: chain, threshold: threshold,
          origin: origin, depth: depth + 1)
      {
        return found
      }
      path.removeLast()
    }
    return nil
  }

  /// Whether `passedOn` relays `received`: no more than it, at most ``Thresholds/skim`` less.
  func relays(_ passedOn: Int64, _ received: Int64) -> Bool {
    RelayBand.passesOn(passedOn, received, skim: thresholds.skim)
  }

  /// Withholds `payments` (an account and an index into its list) not
  /// withheld already, for `reason`: adds each to `outcome`'s revocations
  /// and, when `counting`, to the withheld amounts (with those withheld
  /// before and not counted).
  mutating func revoke(
    _ payments: [(account: Int32, index: Int)], reason: String, into outcome: inout CheckOutcome,
    counting: Bool = true
  ) {
    for (account, index) in payments {
      let payment = recent.lists[Int(account)][index]
      if let seq = recent.withhold(into: account, at: index, counted: counting) {
        habits.noteWithheld(payment.source)
        deferredFanIns.noteWithheld(seq, at: account)
        deferredFanOuts.noteWithheld(seq, at: payment.source)
        deferredBlocks.noteWithheld(seq)
        // The fan list keeps it too while it is within the fan window, and its payer's payments out.
        if let f = fanLists.index(of: seq, into: account) {
          _ = fanLists.withhold(into: account, at: f, counted: counting)
        }
        if let o = payouts.index(of: seq, into: payment.source) {
          _ = payouts.withhold(into: payment.source, at: o, counted: counting)
        }
        outcome.revoked.append((seq, reason))
        if counting {
          withheld.add(payment.micros, datedEarlier: payment.time)
          structure.append(.init(payer: payment.source, payee: account, micros: payment.micros, time: payment.time))
        }
      } else if counting, recent.count(into: account, at: index) {
        // Withheld before as a split on its own: now a part of a structure.
        withheld.add(payment.micros, datedEarlier: payment.time)
        structure.append(.init(payer: payment.source, payee: account, micros: payment.micros, time: payment.time))
        if let f = fanLists.index(of: payment.seq, into: account) { _ = fanLists.count(into: account, at: f) }
        if let o = payouts.index(of: payment.seq, into: payment.source) {
          _ = payouts.count(into: payment.source, at: o)
        }
      }
    }
  }

  /// Withholds the payments at `indices` of `target`'s fan list for
  /// `reason` (``revokeSeq(_:from:to:reason:outcome:)``).
  mutating func revokeFanIn(
    _ indices: [Int], into target: Int32, reason: String, outcome: inout CheckOutcome
  ) {
    for i in indices {
      revokeSeq(
        fanLists.lists[Int(target)][i].seq, from: fanLists.lists[Int(target)][i].source, to: target,
        reason: reason, outcome: &outcome)
    }
  }

  /// Withholds payment `seq` from `payer` to `payee` for `reason`: through
  /// the relay window's list where it still keeps it (``revoke(_:reason:into:counting:)``
  /// marks every list), else in the fan window's lists, the payee's fan
  /// list and the payer's payouts, counting it in the withheld amounts
  /// (one withheld before as a split on its own too).
  mutating func revokeSeq(
    _ seq: Int, from payer: Int32, to payee: Int32, reason: String, outcome: inout CheckOutcome
  ) {
    if let r = recent.index(of: seq, into: payee) {
      revoke([(payee, r)], reason: reason, into: &outcome)
      return
    }
    var (newly, recounted) = (false, false)
    var kept: RecentPayments.Payment?
    if let f = fanLists.index(of: seq, into: payee) {
      kept = fanLists.lists[Int(payee)][f]
      if fanLists.withhold(into: payee, at: f, counted: true) != nil {
        newly = true
      } else if fanLists.count(into: payee, at: f) {
        recounted = true
      }
    }
    if let o = payouts.index(of: seq, into: payer) {
      kept = kept ?? payouts.lists[Int(payer)][o]
      if payouts.withhold(into: payer, at: o, counted: true) != nil {
        newly = true
      } else if payouts.count(into: payer, at: o) {
        recounted = true
      }
    }
    guard let payment = kept, newly || recounted else { return }
    if newly {
      outcome.revoked.append((seq, reason))
      habits.noteWithheld(payer)
      deferredFanIns.noteWithheld(seq, at: payee)
      deferredFanOuts.noteWithheld(seq, at: payer)
      deferredBlocks.noteWithheld(seq)
    }
    withheld.add(payment.micros, datedEarlier: payment.time)
    structure.append(.init(payer: payer, payee: payee, micros: payment.micros, time: payment.time))
  }

  /// Withholds payment `p` of a structure that waited (``DeferredFans``,
  /// ``DeferredBlocks``) from `payer` to `payee` (either −1 once released)
  /// for `reason`: through the lists that still keep it
  /// (``revokeSeq(_:from:to:reason:outcome:)``), else by its sequence
  /// number alone (``revokeUnlisted(_:from:micros:time:reason:outcome:)``).
  mutating func revokeWaiting(
    _ p: DeferredFans.Payment, from payer: Int32, to payee: Int32, reason: String, outcome: inout CheckOutcome
  ) {
    let listed =
      payer >= 0 && payee >= 0
      && (recent.index(of: p.seq, into: payee) != nil || fanLists.index(of: p.seq, into: payee) != nil
        || payouts.index(of: p.seq, into: payer) != nil)
    if listed {
      revokeSeq(p.seq, from: payer, to: payee, reason: reason, outcome: &outcome)
    } else {
      revokeUnlisted(p.seq, from: payer, micros: p.micros, time: p.time, reason: reason, outcome: &outcome)
    }
  }

  /// Withholds payment `seq` of `micros` from `payer` (−1 when released
  /// since), dated `time`, that has left every list (a fan-in of the
  /// stream's first month judged late), for `reason`, counting it in the
  /// withheld amounts while they keep its date.
  mutating func revokeUnlisted(
    _ seq: Int, from payer: Int32, micros: Int64, time: Int64, reason: String, outcome: inout CheckOutcome
  ) {
    outcome.revoked.append((seq, reason))
    habits.noteWithheld(payer)
    deferredFanOuts.noteWithheld(seq, at: payer)
    deferredBlocks.noteWithheld(seq)
    withheld.add(micros, datedEarlier: time)
  }

  // MARK: State

  /// Drops payments older than their lists' windows (the relay window's, or
  /// the fan window's) and held transfers older than the link window everywhere, and clears the background's expired
  /// epochs (bounded memory).
  mutating func evict(now: Int64) {
    background.advance(to: now)
    withheld.advance(to: now)
    recent.evict(now: now)
    payouts.evict(now: now)
    fanLists.evict(now: now)
    noteDroppedReceipts()
    heldInto.evict(now: now)
    heldFrom.evict(now: now)
  }

  /// Drops every payment to or from the released accounts, whose ids are about to be reused.
  ///
  /// - Complexity: O(released accounts + payments kept).
  mutating func forget(_ released: ReleasedIds) {
    if let accounts = released.accounts {
      recent.forget(accounts)
      payouts.forget(accounts)
      for a in accounts.indices where accounts[a] && a < windowCounted.count { windowCounted[a] = .min }
      fanLists.forget(accounts)
      habits.forget(accounts)
      receipts.forget(accounts)
      heldInto.forget(accounts)
      heldFrom.forget(accounts)
      deferredFanIns.forget(accounts)
      deferredFanOuts.forget(accounts)
      deferredBlocks.forget(accounts)
    }
  }

  /// Adds the payments and held transfers kept to the footprint's payments.
  func addFootprint(to footprint: inout PrefilterFootprint) {
    footprint.payments +=
      recent.count + payouts.count + fanLists.count + heldInto.count + heldFrom.count + deferredFanIns.paymentCount
      + deferredFanOuts.paymentCount + deferredBlocks.paymentCount
  }

  /// Every list head within its list, every kept payment and held transfer
  /// between live accounts, the backgrounds' sums in agreement with their
  /// epochs, and the withheld amounts within the background.
  func invariantViolation(names: PrefilterNames) -> String? {
    if let violation = fanLists.invariantViolation(names: names) { return "fan lists: \(violation)" }
    if let violation = payouts.invariantViolation(names: names) { return "payouts: \(violation)" }
    guard gatherWindows >= 0, windowCounted.count <= names.accounts.idCapacity else {
      return "a negative count of gather-scatter windows, or counts for more accounts than ids"
    }
    for a in payouts.lists.indices {
      for payout in payouts.live(into: Int32(a)) {
        guard let r = recent.index(of: payout.seq, into: payout.source) else { continue }
        let payment = recent.lists[Int(payout.source)][r]
        guard payment.source == Int32(a), payment.withheld == payout.withheld, payment.counted == payout.counted else {
          return "payment \(payout.seq) kept differently under its payer and its payee"
        }
      }
    }
    for a in payouts.lists.indices {
      for payout in payouts.live(into: Int32(a)) where Int(payout.source) < fanLists.lists.count {
        guard let f = fanLists.index(of: payout.seq, into: payout.source) else { continue }
        let payment = fanLists.lists[Int(payout.source)][f]
        guard payment.withheld == payout.withheld, payment.counted == payout.counted else {
          return "payment \(payout.seq) withheld or counted under its payer and not in its payee's fan list"
        }
      }
    }
    if let violation = receipts.invariantViolation(names: names) { return "payees' habits: \(violation)" }
    let ids = min(fanLists.lists.count, payouts.lists.count, recent.lists.count)
    if let violation = deferredFanIns.invariantViolation(accounts: ids, isLive: names.accounts.isLive) {
      return "deferred fan-ins: \(violation)"
    }
    if let violation = deferredFanOuts.invariantViolation(accounts: ids, isLive: names.accounts.isLive) {
      return "deferred fan-outs: \(violation)"
    }
    if let violation = deferredBlocks.invariantViolation(accounts: ids, isLive: names.accounts.isLive) {
      return "deferred blocks: \(violation)"
    }
    guard sharedReceipts >= 0, sharedReceipts <= consecutiveReceipts else {
      return "shared receipts outnumber receipts"
    }
    guard handedOn >= 0, handedOn <= payoutPairs else { return "sums handed on outnumber the payments counted" }
    guard variedPayeeRepeats >= 0, variedPayeeRepeats <= payeeRepeats else {
      return "varied repeats to one payee outnumber the repeats counted"
    }
    guard squarePayments >= 0, squareCounts.count == Self.maxBlockReceivers, squareCounts.allSatisfy({ $0 >= 0 })
    else { return "the counts of squares are malformed" }
    guard fanLists.dropped.isEmpty else { return "payments left the fan lists unread" }
    for a in recent.lists.indices where a < fanLists.lists.count {
      for payment in recent.live(into: Int32(a)) {
        guard let f = fanLists.index(of: payment.seq, into: Int32(a)) else { continue }
        guard fanLists.lists[a][f].withheld == payment.withheld, fanLists.lists[a][f].counted == payment.counted else {
          return "payment \(payment.seq) withheld or counted in one list of account \(a) and not in the other"
        }
      }
    }
    return recent.invariantViolation(names: names) ?? heldInto.invariantViolation(names: names)
      ?? heldFrom.invariantViolation(names: names) ?? habits.invariantViolation(names: names)
      ?? background.invariantViolation()
      ?? withheld.invariantViolation().map { "withheld: \($0)" }
      ?? (background.covers(withheld) ? nil : "the withheld amounts count payments the background does not")
  }

  // MARK: Arithmetic

  /// log₁₀ of the binomial coefficient C(m, n).
  static func log10Binomial(_ m: Int, _ n: Int) -> Double {
    guard n > 0, n < m else { return 0 }
    return (lgamma(Double(m + 1)) - lgamma(Double(n + 1)) - lgamma(Double(m - n + 1))) / log(10)
  }

  /// `value` micro-units as an `Int64`, clamped to the representable range
  /// (a range around an amount near `Int64.max` must not trap).
  static func micros(_ value: Double) -> Int64 {
    value >= 9.2e18 ? .max : value <= 0 ? 0 : Int64(value)
  }

  /// An amount in micro-units as a decimal with two places.
  static func format(_ micros: Int64) -> String {
    String(format: "%.2f", Double(micros) / 1_000_000)
  }
}

extension IncrementalFlowCheck {
  /// Writes the kept payments, the held transfers and the amount backgrounds for a checkpoint.
  func write(to writer: inout StateWriter) {
    recent.write(to: &writer)
    heldInto.write(to: &writer)
    heldFrom.write(to: &writer)
    background.write(to: &writer)
    withheld.write(to: &writer)
    habits.write(to: &writer)
    fanLists.write(to: &writer)
    receipts.write(to: &writer)
    writer.write(consecutiveReceipts)
    writer.write(sharedReceipts)
    writer.write(firstPayment)
    payouts.write(to: &writer)
    writer.write(gatherWindows)
    writer.write(windowCounted)
    writer.write(payoutPairs)
    writer.write(handedOn)
    writer.write(payeeRepeats)
    writer.write(variedPayeeRepeats)
    writer.write(squarePayments)
    writer.write(squareCounts)
    deferredFanIns.write(to: &writer)
    deferredFanOuts.write(to: &writer)
    deferredBlocks.write(to: &writer)
  }

  /// Restores the state written by ``write(to:)``.
  init(configuration: PrefilterConfiguration, from reader: inout StateReader) throws(StateReaderError) {
    self.init(configuration: configuration)
    recent = try RecentPayments(window: relayWindow, from: &reader)
    heldInto = try HeldTransfers(window: linkWindow, capacity: 2 * thresholds.fanLimit, from: &reader)
    heldFrom = try HeldTransfers(window: linkWindow, capacity: 2 * thresholds.fanLimit, from: &reader)
    background = try PaymentAmountBackground(days: thresholds.backgroundDays, from: &reader)
    withheld = try PaymentAmountBackground(days: thresholds.backgroundDays, from: &reader)
    habits = try PayerHabits(from: &reader)
    fanLists = try RecentPayments(
      window: fanWindow, capacity: thresholds.fanMaxRead, collectsDropped: true, from: &reader)
    receipts = try PayeeHabits(tolerance: thresholds.fanTolerance, from: &reader)
    consecutiveReceipts = try reader.read(Int.self)
    sharedReceipts = try reader.read(Int.self)
    firstPayment = try reader.read(Int64.self)
    payouts = try RecentPayments(window: max(relayWindow, fanWindow), capacity: thresholds.fanMaxRead, from: &reader)
    gatherWindows = try reader.read(Int.self)
    windowCounted = try reader.readArray(Int64.self)
    payoutPairs = try reader.read(Int.self)
    handedOn = try reader.read(Int.self)
    payeeRepeats = try reader.read(Int.self)
    variedPayeeRepeats = try reader.read(Int.self)
    squarePayments = try reader.read(Int.self)
    squareCounts = try reader.readArray(Int.self)
    deferredFanIns = try DeferredFans(from: &reader)
    deferredFanOuts = try DeferredFans(from: &reader)
    deferredBlocks = try DeferredBlocks(from: &reader)
    let ids = min(fanLists.lists.count, payouts.lists.count, recent.lists.count)
    for fans in [deferredFanIns, deferredFanOuts] {
      guard fans.invariantViolation(accounts: ids, isLive: { _ in true }) == nil else { throw .malformed }
    }
    guard deferredBlocks.invariantViolation(accounts: ids, isLive: { _ in true }) == nil else { throw .malformed }
    guard deferredFanIns.waiting.values.allSatisfy({ !$0.senderChances.isEmpty && $0.read == .init() }),
      deferredFanOuts.waiting.values.allSatisfy(\.senderChances.isEmpty)
    else { throw .malformed }
    guard sharedReceipts >= 0, sharedReceipts <= consecutiveReceipts, gatherWindows >= 0,
      handedOn >= 0, handedOn <= payoutPairs, variedPayeeRepeats >= 0, variedPayeeRepeats <= payeeRepeats,
      squarePayments >= 0,
      squareCounts.count == Self.maxBlockReceivers, squareCounts.allSatisfy({ $0 >= 0 }),
      windowCounted.count <= recent.lists.count
    else { throw .malformed }
    // Withheld amounts the background does not hold would make amounts look rarer than any stream could.
    guard background.covers(withheld) else { throw .malformed }
  }
}
