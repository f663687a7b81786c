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
/// of the name's UTF-8 bytes, seq, name) slots: a name of up to 15 bytes is
/// kept in its slot, a longer one is appended to a byte buffer per shard and
/// the slot says where. A lookup hashes the name once (8 bytes at a time)
/// and compares the name only on a full hash match: cheaper than `[String: Int]`, which hashed each name with SipHash
/// and compared `String`s. (Not keyed by the pre-filter's interned account
/// ids: those are released when an account is idle and then reused, while a
/// chain's head is kept for ever.)
///
/// **Memory.** 32 bytes per slot, at most 70 % full, plus the bytes of names
/// longer than 15: about 46 to 91 bytes per account and its name, for every account ever
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
    var seq: Int
    /// The name itself when it has at most 15 bytes (``key(_:)``), else where
    /// it is in its shard's ``Shard/names`` (offset, then length with the top bit set).
    var key: (UInt64, UInt64)
  }

  private static let empty = Slot(hash: 0, seq: 0, key: (0, 0))
  private static let long: UInt64 = 1 << 63

  /// A name of at most 15 bytes as two words, its length in the last byte:
  /// compared in the slot, without reading ``Shard/names`` (a second cache miss).
  private static func key(_ name: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
    var words: (UInt64, UInt64) = (0, UInt64(name.count) << 56)
    for i in 0..<name.count {
      if i < 8 {
        words.0 |= UInt64(name[i]) << (8 * UInt64(i))
      } else {
        words.1 |= UInt64(name[i]) << (8 * UInt64(i - 8))
      }
    }
    return words
  }

  private struct Shard {
    var slots = [Slot](repeating: AccountHeads.empty, count: 16)
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
    let short = name.count < 16 ? Self.key(name) : nil
    return shards[s].slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var i = Int(truncatingIfNeeded: hash) & mask
      while slots[i].hash != 0 {
        if slots[i].hash == hash {
          let key = slots[i].key
          if let short {
            if key == short { return (i, true) }
          } else if key.1 == UInt64(name.count) | Self.long {
            let offset = Int(key.0)
            let same = shards[s].names.withUnsafeBufferPointer {
              UnsafeBufferPointer(rebasing: $0[offset..<(offset + name.count)]).elementsEqual(name)
            }
            if same { return (i, true) }
          }
        }
        i = (i + 1) & mask
      }
      return (i, false)
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
    var key = (UInt64(0), UInt64(0))
    if name.count < 16 {
      key = Self.key(name)
    } else {
      key = (UInt64(shards[s].names.count), UInt64(name.count) | Self.long)
      shards[s].names.append(contentsOf: name)
    }
    shards[s].slots[slot] = Slot(hash: hash, seq: seq, key: key)
    shards[s].count += 1
    count += 1
    return nil
  }

  /// Doubles shard `s`'s slots, placing each held slot by its stored hash.
  private mutating func grow(_ s: Int) {
    let old = shards[s].slots
    var slots = [Slot](repeating: Self.empty, count: old.count * 2)
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
