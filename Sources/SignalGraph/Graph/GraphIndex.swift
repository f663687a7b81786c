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
///   common case), plus sorting each account's run where they do not;
///   memory 8 bytes per edge and direction plus 8 per account.
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
    paymentsOut = Adjacency(nodeCount: n, sources: p.source, targets: p.target, keys: p.time)
    paymentsIn = Adjacency(nodeCount: n, sources: p.target, targets: p.source, keys: p.time)
    interactionsOut = Adjacency(nodeCount: n, sources: i.source, targets: i.target, keys: i.time)
    interactionsIn = Adjacency(nodeCount: n, sources: i.target, targets: i.source, keys: i.time)
    editsByAccount = Adjacency(nodeCount: n, sources: e.account, targets: e.value, keys: e.time)
  }
}
