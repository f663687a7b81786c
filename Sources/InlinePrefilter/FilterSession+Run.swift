#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FilterSession {
  /// Decides every line read from the file descriptor `input` until its end
  /// and writes the decision lines to the file descriptor `output`: what
  /// `fraudscan filter` does with standard input and output.
  ///
  /// The input is read in chunks of `chunkBytes`; after each, the decisions
  /// it completed are written out in full and only then made durable with
  /// ``commit()`` (emit, then commit): a crash in between can make a
  /// restarted run repeat lines of the last batch, never lose one. At the
  /// end of the input, ``finish()`` decides what is left and its lines are
  /// emitted and committed the same way. A read or write interrupted by a
  /// signal is retried. Afterwards, ``unfinishedLineBytes`` says whether a
  /// last line without a newline was left undecided.
  ///
  ///     var session = try FilterSession(statePath: "state.sqlite")
  ///     try session.run(input: STDIN_FILENO, output: STDOUT_FILENO)
  ///
  /// - Throws: ``FilterIOError`` when `input` cannot be read or `output`
  ///   written; whatever ``consume(_:)``, ``finish()`` or ``commit()`` throw.
  /// - Complexity: that of deciding the lines, plus one commit per chunk.
  public mutating func run(input: Int32, output: Int32, chunkBytes: Int = 1 << 20) throws {
    var buffer = [UInt8](repeating: 0, count: max(1, chunkBytes))
    while true {
      let count = try Self.readChunk(input, into: &buffer)
      if count == 0 { break }
      let lines = try buffer.withUnsafeBytes { try consume(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      try emitThenCommit(lines, to: output)
    }
    try emitThenCommit(try finish(), to: output)
  }

  /// Writes `lines` to `output` in full, then makes them durable.
  private mutating func emitThenCommit(_ lines: String, to output: Int32) throws {
    try Self.writeAll(Array(lines.utf8), to: output)
    try commit()
  }

  /// Reads up to `buffer.count` bytes from `fd` (0 at its end), retrying when interrupted.
  private static func readChunk(_ fd: Int32, into buffer: inout [UInt8]) throws(FilterIOError) -> Int {
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count >= 0 { return count }
      if errno != EINTR { throw .cannotRead(reason: String(cString: strerror(errno))) }
    }
  }

  /// Writes all of `bytes` to `fd`, retrying when interrupted or cut short.
  private static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(FilterIOError) {
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotWrite(reason: String(cString: strerror(errno)))
      }
      if count == 0 { throw .cannotWrite(reason: "nothing could be written") }
      written += count
    }
  }
}
