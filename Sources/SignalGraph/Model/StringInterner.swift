/// A table that gives each distinct string a dense `Int32` index, the first
/// string seen getting 0, the next new one 1, and so on.
///
/// Strings are stored end to end in one byte arena and found again through an
/// open-addressing hash table of indices, so interning a key that is already
/// known allocates nothing, and a million keys cost a few tens of megabytes.
/// Keys are looked up by their UTF-8 bytes, straight from a parser's buffer.
///
///     var accounts = StringInterner()
///     let a = accounts.intern("alice")   // 0
///     let b = accounts.intern("bob")     // 1
///     accounts.intern("alice")           // 0 again
///     accounts[b]                        // "bob"
///
/// - Complexity: `intern` and `index(of:)` are O(*k*) expected in the key's
///   length *k*; the table doubles as it fills (amortised O(1) growth).
public struct StringInterner: Sendable {
  var arena: [UInt8] = []
  var starts: [Int] = [0]
  var hashes: [UInt32] = []
  /// The open-addressing table: 0 for an empty slot, else the key's hash in
  /// the high 32 bits and its index + 1 in the low 32, so a probe rejects
  /// most mismatches without touching the arena.
  var slots: [UInt64] = Array(repeating: 0, count: 64)

  /// Creates an empty interner.
  public init() {}

  /// The number of distinct strings interned.
  public var count: Int { hashes.count }

  /// The string with index `index`.
  public subscript(index: Int32) -> String {
    String(decoding: bytes(of: index), as: UTF8.self)
  }

  /// The bytes of the string with index `index`.
  public func bytes(of index: Int32) -> ArraySlice<UInt8> {
    arena[starts[Int(index)]..<starts[Int(index) + 1]]
  }

  /// Returns the index of `key`, adding it if it is new.
  @discardableResult
  public mutating func intern(_ key: String) -> Int32 {
    var key = key
    return key.withUTF8 { intern($0) }
  }

  /// Returns the index of the string whose UTF-8 bytes are `key`, adding it if it is new.
  @discardableResult
  public mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
    let hash = Self.hash(key)
    var slot = Int(hash) & (slots.count - 1)
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if UInt32(truncatingIfNeeded: entry >> 32) == hash {
        let found = Int32(truncatingIfNeeded: entry) - 1
        if equals(found, key) { return found }
      }
      slot = (slot + 1) & (slots.count - 1)
    }
    let index = Int32(hashes.count)
    slots[slot] = Self.entry(hash: hash, index: index)
    hashes.append(hash)
    arena.append(contentsOf: key)
    starts.append(arena.count)
    if hashes.count * 2 > slots.count { grow() }
    return index
  }

  /// The index of `key`, or `nil` if it was never interned.
  public func index(of key: String) -> Int32? {
    var key = key
    return key.withUTF8 { index(of: $0) }
  }

  /// The index of the string whose UTF-8 bytes are `key`, or `nil`.
  public func index(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
    let hash = Self.hash(key)
    var slot = Int(hash) & (slots.count - 1)
    while true {
      let entry = slots[slot]
      if entry == 0 { return nil }
      if UInt32(truncatingIfNeeded: entry >> 32) == hash {
        let found = Int32(truncatingIfNeeded: entry) - 1
        if equals(found, key) { return found }
      }
      slot = (slot + 1) & (slots.count - 1)
    }
  }

  /// Reserves room for `count` strings of `bytes` bytes in all.
  public mutating func reserveCapacity(_ count: Int, bytes: Int = 0) {
    arena.reserveCapacity(bytes)
    starts.reserveCapacity(count + 1)
    hashes.reserveCapacity(count)
    while slots.count < count * 2 { grow() }
  }

  private func equals(_ index: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = starts[Int(index)], end = starts[Int(index) + 1]
    guard end - start == key.count else { return false }
    return arena.withUnsafeBufferPointer { a in
      key.isEmpty || memcmp(a.baseAddress! + start, key.baseAddress!, key.count) == 0
    }
  }

  private mutating func grow() {
    let capacity = slots.count * 2
    var fresh = [UInt64](repeating: 0, count: capacity)
    for (index, hash) in hashes.enumerated() {
      var slot = Int(hash) & (capacity - 1)
      while fresh[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      fresh[slot] = Self.entry(hash: hash, index: Int32(index))
    }
    slots = fresh
  }

  @inline(__always)
  static func entry(hash: UInt32, index: Int32) -> UInt64 {
    UInt64(hash) << 32 | UInt64(UInt32(index + 1))
  }

  /// A word-at-a-time multiply–xorshift hash: eight bytes per step, the tail
  /// packed into one last word, finished with MurmurHash3's 64-bit mix so the
  /// low bits (the ones the table uses) depend on every byte.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    let k: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h: UInt64 = UInt64(key.count) &* k
    guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: h) }
    let raw = UnsafeRawPointer(base)
    let n = key.count
    var p = 0
    while p + 8 <= n {
      let word = raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)
      h = (h ^ (word &* k)).rotateLeft(27) &* 0xC2B2_AE3D_27D4_EB4F
      p += 8
    }
    if p < n {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while p < n {
        tail |= UInt64(base[p]) << shift
        shift += 8
        p += 1
      }
      h = (h ^ (tail &* k)).rotateLeft(27) &* 0xC2B2_AE3D_27D4_EB4F
    }
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return UInt32(truncatingIfNeeded: h)
  }
}

extension UInt64 {
  @inline(__always)
  fileprivate func rotateLeft(_ r: UInt64) -> UInt64 { (self << r) | (self >> (64 - r)) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
