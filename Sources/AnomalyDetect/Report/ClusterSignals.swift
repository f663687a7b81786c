import SignalGraph

/// The signals that belong to one cluster, found through ``GraphIndex``: the
/// interactions among its accounts (farms), the payments among them (rings)
/// and the profile edits of its members (profiles), each in time order.
///
/// - Complexity: O(*d* + *s* log *s*) for members' total degree *d* and *s*
///   signals found; `scratch` (one flag per account, all `false`) is borrowed
///   and handed back all `false`, so a report over many clusters allocates
///   no per-account array per cluster.
package struct ClusterSignals {
  /// The members' account indices, in the cluster's order (sorted by id).
  package var members: [Int32] = []
  /// The cluster's ids that are not accounts of the set.
  package var missing: [String] = []
  /// Rows of interactions whose two ends are members, by time.
  package var interactions: [Int32] = []
  /// Rows of payments whose two ends are members, by time.
  package var payments: [Int32] = []
  /// Rows of the members' profile edits, by time.
  package var edits: [Int32] = []
  /// Endorsements each member gave inside the cluster (``EndorsementPolicy/standard``:
  /// a dislike among members is listed in ``interactions`` but endorses no one).
  var endorsementsGiven: [Int32: Int] = [:]
  /// Endorsements each member received from inside the cluster.
  var endorsementsReceived: [Int32: Int] = [:]
  /// Payments each member sent or received inside the cluster.
  package var paymentsTouching: [Int32: Int] = [:]

  package init(_ cluster: Cluster, set: SignalSet, graph: GraphIndex, scratch: inout [Bool]) {
    let ids = set.accounts.ids
    members.reserveCapacity(cluster.accounts.count)
    for id in cluster.accounts {
      if let index = ids.index(of: id) { members.append(index) } else { missing.append(id) }
    }
    for m in members { scratch[Int(m)] = true }
    defer { for m in members { scratch[Int(m)] = false } }
    for m in members {
      let outRows = graph.interactionsOut.edges(of: m), outNeighbors = graph.interactionsOut.neighbors(of: m)
      for (row, other) in zip(outRows, outNeighbors) where scratch[Int(other)] {
        interactions.append(row)
        guard EndorsementPolicy.standard.endorses(set.interactions, row: Int(row)) else { continue }
        endorsementsGiven[m, default: 0] += 1
        endorsementsReceived[other, default: 0] += 1
      }
      let payRows = graph.paymentsOut.edges(of: m), payees = graph.paymentsOut.neighbors(of: m)
      for (row, other) in zip(payRows, payees) where scratch[Int(other)] {
        payments.append(row)
        paymentsTouching[m, default: 0] += 1
        paymentsTouching[other, default: 0] += 1
      }
      edits.append(contentsOf: graph.editsByAccount.edges(of: m))
    }
    Self.sortByTime(&interactions, set.interactions.time)
    Self.sortByTime(&payments, set.payments.time)
    Self.sortByTime(&edits, set.profileEdits.time)
  }

  static func sortByTime(_ rows: inout [Int32], _ time: [Int64]) {
    rows.sort { a, b in
      let ta = time[Int(a)], tb = time[Int(b)]
      return ta != tb ? ta < tb : a < b
    }
  }

  /// The members that endorse inside the cluster, most endorsements first.
  package var endorsers: [Int32] {
    members.filter { endorsementsGiven[$0] != nil }.sorted { endorsementsGiven[$0]! > endorsementsGiven[$1]! }
  }

  /// The members endorsed from inside the cluster that endorse nobody in it, most endorsed first.
  package var beneficiaries: [Int32] {
    members.filter { endorsementsGiven[$0] == nil && endorsementsReceived[$0] != nil }
      .sorted { endorsementsReceived[$0]! > endorsementsReceived[$1]! }
  }

  /// The members that neither give nor receive an endorsement inside the cluster.
  package var withoutEndorsements: [Int32] {
    members.filter { endorsementsGiven[$0] == nil && endorsementsReceived[$0] == nil }
  }

  /// Whether `order` is one ring: every member once, each paying the next
  /// inside the cluster and the last paying the first.
  package func isSingleRing(_ order: [Int32], _ set: SignalSet) -> Bool {
    guard order.count >= 2, order.count == members.count else { return false }
    var pairs = Set<Int64>()
    for row in payments {
      pairs.insert(Int64(set.payments.source[Int(row)]) << 32 | Int64(set.payments.target[Int(row)]))
    }
    return order.indices.allSatisfy { i in
      pairs.contains(Int64(order[i]) << 32 | Int64(order[(i + 1) % order.count]))
    }
  }

  /// The members in ring order: from the payer of the earliest internal
  /// payment, follow each member's earliest payment to a member not yet
  /// visited; members the walk does not reach follow, payers first.
  package func ringOrder(_ set: SignalSet) -> [Int32] {
    var next: [Int32: [Int32]] = [:]
    for row in payments { next[set.payments.source[Int(row)], default: []].append(set.payments.target[Int(row)]) }
    var visited = Set<Int32>(), order: [Int32] = []
    var starts = payments.map { set.payments.source[Int($0)] } + members
    starts.reverse()
    while let start = starts.popLast() {
      guard !visited.contains(start) else { continue }
      var current = start
      visited.insert(current)
      order.append(current)
      while let step = next[current]?.first(where: { !visited.contains($0) }) {
        visited.insert(step)
        order.append(step)
        current = step
      }
    }
    return order
  }

  /// The profile values that two or more members set: (value, field, members), most shared first.
  package func sharedValues(_ set: SignalSet) -> [(value: Int32, field: Int32, members: [Int32])] {
    var byValue: [Int32: (field: Int32, members: [Int32])] = [:]
    let e = set.profileEdits
    for row in edits {
      let v = e.value[Int(row)], a = e.account[Int(row)]
      var entry = byValue[v] ?? (e.field[Int(row)], [])
      if entry.members.last != a && !entry.members.contains(a) { entry.members.append(a) }
      byValue[v] = entry
    }
    return byValue.filter { $0.value.members.count >= 2 }
      .map { (value: $0.key, field: $0.value.field, members: $0.value.members) }
      .sorted { $0.members.count != $1.members.count ? $0.members.count > $1.members.count : $0.value < $1.value }
  }

  /// What `account` does in the cluster, in words.
  package func role(of account: Int32, kind: ManipulationKind, set: SignalSet) -> String {
    let given = endorsementsGiven[account] ?? 0, received = endorsementsReceived[account] ?? 0
    switch kind {
    case .boughtEngagement:
      if given > 0 {
        return "endorser: gave \(given) endorsement\(given == 1 ? "" : "s") to members"
          + (received > 0 ? ", received \(received)" : "")
      }
      if received > 0 { return "beneficiary: received \(received) endorsement\(received == 1 ? "" : "s") from members" }
      return "member without an endorsement inside the cluster"
    case .circularPayment:
      let n = paymentsTouching[account] ?? 0
      return n > 0
        ? "in the ring: \(n) payment\(n == 1 ? "" : "s") to or from members"
        : "member without a payment inside the cluster"
    case .fakeProfile:
      let shared = sharedValues(set).filter { $0.members.contains(account) }
      guard !shared.isEmpty else { return "member sharing no profile value with the others" }
      let shown = shared.prefix(4).map {
        "\(set.profileEdits.fields[$0.field]) \"\(set.profileEdits.values[$0.value])\" (with \($0.members.count - 1) other\($0.members.count == 2 ? "" : "s"))"
      }
      return "shares \(shared.count) profile value\(shared.count == 1 ? "" : "s"): " + shown.joined(separator: ", ")
        + (shared.count > 4 ? ", …" : "")
    }
  }
}
