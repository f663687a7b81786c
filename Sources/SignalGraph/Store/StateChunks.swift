/// A sealed state (what ``StateWriter/sealed()`` returns, or the chunks a
/// ``StateWriter/init(chunkBytes:emit:)`` emitted) kept as consecutive
/// chunks that are read one at a time, as often as needed: the rows of a
/// checkpoint in a ``DecisionLog``. ``StateReader/init(sealed:)-(StateChunks)``
/// reads it with one chunk in memory at a time. Where the chunks are cut
/// does not matter: only their bytes put end to end do.
///
///     let rows: [[UInt8]] = [[1, 2, 3], [4, 5]]
///     let chunks = StateChunks(count: rows.count) { rows[$0] }
@_spi(Checkpoint)
public struct StateChunks {
  /// How many chunks there are.
  public let count: Int
  private let chunk: (Int) throws(StateReaderError) -> [UInt8]

  /// `count` chunks that `chunk` reads by index, from 0.
  public init(count: Int, chunk: @escaping (Int) throws(StateReaderError) -> [UInt8]) {
    self.count = count
    self.chunk = chunk
  }

  /// The bytes as one chunk.
  public init(_ bytes: [UInt8]) {
    self.init(count: 1) { _ in bytes }
  }

  /// The bytes of chunk `index`.
  ///
  /// - Throws: what reading them threw (``StateReaderError/unreadable(_:)``).
  public func read(_ index: Int) throws(StateReaderError) -> [UInt8] {
    try chunk(index)
  }
}
