/// Writes in-memory state as flat bytes for a checkpoint: plain values and
/// arrays of plain values are copied as they lie in memory, so a state of
/// hundreds of megabytes is written at memory speed. The bytes are for
/// ``StateReader`` in the same build on the same machine: the layout of the
/// types written is part of the format, which the checkpoint guards with a
/// format tag (see `PrefilterCheckpoint.swift`).
///
/// **No padding.** A record is copied with whatever lies in its padding
/// (between fields, and after the last one up to its stride), so a type
/// written here has none: its fields are ordered widest first and an
/// explicit zero field fills what is left (`CheckpointRecordLayoutTests`
/// checks the pre-filter's).
///
///     var writer = StateWriter()
///     writer.write(Int64(42))
///     writer.write([Int32](1...3))
///     var reader = StateReader(writer.bytes)
///     try reader.read(Int64.self)          // 42
///     try reader.readArray(Int32.self)     // [1, 2, 3]
///
/// **In chunks.** A writer made with ``init(chunkBytes:emit:)`` holds at
/// most `chunkBytes` of what it wrote: each time that many are buffered, it
/// hands them to `emit` (a row of a table, a file write) and reuses the
/// buffer, and ``finish()`` hands over the rest and the seal. The bytes
/// emitted, put end to end, are exactly those ``sealed()`` returns for the
/// same writes, so memory while writing a state is bounded by a chunk, not
/// by the state.
///
///     var rows: [[UInt8]] = []
///     var chunked = StateWriter(chunkBytes: 4) { rows.append(Array($0)) }
///     chunked.write(Int64(42))
///     let seal = try chunked.finish()   // rows: four of 4 bytes, the value's then the seal's
///
/// **Specialised where it is called.** The type is public to the modules
/// that import its SPI (`@_spi(Checkpoint) import SignalGraph`), and its
/// generic writes are `@inlinable`, so that a checkpoint's writer in
/// another module loops over its own concrete columns: a generic `package`
/// method is called unspecialised across modules, each element through
/// the runtime's witness tables (BENCHMARKS.md, "A checkpoint's reads and writes
/// specialised where they are called").
@_spi(Checkpoint)
public struct StateWriter {
  /// What has been written and not yet emitted: everything, unless the
  /// writer emits chunks (``init(chunkBytes:emit:)``).
  public private(set) var bytes: [UInt8] = []
  /// How many bytes have been written so far, emitted ones included.
  public private(set) var count = 0
  /// The chunk size and where chunks go, for a writer that emits them.
  private var chunkBytes = Int.max
  private var emit: ((UnsafeRawBufferPointer) throws -> Void)?
  /// The checksum of everything written, for a writer that emits chunks.
  private var digest = SplitDigest64()
  /// The first error `emit` threw: later writes are dropped and ``finish()`` throws it.
  private var failure: (any Error)?
  /// A writer that only counts (``writePart(_:)`` measures a part with one).
  @usableFromInline var measuring = false

  /// Creates an empty writer that keeps everything in ``bytes``.
  public init() {}

  /// Creates a writer that hands what it writes to `emit` in chunks of
  /// `chunkBytes` (the last one shorter), ending with the seal at
  /// ``finish()``. If `emit` throws, later writes are dropped and
  /// ``finish()`` throws that error.
  public init(chunkBytes: Int, emit: @escaping (UnsafeRawBufferPointer) throws -> Void) {
    self.chunkBytes = max(8, chunkBytes)
    self.emit = emit
    bytes.reserveCapacity(self.chunkBytes)
  }

  /// A writer that counts bytes and keeps none.
  private static func measure() -> StateWriter {
    var writer = StateWriter()
    writer.measuring = true
    return writer
  }

  /// Appends raw bytes: to ``bytes``, emitting each full chunk; `sealing`
  /// for the seal itself, which the checksum does not cover.
  @usableFromInline
  mutating func append(_ raw: UnsafeRawBufferPointer, sealing: Bool = false) {
    count += raw.count
    if measuring { return }
    guard emit != nil else {
      bytes.append(contentsOf: raw)
      return
    }
    if !sealing { digest.update(raw) }
    var rest = raw
    while !rest.isEmpty {
      let n = min(rest.count, chunkBytes - bytes.count)
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<n]))
      rest = UnsafeRawBufferPointer(rebasing: rest[n...])
      if bytes.count == chunkBytes { emitBuffered() }
    }
  }

  /// Counts `bytes` more without writing them, for a writer that only counts.
  @usableFromInline
  mutating func skip(_ bytes: Int) {
    precondition(measuring, "StateWriter: only a measuring writer skips bytes")
    count += bytes
  }

  /// Hands the buffered bytes to `emit` and empties the buffer.
  private mutating func emitBuffered() {
    if failure == nil, let emit {
      do { try bytes.withUnsafeBytes(emit) } catch { failure = error }
    }
    bytes.removeAll(keepingCapacity: true)
  }

  /// Appends the bytes of one plain value.
  @inlinable
  public mutating func write<T: BitwiseCopyable>(_ value: T) {
    withUnsafeBytes(of: value) { append($0) }
  }

  /// Appends a count, then the elements' bytes.
  @inlinable
  public mutating func write<T: BitwiseCopyable>(_ array: [T]) {
    write(array.count)
    array.withUnsafeBytes { append($0) }
  }

  /// Appends a count, then the bytes of `elements`, which must be `count`
  /// long: the same bytes as `write(Array(elements))`, without building
  /// that array (a dictionary's keys, a column of records, a set).
  ///
  ///     var writer = StateWriter()
  ///     let scores: [UInt64: Int32] = [1: 10, 2: 20]
  ///     writer.write(scores.keys, count: scores.count)   // as writer.write(Array(scores.keys))
  @inlinable
  public mutating func write<S: Sequence>(_ elements: S, count: Int) where S.Element: BitwiseCopyable {
    write(count)
    if measuring { return skip(count * MemoryLayout<S.Element>.stride) }
    var batch: [S.Element] = []
    batch.reserveCapacity(min(count, 4_096))
    var written = 0
    for element in elements {
      batch.append(element)
      if batch.count == 4_096 {
        batch.withUnsafeBytes { append($0) }
        written += batch.count
        batch.removeAll(keepingCapacity: true)
      }
    }
    batch.withUnsafeBytes { append($0) }
    written += batch.count
    precondition(written == count, "StateWriter: \(written) elements written where the count said \(count)")
  }

  /// Appends a count, then each array.
  @inlinable
  public mutating func write<T: BitwiseCopyable>(_ arrays: [[T]]) {
    write(arrays.count)
    for array in arrays { write(array) }
  }

  /// Appends a count, then each collection as an array: the same bytes as
  /// `write(collections.map { Array($0) })`, without building those arrays.
  @inlinable
  public mutating func write<C: Collection>(arrays collections: C)
  where C.Element: Collection, C.Element.Element: BitwiseCopyable {
    write(collections.count)
    for collection in collections { write(collection, count: collection.count) }
  }

  /// Appends a string as its UTF-8 bytes.
  public mutating func write(_ string: String) {
    write(Array(string.utf8))
  }

  /// Appends a dictionary of plain keys and values as two arrays.
  @inlinable
  public mutating func write<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(_ dictionary: [K: V]) {
    write(dictionary.keys, count: dictionary.count)
    write(dictionary.values, count: dictionary.count)
  }

  /// Appends a dictionary of plain keys and arrays of plain values.
  @inlinable
  public mutating func write<K: BitwiseCopyable & Hashable, V: BitwiseCopyable>(_ dictionary: [K: [V]]) {
    write(dictionary.keys, count: dictionary.count)
    write(arrays: dictionary.values)
  }

  /// Appends what `body` writes as one part, preceded by its length in
  /// bytes, so that a reader can check it read exactly the part
  /// (``StateReader/readPart(_:)``) or skip it (``StateReader/skipPart()``).
  /// A writer that emits chunks cannot go back to fill in the length, so it
  /// runs `body` twice: once to count the bytes, once to write them.
  public mutating func writePart(_ body: (inout StateWriter) -> Void) {
    if emit == nil && !measuring {
      let start = bytes.count
      write(0)
      body(&self)
      let length = bytes.count - start - MemoryLayout<Int>.size
      bytes.withUnsafeMutableBytes { $0.storeBytes(of: length, toByteOffset: start, as: Int.self) }
      return
    }
    var measured = Self.measure()
    body(&measured)
    write(measured.count)
    let start = count
    body(&self)
    precondition(count - start == measured.count, "StateWriter: a part wrote other bytes than it measured")
  }

  /// What has been written, followed by its 8-byte ``Digest64``: the only
  /// place a checksum is written. ``StateReader/init(sealed:)-([UInt8])``
  /// checks it, so a damaged byte anywhere (counters and clock included)
  /// is refused before anything is read. For a writer that keeps everything
  /// (``init()``).
  public func sealed() -> [UInt8] {
    var digest = Digest64()
    digest.update(bytes)
    var sealed = bytes
    withUnsafeBytes(of: digest.value) { sealed.append(contentsOf: $0) }
    return sealed
  }

  /// Ends a writer that emits chunks (``init(chunkBytes:emit:)``): emits
  /// what is buffered followed by the 8-byte seal, the same bytes
  /// ``sealed()`` would end with, and returns the seal.
  ///
  /// - Throws: the first error `emit` threw.
  @discardableResult
  public mutating func finish() throws -> UInt64 {
    precondition(emit != nil, "StateWriter: finish() is for a writer that emits chunks; use sealed()")
    let seal = digest.value
    withUnsafeBytes(of: seal) { append($0, sealing: true) }
    if !bytes.isEmpty { emitBuffered() }
    if let failure { throw failure }
    return seal
  }
}
