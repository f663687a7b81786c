import SplitMix
import Testing

@testable import SignalGraph

@Suite struct LineSplitterTests {
  /// Every line `chunks` make, the unfinished last one included.
  private func lines(_ chunks: [String]) -> [String] {
    var splitter = LineSplitter()
    var out: [String] = []
    for chunk in chunks {
      splitter.split(Array(chunk.utf8)) { out.append(String(decoding: $0, as: UTF8.self)) }
    }
    if let last = splitter.finish() { out.append(String(decoding: last, as: UTF8.self)) }
    return out
  }

  @Test func aNewlineEndsEachLine() {
    #expect(lines(["a\nbc\n"]) == ["a", "bc"])
    #expect(lines([]) == [])
    #expect(lines([""]) == [])
  }

  @Test func emptyLinesAreLines() {
    // The pre-filter answers each with an error decision, so seq stays the line number.
    #expect(lines(["\n\na\n\n"]) == ["", "", "a", ""])
  }

  @Test func aLastLineWithoutNewlineComesFromFinish() {
    var splitter = LineSplitter()
    var seen: [[UInt8]] = []
    splitter.split(Array("one\ntwo".utf8)) { seen.append($0) }
    #expect(seen == [Array("one".utf8)])
    #expect(splitter.unfinishedBytes == 3)
    #expect(splitter.finish() == Array("two".utf8))
    #expect(splitter.finish() == nil)
    #expect(splitter.unfinishedBytes == 0)
  }

  @Test func crlfReadsAsLf() {
    #expect(lines(["a\r\nb\r\n"]) == ["a", "b"])
    // Cut between the carriage return and the newline.
    #expect(lines(["a\r", "\nb\r", "\n"]) == ["a", "b"])
    // A carriage return elsewhere is data; so is one ending the input.
    #expect(lines(["a\rb\n\r\r\n", "c\r"]) == ["a\rb", "\r", "c\r"])
  }

  @Test func linesCutAcrossChunksComeOutWhole() {
    #expect(lines(["{\"a\"", ":1}", "\n{", "\"b\":2}\n"]) == ["{\"a\":1}", "{\"b\":2}"])
    #expect(lines(["x", "", "y\n", "\n"]) == ["xy", ""])
  }

  @Test(arguments: 0..<20 as Range<UInt64>)
  func anyChunkingGivesTheSameLines(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let alphabet = Array("ab\n\r{}\"".utf8)
    let stream = (0..<rng.int(in: 0...200)).map { _ in rng.element(of: alphabet) }
    let whole = lines([String(decoding: stream, as: UTF8.self)])
    var chunks: [String] = []
    var i = 0
    while i < stream.count {
      let n = rng.int(in: 0...(stream.count - i))
      chunks.append(String(decoding: stream[i..<(i + n)], as: UTF8.self))
      i += n
    }
    #expect(lines(chunks) == whole)
    // And the lines are those of the definition: split on LF, drop one CR before it.
    // (On bytes: a String reads "\r\n" as one Character.)
    var expected = stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) }
    let last = expected.removeLast()
    expected = expected.map { $0.last == UInt8(ascii: "\r") ? Array($0.dropLast()) : $0 }
    if !last.isEmpty { expected.append(last) }
    #expect(whole == expected.map { String(decoding: $0, as: UTF8.self) })
  }
}
