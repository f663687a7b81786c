import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import Evaluation
@testable import InlinePrefilter
@testable import SignalSynthesis

@Suite("Prefilter")
struct PrefilterTests {
  let t0: Int64 = 1_767_225_600

  func pay(_ s: String, _ d: String, _ units: Int64, _ t: Int64) -> SignalEvent {
    .payment(id: "p", source: s, target: d, amount: Amount(micros: units * 1_000_000), time: t0 + t)
  }

  @Test func conservedFastCycleIsHeldAndItsEarlierHopsRevoked() {
    var f = Prefilter()
    #expect(f.decide(pay("a", "b", 1_000, 0)).verdict == .admit)
    #expect(f.decide(pay("b", "c", 950, 1_800)).verdict == .admit)
    #expect(f.decide(pay("x", "y", 5, 1_900)).verdict == .admit)
    let close = f.decide(pay("c", "a", 900, 3_600))
    #expect(close.verdict == .hold)
    #expect(close.reasons.first?.hasPrefix("cycle: 3 payments a→b→c→a") == true)
    #expect(close.revocations.map(\.seq) == [0, 1])
    #expect(close.revocations.allSatisfy { $0.verdict == .revoke })
  }

  /// A refund or a repaid loan goes round once and is admitted; money passed
  /// back and forth goes round again, and its second round trip is held
  /// with every earlier payment of the pair revoked.
  @Test func moneyPaidBackIsAdmittedOnceButNotBackAndForth() {
    var f = Prefilter()
    #expect(f.decide(pay("shopper", "store", 80, 0)).verdict == .admit)
    #expect(f.decide(pay("store", "shopper", 80, 3_600)).verdict == .admit)  // a refund
    let out1 = f.decide(pay("a", "b", 1_000, 0))
    let back1 = f.decide(pay("b", "a", 990, 1_800))
    let out2 = f.decide(pay("a", "b", 980, 3_600))
    #expect([out1, back1, out2].allSatisfy { $0.verdict == .admit })
    let back2 = f.decide(pay("b", "a", 970, 5_400))
    #expect(back2.verdict == .hold)
    #expect(back2.reasons.first?.hasPrefix("cycle: 2 payments a→b→a") == true)
    #expect(back2.revocations.map(\.seq) == [out1.seq, back1.seq, out2.seq])
  }

  /// A hub paying three accounts that each pay most of it back within
  /// hours (gather-scatter): the second return is held, and the first round
  /// trip revoked with it; two unrelated refunds by one store are not a hub.
  @Test func aHubPaidBackByTwoAccountsIsHeld() {
    var f = Prefilter()
    let out = ["m1", "m2", "m3"].enumerated().map { f.decide(pay("hub", $1, 4_000 + Int64($0) * 100, Int64($0) * 60)) }
    #expect(out.allSatisfy { $0.verdict == .admit })
    let back1 = f.decide(pay("m1", "hub", 3_900, 3_600))
    #expect(back1.verdict == .admit)
    let back2 = f.decide(pay("m2", "hub", 3_950, 7_200))
    #expect(back2.verdict == .hold)
    #expect(Set(back2.revocations.map(\.seq)) == [out[0].seq, out[1].seq, back1.seq])
    #expect(f.decide(pay("m3", "hub", 4_100, 9_000)).verdict == .hold)
    // A store refunds two different customers the same day: it paid them, they never paid it back.
    #expect(f.decide(pay("ann", "store", 50, 0)).verdict == .admit)
    #expect(f.decide(pay("store", "ann", 50, 600)).verdict == .admit)
    #expect(f.decide(pay("bob", "store", 70, 700)).verdict == .admit)
    #expect(f.decide(pay("store", "bob", 70, 900)).verdict == .admit)
  }

  @Test func slowOrNonConservingCyclesAreAdmitted() {
    var f = Prefilter()
    // Roommates: days between hops.
    _ = f.decide(pay("a", "b", 300, 0))
    _ = f.decide(pay("b", "c", 290, 2 * 86_400))
    #expect(f.decide(pay("c", "a", 280, 4 * 86_400)).verdict == .admit)
    // Fast, but the amounts are unrelated.
    _ = f.decide(pay("d", "e", 1_000, 0))
    _ = f.decide(pay("e", "f", 200, 600))
    #expect(f.decide(pay("f", "d", 190, 1_200)).verdict == .admit)
  }

  @Test func denseSynchronousBlockIsHeldAndRevokedButCelebritiesAreNot() {
    var f = Prefilter()
    var t: Int64 = 0
    // Background: 300 fans follow both celebrities.
    for i in 0..<300 {
      for star in ["star1", "star2"] {
        t += 10
        #expect(f.decide(.interaction(source: "fan\(i)", target: star, kind: "follow", time: t0 + t)).verdict == .admit)
      }
    }
    // A farm: fakes follow c1, c2, then c3.
    var decisions: [Decision] = []
    for i in 0..<8 {
      for c in ["c1", "c2", "c3"] {
        t += 60
        decisions.append(f.decide(.interaction(source: "fake\(i)", target: c, kind: "follow", time: t0 + t)))
      }
    }
    // fake4 → c2 makes (c1, c2) dense, but only four of its five also endorse c3 yet.
    #expect(decisions[0..<14].allSatisfy { $0.verdict == .admit })
    let flagged = decisions[14]  // fake4 → c3: five accounts move together on three customers
    #expect(flagged.verdict == .hold)
    #expect(flagged.reasons.first?.contains("5 accounts endorse c3, c1 and c2") == true, "\(flagged.reasons)")
    #expect(flagged.revocations.count == 14)
    #expect(decisions[15].verdict == .admit)  // fake5 → c1: not yet in the block
    #expect(decisions[16].verdict == .hold && decisions[16].revocations.map(\.seq) == [decisions[15].seq])
    // A repeat like on a flagged edge is held too.
    #expect(f.decide(.interaction(source: "fake0", target: "c1", kind: "like", time: t0 + t + 5)).verdict == .hold)
  }

  /// Three modestly popular accounts that gain a shared fan every five days
  /// for 100 days: never more than two within the 10-day window, so never a
  /// block (a lifetime count would pass five after 25 days); a burst of six
  /// shared fans in a day still is.
  @Test func coEndorsementsAreCountedOverTheWindowNotTheStreamsLifetime() {
    var configuration = PrefilterConfiguration()
    configuration.windowDays = 10
    var f = Prefilter(configuration: configuration)
    var verdicts: [Decision.Verdict] = []
    for day in stride(from: 0, to: 100, by: 5) {
      let t = t0 + Int64(day) * 86_400
      // Background: 200 accounts keep endorsing pages of their own.
      for i in 0..<200 {
        _ = f.decide(.interaction(source: "bg\(i)", target: "page\(i)", kind: "like", time: t + Int64(i)))
      }
      for target in ["A", "B", "C"] {
        verdicts.append(
          f.decide(.interaction(source: "fan\(day)", target: target, kind: "follow", time: t + 3_600)).verdict)
      }
    }
    #expect(verdicts.allSatisfy { $0 == .admit })
    let burst = t0 + 101 * 86_400
    var held = false
    for i in 0..<6 {
      for target in ["A", "B", "C"]
      where f.decide(.interaction(source: "burst\(i)", target: target, kind: "follow", time: burst + Int64(i) * 60))
        .verdict == .hold
      {
        held = true
      }
    }
    #expect(held)
  }

  @Test func templateRingIsHeldButHouseholdsAreNot() {
    var f = Prefilter()
    var seqs: [Int] = []
    var decisions: [Decision] = []
    for i in 0..<5 {
      let t = t0 + Int64(i) * 300
      decisions.append(
        f.decide(
          .profileEdit(
            account: "fake\(i)", field: "bio", value: "Passionate growth strategist, DM for collabs \(i)", time: t)))
      decisions.append(
        f.decide(.profileEdit(account: "fake\(i)", field: "employer", value: "Quantix Global Partners", time: t + 60)))
    }
    seqs = decisions.map(\.seq)
    #expect(decisions[0..<7].allSatisfy { $0.verdict == .admit })
    let ring = decisions[7]  // the fourth account sets the employer
    #expect(ring.verdict == .hold)
    #expect(
      ring.reasons.first?.hasPrefix(
        "profile-ring: 4 accounts set employer \"Quantix Global Partners\" and near-duplicate bios") == true,
      "\(ring.reasons)")
    #expect(ring.revocations.map(\.seq) == Array(seqs[0..<7]))
    #expect(decisions[8].verdict == .hold && decisions[9].verdict == .hold)
    // A household sets its address and home phone days apart: admitted.
    var g = Prefilter()
    for i in 0..<5 {
      let t = t0 + Int64(i) * 3 * 86_400
      #expect(g.decide(.profileEdit(account: "m\(i)", field: "address", value: "5 Elm St", time: t)).verdict == .admit)
      #expect(
        g.decide(.profileEdit(account: "m\(i)", field: "phone", value: "+1-555", time: t + 3_600)).verdict == .admit)
    }
  }

  @Test func malformedLinesGetAnErrorAndTheStreamGoesOn() {
    var f = Prefilter()
    let ok = Array(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1}"#.utf8)
    #expect(f.decide(line: ok).jsonLines == "{\"seq\":0,\"decision\":\"admit\"}\n")
    let bad = f.decide(line: Array(#"{"type":"interaction","src":"a"}"#.utf8))
    #expect(bad.jsonLines == "{\"seq\":1,\"decision\":\"error\",\"reasons\":[\"line 2: missing field \\\"dst\\\"\"]}\n")
    #expect(f.decide(line: ok).seq == 2)
  }

  @Test func decisionReasonsAreEscapedAsJSON() throws {
    // A reason may quote input text (a profile value, an id) with quotes and
    // control characters in it; the line must stay one valid JSON object.
    let reason = "profile \"a\nb\"\t\\ \u{1}"
    let line = Decision(seq: 3, verdict: .hold, reasons: [reason]).jsonLine
    #expect(line == #"{"seq":3,"decision":"hold","reasons":["profile \"a\u000ab\"\u0009\\ \u0001"]}"#)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["reasons"] as? [String] == [reason])
  }
}

@Suite("Prefilter on a synthetic stream")
struct PrefilterStreamTests {
  /// The tiny synthetic stream's lines, with a malformed one at 100; with
  /// `outOfOrder`, shuffled 50 at a time, so that events arrive out of
  /// timestamp order.
  static func tinyStream(outOfOrder: Bool = false) throws -> (TemporaryDirectory, [[UInt8]]) {
    let dir = try TemporaryDirectory()
    _ = try SyntheticSignalSet(scale: .tiny, seed: 11).write(to: URL(fileURLWithPath: dir.path), stream: true)
    let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/events.ndjson"))
    var lines = data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
    lines.insert(Array("{not json".utf8), at: 100)
    return (dir, outOfOrder ? OutOfOrder.shuffled(lines, window: 50, seed: 13) : lines)
  }

  static func run(
    _ lines: ArraySlice<[UInt8]>, state: String?, batch: Int = 50, commitLast: Bool = true,
    checkpointEvery: Int = 1_000_000
  ) throws -> [String] {
    var session = try FilterSession(statePath: state, checkpointEvery: checkpointEvery)
    var out: [String] = []
    for (i, line) in lines.enumerated() {
      out.append(contentsOf: try session.feed(line).split(separator: "\n").map(String.init))
      if i % batch == batch - 1 { try session.commit() }
    }
    if commitLast { try session.commit() }
    return out
  }

  /// Kill and restart at several points, restarting by replay from the
  /// start (no checkpoint yet) and from a checkpoint every 300 events, with
  /// the events in timestamp order and out of it.
  @Test(arguments: [1_000_000, 300], [false, true])
  func killAndResumeGivesTheUninterruptedOutput(checkpointEvery: Int, outOfOrder: Bool) throws {
    let (dir, lines) = try Self.tinyStream(outOfOrder: outOfOrder)
    defer { dir.remove() }
    let whole = try Self.run(lines[...], state: nil)
    #expect(whole.contains { $0.contains("\"decision\":\"hold\"") }, "no hold")
    #expect(whole.contains { $0.contains("\"decision\":\"revoke\"") })
    #expect(whole.contains { $0.contains("\"decision\":\"error\",\"reasons\":[\"line ") })
    if !outOfOrder {
      #expect(
        whole.contains(
          "{\"seq\":100,\"decision\":\"error\",\"reasons\":[\"line 101: expected a key string, found 'n' at column 2\"]}"
        ))
    }
    for cut in [1, 777, lines.count / 2] {
      let state = dir.path + "/state-\(cut).sqlite"
      // The first run dies after emitting its last, uncommitted batch.
      let first = try Self.run(
        lines[..<cut], state: state, batch: 64, commitLast: false, checkpointEvery: checkpointEvery)
      let second = try Self.run(lines[...], state: state, checkpointEvery: checkpointEvery)
      #expect(Set(first + second) == Set(whole))
      #expect(second.count <= whole.count)
      var verdict: [String: String] = [:]
      for line in first + second {
        let seq = line.split(separator: ",")[0], decision = line.split(separator: ",")[1]
        let key = seq + (decision.contains("revoke") ? "r" : "")
        #expect(verdict[String(key)] == nil || verdict[String(key)] == String(decision))
        verdict[String(key)] = String(decision)
      }
      // Restarting a finished run emits nothing, and starts from a checkpoint when there is one.
      #expect(try Self.run(lines[...], state: state, checkpointEvery: checkpointEvery).isEmpty)
      let restarted = try FilterSession(statePath: state, checkpointEvery: checkpointEvery)
      #expect(restarted.checkpointProblem == nil)
      #expect(
        checkpointEvery > lines.count
          ? restarted.restoredEvents == 0 : restarted.restoredEvents >= lines.count - 64 - checkpointEvery)
    }
  }

  @Test func aStateFileRefusesAnotherInput() throws {
    let (dir, lines) = try Self.tinyStream()
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    _ = try Self.run(lines[..<500], state: state)
    #expect(throws: FilterSessionError.self) { try Self.run(lines[1...], state: state) }
  }

  @Test func qualityOnTheTinyStream() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    _ = try SyntheticSignalSet(scale: .tiny, seed: 11).write(to: URL(fileURLWithPath: dir.path), stream: true)
    let q = try PrefilterEvaluation(directory: dir.path)
    #expect(q.errors == 0 && q.fraud > 0 && q.buyers > 0)
    #expect(q.honestWithheldShare <= 0.01)
    #expect(q.fraudWithheldShare >= 0.8)
    #expect(q.inflationCut >= 0.8)
  }
}
