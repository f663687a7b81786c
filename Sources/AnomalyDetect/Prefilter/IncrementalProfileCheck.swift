import SignalGraph

/// Looks each profile edit up in a rare-value index and a MinHash LSH index of
/// bios, and flags template rings: at least
/// ``PrefilterConfiguration/profileMinGroup`` accounts that set the same rare
/// value within ``PrefilterConfiguration/profileBurstSeconds`` and also share
/// a second rare value or a near-duplicate bio (MinHash, Broder 1997; see
/// ``MinHashIndex``).
///
/// A value is a (field, value) key; a bio's key is its near-duplicate
/// cluster, so copies that differ in a word count as one shared value. Keys
/// set by more than ``PrefilterConfiguration/profileRareMax`` accounts are
/// common (big employers, big schools) and never make a ring. When a ring is
/// found its members' recent edits are revoked and their edits (and any edit
/// of the ring's keys) are held for the next burst window. Households that
/// share an address and a phone do so at unrelated times, not in a burst.
///
/// - Complexity: per edit, O(group × edits per member in the burst window)
///   with the group capped by the rarity bound; a bio costs one MinHash
///   signature (O(length × hash functions)). The MinHash index is rebuilt
///   every window (two generations), so memory stays bounded.
struct IncrementalProfileCheck {
  struct Entry {
    var account: Int32
    var key: UInt64
    var time: Int64
    var seq: Int
    var withheld: Bool
  }

  /// One generation of the bio index: docs and their clusters.
  struct BioGeneration {
    var index = MinHashIndex()
    var clusters: [UInt32] = []
    var accounts: [Int32] = []
    var texts: [String] = []
    var started: Int64
  }

  let configuration: PrefilterConfiguration
  /// Recent entries per key, oldest first.
  private var byKey: [UInt64: [Entry]] = [:]
  /// Distinct accounts per key over the window (for rarity).
  private var accountsPerKey: [UInt64: Int32] = [:]
  private var seenAccountKey: Set<UInt64> = []
  private var seenAccountKeyOrder: [(time: Int64, key: UInt64, accountKey: UInt64)] = []
  /// Recent edits per account.
  private var byAccount: [Int32: [Entry]] = [:]
  private var flaggedKeys: [UInt64: Int64] = [:]
  private var flaggedAccounts: [Int32: Int64] = [:]
  private var current: BioGeneration
  private var previous: BioGeneration?
  private var nextCluster: UInt32 = 0

  static let bioClusterFlag: UInt64 = 1 << 31

  init(configuration: PrefilterConfiguration) {
    self.configuration = configuration
    current = BioGeneration(started: .min)
  }

  /// The key of a bio: its near-duplicate cluster among recent bios (this
  /// generation of the index and the previous one).
  mutating func bioKey(field: Int32, account: Int32, text: String, time: Int64) -> UInt64 {
    if current.started == .min { current.started = time }
    if time - current.started > configuration.profileBurstSeconds * 4 {
      previous = current
      current = BioGeneration(started: time)
    }
    // Document ids are insertion positions, as estimatedJaccard expects.
    let doc = Int32(current.index.count)
    current.index.insert(doc, text: text)
    current.accounts.append(account)
    current.texts.append(text)
    var cluster: UInt32? = nil
    for c in current.index.candidates(for: doc) where current.accounts[Int(c)] != account {
      if current.index.estimatedJaccard(doc, c) >= configuration.bioMinJaccard {
        cluster = min(cluster ?? .max, current.clusters[Int(c)])
      }
    }
    if cluster == nil, var old = previous {
      for c in old.index.candidates(forText: text) where old.accounts[Int(c)] != account {
        if MinHashIndex.jaccard(text, old.texts[Int(c)]) >= configuration.bioMinJaccard {
          cluster = min(cluster ?? .max, old.clusters[Int(c)])
        }
      }
      previous = old
    }
    let k: UInt32
    if let cluster {
      k = cluster
    } else {
      nextCluster &+= 1
      k = nextCluster
    }
    current.clusters.append(k)
    return UInt64(UInt32(bitPattern: field)) << 32 | Self.bioClusterFlag | UInt64(k & 0x7FFF_FFFF)
  }

  /// Decides edit `seq` by `account` of the value with key `key`.
  mutating func check(seq: Int, account a: Int32, key: UInt64, time: Int64, fields: StringInterner, values: StringInterner, names: StringInterner) -> CheckOutcome {
    let burst = configuration.profileBurstSeconds
    var entry = Entry(account: a, key: key, time: time, seq: seq, withheld: false)
    let accountKey = UInt64(UInt32(bitPattern: a)) << 32 ^ key &* 0x9E37_79B9_7F4A_7C15
    if seenAccountKey.insert(accountKey).inserted {
      accountsPerKey[key, default: 0] += 1
      seenAccountKeyOrder.append((time, key, accountKey))
    }
    var outcome = CheckOutcome.admit
    if let until = flaggedAccounts[a], until >= time {
      outcome.holdReasons.append("profile-ring: \(names[a]) belongs to a flagged template ring")
    } else if let until = flaggedKeys[key], until >= time {
      outcome.holdReasons.append("profile-ring: \(Prefilter.describe(key, fields: fields, values: values)) is a flagged template value")
      flag(a, until: time + burst, reason: outcome.holdReasons[0], &outcome)
    }
    entry.withheld = !outcome.holdReasons.isEmpty
    append(entry, time: time)
    if !outcome.holdReasons.isEmpty { return outcome }

    let rare = Int(accountsPerKey[key] ?? 0)
    guard rare >= configuration.profileMinGroup, rare <= configuration.profileRareMax, let group = byKey[key] else { return outcome }
    var members: [Int32] = []
    for g in group where !members.contains(g.account) { members.append(g.account) }
    guard members.count >= configuration.profileMinGroup else { return outcome }
    // Count, per other rare key, how many members set it in the burst window.
    var counts: [UInt64: Int] = [:]
    for m in members {
      var mine: [UInt64] = []
      for e in byAccount[m] ?? [] where e.key != key && !mine.contains(e.key) && time - e.time <= burst {
        mine.append(e.key)
      }
      for k in mine where Int(accountsPerKey[k] ?? 0) <= configuration.profileRareMax { counts[k, default: 0] += 1 }
    }
    var best: (key: UInt64, count: Int)? = nil
    for (k, c) in counts where c >= configuration.profileMinGroup {
      if best == nil || c > best!.count || (c == best!.count && k < best!.key) { best = (k, c) }
    }
    guard let second = best else { return outcome }
    let ring = members.filter { m in (byAccount[m] ?? []).contains { $0.key == second.key && time - $0.time <= burst } }
    let reason = "profile-ring: \(ring.count) accounts set \(Prefilter.describe(key, fields: fields, values: values)) and \(Prefilter.describe(second.key, fields: fields, values: values)) within \(burst / 3_600) h"
    flaggedKeys[key] = time + burst
    flaggedKeys[second.key] = time + burst
    for m in ring { flag(m, until: time + burst, reason: reason, &outcome) }
    // The edit that completed the ring is held whether or not its account
    // shares the second value: it set a value the ring is flagged for.
    outcome.holdReasons = [reason]
    outcome.revoked.removeAll { $0.seq == seq }
    if !ring.contains(a) { flag(a, until: time + burst, reason: reason, &outcome); outcome.revoked.removeAll { $0.seq == seq } }
    return outcome
  }

  /// Flags account `m` and revokes its admitted edits in the burst window.
  private mutating func flag(_ m: Int32, until: Int64, reason: String, _ outcome: inout CheckOutcome) {
    flaggedAccounts[m] = max(flaggedAccounts[m] ?? .min, until)
    guard var edits = byAccount[m] else { return }
    for i in edits.indices where !edits[i].withheld {
      edits[i].withheld = true
      outcome.revoked.append((edits[i].seq, reason))
      markWithheld(key: edits[i].key, seq: edits[i].seq)
    }
    byAccount[m] = edits
  }

  private mutating func markWithheld(key: UInt64, seq: Int) {
    guard var list = byKey[key] else { return }
    if let i = list.lastIndex(where: { $0.seq == seq }) { list[i].withheld = true }
    byKey[key] = list
  }

  private mutating func append(_ entry: Entry, time: Int64) {
    let cutoff = time - configuration.profileBurstSeconds
    var list = byKey.removeValue(forKey: entry.key) ?? []
    if let first = list.firstIndex(where: { $0.time >= cutoff }) { list.removeFirst(first) } else { list.removeAll() }
    list.append(entry)
    byKey[entry.key] = list
    var mine = byAccount.removeValue(forKey: entry.account) ?? []
    if let first = mine.firstIndex(where: { $0.time >= cutoff }) { mine.removeFirst(first) } else { mine.removeAll() }
    mine.append(entry)
    byAccount[entry.account] = mine
  }

  /// Forgets edits older than the burst window, expired flags and rarity
  /// counts older than the history window.
  mutating func evict(now: Int64) {
    let cutoff = now - configuration.profileBurstSeconds
    byKey = byKey.compactMapValues { list in
      let kept = list.filter { $0.time >= cutoff }
      return kept.isEmpty ? nil : kept
    }
    byAccount = byAccount.compactMapValues { list in
      let kept = list.filter { $0.time >= cutoff }
      return kept.isEmpty ? nil : kept
    }
    flaggedKeys = flaggedKeys.filter { $0.value >= now }
    flaggedAccounts = flaggedAccounts.filter { $0.value >= now }
    let old = now - configuration.windowSeconds
    var drop = 0
    while drop < seenAccountKeyOrder.count, seenAccountKeyOrder[drop].time < old {
      let x = seenAccountKeyOrder[drop]
      seenAccountKey.remove(x.accountKey)
      if let c = accountsPerKey[x.key] { accountsPerKey[x.key] = c > 1 ? c - 1 : nil }
      drop += 1
    }
    seenAccountKeyOrder.removeFirst(drop)
  }
}
