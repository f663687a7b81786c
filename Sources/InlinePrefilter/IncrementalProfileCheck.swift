@_spi(Checkpoint) import SignalGraph

/// Looks each profile edit up in a rare-value index and a MinHash LSH index of
/// bios, and flags template rings: at least
/// ``Thresholds/minGroup`` accounts that set the same rare
/// value within ``Thresholds/burstSeconds`` and also share
/// a second rare value or a near-duplicate bio (MinHash, Broder 1997; see
/// ``MinHashIndex``).
///
/// A value is a (field, value) key; a bio's key is its near-duplicate
/// cluster, so copies that differ in a word count as one shared value. Keys
/// set by more than ``Thresholds/rareMax`` accounts are
/// common (big employers, big schools) and never make a ring. When a ring is
/// found its members' recent edits are revoked and their edits (and any edit
/// of the ring's keys) are held for the next burst window. Households that
/// share an address and a phone do so at unrelated times, not in a burst.
///
/// Its thresholds are set through the pre-filter's configuration:
///
///     var configuration = PrefilterConfiguration()
///     configuration.profiles.rareMax = 40
///
/// - Complexity: per edit, O(group × edits per member in the burst window)
///   with the group capped by the rarity bound; a bio costs one MinHash
///   signature (O(length × hash functions)). The MinHash index is rebuilt
///   every window (two generations), so memory stays bounded.
public struct IncrementalProfileCheck: PrefilterCheck {
  /// The knobs of the template ring check (``PrefilterConfiguration/profiles``).
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Accounts that must share a rare value and a second one within the burst window.
    public var minGroup: Int = 4
    /// A value set by more accounts than this within the window is common, not a template.
    public var rareMax: Int = 60
    /// The burst window of a template ring, in seconds.
    public var burstSeconds: Int64 = 6 * 3_600
    /// Least estimated Jaccard similarity for two bios to be near duplicates.
    public var bioMinJaccard: Double = 0.5

    /// The defaults.
    public init() {}
  }

  /// A profile edit kept: the account, the value's key, when and by which
  /// seq it was set, and whether it was withheld.
  ///
  /// A checkpoint copies these as raw bytes, so the fields are laid out
  /// without padding (widest first, then ``unused`` and ``unusedWide``).
  struct Entry {
    var key: UInt64
    var time: Int64
    var seq: Int
    var account: Int32
    var withheld: Bool
    /// With ``unusedWide``, fills the record to its stride, zero.
    private var unused: UInt8 = 0
    private var unusedWide: UInt16 = 0

    init(account: Int32, key: UInt64, time: Int64, seq: Int, withheld: Bool) {
      (self.key, self.time, self.seq) = (key, time, seq)
      (self.account, self.withheld) = (account, withheld)
    }
  }

  /// When an (account, key) pair was first seen (``seenAccountKeyOrder``).
  /// A checkpoint copies these as raw bytes: ``unused`` fills the padding.
  struct FirstSeen {
    var time: Int64
    var key: UInt64
    var account: Int32
    /// Fills the record to its stride, zero.
    private var unused: Int32 = 0

    init(time: Int64, key: UInt64, account: Int32) {
      (self.time, self.key, self.account) = (time, key, account)
    }
  }

  /// One generation of the bio index: docs and their clusters.
  struct BioGeneration {
    var index = MinHashIndex()
    var clusters: [UInt32] = []
    var accounts: [Int32] = []
    var texts: [String] = []
    var started: Int64
  }

  let thresholds: Thresholds
  /// The history window (``PrefilterConfiguration/windowDays``) in seconds.
  let windowSeconds: Int64
  /// Recent entries per key, oldest first.
  private(set) var byKey: [UInt64: [Entry]] = [:]
  /// Distinct accounts per key over the window (for rarity).
  private(set) var accountsPerKey: [UInt64: Int32] = [:]
  private var seenAccountKey: Set<UInt64> = []
  /// When each (account, key) was first counted, oldest first: uncounted after the window.
  private(set) var seenAccountKeyOrder: [FirstSeen] = []
  /// Recent edits per account.
  private(set) var byAccount: [Int32: [Entry]] = [:]
  private(set) var flaggedKeys: [UInt64: Int64] = [:]
  private(set) var flaggedAccounts: [Int32: Int64] = [:]
  private(set) var current: BioGeneration
  private(set) var previous: BioGeneration?
  private var nextCluster: UInt32 = 0

  static let bioClusterFlag: UInt64 = 1 << 31

  init(configuration: PrefilterConfiguration) {
    thresholds = Self.thresholds(in: configuration)
    windowSeconds = configuration.windowSeconds
    current = BioGeneration(started: .min)
  }

  static var thresholdsKey: KeyPath<PrefilterConfiguration, Thresholds> { \.profiles }
  static var partName: String { "profiles" }
  static let watches: [PrefilterEvent.Kind] = [.profileEdit]
  static var recordSizes: [Int] {
    [MemoryLayout<Entry>.size, MemoryLayout<FirstSeen>.size]
  }
  static func reachBeyondWindow(_ configuration: PrefilterConfiguration) -> Int64 {
    2 * thresholds(in: configuration).burstSeconds
  }

  /// Decides a profile edit; admits the other events. A bio's key is its
  /// near-duplicate cluster (``bioKey(field:account:text:time:)``), any other
  /// value's is the (field, interned value) pair.
  mutating func check(_ event: PrefilterEvent, seq: Int, time: Int64, now: Int64, names: inout PrefilterNames)
    -> CheckOutcome
  {
    guard case let .profileEdit(account, field, fieldName, value) = event else { return .admit }
    let key: UInt64
    if fieldName == "bio" {
      key = bioKey(field: field, account: account, text: value, time: time)
    } else {
      key = UInt64(UInt32(bitPattern: field)) << 32 | UInt64(UInt32(bitPattern: names.values.intern(value, at: time)))
    }
    return check(
      seq: seq, account: account, key: key, time: time, fields: names.fields, values: names.values,
      names: names.accounts)
  }

  /// A key in words: the field and the quoted value, or the bio cluster.
  static func describe(_ key: UInt64, fields: WindowedInterner, values: WindowedInterner) -> String {
    let field = fields[Int32(truncatingIfNeeded: key >> 32)]
    if key & bioClusterFlag != 0 { return "near-duplicate \(field)s" }
    return "\(field) \(JSONString.quoted(values[Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)]))"
  }

  /// The key of a bio: its near-duplicate cluster among recent bios (this
  /// generation of the index and the previous one).
  mutating func bioKey(field: Int32, account: Int32, text: String, time: Int64) -> UInt64 {
    if current.started == .min { current.started = time }
    rotateGenerations(now: time)
    // Document ids are insertion positions, as estimatedJaccard expects.
    let doc = Int32(current.index.count)
    current.index.insert(doc, text: text)
    current.accounts.append(account)
    current.texts.append(text)
    var cluster: UInt32? = nil
    for c in current.index.candidates(for: doc) where current.accounts[Int(c)] != account {
      if current.index.estimatedJaccard(doc, c) >= thresholds.bioMinJaccard {
        cluster = min(cluster ?? .max, current.clusters[Int(c)])
      }
    }
    if cluster == nil, let old = previous {
      // The text's band keys as the current generation stored them: one
      // configuration signs both, so the text is not signed again.
      for c in old.index.candidates(sharingBandsWith: doc, of: current.index) where old.accounts[Int(c)] != account {
        if MinHashIndex.jaccard(text, old.texts[Int(c)]) >= thresholds.bioMinJaccard {
          cluster = min(cluster ?? .max, old.clusters[Int(c)])
        }
      }
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
  mutating func check(
    seq: Int, account a: Int32, key: UInt64, time: Int64, fields: WindowedInterner, values: WindowedInterner,
    names: WindowedInterner
  ) -> CheckOutcome {
    let burst = thresholds.burstSeconds
    var entry = Entry(account: a, key: key, time: time, seq: seq, withheld: false)
    if seenAccountKey.insert(Self.accountKey(a, key)).inserted {
      accountsPerKey[key, default: 0] += 1
      seenAccountKeyOrder.append(FirstSeen(time: time, key: key, account: a))
    }
    var outcome = CheckOutcome.admit
    if let until = flaggedAccounts[a], until >= time {
      outcome.holdReasons.append("profile-ring: \(names[a]) belongs to a flagged template ring")
    } else if let until = flaggedKeys[key], until >= time {
      outcome.holdReasons.append(
        "profile-ring: \(Self.describe(key, fields: fields, values: values)) is a flagged template value")
      flag(a, until: time + burst, reason: outcome.holdReasons[0], &outcome)
    }
    entry.withheld = !outcome.holdReasons.isEmpty
    append(entry, time: time)
    if !outcome.holdReasons.isEmpty { return outcome }

    let rare = Int(accountsPerKey[key] ?? 0)
    guard rare >= thresholds.minGroup, rare <= thresholds.rareMax, let group = byKey[key] else { return outcome }
    var members: [Int32] = []
    for g in group where !members.contains(g.account) { members.append(g.account) }
    guard members.count >= thresholds.minGroup else { return outcome }
    // Count, per other rare key, how many members set it in the burst window.
    var counts: [UInt64: Int] = [:]
    for m in members {
      var mine: [UInt64] = []
      for e in byAccount[m] ?? [] where e.key != key && !mine.contains(e.key) && time - e.time <= burst {
        mine.append(e.key)
      }
      for k in mine where Int(accountsPerKey[k] ?? 0) <= thresholds.rareMax { counts[k, default: 0] += 1 }
    }
    var best: (key: UInt64, count: Int)? = nil
    for (k, c) in counts where c >= thresholds.minGroup {
      if best == nil || c > best!.count || (c == best!.count && k < best!.key) { best = (k, c) }
    }
    guard let second = best else { return outcome }
    let ring = members.filter { m in (byAccount[m] ?? []).contains { $0.key == second.key && time - $0.time <= burst } }
    let reason =
      "profile-ring: \(ring.count) accounts set \(Self.describe(key, fields: fields, values: values)) and \(Self.describe(second.key, fields: fields, values: values)) within \(burst / 3_600) h"
    flaggedKeys[key] = time + burst
    flaggedKeys[second.key] = time + burst
    for m in ring { flag(m, until: time + burst, reason: reason, &outcome) }
    // The edit that completed the ring is held whether or not its account
    // shares the second value: it set a value the ring is flagged for.
    outcome.holdReasons = [reason]
    outcome.revoked.removeAll { $0.seq == seq }
    if !ring.contains(a) {
      flag(a, until: time + burst, reason: reason, &outcome)
      outcome.revoked.removeAll { $0.seq == seq }
    }
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
    let cutoff = time - thresholds.burstSeconds
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
    let cutoff = now - thresholds.burstSeconds
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
    let old = now - windowSeconds
    var drop = 0
    while drop < seenAccountKeyOrder.count, seenAccountKeyOrder[drop].time < old {
      uncount(seenAccountKeyOrder[drop])
      drop += 1
    }
    seenAccountKeyOrder.removeFirst(drop)
    rotateGenerations(now: now)
    if let old = previous, now - old.started > thresholds.burstSeconds * 8 { previous = nil }
  }

  /// Starts a new generation of the bio index when the current one is four
  /// burst windows old; the previous one is dropped.
  private mutating func rotateGenerations(now: Int64) {
    guard current.started != .min, now - current.started > thresholds.burstSeconds * 4 else { return }
    previous = current
    current = BioGeneration(started: now)
  }

  private mutating func uncount(_ x: FirstSeen) {
    seenAccountKey.remove(Self.accountKey(x.account, x.key))
    if let c = accountsPerKey[x.key] { accountsPerKey[x.key] = c > 1 ? c - 1 : nil }
  }

  /// One word for an (account, key) pair, for the rarity counters' set.
  static func accountKey(_ a: Int32, _ key: UInt64) -> UInt64 {
    UInt64(UInt32(bitPattern: a)) << 32 ^ key &* 0x9E37_79B9_7F4A_7C15
  }

  /// The field id of `key`, and its value id unless it is a bio cluster.
  static func parts(of key: UInt64) -> (field: Int32, value: Int32?) {
    let field = Int32(truncatingIfNeeded: key >> 32)
    if key & bioClusterFlag != 0 { return (field, nil) }
    return (field, Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
  }

  /// Drops everything that names a released account, value or field (`released.accounts[id]`, ...),
  /// whose ids are about to be reused: their edits, flags and rarity counts,
  /// and their marks in the bio index.
  ///
  /// - Complexity: one pass over the kept edits, flags and rarity counters.
  mutating func forget(_ released: ReleasedIds) {
    let accounts = released.accounts ?? [], values = released.values ?? [], fields = released.fields ?? []
    func gone(_ a: Int32) -> Bool { Int(a) < accounts.count && accounts[Int(a)] }
    func goneKey(_ key: UInt64) -> Bool {
      let (f, v) = Self.parts(of: key)
      if Int(f) < fields.count, fields[Int(f)] { return true }
      if let v, Int(v) < values.count, values[Int(v)] { return true }
      return false
    }
    byAccount = byAccount.filter { !gone($0.key) }.compactMapValues { list in
      let kept = list.filter { !goneKey($0.key) }
      return kept.isEmpty ? nil : kept
    }
    byKey = byKey.filter { !goneKey($0.key) }.compactMapValues { list in
      let kept = list.filter { !gone($0.account) }
      return kept.isEmpty ? nil : kept
    }
    flaggedAccounts = flaggedAccounts.filter { !gone($0.key) }
    flaggedKeys = flaggedKeys.filter { !goneKey($0.key) }
    // Rarity counters age out within the window, so this normally finds none.
    if seenAccountKeyOrder.contains(where: { gone($0.account) || goneKey($0.key) }) {
      var kept: [FirstSeen] = []
      kept.reserveCapacity(seenAccountKeyOrder.count)
      for x in seenAccountKeyOrder {
        if gone(x.account) || goneKey(x.key) { uncount(x) } else { kept.append(x) }
      }
      seenAccountKeyOrder = kept
    }
    for c in current.accounts.indices where current.accounts[c] >= 0 && gone(current.accounts[c]) {
      current.accounts[c] = -1
    }
    if var old = previous {
      previous = nil
      for c in old.accounts.indices where old.accounts[c] >= 0 && gone(old.accounts[c]) { old.accounts[c] = -1 }
      previous = old
    }
  }

  /// Profile edits in the burst window, (account, value) rarity counters in
  /// the history window, and bios in the two generations of the MinHash index.
  var editsKept: Int { byAccount.values.reduce(0) { $0 + $1.count } }
  var rarityCountersKept: Int { seenAccountKeyOrder.count }
  var biosIndexed: Int { current.accounts.count + (previous?.accounts.count ?? 0) }

  /// Adds the edits, rarity counters and bios kept.
  func addFootprint(to footprint: inout PrefilterFootprint) {
    footprint.profileEdits += editsKept
    footprint.rarityCounters += rarityCountersKept
    footprint.bios += biosIndexed
  }

  /// Every edit, flag, rarity count and indexed bio names live accounts and
  /// values, the indexes agree, and each rarity count is the number of pairs it counts.
  func invariantViolation(names: PrefilterNames) -> String? {
    func live(_ a: Int32) -> Bool { names.accounts.isLive(a) }
    func liveKey(_ key: UInt64) -> Bool {
      let (field, value) = Self.parts(of: key)
      return names.fields.isLive(field) && (value.map(names.values.isLive) ?? true)
    }
    for (a, edits) in byAccount {
      guard live(a), edits.allSatisfy({ liveKey($0.key) && $0.account == a }) else {
        return "profile edits kept for a forgotten account or value"
      }
    }
    for (key, edits) in byKey {
      guard liveKey(key), edits.allSatisfy({ live($0.account) && $0.key == key }) else {
        return "profile edits kept for a forgotten value or account"
      }
    }
    for (key, count) in accountsPerKey {
      guard liveKey(key), count > 0 else { return "a rarity count for a forgotten value" }
    }
    for x in seenAccountKeyOrder {
      guard live(x.account), liveKey(x.key) else { return "a rarity counter names a forgotten account or value" }
    }
    // Each count is the number of (account, value) pairs it counts, so that
    // forgetting the pairs forgets the count (a count a damaged checkpoint
    // raised would outlive its value).
    var pairsPerKey: [UInt64: Int] = [:]
    for x in seenAccountKeyOrder { pairsPerKey[x.key, default: 0] += 1 }
    guard pairsPerKey.count == accountsPerKey.count,
      pairsPerKey.allSatisfy({ Int(accountsPerKey[$0.key] ?? 0) == $0.value })
    else { return "a rarity count disagrees with the pairs it counts" }
    for a in flaggedAccounts.keys where !live(a) { return "a flag on forgotten account \(a)" }
    for key in flaggedKeys.keys where !liveKey(key) { return "a flag on a forgotten value" }
    for generation in [current] + (previous.map { [$0] } ?? []) {
      guard generation.accounts.allSatisfy({ $0 < 0 || live($0) }) else {
        return "the bio index names a forgotten account"
      }
      guard generation.index.count == generation.accounts.count else {
        return "the bio index and its accounts disagree"
      }
    }
    return nil
  }
}

extension IncrementalProfileCheck {
  /// Writes the kept edits, rarity counters, flags and bio generations for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(byKey)
    writer.write(accountsPerKey)
    writer.write(seenAccountKey, count: seenAccountKey.count)
    writer.write(seenAccountKeyOrder)
    writer.write(byAccount)
    writer.write(flaggedKeys)
    writer.write(flaggedAccounts)
    writer.write(nextCluster)
    for generation in [current, previous] {
      writer.write(generation != nil)
      guard let generation else { continue }
      writer.write(generation.started)
      writer.write(generation.clusters)
      writer.write(generation.accounts)
      writer.write(generation.texts.count)
      for text in generation.texts { writer.write(text) }
    }
  }

  /// Restores the state written by ``write(to:)``; the MinHash index of each
  /// bio generation is rebuilt from its texts (the same inserts in the same order).
  init(configuration: PrefilterConfiguration, from reader: inout StateReader) throws(StateReaderError) {
    self.init(configuration: configuration)
    byKey = try reader.readDictionaryOfArrays(UInt64.self, Entry.self)
    accountsPerKey = try reader.readDictionary(UInt64.self, Int32.self)
    seenAccountKey = Set(try reader.readArray(UInt64.self))
    seenAccountKeyOrder = try reader.readArray(FirstSeen.self)
    byAccount = try reader.readDictionaryOfArrays(Int32.self, Entry.self)
    flaggedKeys = try reader.readDictionary(UInt64.self, Int64.self)
    flaggedAccounts = try reader.readDictionary(Int32.self, Int64.self)
    nextCluster = try reader.read(UInt32.self)
    var generations: [BioGeneration?] = []
    for _ in 0..<2 {
      guard try reader.read(Bool.self) else {
        generations.append(nil)
        continue
      }
      var generation = BioGeneration(started: try reader.read(Int64.self))
      generation.clusters = try reader.readArray(UInt32.self)
      generation.accounts = try reader.readArray(Int32.self)
      let count = try reader.read(Int.self)
      guard count == generation.clusters.count, count == generation.accounts.count else { throw .malformed }
      for doc in 0..<count {
        let text = try reader.readString()
        generation.index.insert(Int32(doc), text: text)
        generation.texts.append(text)
      }
      generations.append(generation)
    }
    guard let first = generations[0] else { throw .malformed }
    current = first
    previous = generations[1]
  }
}
