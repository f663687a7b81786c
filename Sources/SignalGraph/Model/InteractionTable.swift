/// The endorsements of a signal set (follows, likes and other kinds), column
/// by column: `source` endorses `target`, raising the target's standing.
public struct InteractionTable: Sendable {
  /// The endorsing account.
  public internal(set) var source: [Int32] = []
  /// The endorsed account.
  public internal(set) var target: [Int32] = []
  /// The kind, an index into ``kinds``.
  public internal(set) var kind: [Int32] = []
  /// When it happened, in Unix seconds.
  public internal(set) var time: [Int64] = []
  /// The kinds seen; `follow` is always 0 and `like` always 1.
  public internal(set) var kinds = StringInterner()

  /// The kind index of `follow`.
  public static let follow: Int32 = 0
  /// The kind index of `like`.
  public static let like: Int32 = 1

  /// Creates an empty table.
  public init() {
    kinds.intern("follow")
    kinds.intern("like")
  }

  /// The number of interactions.
  public var count: Int { source.count }

  /// Appends one interaction of kind index `kind`.
  public mutating func append(source: Int32, target: Int32, kind: Int32, time: Int64) {
    self.source.append(source)
    self.target.append(target)
    self.kind.append(kind)
    self.time.append(time)
  }

  /// The kind index of `name`, added if new.
  public mutating func kindIndex(_ name: String) -> Int32 { kinds.intern(name) }
}
