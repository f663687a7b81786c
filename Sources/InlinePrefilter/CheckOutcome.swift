/// What one incremental checker found for one event: reasons to hold it
/// (none: admit) and earlier seqs of its own kind to revoke, with the reason.
struct CheckOutcome {
  var holdReasons: [String] = []
  var revoked: [(seq: Int, reason: String)] = []

  static let admit = CheckOutcome()
}
