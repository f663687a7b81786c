import Foundation
@_spi(Checkpoint) import SignalGraph
import SplitMix
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter
@testable import SignalSynthesis

/// A pre-filter restored from a checkpoint decides every later event exactly
/// as the one that was never stopped.
@Suite("Prefilter checkpoints")
struct PrefilterCheckpointTests {
  /// Decision lines (with revocations) of `events`.
  static func lines(_ filter: inout Prefilter, _ events: ArraySlice<SignalEvent>) -> [String] {
    events.map { filter.decide($0).jsonLines }
  }

  static func churn(days: Int) -> [SignalEvent] {
    var stream = ChurningEventStream(eventsPerDay: 800, cohortSize: 60, activeDays: 2, seed: 4)
    var events: [SignalEvent] = []
    while stream.day < days { events.append(stream.next()!) }
    // Some fraud to hold and revoke: a farm and a ring on the last days.
    let t = events.last!.time
    for i in 0..<6 {
      for c in ["c1", "c2", "c3"] {
        events.append(.interaction(source: "fake\(i)", target: c, kind: "follow", time: t + Int64(i * 60)))
      }
    }
    for (i, (s, d, units)) in [("r1", "r2", 1_000), ("r2", "r3", 950), ("r3", "r1", 910)].enumerated() {
      events.append(
        .payment(
          id: "r\(i)", source: s, target: d, amount: Amount(micros: Int64(units) * 1_000_000),
          time: t + 600 + Int64(i) * 600))
    }
    return events
  }

  static func configuration() -> PrefilterConfiguration {
    var configuration = PrefilterConfiguration()
    configuration.windowDays = 2
    configuration.engagement.syncSeconds = 86_400
    return configuration
  }

  /// The churn stream, or with its events out of timestamp order (shuffled 40 at a time).
  static func events(days: Int, outOfOrder: Bool) -> [SignalEvent] {
    let events = churn(days: days)
    return outOfOrder ? OutOfOrder.shuffled(events, window: 40, seed: 9) : events
  }

  @Test(arguments: [false, true])
  func aRestoredFilterDecidesTheRestExactlyAsTheUninterruptedOne(outOfOrder: Bool) throws {
    let events = Self.events(days: 20, outOfOrder: outOfOrder)
    if outOfOrder { #expect(zip(events, events.dropFirst()).contains { $0.time > $1.time }) }
    let configuration = Self.configuration()
    var whole = Prefilter(configuration: configuration)
    let expected = Self.lines(&whole, events[...])
    #expect(expected.contains { $0.contains("\"hold\"") } && expected.contains { $0.contains("\"revoke\"") })
    // Cuts before any sweep, after many (ids forgotten and reused), and just before the end.
    for cut in [5, 7_000, 12_345, events.count - 4] {
      var first = Prefilter(configuration: configuration)
      var got = Self.lines(&first, events[..<cut])
      let saved = first.checkpoint()
      var resumed = try Prefilter(configuration: configuration, checkpoint: saved)
      #expect(resumed.nextSeq == cut)
      #expect(resumed.footprint == first.footprint)
      // The same state written in chunks of 4 093 bytes and read one chunk at a
      // time (the same bytes but for the padding inside records, which is not read).
      let chunks = Self.chunks(first, chunkBytes: 4_093)
      #expect(chunks.reduce(0) { $0 + $1.count } == saved.count)
      var fromChunks = try Prefilter(
        configuration: configuration, checkpoint: StateChunks(count: chunks.count) { chunks[$0] })
      got += Self.lines(&resumed, events[cut...])
      #expect(got == expected, "cut at \(cut)")
      #expect(Self.lines(&fromChunks, events[cut...]) == Array(expected[cut...]), "cut at \(cut), from chunks")
    }
  }

  /// The chunks of `filter`'s checkpoint as a writer of `chunkBytes` chunks emits them.
  static func chunks(_ filter: Prefilter, chunkBytes: Int) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var writer = StateWriter(chunkBytes: chunkBytes) { chunks.append(Array($0)) }
    PrefilterCheckpoint.write(filter, to: &writer)
    _ = try? writer.finish()
    return chunks
  }

  @Test func aCheckpointFromOtherSettingsOrDamagedIsRefused() throws {
    var filter = Prefilter(configuration: Self.configuration())
    _ = Self.lines(&filter, Self.churn(days: 4)[...])
    let saved = filter.checkpoint()
    #expect(throws: PrefilterCheckpointError.otherConfiguration) {
      try Prefilter(configuration: PrefilterConfiguration(), checkpoint: saved)
    }
    #expect(throws: PrefilterCheckpointError.checksumMismatch) {
      try Prefilter(configuration: Self.configuration(), checkpoint: Array(saved.dropLast(100)))
    }
    #expect(throws: PrefilterCheckpointError.checksumMismatch) {
      try Prefilter(configuration: Self.configuration(), checkpoint: saved + [0])
    }
    #expect(throws: PrefilterCheckpointError.otherFormat) {
      try Prefilter(
        configuration: Self.configuration(),
        checkpoint: Self.resealed(saved) { $0[PrefilterCheckpoint.versionBytes.lowerBound] &+= 1 })
    }
    #expect(throws: PrefilterCheckpointError.damaged) {
      try Prefilter(configuration: Self.configuration(), checkpoint: Self.resealed(saved) { $0.removeLast(100) })
    }
    #expect(throws: PrefilterCheckpointError.checksumMismatch) {
      try Prefilter(configuration: Self.configuration(), checkpoint: [])
    }
  }

  /// The parts lie in the format's order, each framed by its length: a
  /// part overwritten (and sealed again) is refused, never misread as the
  /// next one.
  @Test func eachNamedPartIsFramedAndCheckedOnItsOwn() throws {
    var filter = Prefilter(configuration: Self.configuration())
    _ = Self.lines(&filter, Self.churn(days: 4)[...])
    let saved = filter.checkpoint()
    let parts = try PrefilterCheckpoint.parts(of: saved)
    #expect(parts.map(\.name) == PrefilterCheckpoint.nameParts + Prefilter.checkTypes.map { $0.partName })
    #expect(parts.map(\.name) == ["accounts", "fields", "values", "cycles", "flows", "engagement", "profiles"])
    for part in parts where !part.bytes.isEmpty {
      let damaged = Self.resealed(saved) { body in
        for i in part.bytes { body[i] = 0xFF }
      }
      #expect(throws: PrefilterCheckpointError.self, "part \(part.name)") {
        try Prefilter(configuration: Self.configuration(), checkpoint: damaged)
      }
    }
  }

  /// Any byte flipped anywhere (counters and clock included) is caught by
  /// the checksum: refused, never restored into a state that crashes or
  /// decides differently.
  @Test func randomByteFlipsAreAlwaysRefused() throws {
    var filter = Prefilter(configuration: Self.configuration())
    _ = Self.lines(&filter, Self.churn(days: 4)[...])
    let saved = filter.checkpoint()
    var rng = SplitMix64(seed: 16)
    for _ in 0..<300 {
      var damaged = saved
      let at = Int(rng.next() % UInt64(saved.count))
      damaged[at] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
      #expect(throws: PrefilterCheckpointError.checksumMismatch, "byte \(at) of \(saved.count)") {
        try Prefilter(configuration: Self.configuration(), checkpoint: damaged)
      }
    }
  }

  /// Damage the checksum cannot see (the bytes sealed again after the flip,
  /// as by a buggy writer): the restore refuses it or yields a state that
  /// goes on deciding without crashing; it never traps.
  @Test func resealedFlipsNeverCrash() throws {
    let events = Self.churn(days: 4)
    var filter = Prefilter(configuration: Self.configuration())
    _ = Self.lines(&filter, events[..<(events.count - 200)])
    let saved = filter.checkpoint()
    var rng = SplitMix64(seed: 61)
    var refused = 0
    for _ in 0..<300 {
      let at = Int(rng.next() % UInt64(saved.count - 8)), bits = UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
      let damaged = Self.resealed(saved) { $0[at] ^= bits }
      do {
        var restored = try Prefilter(configuration: Self.configuration(), checkpoint: damaged)
        _ = Self.lines(&restored, events[(events.count - 200)...])
      } catch {
        refused += 1
      }
    }
    #expect(refused > 0)
  }

  /// `checkpoint` with its body edited by `edit` and sealed again with a
  /// matching checksum: damage the checksum cannot see.
  static func resealed(_ checkpoint: [UInt8], _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
    var body = Array(checkpoint.dropLast(8))
    edit(&body)
    var digest = Digest64()
    digest.update(body)
    return body + withUnsafeBytes(of: digest.value) { Array($0) }
  }

  @Test func aStateFileKeepsTheLatestCheckpointInItsLog() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.path + "/state.sqlite"
    // A state of a few rows, the last one short.
    let big = (0..<(3 * DecisionLog.checkpointChunkBytes / 8 + 5)).map { Int64($0 &* 31) }
    do {
      let log = try DecisionLog(path: path, settings: "test")
      #expect(try log.checkpoint() == nil)
      try log.append([(0, "a"), (0, "b")], decidedEvents: 1, inputDigest: 11) { $0.write([1, 2, 3] as [UInt8]) }
      try log.append([(1, "c")], decidedEvents: 2, inputDigest: 12)
      try log.append([(2, "d")], decidedEvents: 3, inputDigest: 13) { $0.write(big) }
      try log.append([(3, "e")], decidedEvents: 4, inputDigest: UInt64.max)
    }
    let reopened = try DecisionLog(path: path, settings: "test")
    let saved = try #require(try reopened.checkpoint())
    #expect(saved.events == 3 && saved.lines == 4 && saved.inputDigest == 13 && saved.countsSealed)
    #expect(saved.state.count == 4)
    var reader = try StateReader(sealed: saved.state)
    #expect(try reader.readArray(Int64.self) == big && reader.isAtEnd)
    #expect(try reopened.decidedDigest() == UInt64.max)
    #expect(try reopened.holdsPrefix(events: 3, lines: 4))
    #expect(try !reopened.holdsPrefix(events: -1, lines: 4))
    #expect(try !reopened.holdsPrefix(events: 999_999_999, lines: 4))
    #expect(try !reopened.holdsPrefix(events: 2, lines: 4))
    #expect(try !reopened.holdsPrefix(events: 3, lines: 2))
    let cursor = try reopened.lines(skipping: saved.lines)
    #expect(try cursor.next()! == (3, "e"))
    #expect(try cursor.next() == nil)
  }

  /// A checkpoint that an earlier build stored whole (one row, or rows of
  /// 64 MiB) is read the same: the rows' bytes put end to end are the checkpoint.
  @Test(arguments: [1, 3])
  func aCheckpointStoredInOtherRowsIsRestored(rows: Int) throws {
    let (dir, lines) = try PrefilterStreamTests.tinyStream()
    defer { dir.remove() }
    let whole = try PrefilterStreamTests.run(lines[...], state: nil)
    let state = dir.path + "/state.sqlite"
    let first = try PrefilterStreamTests.run(lines[..<700], state: state, checkpointEvery: 600)
    // Rewrite the stored checkpoint as `rows` rows cut at other places.
    var bytes: [UInt8] = []
    do {
      let log = try DecisionLog(
        path: state, settings: "window-days=60 format=\(PrefilterCheckpoint.version)")
      let saved = try #require(try log.checkpoint())
      for i in 0..<saved.state.count { bytes += try saved.state.read(i) }
    }
    do {
      let database = try SQLiteDatabase(path: state, create: false)
      try database.execute("DELETE FROM filter_checkpoint")
      let insert = try database.prepare("INSERT INTO filter_checkpoint(part, bytes) VALUES (?1, ?2)")
      let size = bytes.count / rows + 1
      for (i, start) in stride(from: 0, to: bytes.count, by: size).enumerated() {
        insert.bind(1, Int64(i))
        insert.bind(2, blob: bytes[start..<min(start + size, bytes.count)])
        try insert.run()
      }
    }
    do {
      let restarted = try FilterSession(statePath: state, checkpointEvery: 600)
      #expect(restarted.checkpointProblem == nil && restarted.restoredEvents == 600)
    }
    let second = try PrefilterStreamTests.run(lines[...], state: state, checkpointEvery: 600)
    #expect(first + second == whole)
  }
}
