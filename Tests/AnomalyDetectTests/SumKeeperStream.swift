import SignalGraph
import Testing

@testable import InlinePrefilter

/// A payment stream built for the pre-filter's fan tests: forty days (or
/// more) of payments, a hundred a day, among 300 accounts (`acct0` to `acct299`) that each keep to a
/// sum of their own (100.00 to 600.00), as AMLSim's do, or are shoppers
/// paying a new sum in that range each time, with other payments
/// interleaved by time.
enum SumKeeperStream {
  static let t0: Int64 = 1_767_225_600
  static let day: Int64 = 86_400

  /// A payment of `cents` from `s` to `d`, `t` seconds into the stream.
  static func pay(_ s: String, _ d: String, _ cents: Int64, _ t: Int64) -> SignalEvent {
    .payment(id: "p", source: s, target: d, amount: Amount(micros: cents * 10_000), time: t0 + t)
  }

  /// The background (of sum-keepers, or of shoppers when `keepingSums` is
  /// false; with `wobbling`, each payment up to 1 % above the sum, as a wage
  /// with overtime or a bill varies) over `days` days with `extra`
  /// interleaved, sorted by time (ties keep the background first).
  static func events(
    with extra: [SignalEvent] = [], keepingSums: Bool = true, wobbling: Bool = false, days: Int64 = 40
  ) -> [SignalEvent] {
    var state: UInt64 = 11
    func next() -> Int64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(state >> 33)
    }
    var events: [(time: Int64, event: SignalEvent)] = []
    for i in Int64(0)..<100 * days {
      let t = i * day / 100
      let payer = next() % 300
      var payee = next() % 300
      if payee == payer { payee = (payee + 1) % 300 }
      var cents = keepingSums ? 10_000 + payer * 163 % 50_000 : 10_000 + next() % 50_000
      if wobbling { cents += next() % (cents / 100) }
      events.append((t, pay("acct\(payer)", "acct\(payee)", cents, t)))
    }
    for event in extra { events.append((time(event) - t0, event)) }
    return events.sorted { $0.time < $1.time }.map(\.event)
  }

  /// Sixty payers paying the same three friends their share of a bill
  /// each week for eight weeks, up to 1 % apart from one week to the next:
  /// an honest crowd that pays a payee again a sum that differs.
  static func friendsSplittingBills() -> [SignalEvent] {
    var bills: [SignalEvent] = []
    for payer in Int64(0)..<60 {
      let share = 20_000 + payer * 211
      for week in Int64(0)..<8 {
        for friend in Int64(0)..<3 {
          let t = week * 7 * day + payer * 600 + friend * 3_600
          let cents = share + (week * 37 + friend * 53) % (share / 100)
          bills.append(pay("payer\(payer)", "friend\(payer)_\(friend)", cents, t))
        }
      }
    }
    return bills
  }

  /// The time of a payment (0 for other events).
  static func time(_ event: SignalEvent) -> Int64 {
    guard case let .payment(_, _, _, _, time) = event else { return 0 }
    return time
  }
}

/// A suite that builds payments on ``SumKeeperStream``'s clock.
protocol SumKeeperSuite {}

extension SumKeeperSuite {
  /// A day, in seconds.
  var day: Int64 { SumKeeperStream.day }

  /// ``SumKeeperStream/pay(_:_:_:_:)``.
  func pay(_ s: String, _ d: String, _ cents: Int64, _ t: Int64) -> SignalEvent {
    SumKeeperStream.pay(s, d, cents, t)
  }

  /// A pre-filter that decided `events`.
  func decided(_ events: [SignalEvent]) -> Prefilter {
    var f = Prefilter()
    for event in events { _ = f.decide(event) }
    return f
  }

  /// Expects `decisions`, a structure's payments in order, admitted until
  /// the third or a later one completes it, that one held with the earlier
  /// ones revoked, for a reason starting `prefix(n)` (`n` the payments so
  /// far) and holding `detail`, and the later ones held, joining it.
  func expectHeldOnceComplete(
    _ decisions: [Decision], reason prefix: (Int) -> String, holding detail: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let first = decisions.firstIndex { $0.verdict == .hold }
    #expect(first != nil && first! >= 2, sourceLocation: sourceLocation)  // never fewer than three
    guard let first else { return }
    #expect(decisions[..<first].allSatisfy { $0.verdict == .admit }, sourceLocation: sourceLocation)
    #expect(
      decisions[first].revocations.map(\.seq) == decisions[..<first].map(\.seq), sourceLocation: sourceLocation)
    let reason = decisions[first].reasons.first ?? ""
    #expect(reason.hasPrefix(prefix(first + 1)), "\(reason)", sourceLocation: sourceLocation)
    #expect(reason.contains(detail), "\(reason)", sourceLocation: sourceLocation)
    #expect(decisions[(first + 1)...].allSatisfy { $0.verdict == .hold }, sourceLocation: sourceLocation)
  }

  /// `payers` (two newcomers unless named) each paying every one of
  /// `receivers` `cents` (1 % apart from
  /// one payment to the next), one payment every two hours from day `start` on.
  func layer(_ payers: [String] = ["newA", "newB"], to receivers: [String], cents: Int64 = 77_777, start: Int64)
    -> [SignalEvent]
  {
    var events: [SignalEvent] = []
    for (r, receiver) in receivers.enumerated() {
      for (p, payer) in payers.enumerated() {
        let n = Int64(r * payers.count + p)
        events.append(pay(payer, receiver, cents + cents * (n % 3 - 1) / 100, start * day + n * 7_200))
      }
    }
    return events
  }

  /// Decides the sum-keepers' background (`wobbling` or not) over 130 days
  /// with `extra` interleaved; returns the decision of each payment of `watched` and the
  /// revocations each decision made, with its time.
  func decide(_ extra: [SignalEvent], watching watched: [SignalEvent], wobbling: Bool = false) -> (
    decisions: [Decision], revocations: [(time: Int64, revocation: Decision)], filter: Prefilter
  ) {
    var f = Prefilter()
    var decisions: [Decision] = []
    var revocations: [(Int64, Decision)] = []
    for event in SumKeeperStream.events(with: extra, wobbling: wobbling, days: 130) {
      let decision = f.decide(event)
      if watched.contains(event) { decisions.append(decision) }
      for r in decision.revocations { revocations.append((SumKeeperStream.time(event) - SumKeeperStream.t0, r)) }
    }
    return (decisions, revocations, f)
  }

  /// Decides `events` with `f` after the first two, and with a copy
  /// restored from `f`'s checkpoint taken there: expects the copy
  /// consistent and deciding as `f` does; returns the copy's decisions.
  func decidedAcrossACheckpoint(
    _ f: inout Prefilter, _ events: [SignalEvent], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [Decision] {
    for event in events.prefix(2) { _ = f.decide(event) }
    var restored = try Prefilter(configuration: f.configuration, checkpoint: f.checkpoint())
    #expect(restored.invariantViolation() == nil, sourceLocation: sourceLocation)
    let rest = events.dropFirst(2).map { restored.decide($0) }
    #expect(rest == events.dropFirst(2).map { f.decide($0) }, sourceLocation: sourceLocation)
    return rest
  }
}
