/// The adjacency indexes detectors walk: payments and interactions, out and
/// in, and profile edits by account, each a CSR ``Adjacency`` whose rows are
/// ordered by time (ties by input order).
///
///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
///     let graph = GraphIndex(set)
///     for row in graph.paymentsOut.edges(of: 0) {
///       print(set.payments.time[Int(row)], set.payments.amountMicros[Int(row)])
///     }
///
/// - Complexity: O(*n* + *m*) when the signals arrive in time order (the
///   common case), O(*m* log *m*) otherwise; memory 8 bytes per edge and
///   direction plus 8 per account.
public struct GraphIndex: Sendable {
  /// Payer to payee; edges are rows of ``SignalSet/payments``.
  public let paymentsOut: Adjacency
  /// Payee to payer.
  public let paymentsIn: Adjacency
  /// Endorser to endorsed; edges are rows of ``SignalSet/interactions``.
  public let interactionsOut: Adjacency
  /// Endorsed to endorser.
  public let interactionsIn: Adjacency
  /// Account to the values it set; edges are rows of ``SignalSet/profileEdits``.
  public let editsByAccount: Adjacency

  /// Builds every index of `set`.
  public init(_ set: SignalSet) {
    let n = set.accounts.count
    let p = set.payments, i = set.interactions, e = set.profileEdits
    let paymentOrder = Self.timeOrder(p.time)
    paymentsOut = Adjacency(nodeCount: n, sources: p.source, targets: p.target, order: paymentOrder)
    paymentsIn = Adjacency(nodeCount: n, sources: p.target, targets: p.source, order: paymentOrder)
    let interactionOrder = Self.timeOrder(i.time)
    interactionsOut = Adjacency(nodeCount: n, sources: i.source, targets: i.target, order: interactionOrder)
    interactionsIn = Adjacency(nodeCount: n, sources: i.target, targets: i.source, order: interactionOrder)
    editsByAccount = Adjacency(nodeCount: n, sources: e.account, targets: e.value, order: Self.timeOrder(e.time))
  }

  /// The rows of `time` in increasing time (ties in row order), or `nil`
  /// when the rows already are in that order.
  static func timeOrder(_ time: [Int64]) -> [Int32]? {
    var sorted = true
    for k in time.indices.dropFirst() where time[k] < time[k - 1] {
      sorted = false
      break
    }
    if sorted { return nil }
    var order = (0..<Int32(time.count)).map { $0 }
    time.withUnsafeBufferPointer { t in
      order.sort { a, b in
        let ta = t[Int(a)], tb = t[Int(b)]
        return ta != tb ? ta < tb : a < b
      }
    }
    return order
  }
}
