import SignalGraph
import Testing

@testable import InlinePrefilter

/// ``IncrementalFlowCheck/linkBack(at:names:into:)``
/// (`IncrementalFlowCheck+LinkBack.swift`): once a structure is held, the
/// payments it made before it was caught that link to it are revoked (an
/// earlier payment of its sum into one of its accounts; an outside account
/// paying several of its accounts its sum, a stack's layer), while an
/// outsider paying its own habitual sum, and the accounts' other business,
/// are not.
@Suite("Prefilter link back")
struct PrefilterLinkBackTests {
  let t0: Int64 = 1_767_225_600
  let day: Int64 = 86_400

  func pay(_ s: String, _ d: String, _ cents: Int64, _ t: Int64) -> SignalEvent {
    .payment(id: "p", source: s, target: d, amount: Amount(micros: cents * 10_000), time: t0 + t)
  }

  /// Sixty days of 300 accounts (`acct0`…) each paying another every three
  /// days about: the first 240 each its own sum between 100.00 and 600.00
  /// (as AMLSim's accounts do), the others a new sum between 600.00 and
  /// 900.00 each time (shoppers), or their own sum too when not `shoppers`;
  /// `planted` interleaved by time. Returns every decision, and the
  /// positions of the planted events' among them.
  func decide(_ planted: [SignalEvent], shoppers: Bool) -> (decisions: [Decision], planted: [Int]) {
    var state: UInt64 = 17
    func next() -> Int64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(state >> 33)
    }
    let accounts: Int64 = 300
    var events: [(event: SignalEvent, planted: Bool)] = []
    var t: Int64 = 0
    while t < 60 * day {
      for a in 0..<accounts {
        t += 3 * day / accounts
        let to = (a + 1 + next() % (accounts - 1)) % accounts
        let cents = shoppers && a >= 240 ? 60_000 + next() % 30_000 : 10_000 + a * 30_011 % 50_000
        events.append((pay("acct\(a)", "acct\(to)", cents, t), false))
      }
    }
    events += planted.map { ($0, true) }
    events.sort { $0.event.time < $1.event.time }
    var f = Prefilter()
    let decisions = events.map { f.decide($0.event) }
    #expect(f.invariantViolation() == nil)
    return (decisions, events.indices.filter { events[$0].planted })
  }

  let senders = ["acct7", "acct19", "acct23", "acct42"]
  let receivers = ["acct101", "acct150", "acct200", "acct230"]

  /// A gather-scatter the pre-filter holds at its last payment (as in
  /// `PrefilterGatherScatterTests`): four senders pay `hub` `gathered` on
  /// day 50, an hour apart, and it pays four receivers `scattered` from day
  /// 52, half a day apart.
  func gatherScatter(_ gathered: [Int64], _ scattered: [Int64]) -> [SignalEvent] {
    zip(senders, gathered).enumerated().map { pay($1.0, "hub", $1.1, 50 * day + Int64($0) * 3_600) }
      + zip(receivers, scattered).enumerated().map { pay("hub", $1.0, $1.1, 52 * day + Int64($0) * day / 2) }
  }

  /// 777.77 about in, 740.00 about out: sums only the shoppers pay.
  var structure: [SignalEvent] { gatherScatter([77_777, 78_120, 77_010, 78_300], [74_000, 73_650, 74_420, 73_730]) }

  /// The decisions on `before` and on the structure's last payment, which
  /// holds it, and on the world's payments; none of which any planted
  /// payment's decision revokes.
  func decide(_ before: [SignalEvent], shoppers: Bool = true) -> (
    before: [Decision], held: Decision, background: [Decision]
  ) {
    let (decisions, positions) = decide(before + structure, shoppers: shoppers)
    let mine = positions.map { decisions[$0] }
    let planted = Set(mine.map(\.seq))
    #expect(mine.allSatisfy { $0.revocations.allSatisfy { planted.contains($0.seq) } })
    let others = Set(decisions.indices).subtracting(positions).map { decisions[$0] }
    // `before` comes first in time: the planted decisions begin with it.
    return (Array(mine[..<before.count]), mine.last!, others)
  }

  @Test func anOutsiderPayingSeveralOfAStructuresAccountsItsSumIsRevokedByTheTimeItIsHeld() {
    // Another payer of the layer the hub pays: three receivers, 745.00
    // about, days before. With the hub, a bipartite block (two payers
    // paying the same receivers one new sum), held once the hub has paid
    // two of them; the third joins the structure when it is held.
    let layer = zip(receivers.prefix(3), [74_500, 74_630, 74_820] as [Int64]).enumerated().map {
      pay("acct60", $1.0, $1.1, 46 * day + Int64($0) * 3_600)
    }
    let (decisions, positions) = decide(layer + structure, shoppers: true)
    let mine = positions.map { decisions[$0] }
    #expect(mine.prefix(layer.count).allSatisfy { $0.verdict == .admit })
    #expect(mine.last?.verdict == .hold)
    var revoked: [Int: String] = [:]
    for decision in mine {
      for revocation in decision.revocations where revoked[revocation.seq] == nil {
        revoked[revocation.seq] = revocation.reasons.first ?? ""
      }
    }
    for payment in mine.prefix(layer.count) {
      let reason = revoked[payment.seq] ?? "not revoked"
      #expect(
        reason.hasPrefix("bipartite: hub and acct60 both paid ") || reason.hasPrefix("joined: acct60 paid "),
        "\(reason)")
    }
    // The accounts' own business, and everyone else's, stays admitted.
    let planted = Set(mine.map(\.seq))
    let others = Set(decisions.indices).subtracting(positions).map { decisions[$0] }
    #expect(others.allSatisfy { $0.verdict == .admit && $0.revocations.allSatisfy { !planted.contains($0.seq) } })
  }

  @Test func anEarlierPaymentOfTheStructuresSumIntoOneOfItsAccountsIsRevoked() {
    // Another account paid a receiver the sum the hub pays it, days before.
    let earlier = [pay("acct61", "acct101", 73_900, 45 * day)]
    let (before, held, background) = decide(earlier, shoppers: false)
    #expect(before.first?.verdict == .admit)
    let reason = held.revocations.first { $0.seq == before.first?.seq }?.reasons.first ?? "not revoked"
    #expect(reason.hasPrefix("fan-in: acct61 paid acct101 739.00, as hub did in a transfer held"), "\(reason)")
    #expect(background.allSatisfy { $0.verdict == .admit && $0.revocations.isEmpty })
  }

  @Test func anOutsiderPayingItsOwnHabitualSumToAStructuresAccountsIsNotRevoked() {
    // acct60 pays 746.00 by habit: to five others over the month before.
    let habit = (0..<5).map { pay("acct60", "acct\(120 + $0)", 74_600, (10 + 6 * Int64($0)) * day) }
    let layer = receivers.prefix(3).enumerated().map { pay("acct60", $1, 74_600, 46 * day + Int64($0) * 3_600) }
    let (before, held, background) = decide(habit + layer)
    #expect(held.verdict == .hold)
    #expect(before.allSatisfy { $0.verdict == .admit })
    let seqs = Set(before.map(\.seq))
    #expect(!held.revocations.contains { seqs.contains($0.seq) }, "\(held.revocations.map(\.reasons))")
    #expect(background.allSatisfy { $0.verdict == .admit && $0.revocations.isEmpty })
  }

  @Test func anOutsiderPayingAStructuresAccountsAnotherSumIsNotRevoked() {
    // Three payments into the receivers, far from the structure's 740.00.
    let other = zip(receivers.prefix(3), [40_000, 40_100, 39_900] as [Int64]).enumerated().map {
      pay("acct60", $1.0, $1.1, 46 * day + Int64($0) * 3_600)
    }
    let (before, held, _) = decide(other)
    #expect(held.verdict == .hold)
    let seqs = Set(before.map(\.seq))
    #expect(!held.revocations.contains { seqs.contains($0.seq) }, "\(held.revocations.map(\.reasons))")
  }

  @Test func anOutsiderPaidSeveralOfAStructuresAccountsItsSumIsRevokedWhenItIsHeld() {
    // The receivers paid one account 740.00 about days before the hub paid
    // them (no square: no two of them paid another account alike).
    let paid = zip(receivers.prefix(3), [74_000, 74_100, 73_900] as [Int64]).enumerated().map {
      pay($1.0, "acct62", $1.1, 46 * day + Int64($0) * 3_600)
    }
    let (before, held, background) = decide(paid)
    #expect(before.allSatisfy { $0.verdict == .admit })
    let revoked = Dictionary(held.revocations.map { ($0.seq, $0.reasons.first ?? "") }) { a, _ in a }
    for payment in before {
      let reason = revoked[payment.seq] ?? "not revoked"
      #expect(reason.hasPrefix("joined: 3 accounts of a structure held ("), "\(reason)")
      #expect(reason.contains(") paid acct62 739.00–741.00 within 0.1 days"), "\(reason)")
    }
    #expect(background.allSatisfy { $0.verdict == .admit && $0.revocations.isEmpty })
  }

  @Test func anOutsiderPaidSeveralOfAStructuresAccountsItsSumIsRevokedBeforeItIsHeld() {
    // The senders paid one account 770.00 about days before they paid the
    // hub: they and the two accounts are a bipartite block of their own,
    // held when the second sender pays the hub, before the gather-scatter
    // is complete (the join the link-back would make, made earlier).
    let paid = zip(senders.prefix(3), [77_000, 77_120, 76_900] as [Int64]).enumerated().map {
      pay($1.0, "acct62", $1.1, 46 * day + Int64($0) * 3_600)
    }
    let (decisions, positions) = decide(paid + structure, shoppers: true)
    let mine = positions.map { decisions[$0] }
    #expect(mine.prefix(paid.count).allSatisfy { $0.verdict == .admit })
    var revoked: [Int: String] = [:]
    for decision in mine {
      for revocation in decision.revocations where revoked[revocation.seq] == nil {
        revoked[revocation.seq] = revocation.reasons.first ?? ""
      }
    }
    for payment in mine.prefix(2) {
      let reason = revoked[payment.seq] ?? "not revoked"
      #expect(reason.hasPrefix("bipartite: acct19 and acct7 both paid hub and acct62 "), "\(reason)")
    }
    // The third sender's, once it pays the hub too.
    #expect(revoked[mine[2].seq] != nil)
    let planted = Set(mine.map(\.seq))
    let others = Set(decisions.indices).subtracting(positions).map { decisions[$0] }
    #expect(others.allSatisfy { $0.verdict == .admit && $0.revocations.allSatisfy { !planted.contains($0.seq) } })
  }
}
