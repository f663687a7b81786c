import NIOCore

/// Splits a request body into event lines: NDJSON (a newline ends each
/// line, a carriage return before it is dropped, blank lines are skipped),
/// or with `singleObject` one JSON event that may span lines (its line
/// breaks are JSON whitespace and become spaces).
///
///     EventLines.split(ByteBuffer(string: "{...}\n{...}\n"), singleObject: false).count   // two lines
///
/// - Complexity: O(body length); the body is copied once, into one buffer
///   (``EventBatch``), and each line is a range in it.
enum EventLines {
  static func split(_ body: ByteBuffer, singleObject: Bool) -> EventBatch {
    body.withUnsafeReadableBytes { raw in
      var bytes = Array(raw.bindMemory(to: UInt8.self))
      if singleObject {
        for i in bytes.indices where bytes[i] == 0x0A || bytes[i] == 0x0D { bytes[i] = 0x20 }
        return EventBatch(bytes: bytes, lines: isBlank(bytes[...]) ? [] : [0..<bytes.count])
      }
      var lines: [Range<Int>] = []
      bytes.withUnsafeBufferPointer { bytes in
        var start = 0
        func take(_ end: Int) {
          var stop = end
          if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
          if !isBlank(UnsafeBufferPointer(rebasing: bytes[start..<stop])) { lines.append(start..<stop) }
        }
        for i in 0..<bytes.count where bytes[i] == 0x0A {
          take(i)
          start = i + 1
        }
        if start < bytes.count { take(bytes.count) }
      }
      return EventBatch(bytes: bytes, lines: lines)
    }
  }

  private static func isBlank<C: Collection<UInt8>>(_ line: C) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }
}
