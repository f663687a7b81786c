/// Splits a byte stream that arrives in chunks into the lines of the
/// contract's NDJSON stream: the one place the pre-filter session, the
/// fixture evaluation and the benchmark find line ends.
///
/// A newline (`\n`) ends each line; a carriage return right before it is
/// dropped, so CRLF input reads as LF input. An empty line is a line (the
/// pre-filter answers it with an `error` decision, keeping `seq` equal to the
/// line number). Bytes after the last newline wait for the next chunk: a line
/// may be cut anywhere, even between `\r` and `\n`. At the end of the input,
/// ``finish()`` hands over a last line that has no newline, as it is.
///
///     var splitter = LineSplitter()
///     var lines: [String] = []
///     for chunk in ["{\"a\":1}\r\n{\"b\"", ":2}\n\n{\"c\":3}"] {
///       splitter.split(Array(chunk.utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
///     }
///     if let last = splitter.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
///     // lines == [#"{"a":1}"#, #"{"b":2}"#, "", #"{"c":3}"#]
package struct LineSplitter: Sendable {
  /// The unfinished line: the bytes since the last newline.
  private var tail: [UInt8] = []

  /// Creates a splitter at the start of a stream.
  package init() {}

  /// The number of bytes read since the last newline.
  package var unfinishedBytes: Int { tail.count }

  /// Calls `body` with every line `chunk` completes, in order, each without
  /// its newline (and without a carriage return before it); keeps the rest.
  ///
  /// If `body` throws, the splitting stops there and the error is rethrown;
  /// the bytes of `chunk` after that line are not kept.
  ///
  /// - Complexity: O(`chunk.count` + the length of the lines it completes).
  package mutating func split(_ chunk: UnsafeRawBufferPointer, _ body: ([UInt8]) throws -> Void) rethrows {
    var start = 0
    for (i, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
      tail.append(contentsOf: chunk[start..<i])
      start = i + 1
      if tail.last == UInt8(ascii: "\r") { tail.removeLast() }
      try body(tail)
      tail.removeAll(keepingCapacity: true)
    }
    tail.append(contentsOf: chunk[start...])
  }

  /// Calls `body` with every line `chunk` completes, as the form that takes
  /// raw bytes does.
  package mutating func split(_ chunk: [UInt8], _ body: ([UInt8]) throws -> Void) rethrows {
    try chunk.withUnsafeBytes { try split($0, body) }
  }

  /// Ends the stream: the last line if the input did not end with a newline
  /// (a carriage return at its end is kept: no newline follows it), else
  /// `nil`. The splitter is then at the start of a new stream.
  package mutating func finish() -> [UInt8]? {
    defer { tail = [] }
    return tail.isEmpty ? nil : tail
  }
}
