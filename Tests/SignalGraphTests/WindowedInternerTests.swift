import SplitMix
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

@Suite("WindowedInterner") struct WindowedInternerTests {
  @Test func givesDenseIdsAndFindsThemAgain() {
    var table = WindowedInterner()
    #expect(table.intern("alice", at: 1) == 0)
    #expect(table.intern("bob", at: 2) == 1)
    #expect(table.intern("alice", at: 3) == 0)
    #expect(table.count == 2)
    #expect(table[0] == "alice" && table[1] == "bob")
    #expect(table.lastSeen(0) == 3)
    // An earlier time never moves last-seen back.
    table.intern("alice", at: 2)
    #expect(table.lastSeen(0) == 3)
  }

  @Test func releasesIdleStringsAndReusesTheirIdsLowestFirst() {
    var table = WindowedInterner()
    for (i, name) in ["a", "b", "c", "d"].enumerated() { table.intern(name, at: Int64(i)) }
    table.intern("a", at: 10)
    // b (1), c (2) are idle before 3; d was seen at 3 and a at 10.
    #expect(table.release(idleBefore: 3) == [1, 2])
    #expect(table.count == 2)
    #expect(!table.isLive(1) && !table.isLive(2) && table.isLive(0) && table.isLive(3))
    #expect(table[0] == "a" && table[3] == "d")
    #expect(table.intern("e", at: 11) == 1)
    #expect(table.intern("f", at: 11) == 2)
    #expect(table.intern("g", at: 11) == 4)
    #expect(table.idCapacity == 5)
    // A released string comes back as a new one, under a free id.
    #expect(table.release(idleBefore: 5) == [3])
    #expect(table.intern("d", at: 12) == 3)
    #expect(table[3] == "d" && table[1] == "e")
  }

  @Test func releasingNothingChangesNothing() {
    var table = WindowedInterner()
    table.intern("x", at: 5)
    #expect(table.release(idleBefore: 5).isEmpty)
    #expect(table.intern("x", at: 6) == 0)
  }

  @Test func compactsItsBytesWhenMostAreFreed() {
    var table = WindowedInterner()
    let long = String(repeating: "x", count: 100)
    for i in 0..<2_000 { table.intern("\(i)-\(long)", at: i % 10 == 0 ? 100 : 0) }
    // 1 800 strings (about 190 KB) are freed; the 200 kept ones move.
    #expect(table.release(idleBefore: 50).count == 1_800)
    for i in stride(from: 0, to: 2_000, by: 10) {
      #expect(table.intern("\(i)-\(long)", at: 101) == Int32(i))
      #expect(table[Int32(i)] == "\(i)-\(long)")
    }
    #expect(table.intern("new", at: 102) == 1)
    #expect(table.count == 201)
  }

  /// A long stream of names each used for a short while: the table never
  /// holds more than a window's worth, and agrees with a dictionary model.
  @Test func staysAsSmallAsTheWindowOverALongChurningStream() {
    var table = WindowedInterner()
    var model: [String: Int32] = [:]
    var lastSeen: [String: Int64] = [:]
    var rng = SplitMix64(seed: 3)
    var peakIds = 0
    for day in Int64(0)..<200 {
      for _ in 0..<300 {
        // Names drift: on day d they are drawn from d*50 ..< d*50 + 400.
        let name = "user-\(day * 50 + Int64(rng.next() % 400))" + (rng.next() % 7 == 0 ? "-with-a-longer-suffix" : "")
        let time = day * 100 + Int64(rng.next() % 100)
        let id = table.intern(name, at: time)
        if let known = model[name] { #expect(known == id) } else { model[name] = id }
        lastSeen[name] = max(lastSeen[name] ?? .min, time)
        #expect(table[id] == name)
      }
      let cutoff = (day - 3) * 100
      let released = Set(table.release(idleBefore: cutoff))
      let expected = Set(model.filter { lastSeen[$0.key]! < cutoff }.map(\.value))
      #expect(released == expected)
      model = model.filter { lastSeen[$0.key]! >= cutoff }
      #expect(table.count == model.count)
      peakIds = max(peakIds, table.idCapacity)
    }
    // About 10 000 distinct names went through; at most ~4 days of them were live.
    #expect(peakIds < 2_000)
  }
}
