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
  var slots: [Int32] = Array(repeating: -1, count: 64)

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
      let found = slots[slot]
      if found < 0 { break }
      if hashes[Int(found)] == hash && equals(found, key) { return found }
      slot = (slot + 1) & (slots.count - 1)
    }
    let index = Int32(hashes.count)
    slots[slot] = index
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
      let found = slots[slot]
      if found < 0 { return nil }
      if hashes[Int(found)] == hash && equals(found, key) { return found }
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
    var fresh = [Int32](repeating: -1, count: capacity)
    for (index, hash) in hashes.enumerated() {
      var slot = Int(hash) & (capacity - 1)
      while fresh[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
      fresh[slot] = Int32(index)
    }
    slots = fresh
  }

  /// FNV-1a over the bytes, finished with a multiply-xorshift so that the low
  /// bits (the ones the table uses) depend on every byte.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key {
      h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    h ^= h >> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    h ^= h >> 32
    return UInt32(truncatingIfNeeded: h)
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
