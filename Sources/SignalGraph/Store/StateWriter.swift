/// Writes in-memory state as flat bytes for a checkpoint: plain values and
/// arrays of plain values are copied as they lie in memory, so a state of
/// hundreds of megabytes is written at memory speed. The bytes are for
/// ``StateReader`` in the same build on the same machine: the layout of the
/// types written is part of the format, which the checkpoint guards with a
/// format tag (see `PrefilterCheckpoint.swift`).
///
///     var writer = StateWriter()
///     writer.write(Int64(42))
///     writer.write([Int32](1...3))
///     var reader = StateReader(writer.bytes)
///     try reader.read(Int64.self)          // 42
///     try reader.readArray(Int32.self)     // [1, 2, 3]
package struct StateWriter {
  /// What has been written so far.
  package private(set) var bytes: [UInt8] = []

  /// Creates an empty writer.
  package init() {}

  /// Appends the bytes of one plain value.
  package mutating func write<T: BitwiseCopyable>(_ value: T) {
    withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
  }

  /// Appends a count, then the elements' bytes.
  package mutating func write<T: BitwiseCopyable>(_ array: [T]) {
    write(array.count)
    array.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Appends a count, then each array.
  package mutating func write<T: BitwiseCopyable>(_ arrays: [[T]]) {
    write(arrays.count)
    for array in arrays { write(array) }
  }

  /// Appends a string as its UTF-8 bytes.
  package mutating func write(_ string: String) {
    write(Array(string.utf8))
  }

  /// Appends a dictionary of plain keys and values as two arrays.
  package mutating func write<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(_ dictionary: [K: V]) {
    write(Array(dictionary.keys))
    write(Array(dictionary.values))
  }

  /// Appends a dictionary of plain keys and arrays of plain values.
  package mutating func write<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(_ dictionary: [K: [V]]) {
    write(Array(dictionary.keys))
    write(Array(dictionary.values))
  }

  /// Appends what `body` writes as one part, preceded by its length in
  /// bytes, so that a reader can check it read exactly the part
  /// (``StateReader/readPart(_:)``) or skip it (``StateReader/skipPart()``).
  package mutating func writePart(_ body: (inout StateWriter) -> Void) {
    let start = bytes.count
    write(0)
    body(&self)
    let length = bytes.count - start - MemoryLayout<Int>.size
    bytes.withUnsafeMutableBytes { $0.storeBytes(of: length, toByteOffset: start, as: Int.self) }
  }

  /// What has been written, followed by its 8-byte ``Digest64``: the only
  /// place a checksum is written. ``StateReader/init(sealed:)`` checks it, so
  /// a damaged byte anywhere (counters and clock included) is refused
  /// before anything is read.
  package func sealed() -> [UInt8] {
    var digest = Digest64()
    digest.update(bytes)
    var sealed = bytes
    withUnsafeBytes(of: digest.value) { sealed.append(contentsOf: $0) }
    return sealed
  }
}

/// Reads what a ``StateWriter`` wrote, in the same order, and fails with
/// ``StateReaderError`` instead of reading past the end.
package struct StateReader {
  private let bytes: [UInt8]
  private var position = 0

  /// Reads `bytes` from the start.
  package init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Reads what ``StateWriter/sealed()`` returned, once its checksum matches.
  ///
  /// - Throws: ``StateReaderError/checksumMismatch`` when any byte differs
  ///   from what was written (or the bytes are too short to hold a checksum).
  package init(sealed: [UInt8]) throws(StateReaderError) {
    guard sealed.count >= 8 else { throw .checksumMismatch }
    let body = sealed[..<(sealed.count - 8)]
    var digest = Digest64()
    digest.update(body)
    let stored = sealed.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: sealed.count - 8, as: UInt64.self) }
    guard stored == digest.value else { throw .checksumMismatch }
    bytes = Array(body)
  }

  /// Whether everything has been read.
  package var isAtEnd: Bool { position == bytes.count }

  /// Reads one plain value.
  package mutating func read<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> T {
    let size = MemoryLayout<T>.size
    guard bytes.count - position >= size else { throw .truncated }
    let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
    position += size
    return value
  }

  /// Reads a count and that many elements.
  package mutating func readArray<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> [T] {
    let count = try read(Int.self)
    let stride = MemoryLayout<T>.stride
    guard count >= 0, count <= (bytes.count - position) / max(stride, 1) else { throw .truncated }
    let array = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
      bytes.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: source[position..<position + count * stride]))
      }
      initialised = count
    }
    position += count * stride
    return array
  }

  /// Reads a part written by ``StateWriter/writePart(_:)`` with `body`,
  /// which must read exactly the part's bytes.
  ///
  /// - Throws: ``StateReaderError/malformed`` when `body` reads more or less
  ///   than the part, or what `body` throws.
  package mutating func readPart<T>(_ body: (inout StateReader) throws(StateReaderError) -> T) throws(StateReaderError)
    -> T
  {
    let length = try read(Int.self)
    guard length >= 0, length <= bytes.count - position else { throw .truncated }
    let end = position + length
    let value = try body(&self)
    guard position == end else { throw .malformed }
    return value
  }

  /// Skips a part written by ``StateWriter/writePart(_:)`` and returns the
  /// range of its bytes (its length excluded).
  package mutating func skipPart() throws(StateReaderError) -> Range<Int> {
    let length = try read(Int.self)
    guard length >= 0, length <= bytes.count - position else { throw .truncated }
    position += length
    return (position - length)..<position
  }

  /// Reads a count and that many arrays.
  package mutating func readArrays<T: BitwiseCopyable>(_: T.Type) throws(StateReaderError) -> [[T]] {
    let count = try read(Int.self)
    guard count >= 0, count <= (bytes.count - position) / MemoryLayout<Int>.size else { throw .truncated }
    var arrays: [[T]] = []
    arrays.reserveCapacity(count)
    for _ in 0..<count { arrays.append(try readArray(T.self)) }
    return arrays
  }

  /// Reads a string.
  package mutating func readString() throws(StateReaderError) -> String {
    String(decoding: try readArray(UInt8.self), as: UTF8.self)
  }

  /// Reads a dictionary of plain keys and values.
  package mutating func readDictionary<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(
    _: K.Type, _: V.Type
  ) throws(StateReaderError) -> [K: V] {
    let keys = try readArray(K.self), values = try readArray(V.self)
    guard keys.count == values.count else { throw .malformed }
    return Dictionary(zip(keys, values)) { a, _ in a }
  }

  /// Reads a dictionary of plain keys and arrays of plain values.
  package mutating func readDictionaryOfArrays<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(
    _: K.Type, _: V.Type
  ) throws(StateReaderError) -> [K: [V]] {
    let keys = try readArray(K.self), values = try readArrays(V.self)
    guard keys.count == values.count else { throw .malformed }
    return Dictionary(zip(keys, values)) { a, _ in a }
  }
}

/// Why saved state cannot be read back.
package enum StateReaderError: Error, Equatable {
  /// The bytes end before the state does.
  case truncated
  /// The bytes do not describe a state this build writes.
  case malformed
  /// The bytes differ from those sealed by ``StateWriter/sealed()``.
  case checksumMismatch
}
