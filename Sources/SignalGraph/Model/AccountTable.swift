/// Every account of a signal set: its id, interned to a dense `Int32` index,
/// and its creation time.
public struct AccountTable: Sendable {
  /// The account ids; an account's index is its position here.
  public internal(set) var ids = StringInterner()
  /// Creation time of each account in Unix seconds, or ``unknownTime``.
  public internal(set) var createdAt: [Int64] = []

  /// The value of ``createdAt`` for an account whose creation time is unknown.
  public static let unknownTime = Int64.min

  /// Creates an empty table.
  public init() {}

  /// The number of accounts.
  public var count: Int { createdAt.count }

  /// The index of the account with id `id`, adding the account if it is new.
  @discardableResult
  public mutating func index(of id: UnsafeBufferPointer<UInt8>) -> Int32 {
    let index = ids.intern(id)
    if Int(index) == createdAt.count { createdAt.append(Self.unknownTime) }
    return index
  }

  /// The index of the account with id `id`, adding the account if it is new.
  @discardableResult
  public mutating func index(of id: String) -> Int32 {
    var id = id
    return id.withUTF8 { index(of: $0) }
  }

  /// Records that account `index` was created at `time` (Unix seconds).
  public mutating func setCreatedAt(_ time: Int64, for index: Int32) {
    createdAt[Int(index)] = time
  }
}
