/// The ``Digest64`` of one string of bytes that arrives in pieces: after
/// `update(a)` and `update(b)`, ``value`` is what `Digest64.update(a + b)`
/// gives, however the string is cut. A checkpoint written or read chunk by
/// chunk (``StateWriter/init(chunkBytes:emit:)``, ``StateReader/init(sealed:)-(StateChunks)``)
/// is sealed with it, so that its checksum is the one of the whole bytes.
///
///     var pieces = SplitDigest64()
///     pieces.update(Array("line ".utf8))
///     pieces.update(Array("one".utf8))
///     var whole = Digest64()
///     whole.update(Array("line one".utf8))
///     pieces.value == whole.value   // true
///
/// - Complexity: O(*n*) for *n* bytes, as ``Digest64``.
package struct SplitDigest64 {
  private var digest = Digest64()
  /// The bytes of a word not yet complete, the first in the lowest byte (as `loadUnaligned` reads them).
  private var partial: UInt64 = 0
  private var partialCount = 0
  private var byteCount = 0

  /// The digest of no bytes yet.
  package init() {}

  /// Folds in the next piece of the string.
  package mutating func update(_ bytes: UnsafeRawBufferPointer) {
    byteCount += bytes.count
    var i = 0
    if partialCount > 0 {
      while partialCount < 8 && i < bytes.count {
        partial |= UInt64(bytes[i]) << (8 * partialCount)
        partialCount += 1
        i += 1
      }
      guard partialCount == 8 else { return }
      digest.mix(partial)
      partial = 0
      partialCount = 0
    }
    let words = (bytes.count - i) / 8
    for w in 0..<words { digest.mix(bytes.loadUnaligned(fromByteOffset: i + w * 8, as: UInt64.self)) }
    i += words * 8
    while i < bytes.count {
      partial |= UInt64(bytes[i]) << (8 * partialCount)
      partialCount += 1
      i += 1
    }
  }

  /// Folds in the next piece of the string.
  package mutating func update(_ bytes: ArraySlice<UInt8>) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Folds in the next piece of the string.
  package mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// The ``Digest64`` of the whole string fed so far.
  package var value: UInt64 {
    var last = digest
    last.mix(partial)
    last.mix(UInt64(byteCount))
    return last.value
  }
}
