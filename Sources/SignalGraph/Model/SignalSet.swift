/// A whole signal set in memory: accounts, payments, interactions and profile
/// edits, each held as a struct of arrays with accounts interned to `Int32`.
///
/// Ten million signals take a few hundred megabytes: a payment costs its id's
/// bytes plus 24 bytes of columns, an interaction 24 bytes, an edit 20.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     print(set.accounts.count, set.interactions.count)
///
/// Read one with ``init(contentsOf:progress:)`` (a CSV directory) or
/// ``SignalStore/load(progress:)`` (a SQLite store); ``GraphIndex`` builds the
/// adjacency that detectors walk.
public struct SignalSet: Sendable {
  /// Every account, those listed in `accounts.csv` and those only seen in signals.
  public internal(set) var accounts = AccountTable()
  /// Money moved between accounts.
  public internal(set) var payments = PaymentTable()
  /// Follows, likes and other interactions (``EndorsementPolicy`` says which endorse).
  public internal(set) var interactions = InteractionTable()
  /// Profile field changes.
  public internal(set) var profileEdits = ProfileEditTable()

  /// Creates an empty signal set.
  public init() {}

  /// The number of signals: payments, interactions and profile edits.
  public var signalCount: Int { payments.count + interactions.count + profileEdits.count }

  /// Adds a payment between accounts named by id, creating them if new.
  public mutating func addPayment(id: String, source: String, target: String, amount: Amount, time: Int64) {
    let s = accounts.index(of: source), t = accounts.index(of: target)
    payments.append(id: id, source: s, target: t, amount: amount, time: time)
  }

  /// Adds an interaction between accounts named by id, creating them if new,
  /// with its signed `rating` if it has one.
  public mutating func addInteraction(source: String, target: String, kind: String, time: Int64, rating: Double? = nil)
  {
    let s = accounts.index(of: source), t = accounts.index(of: target)
    interactions.append(source: s, target: t, kind: interactions.kindIndex(kind), time: time, rating: rating)
  }

  /// Adds a profile edit by an account named by id, creating it if new.
  public mutating func addProfileEdit(account: String, field: String, value: String, time: Int64) {
    let a = accounts.index(of: account)
    profileEdits.append(account: a, field: field, value: value, time: time)
  }
}
