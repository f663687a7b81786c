import NIOCore

/// Splits a request body into event lines: NDJSON (a newline ends each
/// line, a carriage return before it is dropped, blank lines are skipped),
/// or with `singleObject` one JSON event that may span lines (its line
/// breaks are JSON whitespace and become spaces).
///
///     EventLines.split(ByteBuffer(string: "{...}\n{...}\n"), singleObject: false)   // two lines
///
/// - Complexity: O(body length); each line is copied once.
enum EventLines {
  static func split(_ body: ByteBuffer, singleObject: Bool) -> [[UInt8]] {
    body.withUnsafeReadableBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      if singleObject {
        var line = Array(bytes)
        for i in line.indices where line[i] == 0x0A || line[i] == 0x0D { line[i] = 0x20 }
        return isBlank(line[...]) ? [] : [line]
      }
      var lines: [[UInt8]] = []
      var start = 0
      func take(_ end: Int) {
        var stop = end
        if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[start..<stop])
        if !isBlank(line) { lines.append(Array(line)) }
      }
      for i in 0..<bytes.count where bytes[i] == 0x0A {
        take(i)
        start = i + 1
      }
      if start < bytes.count { take(bytes.count) }
      return lines
    }
  }

  private static func isBlank<C: Collection<UInt8>>(_ line: C) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }
}
