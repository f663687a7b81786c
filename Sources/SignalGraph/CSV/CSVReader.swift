#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A streaming reader of RFC 4180 comma-separated files that works on bytes.
///
/// `CSVReader` reads a file in fixed-size blocks and hands each record to a
/// closure as a borrowed view of its fields. Memory stays bounded by the block
/// size plus the longest record, whatever the file's size, and no `String` is
/// made unless the caller asks for one.
///
///     let reader = CSVReader(path: "payments.csv")
///     try reader.forEachRecord { record in
///       print(record.line, record.count, record.string(at: 0))
///     }
///
/// The dialect is the one of [RFC 4180]: fields separated by commas, records
/// by `LF` or `CRLF`; a field may be enclosed in double quotes, and inside
/// quotes commas, line breaks and doubled quotes (`""`) stand for themselves.
/// A UTF-8 byte-order mark at the start is skipped, and so are empty lines.
/// Anything else (a quote inside an unquoted field, a character after a
/// closing quote, a quote left open at the end of the file) is rejected with a
/// ``CSVError`` that names the line and the field.
///
/// [RFC 4180]: https://www.rfc-editor.org/rfc/rfc4180
///
/// - Complexity: O(*n*) in the size of the file, one pass.
public struct CSVReader: Sendable {
  /// The path of the file to read.
  public let path: String

  /// The size of each block read from the file, at least 16 bytes (so the
  /// first block always holds a whole byte-order mark).
  public var blockSize: Int {
    didSet { blockSize = max(blockSize, 16) }
  }

  /// Creates a reader of the file at `path`; nothing is opened until
  /// ``forEachRecord(_:)`` runs.
  public init(path: String, blockSize: Int = 1 << 20) {
    self.path = path
    self.blockSize = max(blockSize, 16)
  }

  /// Calls `body` once for each record of the file, in order, header included.
  ///
  /// The record passed to `body` is only valid during that call.
  /// - Throws: ``CSVError`` for an unreadable file or a malformed record, and
  ///   anything `body` throws (which stops the reading).
  public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw CSVError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var parser = Parser(path: path)
    var block = [UInt8](repeating: 0, count: blockSize)
    var isFirstBlock = true
    while true {
      let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, blockSize) }
      if n < 0 {
        throw CSVError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      try block.withUnsafeBufferPointer { buffer in
        var chunk = UnsafeBufferPointer(rebasing: buffer[0..<n])
        if isFirstBlock, n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF {
          chunk = UnsafeBufferPointer(rebasing: chunk[3...])
        }
        try parser.consume(chunk, body)
      }
      isFirstBlock = false
    }
    try parser.finish(body)
  }
}

extension CSVReader {
  /// The state machine of the reader: bytes in, records out.
  ///
  /// Field bytes are copied (unquoted) into one growing scratch buffer, so a
  /// record may span any number of blocks.
  struct Parser: ~Copyable {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    let path: String
    var state = State.fieldStart
    var bytes = ScratchBuffer<UInt8>(capacity: 4096)
    var fieldEnds = ScratchBuffer<Int>(capacity: 64)
    var line = 1  // the physical line the parser is on
    var recordLine = 1  // the line the current record started on
    var quoteLine = 1  // the line the open quote started on
    var pendingCR = false  // a CR ended the last record; swallow one LF

    init(path: String) {
      self.path = path
    }

    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (CSVRecord) throws -> Void) throws {
      let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
      var i = 0
      let n = chunk.count
      if pendingCR, n > 0 {
        pendingCR = false
        if chunk[0] == lf { i = 1 }
      }
      while i < n {
        let c = chunk[i]
        switch state {
        case .fieldStart, .unquoted:
          if c == comma {
            fieldEnds.append(bytes.count)
            state = .fieldStart
          } else if c == lf || c == cr {
            try endRecord(body)
            line += 1
            recordLine = line
            if c == cr {
              if i + 1 < n {
                if chunk[i + 1] == lf { i += 1 }
              } else {
                pendingCR = true
              }
            }
          } else if c == quote {
            if state == .fieldStart {
              state = .quoted
              quoteLine = line
            } else {
              throw CSVError.malformed(
                path: path, line: line, field: fieldEnds.count + 1,
                reason: "a double quote inside an unquoted field (quote the whole field and double the quote)")
            }
          } else {
            // Fast path: copy the run of plain bytes up to the next delimiter.
            var j = i + 1
            while j < n {
              let d = chunk[j]
              if d == comma || d == lf || d == cr || d == quote { break }
              j += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[i..<j]))
            state = .unquoted
            i = j
            continue
          }
        case .quoted:
          if c == quote {
            state = .quoteInQuoted
          } else {
            // Fast path: copy the run up to the next quote, counting line feeds.
            var j = i
            while j < n {
              let d = chunk[j]
              if d == quote { break }
              if d == lf { line += 1 }
              j += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[i..<j]))
            i = j
            continue
          }
        case .quoteInQuoted:
          if c == quote {
            bytes.append(quote)
            state = .quoted
          } else if c == comma {
            fieldEnds.append(bytes.count)
            state = .fieldStart
          } else if c == lf || c == cr {
            state = .unquoted
            continue  // handled as the end of the record above
          } else {
            throw CSVError.malformed(
              path: path, line: line, field: fieldEnds.count + 1,
              reason: "unexpected character after a closing quote")
          }
        }
        i += 1
      }
    }

    mutating func finish(_ body: (CSVRecord) throws -> Void) throws {
      switch state {
      case .quoted:
        throw CSVError.malformed(
          path: path, line: quoteLine, field: fieldEnds.count + 1,
          reason: "a quoted field is never closed (unterminated quote)")
      case .unquoted, .quoteInQuoted:
        try endRecord(body)
      case .fieldStart:
        if !fieldEnds.isEmpty { try endRecord(body) }
      }
    }

    private mutating func endRecord(_ body: (CSVRecord) throws -> Void) throws {
      defer {
        bytes.removeAll()
        fieldEnds.removeAll()
        state = .fieldStart
      }
      // An empty line is no record.
      if fieldEnds.isEmpty && bytes.isEmpty && state == .fieldStart { return }
      fieldEnds.append(bytes.count)
      try body(CSVRecord(bytes: bytes.buffer, fieldEnds: fieldEnds.buffer, line: recordLine))
    }
  }
}
