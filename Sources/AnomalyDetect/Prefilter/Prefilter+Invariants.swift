import SignalGraph

extension Prefilter {
  /// Debug builds only: checks that no checker's state names a forgotten
  /// account, value or field, that is, that every id it holds is live in its
  /// table. A stale id would hand a forgotten account's history to the new
  /// account that reuses it. Runs after every sweep; compiled out of release
  /// builds.
  ///
  /// - Complexity: O(state).
  func checkInvariants() {
    #if DEBUG
    func live(_ a: Int32) -> Bool { accounts.isLive(a) }
    func liveKey(_ key: UInt64) -> Bool {
      let (field, value) = IncrementalProfileCheck.parts(of: key)
      return fields.isLive(field) && (value.map(values.isLive) ?? true)
    }
    for (a, list) in cycles.incoming.enumerated() where !list.isEmpty {
      precondition(live(Int32(a)), "payments kept for forgotten account \(a)")
      precondition(list.allSatisfy { live($0.source) }, "a kept payment names a forgotten payer")
    }
    for key in engagement.edges.keys {
      let (e, t) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      precondition(live(e) && live(t), "an endorsement names a forgotten account")
      precondition(engagement.targetsOf[Int(e)].contains(t), "edge \(e)→\(t) missing from its endorser's targets")
    }
    for (a, targets) in engagement.targetsOf.enumerated() where !targets.isEmpty {
      precondition(live(Int32(a)) && targets.allSatisfy(live), "targets kept for a forgotten account")
    }
    for (a, endorsers) in engagement.endorsersOf.enumerated() where !endorsers.isEmpty {
      precondition(live(Int32(a)) && endorsers.allSatisfy(live), "endorsers kept for a forgotten account")
    }
    for key in engagement.pairs.keys {
      precondition(live(Int32(truncatingIfNeeded: key >> 32)) && live(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)), "a pair names a forgotten target")
    }
    for (a, ps) in engagement.partners { precondition(live(a) && ps.allSatisfy(live), "a block names a forgotten target") }
    for (a, edits) in profiles.byAccount {
      precondition(live(a) && edits.allSatisfy { liveKey($0.key) }, "profile edits kept for a forgotten account or value")
    }
    for (key, edits) in profiles.byKey {
      precondition(liveKey(key) && edits.allSatisfy { live($0.account) }, "profile edits kept for a forgotten value or account")
    }
    for key in profiles.accountsPerKey.keys { precondition(liveKey(key), "a rarity count for a forgotten value") }
    for x in profiles.seenAccountKeyOrder { precondition(live(x.account) && liveKey(x.key), "a rarity counter names a forgotten account or value") }
    for a in profiles.flaggedAccounts.keys { precondition(live(a), "a flag on a forgotten account") }
    for key in profiles.flaggedKeys.keys { precondition(liveKey(key), "a flag on a forgotten value") }
    for generation in [profiles.current] + (profiles.previous.map { [$0] } ?? []) {
      precondition(generation.accounts.allSatisfy { $0 < 0 || live($0) }, "the bio index names a forgotten account")
    }
    #endif
  }
}
