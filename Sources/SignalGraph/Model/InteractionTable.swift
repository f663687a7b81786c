/// The interactions of a signal set (follows, likes and other kinds), column
/// by column: `source` acted on `target`. Which of them are endorsements,
/// raising the target's standing, ``EndorsementPolicy`` says.
public struct InteractionTable: Sendable {
  /// The endorsing account.
  public internal(set) var source: [Int32] = []
  /// The endorsed account.
  public internal(set) var target: [Int32] = []
  /// The kind, an index into ``kinds``.
  public internal(set) var kind: [Int32] = []
  /// When it happened, in Unix seconds.
  public internal(set) var time: [Int64] = []
  /// The optional signed rating (e.g. −10 to 10), `.nan` where none was given.
  /// A negative rating is never an endorsement (``EndorsementPolicy``).
  public internal(set) var rating: [Double] = []
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

  /// Appends one interaction of kind index `kind`, with its `rating` if it has one.
  public mutating func append(source: Int32, target: Int32, kind: Int32, time: Int64, rating: Double? = nil) {
    self.source.append(source)
    self.target.append(target)
    self.kind.append(kind)
    self.time.append(time)
    self.rating.append(rating ?? .nan)
  }

  /// The rating of row `row`, `nil` when it has none.
  public func rating(at row: Int) -> Double? {
    let r = rating[row]
    return r.isNaN ? nil : r
  }

  /// The kind index of `name`, added if new.
  public mutating func kindIndex(_ name: String) -> Int32 { kinds.intern(name) }
}
