import Foundation
import SplitMix
import Testing

@testable import SignalGraph

/// A record as the tests see it: its first line and its fields as strings.
struct Record: Equatable, CustomStringConvertible {
  var line: Int
  var fields: [String]
  init(_ line: Int, _ fields: [String]) {
    self.line = line
    self.fields = fields
  }
  var description: String { "\(line):\(fields.debugDescription)" }
}

/// Reads `bytes` from a real file with `CSVReader` at `blockSize`.
func readRecords(_ bytes: [UInt8], blockSize: Int = 1 << 20) throws -> [Record] {
  try withTemporaryDirectory { directory in
    let path = try writeFile(directory, "t.csv", bytes: bytes)
    var records: [Record] = []
    try CSVReader(path: path, blockSize: blockSize).forEachRecord { record in
      records.append(Record(record.line, (0..<record.count).map { record.string(at: $0) }))
    }
    return records
  }
}

func readRecords(_ text: String, blockSize: Int = 1 << 20) throws -> [Record] {
  try readRecords(Array(text.utf8), blockSize: blockSize)
}

/// The line, field and reason of the `CSVError.malformed` reading `text` throws.
func malformed(_ text: String, blockSize: Int = 1 << 20) throws -> (line: Int, field: Int, reason: String)? {
  try withTemporaryDirectory { directory in
    let path = try writeFile(directory, "t.csv", text)
    do {
      try CSVReader(path: path, blockSize: blockSize).forEachRecord { _ in }
      return nil
    } catch let CSVError.malformed(errorPath, line, field, reason) {
      #expect(errorPath == path)
      return (line, field, reason)
    }
  }
}

/// The block sizes every fixed input is read with: the smallest the reader
/// allows, a few odd ones, and one larger than any input.
let blockSizes = [16, 17, 23, 64, 1 << 20]

@Suite("CSVReader") struct CSVReaderTests {
  @Test(arguments: blockSizes)
  func quotedFieldsKeepCommasAndDoubledQuotes(blockSize: Int) throws {
    let text = "id,note,tail\n1,\"a, b, and c\",\"say \"\"hi\"\"\"\n2,\"\",\"\"\"\"\n3,plain,\"x\"\n"
    #expect(
      try readRecords(text, blockSize: blockSize) == [
        Record(1, ["id", "note", "tail"]),
        Record(2, ["1", "a, b, and c", "say \"hi\""]),
        Record(3, ["2", "", "\""]),
        Record(4, ["3", "plain", "x"]),
      ])
  }

  @Test(arguments: blockSizes)
  func embeddedNewlinesKeepTheRecordsFirstLine(blockSize: Int) throws {
    let text = "h1,h2\n\"first\nsecond\",c\nd,\"x\n\ny\"\ne,f\n"
    #expect(
      try readRecords(text, blockSize: blockSize) == [
        Record(1, ["h1", "h2"]),
        Record(2, ["first\nsecond", "c"]),
        Record(4, ["d", "x\n\ny"]),
        Record(7, ["e", "f"]),
      ])
  }

  @Test(arguments: blockSizes)
  func crlfAndLoneCREndRecords(blockSize: Int) throws {
    #expect(
      try readRecords("a,b\r\nc,d\r\n\"e\r\nf\",g\r\nh\ri\n", blockSize: blockSize) == [
        Record(1, ["a", "b"]),
        Record(2, ["c", "d"]),
        Record(3, ["e\r\nf", "g"]),
        Record(5, ["h"]),
        Record(6, ["i"]),
      ])
  }

  /// A CR that is the last byte of a block and the LF that is the first of
  /// the next are one line end, whatever the state the CR was read in.
  @Test(arguments: ["", "\"", ",", "\"q\","])
  func crlfSplitAcrossBlocksIsOneLineEnd(lead: String) throws {
    for padding in 1..<40 {
      let first = lead + String(repeating: "x", count: padding) + (lead.hasPrefix("\"") && lead.count == 1 ? "\"" : "")
      let text = first + "\r\n" + "\r\n" + "y,\"z\"\r\nlast"
      let expected = try readRecords(text, blockSize: 1 << 20)
      #expect(expected.map(\.line) == [1, 3, 4], "padding \(padding)")
      #expect(expected.last?.fields == ["last"])
      for blockSize in [16, 17, 18] {
        #expect(try readRecords(text, blockSize: blockSize) == expected, "padding \(padding) block \(blockSize)")
      }
    }
  }

  @Test(arguments: blockSizes)
  func byteOrderMarkIsSkipped(blockSize: Int) throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("account,x\nu1,2\n".utf8)
    let records = try readRecords(bytes, blockSize: blockSize)
    #expect(records == [Record(1, ["account", "x"]), Record(2, ["u1", "2"])])
    #expect(records.first?.fields.first?.utf8.count == 7)
  }

  @Test func byteOrderMarkOnlyAtTheStartIsSkipped() throws {
    // A BOM anywhere else is data.
    let bytes: [UInt8] = Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b\n".utf8)
    #expect(try readRecords(bytes) == [Record(1, ["a"]), Record(2, ["\u{FEFF}b"])])
  }

  @Test(arguments: blockSizes)
  func emptyLinesAreSkippedButCounted(blockSize: Int) throws {
    let text = "\n\na,b\n\n\r\n\nc,d\n\n"
    #expect(try readRecords(text, blockSize: blockSize) == [Record(3, ["a", "b"]), Record(7, ["c", "d"])])
  }

  @Test func aQuotedEmptyFieldIsARecordNotAnEmptyLine() throws {
    #expect(try readRecords("h\n\"\"\n\nx\n") == [Record(1, ["h"]), Record(2, [""]), Record(4, ["x"])])
  }

  @Test(arguments: blockSizes)
  func lastRecordWithoutTrailingNewline(blockSize: Int) throws {
    #expect(
      try readRecords("h,i\nlast,one", blockSize: blockSize) == [Record(1, ["h", "i"]), Record(2, ["last", "one"])])
    #expect(try readRecords("h,i\nlast,", blockSize: blockSize) == [Record(1, ["h", "i"]), Record(2, ["last", ""])])
    #expect(
      try readRecords("h,i\nlast,\"q\"", blockSize: blockSize) == [Record(1, ["h", "i"]), Record(2, ["last", "q"])])
  }

  @Test func emptyFileHasNoRecords() throws {
    #expect(try readRecords("") == [])
    #expect(try readRecords([0xEF, 0xBB, 0xBF]) == [])
  }

  @Test(arguments: blockSizes)
  func quoteInsideAnUnquotedFieldIsRejected(blockSize: Int) throws {
    let error = try #require(try malformed("x,y\nab,c\"d\n", blockSize: blockSize))
    #expect(error.line == 2)
    #expect(error.field == 2)
    #expect(error.reason.contains("unquoted"))
  }

  @Test(arguments: blockSizes)
  func characterAfterAClosingQuoteIsRejected(blockSize: Int) throws {
    let error = try #require(try malformed("x,y,z\n\"multi\nline\",ok,\n1,\"a\"b,c\n", blockSize: blockSize))
    #expect(error.line == 4)
    #expect(error.field == 2)
    #expect(error.reason.contains("closing quote"))
  }

  @Test(arguments: blockSizes)
  func unterminatedQuoteNamesTheLineItOpenedOn(blockSize: Int) throws {
    let error = try #require(try malformed("x,y\na,b\nc,\"open\nmore\nstill\n", blockSize: blockSize))
    #expect(error.line == 3)
    #expect(error.field == 2)
    #expect(error.reason.contains("unterminated"))
  }

  @Test func malformedErrorDescriptionHasFileLineAndField() throws {
    let error = CSVError.malformed(path: "d/p.csv", line: 12, field: 3, reason: "why")
    #expect(error.description == "d/p.csv:12: field 3: malformed CSV: why")
  }

  @Test func missingFileCannotBeOpened() throws {
    try withTemporaryDirectory { directory in
      let path = filePath(directory, "absent.csv")
      #expect {
        try CSVReader(path: path).forEachRecord { _ in }
      } throws: { error in
        guard case let CSVError.cannotOpen(errorPath, _) = error else { return false }
        return errorPath == path
      }
    }
  }

  @Test func anErrorThrownByTheBodyStopsTheReading() throws {
    struct Stop: Error {}
    try withTemporaryDirectory { directory in
      let path = try writeFile(directory, "t.csv", "a\nb\nc\n")
      var seen: [String] = []
      #expect(throws: Stop.self) {
        try CSVReader(path: path).forEachRecord { record in
          seen.append(record.string(at: 0))
          if seen.count == 2 { throw Stop() }
        }
      }
      #expect(seen == ["a", "b"])
    }
  }

  @Test func blockSizeIsNeverBelowTheMinimum() throws {
    var reader = CSVReader(path: "x.csv", blockSize: 7)
    #expect(reader.blockSize == 16)
    reader.blockSize = 0
    #expect(reader.blockSize == 16)
    reader.blockSize = 100
    #expect(reader.blockSize == 100)
  }

  @Test func settingATinyBlockSizeStillReadsEverything() throws {
    try withTemporaryDirectory { directory in
      let path = try writeFile(directory, "t.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\nc,d\n".utf8))
      for size in [0, 1, 2, 7] {
        var reader = CSVReader(path: path)
        reader.blockSize = size
        var records: [Record] = []
        try reader.forEachRecord { r in records.append(Record(r.line, (0..<r.count).map { r.string(at: $0) })) }
        #expect(records == [Record(1, ["a", "b"]), Record(2, ["c", "d"])], "block size \(size)")
      }
    }
  }

  // MARK: - Properties over generated inputs

  /// Generates records, writes them with random quoting, line endings, empty
  /// lines and BOM, and returns the bytes with the records the reader must give.
  static func generate(seed: UInt64) -> (text: [UInt8], records: [Record]) {
    var rng = SplitMix64(seed: seed)
    let pieces = ["a", "b", "xyz", ",", "\"", "\n", "\r\n", "\r", " ", "é", "1.5", ""]
    var bytes: [UInt8] = Bool.random(using: &rng) ? [0xEF, 0xBB, 0xBF] : []
    var lfs = 0
    var records: [Record] = []
    let recordCount = Int.random(in: 0...12, using: &rng)
    for k in 0..<recordCount {
      while Int.random(in: 0..<5, using: &rng) == 0 {  // empty lines
        bytes += Bool.random(using: &rng) ? [0x0A] : [0x0D, 0x0A]
        lfs += 1
      }
      let fieldCount = Int.random(in: 1...5, using: &rng)
      var fields: [String] = []
      for _ in 0..<fieldCount {
        var field = ""
        for _ in 0..<Int.random(in: 0...4, using: &rng) { field += pieces.randomElement(using: &rng)! }
        fields.append(field)
      }
      records.append(Record(1 + lfs, fields))
      for (f, field) in fields.enumerated() {
        if f > 0 { bytes.append(0x2C) }
        let mustQuote =
          field.utf8.contains(where: { [0x2C, 0x22, 0x0D, 0x0A].contains($0) }) || (fieldCount == 1 && field.isEmpty)
        if mustQuote || Int.random(in: 0..<4, using: &rng) == 0 {
          bytes += Array(("\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
        } else {
          bytes += Array(field.utf8)
        }
        lfs += field.utf8.filter { $0 == 0x0A }.count
      }
      let last = k == recordCount - 1
      if !last || Bool.random(using: &rng) {
        bytes += Bool.random(using: &rng) ? [0x0A] : [0x0D, 0x0A]
        lfs += 1
      }
    }
    return (bytes, records)
  }

  @Test(arguments: 0..<48 as Range<UInt64>)
  func generatedInputsReadBackWhateverTheBlockSize(seed: UInt64) throws {
    for round in 0..<8 as Range<UInt64> {
      let (bytes, expected) = Self.generate(seed: seed * 1000 + round)
      let whole = try readRecords(bytes, blockSize: 1 << 20)
      #expect(whole == expected, "seed \(seed * 1000 + round)")
      for blockSize in [16, 17, 19, 32] {
        #expect(try readRecords(bytes, blockSize: blockSize) == whole, "seed \(seed * 1000 + round) block \(blockSize)")
      }
    }
  }

  @Test(arguments: 0..<16 as Range<UInt64>)
  func errorsNameTheSamePlaceWhateverTheBlockSize(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let breakers = ["x\"y", "\"a\"b", "\"never closed\nat all"]
    for round in 0..<6 {
      let (bytes, records) = Self.generate(seed: seed * 7919 + UInt64(round))
      var text = String(decoding: bytes, as: UTF8.self)
      if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
      let breaker = breakers.randomElement(using: &rng)!
      text += "ok,\(breaker),tail\n"
      let expectedLine = 1 + text.utf8.filter { $0 == 0x0A }.count - 1 - breaker.utf8.filter { $0 == 0x0A }.count
      let whole = try #require(try malformed(text))
      #expect(whole.line == expectedLine, "seed \(seed) round \(round) after \(records.count) records")
      #expect(whole.field == 2)
      for blockSize in [16, 17, 29] {
        let small = try #require(try malformed(text, blockSize: blockSize))
        #expect(small.line == whole.line && small.field == whole.field && small.reason == whole.reason)
      }
    }
  }
}
