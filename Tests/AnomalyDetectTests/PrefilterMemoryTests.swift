import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter
@testable import SignalSynthesis

/// The pre-filter's memory is bounded by its window, not by the stream: a
/// stream of ever-new accounts and values runs in flat state, forgotten ids
/// are reused without handing their history on, and detection still works
/// after many generations of reused ids. (Debug builds also check, after
/// every daily sweep, that no state names a forgotten id:
/// `Prefilter+Invariants.swift`.)
@Suite("Prefilter memory")
struct PrefilterMemoryTests {
  let t0: Int64 = 1_767_225_600

  static func shortWindow() -> PrefilterConfiguration {
    var configuration = PrefilterConfiguration()
    configuration.windowDays = 2
    configuration.engagement.syncSeconds = 86_400
    return configuration  // idle after 3 days
  }

  @Test func stateStaysFlatOverAStreamOfEverNewAccounts() {
    let configuration = Self.shortWindow()
    var filter = Prefilter(configuration: configuration)
    var stream = ChurningEventStream(eventsPerDay: 2_000, cohortSize: 100, activeDays: 2, seed: 5)
    var held = 0, events = 0
    var footprints: [Int: PrefilterFootprint] = [:]
    while stream.day < 60 {
      let day = stream.day
      if filter.decide(stream.next()!).verdict == .hold { held += 1 }
      events += 1
      if stream.day != day { footprints[day] = filter.footprint }
    }
    // 6 000 accounts and thousands of bios and employers went through.
    #expect(stream.accountsSoFar == 6_000)
    let early = footprints[20]!, late = footprints[59]!
    // Remembered: the cohorts of the last idle period (3 days + 2 active days + the sweep's day) and the 50 stars.
    #expect(late.accounts <= 6 * 100 + 50, "\(late)")
    #expect(late.accountIdRange <= 7 * 100 + 50, "\(late)")
    #expect(late.profileValues <= 6 * 100 * 2, "\(late)")
    // Flat: day 59 holds no more than day 20, give or take a tenth.
    for (name, a, b) in [
      ("accounts", early.accounts, late.accounts), ("ids", early.accountIdRange, late.accountIdRange),
      ("values", early.profileValues, late.profileValues), ("endorsements", early.endorsements, late.endorsements),
      ("payments", early.payments, late.payments), ("rarity", early.rarityCounters, late.rarityCounters),
      ("bios", early.bios, late.bios),
    ] {
      #expect(Double(b) <= Double(a) * 1.1 + 10, "\(name): day 20 \(a), day 59 \(b)")
    }
    // Honest churn is not held.
    #expect(Double(held) < Double(events) * 0.001, "\(held) of \(events) held")
  }

  /// Out of timestamp order (shuffled 100 at a time), the state still stays
  /// flat, and a pre-filter checkpointed into a state file half-way (in
  /// rows, as `filter --state` and `serve` write it) and restored from it
  /// decides the rest exactly as the uninterrupted one, ending with the same footprint.
  @Test func anOutOfOrderChurnRestoredFromAStateFileDecidesAsTheUninterruptedOne() throws {
    let configuration = Self.shortWindow()
    var stream = ChurningEventStream(eventsPerDay: 2_000, cohortSize: 100, activeDays: 2, seed: 5)
    var ordered: [SignalEvent] = []
    while stream.day < 30 { ordered.append(stream.next()!) }
    let events = OutOfOrder.shuffled(ordered, window: 100, seed: 21)
    #expect(zip(events, events.dropFirst()).filter { $0.time > $1.time }.count > events.count / 10)
    var whole = Prefilter(configuration: configuration)
    var expected: [String] = []
    var footprints: [PrefilterFootprint] = []
    for (i, event) in events.enumerated() {
      expected.append(whole.decide(event).jsonLines)
      if i % 2_000 == 1_999 { footprints.append(whole.footprint) }
    }
    let early = footprints[10], late = footprints[footprints.count - 1]
    for (name, a, b) in [
      ("accounts", early.accounts, late.accounts), ("values", early.profileValues, late.profileValues),
      ("endorsements", early.endorsements, late.endorsements), ("rarity", early.rarityCounters, late.rarityCounters),
    ] {
      #expect(Double(b) <= Double(a) * 1.1 + 10, "\(name): day 10 \(a), day 29 \(b)")
    }

    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.path + "/state.sqlite"
    let cut = events.count / 2 + 17
    var first = Prefilter(configuration: configuration)
    var got = events[..<cut].map { first.decide($0).jsonLines }
    do {
      let log = try DecisionLog(path: path, settings: "memory test")
      try log.append(
        got.enumerated().map { ($0.offset, $0.element) }, decidedEvents: cut, inputDigest: 0, checkpointOf: first)
    }
    let log = try DecisionLog(path: path, settings: "memory test")
    guard case let .success(restored) = try log.restoredPrefilter(configuration: configuration) else {
      Issue.record("the checkpoint was not restored")
      return
    }
    var resumed = restored.filter
    #expect(resumed.nextSeq == cut && resumed.footprint == first.footprint)
    got += events[cut...].map { resumed.decide($0).jsonLines }
    #expect(got == expected)
    #expect(resumed.footprint == whole.footprint)
  }

  @Test func aReusedIdDoesNotInheritTheForgottenAccountsFlags() {
    var filter = Prefilter(configuration: Self.shortWindow())
    var t = t0
    // Background: 100 fans each follow a page of their own.
    for i in 0..<100 {
      t += 60
      _ = filter.decide(.interaction(source: "fan\(i)", target: "page\(i)", kind: "follow", time: t))
    }
    // A farm: 6 fakes endorse c1, c2 and c3 within minutes; the block is flagged.
    var flagged = false
    for i in 0..<6 {
      for c in ["c1", "c2", "c3"] {
        t += 60
        if filter.decide(.interaction(source: "fake\(i)", target: c, kind: "follow", time: t)).verdict == .hold {
          flagged = true
        }
      }
    }
    #expect(flagged)
    // Ten idle days later (other traffic moves time on), they are forgotten.
    for day in 1...10 {
      _ = filter.decide(
        .payment(id: "x", source: "bank", target: "shop", amount: Amount(micros: 1), time: t + Int64(day) * 86_400))
    }
    #expect(filter.footprint.accounts == 2)
    #expect(filter.footprint.endorsements == 0)
    let ids = filter.footprint.accountIdRange
    // New accounts reuse the farm's ids, and their endorsements of each other are admitted.
    var verdicts: [Decision.Verdict] = []
    let later = t + 11 * 86_400
    for i in 0..<6 {
      for c in ["n1", "n2"] {
        verdicts.append(
          filter.decide(.interaction(source: "new\(i)", target: c, kind: "like", time: later + Int64(i) * 86_400 / 2))
            .verdict)
      }
    }
    #expect(filter.footprint.accountIdRange == ids)
    #expect(verdicts.allSatisfy { $0 == .admit }, "\(verdicts)")
  }

  @Test func detectionStillWorksAfterManyGenerationsOfReusedIds() {
    var filter = Prefilter(configuration: Self.shortWindow())
    var stream = ChurningEventStream(eventsPerDay: 1_000, cohortSize: 80, activeDays: 2, seed: 9)
    while stream.day < 30 { _ = filter.decide(stream.next()!) }
    let now = stream.start + 30 * 86_400
    let range = filter.footprint.accountIdRange
    // A fast conserved ring among new accounts, on ids used by many before them.
    let hops = [("r1", "r2", 1_000), ("r2", "r3", 960), ("r3", "r1", 930)]
    var last: Decision?
    for (i, (s, d, units)) in hops.enumerated() {
      last = filter.decide(
        .payment(
          id: "r\(i)", source: s, target: d, amount: Amount(micros: Int64(units) * 1_000_000),
          time: now + Int64(i) * 600))
    }
    #expect(last?.verdict == .hold)
    #expect(last?.reasons.first?.hasPrefix("cycle: 3 payments r1→r2→r3→r1") == true, "\(last?.reasons ?? [])")
    #expect(last?.revocations.count == 2)
    // A template ring: four accounts set the same rare employer and phone within an hour.
    var ring: [Decision.Verdict] = []
    for i in 0..<4 {
      let time = now + 3_600 + Int64(i) * 300
      ring.append(
        filter.decide(.profileEdit(account: "tpl\(i)", field: "employer", value: "Vexa Growth Labs", time: time))
          .verdict)
      ring.append(
        filter.decide(.profileEdit(account: "tpl\(i)", field: "phone", value: "+1-555-0100", time: time + 30)).verdict)
    }
    #expect(ring.last == .hold)
    #expect(filter.footprint.accountIdRange <= range + 7)
  }
}

extension PrefilterMemoryTests {
  /// One event dated three years ahead (a broken clock) must not expire the
  /// whole state: the stream's clock moves at most a day per event.
  @Test func aFarFutureTimestampDoesNotWipeTheState() {
    var filter = Prefilter(configuration: Self.shortWindow())
    var stream = ChurningEventStream(eventsPerDay: 1_000, cohortSize: 80, activeDays: 2, seed: 9)
    while stream.day < 10 { _ = filter.decide(stream.next()!) }
    let before = filter.footprint
    let future = stream.start + 3 * 365 * 86_400
    _ = filter.decide(.payment(id: "x", source: "clock", target: "broken", amount: Amount(micros: 1), time: future))
    while stream.day < 20 { _ = filter.decide(stream.next()!) }
    let after = filter.footprint
    // Still a few days of cohorts remembered, and still flat, not wiped nor growing.
    // (With the clock jumping to the future event, endorsements drop to 1 and
    // accounts, payments and edits pile up, as nothing is swept any more.)
    for (name, a, b) in [
      ("accounts", before.accounts, after.accounts), ("payments", before.payments, after.payments),
      ("endorsements", before.endorsements, after.endorsements), ("edits", before.profileEdits, after.profileEdits),
    ] {
      #expect(Double(b) > Double(a) * 0.2 && Double(b) < Double(a) * 1.5, "\(name): \(a) → \(b)")
    }
  }

  /// An account liking one target all day keeps bounded state: the first
  /// endorsement and the latest ``IncrementalEngagementCheck/Edge/maxRepeats``
  /// repeats, oldest first.
  @Test func repeatsOfOneEdgeKeepTheLatestOnes() {
    var check = IncrementalEngagementCheck(configuration: PrefilterConfiguration())
    var table = WindowedInterner()
    for name in ["fan", "star"] { table.intern(name, at: 0) }
    let repeats = IncrementalEngagementCheck.Edge.maxRepeats + 36
    for seq in 0...repeats {
      _ = check.check(seq: seq, endorser: 0, target: 1, time: Int64(seq), now: Int64(seq), names: table)
    }
    let edge = check.edges[IncrementalEngagementCheck.edgeKey(0, 1)]
    #expect(edge?.seq == 0 && edge?.first == 0 && edge?.last == Int64(repeats))
    #expect(edge?.more == Array((repeats - IncrementalEngagementCheck.Edge.maxRepeats + 1)...repeats))
    #expect(check.edges.count == 1 && check.endorsersOf[1].count == 1)
  }

  /// Co-endorsement buckets round down before 1970 too: four shared
  /// endorsers around a bucket boundary at a negative time stay below five.
  @Test func pairBucketsRoundDownForNegativeTimes() {
    let window: Int64 = 1_000
    var pair = IncrementalEngagementCheck.Pair(time: -window - 10, window: window)
    for _ in 0..<3 { pair.bump(at: -window - 10, window: window) }
    pair.bump(at: -window + 10, window: window)
    #expect(pair.estimate(at: -window + 10, window: window) <= 4)
    #expect(IncrementalEngagementCheck.Pair.bucket(-1, window) == (-1, 999))
    #expect(IncrementalEngagementCheck.Pair.bucket(1_000, window) == (1, 0))
  }
}

@Suite("Pre-filter checkers forget released ids")
struct PrefilterForgetTests {
  let configuration = PrefilterConfiguration()

  func names(_ n: Int) -> WindowedInterner {
    var table = WindowedInterner()
    for i in 0..<n { table.intern("a\(i)", at: 0) }
    return table
  }

  @Test func engagementDropsEdgesPairsAndBlocksOfReleasedAccounts() {
    var check = IncrementalEngagementCheck(configuration: configuration)
    let table = names(209)
    // Background: 9...108 each endorse a target of their own, 109...208.
    var seq = 0, held = false
    for e in Int32(9)..<109 {
      _ = check.check(seq: seq, endorser: e, target: e + 100, time: Int64(seq), now: Int64(seq), names: table)
      seq += 1
    }
    // Endorsers 0...5 each endorse targets 6, 7 and 8: a block of three pairs.
    for e in Int32(0)...5 {
      for t in Int32(6)...8 {
        if !check.check(seq: seq, endorser: e, target: t, time: Int64(seq) * 60, now: Int64(seq) * 60, names: table)
          .holdReasons.isEmpty
        {
          held = true
        }
        seq += 1
      }
    }
    #expect(held)
    #expect(check.edges.count == 118 && check.pairs.count == 3 && check.partners.count == 3)
    #expect(check.activeEndorsers == 106)
    // Forget target 7: its edges, its two pairs and their flags go; 6's and 8's stay.
    var released = [Bool](repeating: false, count: 209)
    released[7] = true
    check.forget(ReleasedIds(accounts: released))
    #expect(check.edges.count == 112 && check.pairs.count == 1 && check.partners == [6: [8], 8: [6]])
    #expect(
      Array(check.targetsOf[0].live) == [6, 8] && check.endorsersOf[7].isEmpty && check.endorsersOf[6].count == 6)
    #expect(check.activeEndorsers == 106)
    // Forget the farm's endorsers: only the background is left.
    released = (0..<209).map { $0 < 6 }
    check.forget(ReleasedIds(accounts: released))
    #expect(check.edges.count == 100 && check.endorsersOf[6].isEmpty && check.activeEndorsers == 100)
  }

  @Test func flowsDropHeldTransfersToAndFromReleasedAccounts() {
    var check = IncrementalFlowCheck(configuration: configuration)
    let day: Int64 = 86_400
    check.keepAnchor(from: 0, to: 1, payments: 3, micros: 16_380_000, spread: 0, time: 0)
    check.keepAnchor(from: 2, to: 1, payments: 1, micros: 16_380_000, spread: 0, time: day)
    check.keepAnchor(from: 0, to: 3, payments: 2, micros: 5_000_000, spread: 0.1, time: day)
    #expect(check.heldInto.count == 3 && check.heldFrom.count == 3)
    // The payer 0's transfers go, into 1 and into 3; 2's into 1 stays.
    check.forget(ReleasedIds(accounts: [true, false, false, false]))
    #expect(check.heldInto.live(at: 1, now: day, besides: -1).map(\.counterpart) == [2] && check.heldInto.count == 1)
    #expect(check.heldFrom.live(at: 2, now: day, besides: -1).map(\.counterpart) == [1] && check.heldFrom.count == 1)
    // The payee 1's list goes with it.
    check.forget(ReleasedIds(accounts: [false, true, false, false]))
    #expect(check.heldInto.count == 0 && check.heldFrom.count == 0)
  }

  @Test func heldTransfersLeaveByTimeAndMergeASplitHeldAgain() {
    let day: Int64 = 86_400
    var held = HeldTransfers(window: 10 * day, capacity: 3)
    func transfer(_ counterpart: Int32, _ payments: Int32, at time: Int64) -> HeldTransfers.Transfer {
      .init(counterpart: counterpart, payments: payments, micros: 100, spread: 0, time: time)
    }
    held.add(transfer(5, 3, at: 0), at: 0, merging: day)
    held.add(transfer(5, 4, at: 600), at: 0, merging: day)  // the same split
    #expect(held.count == 1 && held.live(at: 0, now: 0, besides: -1).first?.payments == 4)
    for s in Int32(6)...9 { held.add(transfer(s, 1, at: 2 * day), at: 0, merging: day) }
    #expect(held.count == 3)  // the capacity: the latest kept
    #expect(held.live(at: 0, now: 2 * day, besides: 9).map(\.counterpart) == [7, 8])
    held.evict(now: 13 * day)
    #expect(held.count == 0)
  }

  @Test func cyclesDropPaymentsToAndFromReleasedAccounts() {
    var check = IncrementalCycleCheck(configuration: configuration)
    let table = names(3)
    _ = check.check(seq: 0, source: 0, target: 1, micros: 100, time: 0, now: 0, names: table)
    _ = check.check(seq: 1, source: 2, target: 1, micros: 100, time: 1, now: 1, names: table)
    _ = check.check(seq: 2, source: 1, target: 2, micros: 100, time: 2, now: 2, names: table)
    #expect(check.paymentsKept == 3)
    check.forget(ReleasedIds(accounts: [true, false, false]))
    #expect(check.paymentsKept == 2 && check.recent.live(into: 1).map(\.source) == [2])
    check.forget(ReleasedIds(accounts: [false, false, true]))
    #expect(check.paymentsKept == 0 && check.recent.live(into: 2).isEmpty)
  }

  @Test func profilesDropEditsFlagsAndCountsOfReleasedAccountsAndValues() {
    var check = IncrementalProfileCheck(configuration: configuration)
    let accounts = names(5)
    var fields = WindowedInterner(), values = WindowedInterner()
    let employer = fields.intern("employer", at: 0)
    let acme = values.intern("Acme", at: 0), other = values.intern("Other", at: 0)
    func key(_ v: Int32) -> UInt64 { UInt64(UInt32(employer)) << 32 | UInt64(UInt32(v)) }
    for a in Int32(0)..<4 {
      _ = check.check(
        seq: Int(a), account: a, key: key(acme), time: Int64(a), fields: fields, values: values, names: accounts)
    }
    _ = check.check(seq: 4, account: 4, key: key(other), time: 5, fields: fields, values: values, names: accounts)
    #expect(check.editsKept == 5 && check.rarityCountersKept == 5 && check.accountsPerKey[key(acme)] == 4)
    var gone = [Bool](repeating: false, count: 5)
    gone[0] = true
    check.forget(ReleasedIds(accounts: gone, values: [false, false], fields: [false]))
    #expect(check.editsKept == 4 && check.accountsPerKey[key(acme)] == 3 && check.byAccount[0] == nil)
    check.forget(ReleasedIds(accounts: nil, values: [true, false], fields: [false]))
    #expect(check.editsKept == 1 && check.accountsPerKey[key(acme)] == nil && check.byKey[key(acme)] == nil)
    #expect(check.rarityCountersKept == 1)
  }
}
