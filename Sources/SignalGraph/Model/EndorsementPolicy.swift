/// Which interactions are endorsements: the one place that says so for the
/// whole project (the bought-engagement detectors, their shared endorsement
/// graph, the pre-filter's engagement check and the credit score).
///
/// An interaction endorses its target when its kind is one of ``kinds``
/// (`follow` and `like` by default) and it carries no negative `rating`:
/// a negative rating is never an endorsement, whatever its kind. Every other
/// kind (`dislike`, `report`, `block`, `unfollow`, …) is kept in the set but
/// never read as an endorsement; a detector may use it as evidence only where
/// its documented test says so (``disapprovalKinds``).
///
///     let policy = EndorsementPolicy.standard
///     policy.isEndorsement(kind: "like", rating: -3)    // false
///     policy.isEndorsement(kind: "dislike", rating: nil) // false
public struct EndorsementPolicy: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The endorsement kinds, sorted; `follow` and `like` by default.
  public private(set) var kinds: [String]
  /// The kinds that voice disapproval (`dislike`, `report`, `block` by
  /// default), sorted: with a negative rating of any kind, what a detector may
  /// read as a negative opinion where its documented test says so.
  public private(set) var disapprovalKinds: [String]

  /// The default endorsement kinds.
  public static let defaultKinds = ["follow", "like"]
  /// The default disapproval kinds.
  public static let defaultDisapprovalKinds = ["block", "dislike", "report"]
  /// The defaults: `follow` and `like` endorse; `dislike`, `report` and `block` disapprove.
  public static let standard = EndorsementPolicy(kinds: defaultKinds, disapprovalKinds: defaultDisapprovalKinds)

  /// A policy in which `kinds` endorse and `disapprovalKinds` disapprove.
  /// A kind listed in both is an endorsement only.
  public init(kinds: [String], disapprovalKinds: [String] = EndorsementPolicy.defaultDisapprovalKinds) {
    self.kinds = Array(Set(kinds)).sorted()
    self.disapprovalKinds = Array(Set(disapprovalKinds).subtracting(kinds)).sorted()
  }

  /// The policy in which the kinds of the comma-separated `listing`
  /// (`"follow,like,vouch"`, spaces ignored) endorse, with the default
  /// disapproval kinds: what `fraudscan scan --endorsements` and `filter
  /// --endorsements` read.
  /// - Throws: ``EndorsementPolicyError`` for an empty list or an entry that is not a kind.
  public init(listing: String) throws(EndorsementPolicyError) {
    let entries = listing.split(separator: ",").map { String($0).trimmingASCIISpaces() }.filter { !$0.isEmpty }
    guard !entries.isEmpty else { throw .empty }
    for entry in entries where !entry.utf8.allSatisfy(SignalSet.isKindByte) {
      throw .notAKind(entry)
    }
    self.init(kinds: entries)
  }

  /// Whether an interaction of `kind` with `rating` (`nil` when absent) endorses its target.
  public func isEndorsement(kind: String, rating: Double?) -> Bool {
    kinds.contains(kind) && !(rating.map { $0 < 0 } ?? false)
  }

  /// The opinion an interaction voices: +1 an endorsement, −1 disapproval
  /// (a disapproval kind, or a negative rating of any kind), 0 neither
  /// (e.g. `unfollow`, or a rating of 0 on a kind that does not endorse).
  public func opinion(kind: String, rating: Double?) -> Int8 {
    if let rating, rating < 0 { return -1 }
    if kinds.contains(kind) { return 1 }
    return disapprovalKinds.contains(kind) ? -1 : 0
  }

  /// Whether row `row` of `table` is an endorsement (for a few rows; use
  /// ``endorsements(of:)`` for all of them).
  public func endorses(_ table: InteractionTable, row: Int) -> Bool {
    isEndorsement(kind: table.kinds[table.kind[row]], rating: table.rating(at: row))
  }

  /// The opinion of every interaction of `table`, row by row (see ``opinion(kind:rating:)``).
  ///
  /// - Complexity: O(*m*) for *m* interactions; the kinds are looked up once each.
  public func opinions(of table: InteractionTable) -> [Int8] {
    let byKind = (0..<table.kinds.count).map { opinion(kind: table.kinds[Int32($0)], rating: nil) }
    var result = [Int8](repeating: 0, count: table.count)
    for r in 0..<table.count {
      let rating = table.rating[r]
      result[r] = rating < 0 ? -1 : byKind[Int(table.kind[r])]
    }
    return result
  }

  /// Whether each interaction of `table` is an endorsement, row by row.
  public func endorsements(of table: InteractionTable) -> [Bool] {
    opinions(of: table).map { $0 > 0 }
  }

  /// `endorse: follow, like; disapprove: block, dislike, report`, stable across runs.
  public var description: String {
    "endorse: \(kinds.joined(separator: ", ")); disapprove: \(disapprovalKinds.joined(separator: ", "))"
  }
}
