import SignalGraph

extension ScanReport {
  /// The signals of `set` that this report's clusters implicate, which a
  /// pre-filter acting on the report would withhold from scoring (`true` =
  /// held): the endorsements inside bought-engagement clusters, the payments
  /// among members of circular-payment clusters, and the profile edits of
  /// fake-profile clusters' members.
  ///
  /// - Complexity: O(Σ cluster sizes × their degrees).
  public func heldSignals(in set: SignalSet, graph: GraphIndex) -> SignalMask {
    var held = SignalMask(allOf: set)
    held.payments = Array(repeating: false, count: set.payments.count)
    held.interactions = Array(repeating: false, count: set.interactions.count)
    held.profileEdits = Array(repeating: false, count: set.profileEdits.count)
    var scratch = [Bool](repeating: false, count: set.accounts.count)
    for cluster in clusters {
      let signals = ClusterSignals(cluster, set: set, graph: graph, scratch: &scratch)
      switch cluster.kind {
      case .boughtEngagement: for r in signals.interactions { held.interactions[Int(r)] = true }
      case .circularPayment: for r in signals.payments { held.payments[Int(r)] = true }
      case .fakeProfile: for r in signals.edits { held.profileEdits[Int(r)] = true }
      }
    }
    return held
  }
}
