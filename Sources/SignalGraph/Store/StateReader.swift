/// Reads what a ``StateWriter`` wrote, in the same order, and fails with
/// ``StateReaderError`` instead of reading past the end.
///
/// It reads bytes in memory (``init(_:)``, ``init(sealed:)-([UInt8])``) or
/// a sealed state kept in chunks (``init(sealed:)-(StateChunks)``), one
/// chunk at a time: values and arrays that straddle two chunks are put
/// together, so the reader never holds more than one chunk besides what it
/// returns.
///
///     var writer = StateWriter()
///     writer.write([Int32](1...3))
///     var reader = try StateReader(sealed: writer.sealed())
///     try reader.readArray(Int32.self)   // [1, 2, 3]
///
/// Like ``StateWriter``, public to the modules that import its SPI
/// (`@_spi(Checkpoint) import SignalGraph`), its dictionary reads
/// `@inlinable`: each entry is hashed by code specialised for its key.
@_spi(Checkpoint)
public struct StateReader {
  /// The chunk being read (all the bytes when they are in memory).
  private var bytes: [UInt8]
  /// The next byte to read in ``bytes``, and the end of the readable ones there.
  private var position = 0
  private var end: Int
  /// Where ``bytes`` starts in the whole, and the length of the readable whole (the seal excluded).
  private var base = 0
  private var limit: Int
  /// The chunks after ``bytes``, when the state is kept in chunks.
  private let chunks: StateChunks?
  private var nextChunk = 0
  /// The length of each chunk, as the checksum's pass found them.
  private var sizes: [Int] = []

  /// Reads `bytes` from the start.
  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
    end = bytes.count
    limit = bytes.count
    chunks = nil
  }

  /// Reads what ``StateWriter/sealed()`` returned, once its checksum matches.
  ///
  /// - Throws: ``StateReaderError/checksumMismatch`` when any byte differs
  ///   from what was written (or the bytes are too short to hold a checksum).
  public init(sealed: [UInt8]) throws(StateReaderError) {
    guard sealed.count >= 8 else { throw .checksumMismatch }
    var digest = Digest64()
    digest.update(sealed[..<(sealed.count - 8)])
    let stored = sealed.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: sealed.count - 8, as: UInt64.self) }
    guard stored == digest.value else { throw .checksumMismatch }
    self.init(sealed)
    end = sealed.count - 8
    limit = sealed.count - 8
  }

  /// Reads a sealed state kept in `chunks`, once its checksum matches: a
  /// first pass over the chunks checks it (so no damaged byte is ever
  /// parsed), a second one reads, one chunk at a time.
  ///
  /// - Throws: ``StateReaderError/checksumMismatch`` when any byte differs
  ///   from what was written (or there are too few to hold a checksum);
  ///   what reading a chunk throws.
  public init(sealed chunks: StateChunks) throws(StateReaderError) {
    var digest = SplitDigest64()
    // The last 8 bytes seen are held back from the digest: they are the seal when no more follow.
    var held: [UInt8] = []
    var sizes: [Int] = []
    for index in 0..<chunks.count {
      let chunk = try chunks.read(index)
      sizes.append(chunk.count)
      if chunk.count >= 8 {
        digest.update(held[...])
        digest.update(chunk[..<(chunk.count - 8)])
        held = Array(chunk.suffix(8))
      } else {
        let joined = held + chunk
        digest.update(joined.dropLast(8))
        held = Array(joined.suffix(8))
      }
    }
    guard held.count == 8, held.withUnsafeBytes({ $0.loadUnaligned(as: UInt64.self) }) == digest.value else {
      throw .checksumMismatch
    }
    bytes = []
    end = 0
    limit = sizes.reduce(0, +) - 8
    self.chunks = chunks
    self.sizes = sizes
  }

  /// The bytes read so far.
  private var offset: Int { base + position }

  /// The bytes left to read.
  private var remaining: Int { limit - offset }

  /// Whether everything has been read.
  public var isAtEnd: Bool { remaining == 0 }

  /// Moves on to the next chunk that has bytes to read.
  private mutating func nextBytes() throws(StateReaderError) {
    while position == end {
      guard let chunks, nextChunk < sizes.count, remaining > 0 else { throw .truncated }
      base += bytes.count
      bytes = try chunks.read(nextChunk)
      // Not the bytes whose checksum matched: changed since.
      guard bytes.count == sizes[nextChunk] else { throw .checksumMismatch }
      nextChunk += 1
      position = 0
      end = min(bytes.count, limit - base)
    }
  }

  /// Copies the next `target.count` bytes into `target` (there must be that many left).
  private mutating func copy(into target: UnsafeMutableRawBufferPointer) throws(StateReaderError) {
    var copied = 0
    while copied < target.count {
      try nextBytes()
      let n = min(target.count - copied, end - position)
      bytes.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(rebasing: target[copied..<copied + n])
          .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + n]))
      }
      copied += n
      position += n
    }
  }

  /// Skips the next `count` bytes (there must be that many left).
  private mutating func skip(_ count: Int) throws(StateReaderError) {
    var left = count
    while left > 0 {
      try nextBytes()
      let n = min(left, end - position)
      position += n
      left -= n
    }
  }

  /// Reads one plain value.
  public mutating func read<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> T {
    let size = MemoryLayout<T>.size
    guard remaining >= size else { throw .truncated }
    if end - position < size {
      // The value straddles two chunks.
      var gathered = [UInt8](repeating: 0, count: size)
      var failure: StateReaderError?
      gathered.withUnsafeMutableBytes { target in
        do throws(StateReaderError) { try copy(into: target) } catch { failure = error }
      }
      if let failure { throw failure }
      return gathered.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
    let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
    position += size
    return value
  }

  /// Reads a count and that many elements.
  public mutating func readArray<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> [T] {
    let count = try read(Int.self)
    let stride = MemoryLayout<T>.stride
    guard count >= 0, count <= remaining / max(stride, 1) else { throw .truncated }
    var failure: StateReaderError?
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
      let target = UnsafeMutableRawBufferPointer(buffer)
      do throws(StateReaderError) {
        try copy(into: target)
      } catch {
        target.initializeMemory(as: UInt8.self, repeating: 0)
        failure = error
      }
      initialised = count
    }
    if let failure { throw failure }
    return array
  }

  /// Reads a part written by ``StateWriter/writePart(_:)`` with `body`,
  /// which must read exactly the part's bytes.
  ///
  /// - Throws: ``StateReaderError/malformed`` when `body` reads more or less
  ///   than the part, or what `body` throws.
  public mutating func readPart<T>(_ body: (inout StateReader) throws(StateReaderError) -> T) throws(StateReaderError)
    -> T
  {
    let length = try read(Int.self)
    guard length >= 0, length <= remaining else { throw .truncated }
    let partEnd = offset + length
    let value = try body(&self)
    guard offset == partEnd else { throw .malformed }
    return value
  }

  /// Skips a part written by ``StateWriter/writePart(_:)`` and returns the
  /// range of its bytes (its length excluded).
  public mutating func skipPart() throws(StateReaderError) -> Range<Int> {
    let length = try read(Int.self)
    guard length >= 0, length <= remaining else { throw .truncated }
    try skip(length)
    return (offset - length)..<offset
  }

  /// Reads a count and that many arrays.
  public mutating func readArrays<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> [[T]] {
    let count = try read(Int.self)
    guard count >= 0, count <= remaining / MemoryLayout<Int>.size else { throw .truncated }
    var arrays: [[T]] = []
    arrays.reserveCapacity(count)
    for _ in 0..<count { arrays.append(try readArray(T.self)) }
    return arrays
  }

  /// Reads a string.
  public mutating func readString() throws(StateReaderError) -> String {
    String(decoding: try readArray(UInt8.self), as: UTF8.self)
  }

  /// Reads a dictionary of plain keys and values.
  @inlinable
  public mutating func readDictionary<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(
    _: K.Type, _: V.Type
  ) throws(StateReaderError) -> [K: V] {
    let keys = try readArray(K.self), values = try readArray(V.self)
    guard keys.count == values.count else { throw .malformed }
    return Self.dictionary(keys, values)
  }

  /// Reads a dictionary of plain keys and arrays of plain values.
  @inlinable
  public mutating func readDictionaryOfArrays<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(
    _: K.Type, _: V.Type
  ) throws(StateReaderError) -> [K: [V]] {
    let keys = try readArray(K.self), values = try readArrays(V.self)
    guard keys.count == values.count else { throw .malformed }
    return Self.dictionary(keys, values)
  }

  /// `keys[i]: values[i]` for every `i`, the first value of a key kept.
  @inlinable
  static func dictionary<K: Hashable, V>(_ keys: [K], _ values: [V]) -> [K: V] {
    var dictionary = [K: V](minimumCapacity: keys.count)
    // Last to first, so that a key's first value is the one left: one hash an entry.
    for i in keys.indices.reversed() { dictionary[keys[i]] = values[i] }
    return dictionary
  }
}
