import Testing

@_spi(Checkpoint) @testable import SignalGraph

@Suite("StateWriter and StateReader")
struct StateWriterTests {
  /// A record without padding: the writer copies a value's bytes as they
  /// are, and padding bytes hold whatever the memory held, so two writes of
  /// equal records with padding need not give equal bytes.
  struct Record: Equatable {
    var a: Int32
    var flag: UInt32
    var b: Int64
  }

  @Test func readsBackWhatWasWrittenInOrder() throws {
    var writer = StateWriter()
    writer.write(Int64(-7))
    writer.write([Record(a: 1, flag: 1, b: 2), Record(a: -3, flag: 0, b: .max)])
    writer.write([[Int32](), [1, 2, 3], [4]])
    writer.write("naïve, \"quoted\"")
    writer.write([UInt64(5): Int32(50), 6: 60])
    writer.write([Int32(9): [UInt64(1), 2], 10: []])
    var reader = StateReader(writer.bytes)
    #expect(try reader.read(Int64.self) == -7)
    #expect(try reader.readArray(Record.self) == [Record(a: 1, flag: 1, b: 2), Record(a: -3, flag: 0, b: .max)])
    #expect(try reader.readArrays(Int32.self) == [[], [1, 2, 3], [4]])
    #expect(try reader.readString() == "naïve, \"quoted\"")
    #expect(try reader.readDictionary(UInt64.self, Int32.self) == [5: 50, 6: 60])
    #expect(try reader.readDictionaryOfArrays(Int32.self, UInt64.self) == [9: [1, 2], 10: []])
    #expect(reader.isAtEnd)
  }

  /// A dictionary is read back whole, large or with a key written twice
  /// (bytes no writer of a dictionary makes): the key's first value is kept.
  @Test func dictionariesKeepEveryKeyAndAKeysFirstValue() throws {
    let large = Dictionary(uniqueKeysWithValues: (0..<5_000).map { (UInt64($0) &* 0x9E37_79B9, Int32($0)) })
    var writer = StateWriter()
    writer.write(large)
    writer.write([UInt64(3), 4, 3, 5, 4])
    writer.write([Int32(30), 40, 31, 50, 41])
    writer.write([Int32(7), 8, 7])
    writer.write([[UInt64(70)], [80], [71, 72]])
    var reader = StateReader(writer.bytes)
    #expect(try reader.readDictionary(UInt64.self, Int32.self) == large)
    #expect(try reader.readDictionary(UInt64.self, Int32.self) == [3: 30, 4: 40, 5: 50])
    #expect(try reader.readDictionaryOfArrays(Int32.self, UInt64.self) == [7: [70], 8: [80]])
    #expect(reader.isAtEnd)
  }

  @Test func aPartMustBeReadExactlyAndCanBeSkipped() throws {
    var writer = StateWriter()
    writer.writePart { $0.write([Int32(1), 2, 3]) }
    writer.writePart { $0.write(Int64(4)) }
    var reader = StateReader(writer.bytes)
    #expect(try reader.readPart { reader throws(StateReaderError) in try reader.readArray(Int32.self) } == [1, 2, 3])
    #expect(try reader.skipPart().count == MemoryLayout<Int64>.size)
    #expect(reader.isAtEnd)
    // Reading less (or more) than the part is refused.
    var short = StateReader(writer.bytes)
    #expect(throws: StateReaderError.malformed) {
      try short.readPart { reader throws(StateReaderError) in try reader.read(Int.self) }
    }
  }

  @Test func refusesToReadPastTheEnd() {
    var writer = StateWriter()
    writer.write([Int64](repeating: 1, count: 10))
    var cut = StateReader(Array(writer.bytes.dropLast()))
    #expect(throws: StateReaderError.truncated) { try cut.readArray(Int64.self) }
    var empty = StateReader([])
    #expect(throws: StateReaderError.truncated) { try empty.read(Int.self) }
    // A count larger than the bytes left is refused before anything is allocated.
    var huge = StateWriter()
    huge.write(Int.max)
    var reader = StateReader(huge.bytes)
    #expect(throws: StateReaderError.truncated) { try reader.readArray(UInt8.self) }
  }

  /// A writer that emits chunks emits, end to end, exactly the bytes
  /// `sealed()` returns for the same writes, parts and their lengths included.
  static func writeSample(_ writer: inout StateWriter) {
    writer.write(Int64(-7))
    writer.writePart { part in
      part.write([Record(a: 1, flag: 1, b: 2), Record(a: -3, flag: 0, b: .max)])
      part.write((0..<1_000).map { UInt64($0 &* 2_654_435_761) })
    }
    writer.write("naïve")
    writer.writePart { part in
      part.write(sampleLists)
      part.write(sampleCounts)
    }
  }

  // One instance each: a dictionary is written in its iteration order, which
  // two equal dictionaries need not share (each has a seed of its own).
  static let sampleLists: [Int32: [UInt64]] = [9: [1, 2], 10: []]
  static let sampleCounts: [UInt64: Int32] = [5: 50, 6: 60]

  @Test(arguments: [8, 13, 64, 4_096, 1 << 20])
  func chunksPutEndToEndAreTheSealedBytes(chunkBytes: Int) throws {
    var whole = StateWriter()
    Self.writeSample(&whole)
    var chunks: [[UInt8]] = []
    var chunked = StateWriter(chunkBytes: chunkBytes) { chunks.append(Array($0)) }
    Self.writeSample(&chunked)
    let seal = try chunked.finish()
    #expect(chunks.flatMap { $0 } == whole.sealed())
    #expect(chunks.dropLast().allSatisfy { $0.count == chunkBytes })
    #expect(withUnsafeBytes(of: seal) { Array($0) } == Array(whole.sealed().suffix(8)))
    // Read back a chunk at a time, values straddling chunks included.
    var reader = try StateReader(sealed: StateChunks(count: chunks.count) { chunks[$0] })
    #expect(try reader.read(Int64.self) == -7)
    let first = try reader.readPart { reader throws(StateReaderError) in
      (try reader.readArray(Record.self), try reader.readArray(UInt64.self))
    }
    #expect(first.0 == [Record(a: 1, flag: 1, b: 2), Record(a: -3, flag: 0, b: .max)])
    #expect(first.1 == (0..<1_000).map { UInt64($0 &* 2_654_435_761) })
    #expect(try reader.readString() == "naïve")
    #expect(try reader.skipPart().count > 0)
    #expect(reader.isAtEnd)
  }

  @Test func damagedOrMissingChunksAreRefusedBeforeAnythingIsRead() throws {
    var chunks: [[UInt8]] = []
    var chunked = StateWriter(chunkBytes: 100) { chunks.append(Array($0)) }
    Self.writeSample(&chunked)
    try chunked.finish()
    #expect(chunks.count > 3)
    var flipped = chunks
    flipped[1][50] ^= 1
    var dropped = chunks
    dropped.remove(at: 1)
    var cut = chunks
    cut[cut.count - 1].removeLast()
    for damaged in [flipped, dropped, cut, [], [[1, 2, 3]]] {
      #expect(throws: StateReaderError.checksumMismatch) {
        try StateReader(sealed: StateChunks(count: damaged.count) { damaged[$0] })
      }
    }
    // Chunks cut elsewhere hold the same state.
    let joined = chunks.flatMap { $0 }
    let recut = [Array(joined[..<3]), Array(joined[3..<(joined.count - 5)]), Array(joined.suffix(5))]
    var reader = try StateReader(sealed: StateChunks(count: recut.count) { recut[$0] })
    #expect(try reader.read(Int64.self) == -7)
    // A chunk that fails to read is reported as such.
    #expect(throws: StateReaderError.unreadable("disk")) {
      try StateReader(
        sealed: StateChunks(count: 2) { (i: Int) throws(StateReaderError) -> [UInt8] in
          if i == 1 { throw .unreadable("disk") }
          return chunks[0]
        })
    }
  }

  @Test func aChunkedWriterReportsTheFirstErrorOfItsChunksAtTheEnd() {
    struct Full: Error {}
    var chunked = StateWriter(chunkBytes: 16) { _ in throw Full() }
    Self.writeSample(&chunked)
    #expect(throws: Full.self) { try chunked.finish() }
  }

  @Test func sequencesAndNestedCollectionsWriteTheBytesOfArrays() {
    let scores: [UInt64: Int32] = [1: 10, 2: 20, 3: 30]
    let nested: [ArraySlice<Int32>] = [[1, 2, 3][1...], [], [4][...]]
    var streamed = StateWriter(), arrays = StateWriter()
    streamed.write(scores.keys, count: scores.count)
    streamed.write((0..<10_000).lazy.map { Int16(truncatingIfNeeded: $0) }, count: 10_000)
    streamed.write(arrays: nested)
    arrays.write(Array(scores.keys))
    arrays.write((0..<10_000).map { Int16(truncatingIfNeeded: $0) })
    arrays.write(nested.map { Array($0) })
    #expect(streamed.bytes == arrays.bytes)
    #expect(streamed.count == arrays.bytes.count)
  }

  @Test func aDigestInPiecesIsTheDigestOfTheWhole() {
    let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    for cuts in [[], [0], [1], [7, 8, 9], [3, 500, 501, 999], Array(stride(from: 0, to: 1_000, by: 3))] {
      for count in [0, 5, 8, 17, 1_000] {
        var whole = Digest64()
        whole.update(bytes[..<count])
        var pieces = SplitDigest64()
        var start = 0
        for cut in cuts where cut <= count {
          pieces.update(bytes[start..<cut])
          start = cut
        }
        pieces.update(bytes[start..<count])
        #expect(pieces.value == whole.value, "cuts \(cuts), \(count) bytes")
      }
    }
  }
}
