/// One record of a CSV file, borrowed from a ``CSVReader`` for the duration of
/// a callback: its fields, unquoted, as byte buffers.
public struct CSVRecord {
  let bytes: UnsafeBufferPointer<UInt8>
  let fieldEnds: UnsafeBufferPointer<Int>

  /// The 1-based line of the file on which the record starts.
  public let line: Int

  /// The number of fields in the record.
  public var count: Int { fieldEnds.count }

  /// The bytes of field `index` (0-based), quotes removed.
  ///
  /// - Complexity: O(1).
  public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
    let start = index == 0 ? 0 : fieldEnds[index - 1]
    return UnsafeBufferPointer(rebasing: bytes[start..<fieldEnds[index]])
  }

  /// The field `index` decoded as UTF-8 (invalid sequences are repaired).
  public func string(at index: Int) -> String {
    String(decoding: self[index], as: UTF8.self)
  }
}
