/// The profile edits of a signal set, column by column: `account` set
/// `field` to `value`. Fields and values are interned, so equal values share
/// one index (the raw material of shared-value detection).
public struct ProfileEditTable: Sendable {
  /// The editing account.
  public internal(set) var account: [Int32] = []
  /// The field, an index into ``fields``.
  public internal(set) var field: [Int32] = []
  /// The value, an index into ``values``.
  public internal(set) var value: [Int32] = []
  /// When it happened, in Unix seconds.
  public internal(set) var time: [Int64] = []
  /// The distinct field names.
  public internal(set) var fields = StringInterner()
  /// The distinct values, across all fields.
  public internal(set) var values = StringInterner()

  /// Creates an empty table.
  public init() {}

  /// The number of edits.
  public var count: Int { account.count }

  /// Appends one edit.
  public mutating func append(account: Int32, field: String, value: String, time: Int64) {
    append(account: account, field: fields.intern(field), value: values.intern(value), time: time)
  }

  mutating func append(account: Int32, field: Int32, value: Int32, time: Int64) {
    self.account.append(account)
    self.field.append(field)
    self.value.append(value)
    self.time.append(time)
  }
}
