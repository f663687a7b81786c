/// The account ids one signal file names that the shared ``AccountTable``
/// does not hold yet, so that several files can be read at once against one
/// table that none of them changes.
///
/// A known id resolves to its index; an unknown one to a provisional index
/// −1, −2, … in the order the file first names it. Once every file is read,
/// ``AccountTable/adopt(_:)`` adds them, file by file, and gives the final
/// index of each provisional one: the indices a sequential read of the same
/// files in the same order would have given.
///
///     var accounts = AccountTable()
///     accounts.index(of: "alice")                        // 0
///     var unlisted = UnlistedAccounts(known: accounts.ids)
///     let bob = Array("bob".utf8).withUnsafeBufferPointer { unlisted.index(of: $0) }   // −1
///     let final = accounts.adopt(unlisted)                                          // [1]
struct UnlistedAccounts: Sendable {
  /// The ids already in the table, read only.
  let known: StringInterner
  /// The ids this file names that `known` lacks, in order of first mention.
  private(set) var ids = StringInterner()

  /// Resolves ids against `known`.
  init(known: StringInterner) { self.known = known }

  /// The index of `id` in the table, or its provisional index (negative) if
  /// the table does not hold it.
  @inline(__always)
  mutating func index(of id: UnsafeBufferPointer<UInt8>) -> Int32 {
    if let index = known.index(of: id) { return index }
    return -1 - ids.intern(id)
  }

  /// Replaces every provisional index in `column` with its final one.
  static func resolve(_ column: inout [Int32], with final: [Int32]) {
    guard !final.isEmpty else { return }
    column.withUnsafeMutableBufferPointer { column in
      for i in column.indices where column[i] < 0 { column[i] = final[Int(-1 - column[i])] }
    }
  }
}

extension AccountTable {
  /// Adds the accounts `unlisted` names, in its order, and returns the final
  /// index of each provisional one (position *k* for provisional −1 − *k*).
  mutating func adopt(_ unlisted: UnlistedAccounts) -> [Int32] {
    (0..<Int32(unlisted.ids.count)).map { k in
      unlisted.ids.bytes(of: k).withUnsafeBufferPointer { index(of: $0) }
    }
  }
}
