/// The payments of a signal set, column by column: row *i* of each array is
/// payment *i*, in the order the payments were read.
public struct PaymentTable: Sendable {
  /// The payment ids, as given.
  public internal(set) var ids = StringColumn()
  /// The paying account.
  public internal(set) var source: [Int32] = []
  /// The paid account.
  public internal(set) var target: [Int32] = []
  /// The amount in micro-units (see ``Amount``).
  public internal(set) var amountMicros: [Int64] = []
  /// When the payment happened, in Unix seconds.
  public internal(set) var time: [Int64] = []

  /// Creates an empty table.
  public init() {}

  /// The number of payments.
  public var count: Int { source.count }

  /// Appends one payment.
  public mutating func append(id: String, source: Int32, target: Int32, amount: Amount, time: Int64) {
    ids.append(id)
    appendColumns(source: source, target: target, amount: amount, time: time)
  }

  mutating func appendColumns(source: Int32, target: Int32, amount: Amount, time: Int64) {
    self.source.append(source)
    self.target.append(target)
    self.amountMicros.append(amount.micros)
    self.time.append(time)
  }
}
