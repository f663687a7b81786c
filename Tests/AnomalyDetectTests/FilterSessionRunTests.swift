import Foundation
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter

/// `FilterSession.run(input:output:)` over real files and pipes: the bytes
/// it writes, a restart on the same state file that resumes without
/// repeating a line, and read and write failures as typed errors.
@Suite("Filter session: a run between file descriptors")
struct FilterSessionRunTests {
  typealias Stream = PrefilterStreamTests

  /// Runs a session from the file `input` into a new file `output`; returns
  /// what it wrote and the length of a last line it left undecided.
  static func run(
    _ input: String, into output: String, state: String?, chunkBytes: Int = 1 << 20, checkpointEvery: Int = 1_000_000
  ) throws -> (written: String, unfinished: Int) {
    #expect(FileManager.default.createFile(atPath: output, contents: nil))
    let reading = try #require(FileHandle(forReadingAtPath: input))
    let writing = try #require(FileHandle(forWritingAtPath: output))
    defer {
      try? reading.close()
      try? writing.close()
    }
    var session = try FilterSession(statePath: state, checkpointEvery: checkpointEvery)
    try session.run(input: reading.fileDescriptor, output: writing.fileDescriptor, chunkBytes: chunkBytes)
    return (try String(contentsOfFile: output, encoding: .utf8), session.unfinishedLineBytes)
  }

  /// The tiny synthetic stream, written whole and its first `prefix` lines
  /// apart, and what one session fed line by line writes for it.
  static func files(prefix: Int, outOfOrder: Bool = false) throws -> (
    dir: TemporaryDirectory, whole: String, prefix: String, expected: String
  ) {
    let (dir, lines) = try Stream.tinyStream(outOfOrder: outOfOrder)
    func text(_ part: ArraySlice<[UInt8]>) -> String {
      part.map { String(decoding: $0, as: UTF8.self) + "\n" }.joined()
    }
    let whole = try dir.write("whole.ndjson", text(lines[...]))
    let first = try dir.write("prefix.ndjson", text(lines[..<prefix]))
    let expected = try Stream.run(lines[...], state: nil).map { $0 + "\n" }.joined()
    return (dir, whole, first, expected)
  }

  @Test(arguments: [1 << 20, 4_093, 7])
  func aRunWritesWhatTheSessionDecidesLineByLine(chunkBytes: Int) throws {
    let (dir, whole, _, expected) = try Self.files(prefix: 0)
    defer { dir.remove() }
    let run = try Self.run(whole, into: dir.path + "/out.ndjson", state: nil, chunkBytes: chunkBytes)
    #expect(run.written == expected)
    #expect(run.written.contains(#""decision":"hold""#))
    #expect(run.unfinished == 0)
  }

  /// Killed after a prefix and restarted on the whole input, with and
  /// without a checkpoint to start from, with the events in timestamp order
  /// and out of it: the two outputs together are the uninterrupted one, and
  /// a third run has nothing left to write.
  @Test(arguments: [1_000_000, 300], [false, true])
  func aSecondRunOnTheStateFileResumesWithoutRepeatingLines(checkpointEvery: Int, outOfOrder: Bool) throws {
    let (dir, whole, prefix, expected) = try Self.files(prefix: 500, outOfOrder: outOfOrder)
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    let first = try Self.run(
      prefix, into: dir.path + "/1.ndjson", state: state, chunkBytes: 10_000, checkpointEvery: checkpointEvery)
    let second = try Self.run(
      whole, into: dir.path + "/2.ndjson", state: state, chunkBytes: 10_000, checkpointEvery: checkpointEvery)
    #expect(!first.written.isEmpty && !second.written.isEmpty)
    #expect(first.written + second.written == expected)
    let third = try Self.run(whole, into: dir.path + "/3.ndjson", state: state, checkpointEvery: checkpointEvery)
    #expect(third.written.isEmpty)
  }

  @Test func withAStateFileALastLineWithoutANewlineIsLeftUndecided() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let line = #"{"type":"interaction","src":"a","dst":"b","kind":"follow","ts":1767225600}"#
    let input = try dir.write("events.ndjson", line + "\n" + line)
    let run = try Self.run(input, into: dir.path + "/out.ndjson", state: dir.path + "/state.sqlite")
    #expect(run.written == "{\"seq\":0,\"decision\":\"admit\"}\n")
    #expect(run.unfinished == line.utf8.count)
    let stateless = try Self.run(input, into: dir.path + "/out2.ndjson", state: nil)
    #expect(stateless.written == "{\"seq\":0,\"decision\":\"admit\"}\n{\"seq\":1,\"decision\":\"admit\"}\n")
  }

  @Test func aRunReadsFromAndWritesToPipes() throws {
    let line = #"{"type":"interaction","src":"a","dst":"b","kind":"follow","ts":1767225600}"# + "\n"
    let input = Pipe(), output = Pipe()
    input.fileHandleForWriting.write(Data((line + "not json\n").utf8))
    try input.fileHandleForWriting.close()
    var session = try FilterSession()
    try session.run(
      input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor)
    try output.fileHandleForWriting.close()
    let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(written.hasPrefix("{\"seq\":0,\"decision\":\"admit\"}\n{\"seq\":1,\"decision\":\"error\""))
    #expect(written.split(separator: "\n").count == 2)
  }

  @Test func anOutputThatCannotBeWrittenIsATypedError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let input = try dir.write(
      "events.ndjson", #"{"type":"interaction","src":"a","dst":"b","kind":"follow","ts":1767225600}"# + "\n")
    let reading = try #require(FileHandle(forReadingAtPath: input))
    let readOnly = try #require(FileHandle(forReadingAtPath: input))
    defer {
      try? reading.close()
      try? readOnly.close()
    }
    var session = try FilterSession()
    #expect(throws: FilterIOError.cannotWrite(reason: String(cString: strerror(EBADF)))) {
      try session.run(input: reading.fileDescriptor, output: readOnly.fileDescriptor)
    }
  }

  @Test func anInputThatCannotBeReadIsATypedError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("out.ndjson", "")
    let writeOnly = try #require(FileHandle(forWritingAtPath: file))
    defer { try? writeOnly.close() }
    var session = try FilterSession()
    #expect(throws: FilterIOError.cannotRead(reason: String(cString: strerror(EBADF)))) {
      try session.run(input: writeOnly.fileDescriptor, output: writeOnly.fileDescriptor)
    }
    #expect(
      FilterIOError.cannotRead(reason: "Bad file descriptor").description
        == "cannot read the input: Bad file descriptor")
  }
}
