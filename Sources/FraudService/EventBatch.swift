/// The event lines of one request: its body as one buffer and where each
/// line is in it, so that no line is copied into an array of its own between
/// the HTTP body and the group commit (``EventLines/split(_:singleObject:)``
/// makes one; ``DecisionEngine/decide(_:)`` reads the lines in place).
///
///     let batch = EventBatch(lines: [Array("{...}".utf8), Array("{...}".utf8)])
///     batch.count   // 2
struct EventBatch: Sendable {
  /// The request's bytes.
  var bytes: [UInt8]
  /// Where each event line is in ``bytes``, in order: no line break, no
  /// trailing carriage return, no blank line.
  var lines: [Range<Int>]

  /// The lines of a body already split.
  init(bytes: [UInt8], lines: [Range<Int>]) {
    self.bytes = bytes
    self.lines = lines
  }

  /// `lines` as one batch, each line taken as it is (tests and tools).
  init(lines: [[UInt8]]) {
    var bytes: [UInt8] = []
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(lines.count)
    for line in lines {
      ranges.append(bytes.count..<(bytes.count + line.count))
      bytes += line
      bytes.append(0x0A)
    }
    self.init(bytes: bytes, lines: ranges)
  }

  /// The number of event lines.
  var count: Int { lines.count }
}
