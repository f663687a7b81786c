import SignalGraph

/// The latest stored event of each account, in memory: where the score
/// endpoint starts walking the account's events.
///
/// Each stored event keeps, per account it names, the seq of that account's
/// previous event (`prev_a`, `prev_b` in `serve_events`): the account index
/// is a chain through rows written in seq order, so storing an event appends
/// and dirties no index page. Only the chains' heads live here, rebuilt from
/// the stored rows at start-up.
///
/// **Keyed by the name's bytes.** An open-addressing table of (64-bit hash
/// of the name's UTF-8 bytes, where the name is, seq) slots; the names
/// themselves are appended to a byte buffer per shard. A lookup hashes the
/// name once (8 bytes at a time) and compares bytes only on a full hash
/// match: cheaper than `[String: Int]`, which hashed each name with SipHash
/// and compared `String`s. (Not keyed by the pre-filter's interned account
/// ids: those are released when an account is idle and then reused, while a
/// chain's head is kept for ever.)
///
/// **Memory.** 32 bytes per slot, at most 70 % full, plus the name's bytes:
/// about 46 to 91 bytes per account and its name, for every account ever
/// seen (not per event). The slots and names are split in 64 shards, each
/// grown (doubled) on its own, so a growth moves 1/64 of them.
///
///     var heads = AccountHeads()
///     heads.replace("alice", with: 7)   // nil: alice's first event
///     heads.replace("alice", with: 9)   // 7
///
/// - Complexity: O(length of the name) expected per update and lookup.
struct AccountHeads {
  private struct Slot {
    /// 0 marks an empty slot (``hash(_:)`` never returns 0).
    var hash: UInt64
    /// Where the name is in its shard's ``Shard/names``.
    var offset: Int
    var length: Int
    var seq: Int
  }

  private struct Shard {
    var slots = [Slot](repeating: Slot(hash: 0, offset: 0, length: 0, seq: 0), count: 16)
    var names: [UInt8] = []
    var count = 0
  }

  private static let shardBits = 6
  private var shards = [Shard](repeating: Shard(), count: 1 << shardBits)

  /// Accounts held.
  private(set) var count = 0

  /// The hash of a name's UTF-8 bytes; never 0.
  private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var digest = Digest64()
    digest.update(UnsafeRawBufferPointer(name))
    return digest.value == 0 ? 1 : digest.value
  }

  /// Calls `body` with the UTF-8 bytes of `account`, in place when it can.
  private static func withBytes<T>(_ account: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    if let result = account.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(account.utf8).withUnsafeBufferPointer(body)
  }

  private static func shard(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> UInt64(64 - shardBits)) }

  /// The slot of `name` in shard `s` if it is held, else the empty slot where it would go.
  private func find(_ name: UnsafeBufferPointer<UInt8>, hash: UInt64, in s: Int) -> (slot: Int, found: Bool) {
    shards[s].slots.withUnsafeBufferPointer { slots in
      shards[s].names.withUnsafeBufferPointer { names in
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].hash != 0 {
          if slots[i].hash == hash, slots[i].length == name.count,
            UnsafeBufferPointer(rebasing: names[slots[i].offset..<(slots[i].offset + slots[i].length)])
              .elementsEqual(name)
          {
            return (i, true)
          }
          i = (i + 1) & mask
        }
        return (i, false)
      }
    }
  }

  /// The seq of the latest stored event that names `account`.
  subscript(account: String) -> Int? {
    Self.withBytes(account) { self[bytes: $0] }
  }

  /// The seq of the latest stored event that names the account whose UTF-8 bytes are `name`.
  subscript(bytes name: UnsafeBufferPointer<UInt8>) -> Int? {
    let hash = Self.hash(name)
    let s = Self.shard(hash)
    let (slot, found) = find(name, hash: hash, in: s)
    return found ? shards[s].slots[slot].seq : nil
  }

  /// Makes `seq` the latest event of `account`; the one it replaces, if any.
  mutating func replace(_ account: String, with seq: Int) -> Int? {
    Self.withBytes(account) { replace(bytes: $0, with: seq) }
  }

  /// Makes `seq` the latest event of the account whose UTF-8 bytes are `name`; the one it replaces, if any.
  mutating func replace(bytes name: UnsafeBufferPointer<UInt8>, with seq: Int) -> Int? {
    let hash = Self.hash(name)
    let s = Self.shard(hash)
    var (slot, found) = find(name, hash: hash, in: s)
    if found {
      defer { shards[s].slots[slot].seq = seq }
      return shards[s].slots[slot].seq
    }
    if (shards[s].count + 1) * 10 > shards[s].slots.count * 7 {
      grow(s)
      slot = find(name, hash: hash, in: s).slot
    }
    let offset = shards[s].names.count
    shards[s].names.append(contentsOf: name)
    shards[s].slots[slot] = Slot(hash: hash, offset: offset, length: name.count, seq: seq)
    shards[s].count += 1
    count += 1
    return nil
  }

  /// Doubles shard `s`'s slots, placing each held slot by its stored hash.
  private mutating func grow(_ s: Int) {
    let old = shards[s].slots
    var slots = [Slot](repeating: Slot(hash: 0, offset: 0, length: 0, seq: 0), count: old.count * 2)
    slots.withUnsafeMutableBufferPointer { slots in
      let mask = slots.count - 1
      for slot in old where slot.hash != 0 {
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].hash != 0 { i = (i + 1) & mask }
        slots[i] = slot
      }
    }
    shards[s].slots = slots
  }
}
