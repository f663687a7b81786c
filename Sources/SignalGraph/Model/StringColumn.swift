/// A column of strings stored end to end in one byte arena: an append-only
/// list that costs the strings' bytes plus one offset each, and no hashing.
///
/// Used for values that are kept but never looked up, such as payment ids.
public struct StringColumn: Sendable {
  var arena: [UInt8] = []
  var starts: [Int] = [0]

  /// Creates an empty column.
  public init() {}

  /// The number of strings in the column.
  public var count: Int { starts.count - 1 }

  /// The string at `index`.
  public subscript(index: Int) -> String {
    String(decoding: arena[starts[index]..<starts[index + 1]], as: UTF8.self)
  }

  /// Appends the string whose UTF-8 bytes are `bytes`.
  public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    arena.append(contentsOf: bytes)
    starts.append(arena.count)
  }

  /// Appends `string`.
  public mutating func append(_ string: String) {
    arena.append(contentsOf: string.utf8)
    starts.append(arena.count)
  }
}
