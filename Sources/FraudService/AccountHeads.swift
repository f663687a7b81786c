/// The latest stored event of each account, in memory: where the score
/// endpoint starts walking the account's events.
///
/// Each stored event keeps, per account it names, the seq of that account's
/// previous event (`prev_a`, `prev_b` in `serve_events`): the account index
/// is a chain through rows written in seq order, so storing an event appends
/// and dirties no index page. Only the chains' heads live here, rebuilt from
/// the stored rows at start-up.
///
/// **Memory.** One entry per account ever seen (not per event): the name and
/// a seq, about 60 to 100 bytes with the dictionary's slack. The entries are
/// split in 64 shards, each grown on its own, so a growth rehashes 1/64 of them.
///
///     var heads = AccountHeads()
///     heads.replace("alice", with: 7)   // nil: alice's first event
///     heads.replace("alice", with: 9)   // 7
///
/// - Complexity: O(1) expected per update and lookup.
struct AccountHeads {
  private static let shardCount = 64
  private var shards = [[String: Int]](repeating: [:], count: shardCount)

  /// Accounts held.
  private(set) var count = 0

  /// The account's shard, from an FNV-1a hash of its bytes: cheaper than
  /// `hashValue` (SipHash), which the shard's dictionary computes anyway.
  private static func shard(_ account: String) -> Int {
    var hash: UInt32 = 2_166_136_261
    for byte in account.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    return Int(hash % UInt32(shardCount))
  }

  /// The seq of the latest stored event that names `account`.
  subscript(account: String) -> Int? {
    shards[Self.shard(account)][account]
  }

  /// Makes `seq` the latest event of `account`; the one it replaces, if any.
  mutating func replace(_ account: String, with seq: Int) -> Int? {
    let old = shards[Self.shard(account)].updateValue(seq, forKey: account)
    if old == nil { count += 1 }
    return old
  }
}
