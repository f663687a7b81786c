/// A string table for an endless stream: like ``StringInterner`` it gives
/// each distinct string a dense `Int32` id, but it also remembers when each
/// string was last seen, and ``release(idleBefore:)`` frees the ids of strings
/// unseen since a cutoff so that new strings reuse them. The table, and every
/// array its user indexes by id, then holds only the strings seen within the
/// window, however long the stream runs.
///
///     var accounts = WindowedInterner()
///     let a = accounts.intern("alice", at: 100)   // 0
///     let b = accounts.intern("bob", at: 200)     // 1
///     accounts.release(idleBefore: 150)           // [0]: alice is idle
///     accounts.intern("carol", at: 300)           // 0 again, now carol
///     accounts[b]                                 // "bob"
///
/// Whoever releases ids must first drop every reference to them: a released
/// id is handed to the next new string. Ids are reused lowest first, so the
/// id range stays as small as the largest number of strings live at once.
///
/// - Complexity: `intern` is O(*k*) expected in the key's length *k*, as in
///   ``StringInterner``; `release` is O(ids) plus O(1) expected per string
///   freed, with the byte arena compacted once freed bytes outweigh live ones.
///   Memory: 16 bytes per id, 8–16 per table slot, and the strings' bytes.
package struct WindowedInterner: Sendable {
  private var arena: [UInt8] = []
  /// Bytes of `arena` that belong to released strings (reclaimed by compaction).
  private var deadBytes = 0
  /// Per id, in one 16-byte record so that a lookup touches one cache line:
  /// where its bytes start in `arena`, how many (-1 for a free id), and the
  /// latest time it was interned at.
  private struct Entry {
    var start: UInt32
    var length: Int32
    var lastSeen: Int64
  }
  private var entries: [Entry] = []
  /// Free ids, highest first, so `popLast` reuses the lowest.
  private var free: [Int32] = []
  /// Open addressing with linear probing, as in ``StringInterner``: 0 for
  /// empty, else hash << 32 | (id + 1). Released entries are deleted by
  /// shifting their probe run back, so no tombstones build up.
  private var slots: [UInt64] = Array(repeating: 0, count: 64)

  /// Creates an empty table.
  package init() {}

  /// The number of live strings.
  package private(set) var count = 0

  /// One past the highest id ever handed out: the size of any array indexed by id.
  package var idCapacity: Int { entries.count }

  /// Whether `id` currently names a string.
  package func isLive(_ id: Int32) -> Bool {
    id >= 0 && Int(id) < entries.count && entries[Int(id)].length >= 0
  }

  /// The string with id `id` (which must be live).
  package subscript(id: Int32) -> String {
    String(decoding: bytes(of: id), as: UTF8.self)
  }

  /// The latest time `id` was interned at.
  package func lastSeen(_ id: Int32) -> Int64 { entries[Int(id)].lastSeen }

  /// Returns the id of `key`, adding it if it is new, and marks it seen at `time`.
  @discardableResult
  package mutating func intern(_ key: String, at time: Int64) -> Int32 {
    var key = key
    return key.withUTF8 { intern($0, at: time) }
  }

  /// Returns the id of the string whose UTF-8 bytes are `key`, adding it if
  /// it is new, and marks it seen at `time`.
  @discardableResult
  package mutating func intern(_ key: UnsafeBufferPointer<UInt8>, at time: Int64) -> Int32 {
    let hash = StringInterner.hash(key)
    let mask = slots.count - 1
    var slot = Int(hash) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if UInt32(truncatingIfNeeded: entry >> 32) == hash {
        let found = Int32(truncatingIfNeeded: entry) - 1
        if equals(found, key) {
          if time > entries[Int(found)].lastSeen { entries[Int(found)].lastSeen = time }
          return found
        }
      }
      slot = (slot + 1) & mask
    }
    precondition(arena.count + key.count <= Int(UInt32.max), "WindowedInterner: more than 4 GiB of live strings")
    let entry = Entry(start: UInt32(arena.count), length: Int32(key.count), lastSeen: time)
    let id: Int32
    if let reused = free.popLast() {
      id = reused
      entries[Int(id)] = entry
    } else {
      id = Int32(entries.count)
      entries.append(entry)
    }
    arena.append(contentsOf: key)
    slots[slot] = StringInterner.entry(hash: hash, index: id)
    count += 1
    if count * 2 > slots.count { grow() }
    return id
  }

  /// Frees every string last seen before `cutoff` and returns their ids in
  /// ascending order; the next new strings reuse them. The caller must drop
  /// its own references to these ids.
  ///
  /// - Complexity: O(ids) to find them, O(1) expected to delete each, and
  ///   now and then O(live bytes) to compact the arena (amortised O(1) per byte).
  @discardableResult
  package mutating func release(idleBefore cutoff: Int64) -> [Int32] {
    var released: [Int32] = []
    for id in entries.indices where entries[id].length >= 0 && entries[id].lastSeen < cutoff {
      released.append(Int32(id))
      delete(Int32(id))
    }
    guard !released.isEmpty else { return [] }
    count -= released.count
    free = (free + released).sorted(by: >)
    if deadBytes > 65_536, deadBytes * 2 > arena.count { compactArena() }
    return released
  }

  private func bytes(of id: Int32) -> ArraySlice<UInt8> {
    let entry = entries[Int(id)]
    return arena[Int(entry.start)..<Int(entry.start) + Int(entry.length)]
  }

  private func equals(_ id: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let entry = entries[Int(id)]
    let start = Int(entry.start)
    guard Int(entry.length) == key.count else { return false }
    return arena.withUnsafeBufferPointer { a in
      key.isEmpty || memcmp(a.baseAddress! + start, key.baseAddress!, key.count) == 0
    }
  }

  /// Removes `id` from the table (backward-shift deletion, Knuth vol. 3,
  /// algorithm 6.4R) and marks it free.
  private mutating func delete(_ id: Int32) {
    let hash = bytes(of: id).withContiguousStorageIfAvailable { StringInterner.hash($0) }!
    let mask = slots.count - 1
    var hole = Int(hash) & mask
    while Int32(truncatingIfNeeded: slots[hole]) - 1 != id { hole = (hole + 1) & mask }
    var next = (hole + 1) & mask
    while slots[next] != 0 {
      let home = Int(UInt32(truncatingIfNeeded: slots[next] >> 32)) & mask
      // Move the entry at `next` into the hole unless its home lies
      // cyclically in (hole, next]: then it must stay where probing finds it.
      let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
      if !stays {
        slots[hole] = slots[next]
        hole = next
      }
      next = (next + 1) & mask
    }
    slots[hole] = 0
    deadBytes += Int(entries[Int(id)].length)
    entries[Int(id)].length = -1
  }

  /// Copies the live strings' bytes into a fresh arena, dropping the freed ones.
  private mutating func compactArena() {
    var fresh: [UInt8] = []
    fresh.reserveCapacity(arena.count - deadBytes)
    for id in entries.indices where entries[id].length >= 0 {
      let start = Int(entries[id].start)
      entries[id].start = UInt32(fresh.count)
      fresh.append(contentsOf: arena[start..<start + Int(entries[id].length)])
    }
    arena = fresh
    deadBytes = 0
  }

  /// Doubles the table, re-placing each entry by the hash it carries.
  private mutating func grow() {
    let capacity = slots.count * 2
    var fresh = [UInt64](repeating: 0, count: capacity)
    for entry in slots where entry != 0 {
      var slot = Int(UInt32(truncatingIfNeeded: entry >> 32)) & (capacity - 1)
      while fresh[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      fresh[slot] = entry
    }
    slots = fresh
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension WindowedInterner {
  /// The sizes of the records ``write(to:)`` copies as raw bytes, for a
  /// checkpoint's format tag.
  package static var recordSizes: [Int] { [MemoryLayout<Entry>.size] }

  /// Writes the whole table (strings, ids, last-seen times, free ids) for a checkpoint.
  package func write(to writer: inout StateWriter) {
    writer.write(arena)
    writer.write(deadBytes)
    writer.write(entries)
    writer.write(free)
    writer.write(slots)
    writer.write(count)
  }

  /// Reads a table written by ``write(to:)``: the same ids for the same strings.
  package init(from reader: inout StateReader) throws(StateReaderError) {
    arena = try reader.readArray(UInt8.self)
    deadBytes = try reader.read(Int.self)
    entries = try reader.readArray(Entry.self)
    free = try reader.readArray(Int32.self)
    slots = try reader.readArray(UInt64.self)
    count = try reader.read(Int.self)
    guard slots.count >= 64, slots.count & (slots.count - 1) == 0, count <= entries.count,
      entries.allSatisfy({ $0.length < 0 || Int($0.start) + Int($0.length) <= arena.count })
    else { throw .malformed }
    try checkStructure()
  }

  /// Checks what a lookup relies on, so that a table read from damaged bytes
  /// is refused instead of crashing later: every slot names a live id whose
  /// string hashes to the slot's hash and is found from its home slot, each
  /// live id has exactly one slot, `count` is the number of live ids, and
  /// the free ids are exactly the others, highest first.
  ///
  /// - Complexity: O(ids + slots + live bytes).
  private func checkStructure() throws(StateReaderError) {
    let mask = slots.count - 1
    var slotted = [Bool](repeating: false, count: entries.count)
    var occupied = 0
    for (slot, entry) in slots.enumerated() where entry != 0 {
      let id = Int(Int32(truncatingIfNeeded: entry)) - 1
      guard id >= 0, id < entries.count, entries[id].length >= 0, !slotted[id] else { throw .malformed }
      slotted[id] = true
      occupied += 1
      let hash = bytes(of: Int32(id)).withContiguousStorageIfAvailable { StringInterner.hash($0) }!
      guard UInt32(truncatingIfNeeded: entry >> 32) == hash else { throw .malformed }
      // Linear probing finds it only if no empty slot lies between its home and it.
      var probe = Int(hash) & mask
      while probe != slot {
        guard slots[probe] != 0 else { throw .malformed }
        probe = (probe + 1) & mask
      }
    }
    let live = entries.reduce(0) { $0 + ($1.length >= 0 ? 1 : 0) }
    guard occupied == count, live == count, count * 2 <= slots.count, deadBytes >= 0, deadBytes <= arena.count,
      free.count == entries.count - live,
      zip(free, free.dropFirst()).allSatisfy({ $0 > $1 }),
      free.allSatisfy({ $0 >= 0 && Int($0) < entries.count && entries[Int($0)].length < 0 })
    else { throw .malformed }
  }
}
