import SignalGraph

/// The client ids of the stored events, in memory: a 64-bit hash of each
/// id's raw bytes (``ClientID``) → the seq of the event that took it.
///
/// The durable map is the `client_id` column of `serve_events`; this index
/// only says where to look. A hash names candidates, not a match: the caller
/// compares the stored (or in-group) id bytes of each candidate seq before
/// treating a line as a retry, so two ids that share a hash are told apart
/// (one more row read, with chance about n / 2⁶⁴ per lookup). Nothing is
/// written to SQLite for it, so an id costs no scattered index insert at
/// commit time; it is rebuilt from the stored rows at start-up.
///
/// **Memory.** 16 bytes per slot, at most 70 % full: 23 to 46 bytes per
/// event with an id (230 to 460 MB for 10 M events). The slots are split in
/// 256 shards by the hash's top byte, each grown (doubled) on its own, so a
/// growth moves 1/256 of the entries, not all of them at once (no pause
/// proportional to the whole index in a request's latency).
///
///     var index = ClientIDIndex()
///     let h = ClientIDIndex.hash(Array("p1".utf8))
///     index.insert(hash: h, seq: 0)
///     index.seqs(hash: h)   // [0]
///
/// - Complexity: O(1) expected per insert and lookup.
struct ClientIDIndex {
  private struct Entry {
    /// 0 marks an empty slot (``hash(_:)`` never returns 0).
    var hash: UInt64
    var seq: Int
  }

  private struct Shard {
    var entries = [Entry](repeating: Entry(hash: 0, seq: 0), count: 16)
    var count = 0
  }

  private static let shardBits = 8
  private var shards = [Shard](repeating: Shard(), count: 1 << shardBits)

  /// Ids held.
  private(set) var count = 0

  /// The hash of an id's raw bytes; never 0.
  static func hash(_ id: ArraySlice<UInt8>) -> UInt64 {
    var digest = Digest64()
    digest.update(id)
    return digest.value == 0 ? 1 : digest.value
  }

  /// The hash of an id's raw bytes; never 0.
  static func hash(_ id: [UInt8]) -> UInt64 { hash(id[...]) }

  /// The hash of an id's raw bytes, where they are; never 0 (the same as ``hash(_:)-([UInt8])``'s).
  static func hash(_ id: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var digest = Digest64()
    digest.update(UnsafeRawBufferPointer(id))
    return digest.value == 0 ? 1 : digest.value
  }

  /// The bytes the slots take.
  var memoryBytes: Int {
    shards.reduce(0) { $0 + $1.entries.count } * MemoryLayout<Entry>.stride
  }

  /// Records that the event `seq` took the id whose hash is `hash`.
  mutating func insert(hash: UInt64, seq: Int) {
    let s = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.shardBits))
    if (shards[s].count + 1) * 10 > shards[s].entries.count * 7 { grow(s) }
    Self.place(Entry(hash: hash, seq: seq), in: &shards[s].entries)
    shards[s].count += 1
    count += 1
  }

  /// The seqs of the events whose ids have the hash `hash`, oldest first (usually none or one).
  func seqs(hash: UInt64) -> [Int] {
    let s = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.shardBits))
    return shards[s].entries.withUnsafeBufferPointer { entries in
      let mask = entries.count - 1
      var i = Int(truncatingIfNeeded: hash) & mask
      var found: [Int] = []
      while entries[i].hash != 0 {
        if entries[i].hash == hash { found.append(entries[i].seq) }
        i = (i + 1) & mask
      }
      return found.count > 1 ? found.sorted() : found
    }
  }

  private static func place(_ entry: Entry, in entries: inout [Entry]) {
    entries.withUnsafeMutableBufferPointer { entries in
      let mask = entries.count - 1
      var i = Int(truncatingIfNeeded: entry.hash) & mask
      while entries[i].hash != 0 { i = (i + 1) & mask }
      entries[i] = entry
    }
  }

  private mutating func grow(_ s: Int) {
    let old = shards[s].entries
    var entries = [Entry](repeating: Entry(hash: 0, seq: 0), count: old.count * 2)
    for e in old where e.hash != 0 { Self.place(e, in: &entries) }
    shards[s].entries = entries
  }
}
