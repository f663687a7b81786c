import SignalGraph

extension Prefilter {
  /// Debug builds only: stops on the first broken invariant
  /// (``invariantViolation()``). Runs after every sweep; compiled out of
  /// release builds, where a restored checkpoint is checked instead.
  ///
  /// - Complexity: O(state).
  func checkInvariants() {
    #if DEBUG
    if let violation = invariantViolation() { preconditionFailure(violation) }
    #endif
  }

  /// The first broken invariant of the state, in words, or `nil`: every id a
  /// checker holds is in range and live in its table (a stale id would hand a
  /// forgotten account's history to the new account that reuses it), list
  /// heads lie within their lists, and the indexes agree with each other.
  /// Checked in every build when a checkpoint is restored, so a damaged one
  /// is refused instead of crashing a later decision.
  ///
  /// - Complexity: O(state).
  func invariantViolation() -> String? {
    func live(_ a: Int32) -> Bool { accounts.isLive(a) }
    func liveKey(_ key: UInt64) -> Bool {
      let (field, value) = IncrementalProfileCheck.parts(of: key)
      return fields.isLive(field) && (value.map(values.isLive) ?? true)
    }
    guard nextSeq >= 0 else { return "a negative event counter" }
    guard cycles.incoming.count == cycles.heads.count, cycles.incoming.count <= accounts.idCapacity else {
      return "more payment lists than account ids"
    }
    for (a, list) in cycles.incoming.enumerated() {
      guard cycles.heads[a] >= 0, cycles.heads[a] <= list.count else { return "a payment list head out of bounds" }
      if list.isEmpty { continue }
      guard live(Int32(a)) else { return "payments kept for forgotten account \(a)" }
      guard list.allSatisfy({ live($0.source) && Int($0.source) < cycles.incoming.count }) else {
        return "a kept payment names a forgotten payer"
      }
    }
    let ids = engagement.targetsOf.count
    guard engagement.endorsersOf.count == ids, ids <= accounts.idCapacity else { return "more endorsement lists than account ids" }
    for key in engagement.edges.keys {
      let (e, t) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      guard live(e), live(t), Int(max(e, t)) < ids else { return "an endorsement names a forgotten account" }
    }
    // Each edge once in its endorser's targets and once in its target's
    // endorsers, and nothing else there (linear: a hashed set of the lists' edges).
    var listed = Set<UInt64>(minimumCapacity: engagement.edges.count)
    for (a, targets) in engagement.targetsOf.enumerated() where !targets.isEmpty {
      guard live(Int32(a)), targets.live.allSatisfy({ live($0) && Int($0) < ids }) else { return "targets kept for a forgotten account" }
      for t in targets.live {
        let key = IncrementalEngagementCheck.edgeKey(Int32(a), t)
        guard engagement.edges[key] != nil, listed.insert(key).inserted else { return "an endorser's targets disagree with its edges" }
      }
    }
    guard listed.count == engagement.edges.count else { return "an edge is missing from its endorser's targets" }
    var endorsed = 0
    for (a, endorsers) in engagement.endorsersOf.enumerated() where !endorsers.isEmpty {
      guard live(Int32(a)), endorsers.live.allSatisfy({ live($0) && Int($0) < ids }) else {
        return "endorsers kept for a forgotten account"
      }
      for e in endorsers.live where !listed.contains(IncrementalEngagementCheck.edgeKey(e, Int32(a))) {
        return "a target's endorsers disagree with the edges"
      }
      endorsed += endorsers.count
    }
    guard endorsed == engagement.edges.count else { return "an edge is missing from its target's endorsers" }
    for key in engagement.pairs.keys {
      let (a, b) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      guard live(a), live(b), Int(max(a, b)) < ids else { return "a pair names a forgotten target" }
    }
    for (a, ps) in engagement.partners {
      guard live(a), Int(a) < ids, ps.allSatisfy({ live($0) && Int($0) < ids }) else { return "a block names a forgotten target" }
    }
    guard engagement.activeEndorsers >= 0 else { return "a negative count of active endorsers" }
    for (a, edits) in profiles.byAccount {
      guard live(a), edits.allSatisfy({ liveKey($0.key) && $0.account == a }) else {
        return "profile edits kept for a forgotten account or value"
      }
    }
    for (key, edits) in profiles.byKey {
      guard liveKey(key), edits.allSatisfy({ live($0.account) && $0.key == key }) else {
        return "profile edits kept for a forgotten value or account"
      }
    }
    for (key, count) in profiles.accountsPerKey {
      guard liveKey(key), count > 0 else { return "a rarity count for a forgotten value" }
    }
    for x in profiles.seenAccountKeyOrder {
      guard live(x.account), liveKey(x.key) else { return "a rarity counter names a forgotten account or value" }
    }
    // Each count is the number of (account, value) pairs it counts, so that
    // forgetting the pairs forgets the count (a count a damaged checkpoint
    // raised would outlive its value).
    var pairsPerKey: [UInt64: Int] = [:]
    for x in profiles.seenAccountKeyOrder { pairsPerKey[x.key, default: 0] += 1 }
    guard pairsPerKey.count == profiles.accountsPerKey.count,
      pairsPerKey.allSatisfy({ Int(profiles.accountsPerKey[$0.key] ?? 0) == $0.value })
    else { return "a rarity count disagrees with the pairs it counts" }
    for a in profiles.flaggedAccounts.keys where !live(a) { return "a flag on forgotten account \(a)" }
    for key in profiles.flaggedKeys.keys where !liveKey(key) { return "a flag on a forgotten value" }
    for generation in [profiles.current] + (profiles.previous.map { [$0] } ?? []) {
      guard generation.accounts.allSatisfy({ $0 < 0 || live($0) }) else { return "the bio index names a forgotten account" }
      guard generation.index.count == generation.accounts.count else { return "the bio index and its accounts disagree" }
    }
    return nil
  }
}
