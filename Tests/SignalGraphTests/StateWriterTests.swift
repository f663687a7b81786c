import Testing

@testable import SignalGraph

@Suite("StateWriter and StateReader")
struct StateWriterTests {
  struct Record: Equatable {
    var a: Int32
    var b: Int64
    var flag: Bool
  }

  @Test func readsBackWhatWasWrittenInOrder() throws {
    var writer = StateWriter()
    writer.write(Int64(-7))
    writer.write([Record(a: 1, b: 2, flag: true), Record(a: -3, b: .max, flag: false)])
    writer.write([[Int32](), [1, 2, 3], [4]])
    writer.write("naïve, \"quoted\"")
    writer.write([UInt64(5): Int32(50), 6: 60])
    writer.write([Int32(9): [UInt64(1), 2], 10: []])
    var reader = StateReader(writer.bytes)
    #expect(try reader.read(Int64.self) == -7)
    #expect(try reader.readArray(Record.self) == [Record(a: 1, b: 2, flag: true), Record(a: -3, b: .max, flag: false)])
    #expect(try reader.readArrays(Int32.self) == [[], [1, 2, 3], [4]])
    #expect(try reader.readString() == "naïve, \"quoted\"")
    #expect(try reader.readDictionary(UInt64.self, Int32.self) == [5: 50, 6: 60])
    #expect(try reader.readDictionaryOfArrays(Int32.self, UInt64.self) == [9: [1, 2], 10: []])
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
}
