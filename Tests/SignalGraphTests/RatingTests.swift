import Foundation
import Testing

@testable import SignalGraph

/// The optional `rating` of interactions, end to end: CSV ingest, the SQLite
/// store (and its migration from schema 1), the event stream, and what
/// ``EndorsementPolicy`` makes of it.
@Suite("Ratings and endorsement semantics")
struct RatingTests {
  static let rated: [String: String] = [
    "interactions.csv": """
    src,dst,kind,ts,rating
    a,b,like,1767225600,4
    a,c,like,1767225601,-3
    b,c,dislike,1767225602,-10
    c,a,follow,1767225603,
    c,b,report,1767225604,2.5
    """
  ]

  @Test func theRatingColumnIsReadAndMayBeEmptyOrAbsent() throws {
    let set = try readSet(Self.rated)
    let i = set.interactions
    #expect((0..<i.count).map { i.rating(at: $0) } == [4, -3, -10, nil, 2.5])
    let plain = try readSet(["interactions.csv": "src,dst,kind,ts\na,b,like,1767225600\n"])
    #expect(plain.interactions.rating(at: 0) == nil)
  }

  @Test func aBadRatingNamesFileLineAndColumn() throws {
    try withTemporaryDirectory { root in
      let dir = try writeSignalSet(["interactions.csv": "src,dst,kind,ts,rating\na,b,like,1767225600,good\n"], in: root)
      #expect {
        try SignalSet(contentsOf: dir)
      } throws: { error in
        "\(error)".contains("interactions.csv:2") && "\(error)".contains("\"rating\"")
          && "\(error)".contains("is not a rating")
      }
    }
  }

  @Test func onlyEndorsementKindsWithoutANegativeRatingEndorse() throws {
    let policy = EndorsementPolicy.standard
    #expect(policy.isEndorsement(kind: "like", rating: 4))
    #expect(policy.isEndorsement(kind: "follow", rating: nil))
    #expect(!policy.isEndorsement(kind: "like", rating: -3))
    #expect(!policy.isEndorsement(kind: "dislike", rating: nil))
    #expect(!policy.isEndorsement(kind: "report", rating: 2.5))
    let set = try readSet(Self.rated)
    #expect(policy.opinions(of: set.interactions) == [1, -1, -1, 1, -1])
    let custom = EndorsementPolicy(kinds: ["like", "vouch"])
    #expect(custom.isEndorsement(kind: "vouch", rating: 1) && !custom.isEndorsement(kind: "follow", rating: nil))
    #expect("\(policy)" == "endorse: follow, like; disapprove: block, dislike, report")
  }

  @Test func aListOfEndorsementKindsIsParsedOrRefusedClearly() throws {
    #expect(try EndorsementPolicy(listing: "like, vouch").kinds == ["like", "vouch"])
    #expect(throws: EndorsementPolicyError.empty) { try EndorsementPolicy(listing: " , ") }
    #expect(throws: EndorsementPolicyError.notAKind("Like")) { try EndorsementPolicy(listing: "follow,Like") }
    #expect("\(EndorsementPolicyError.notAKind("Like"))".contains("lower-case"))
  }

  @Test func theStoreKeepsRatings() throws {
    try withTemporaryDirectory { root in
      let store = try SignalStore(path: filePath(root, "s.sqlite"))
      try store.append(try readSet(Self.rated), source: "rated")
      let back = try store.load().interactions
      #expect((0..<back.count).map { back.rating(at: $0) } == [4, -3, -10, nil, 2.5])
    }
  }

  @Test func aVersionOneStoreIsMigratedInPlaceAndKeepsItsRows() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "old.sqlite")
      let old = try SQLiteDatabase(path: path, create: true)
      try old.execute(
        SignalStore.schema
          .replacingOccurrences(of: ", rating REAL", with: "")
          .replacingOccurrences(of: "'schema_version', '2'", with: "'schema_version', '1'")
          .replacingOccurrences(of: "user_version = 2", with: "user_version = 1"))
      try old.execute(
        "INSERT INTO accounts VALUES (0, 'a', NULL), (1, 'b', NULL); INSERT INTO interactions VALUES (0, 1, 'like', 5)")
      let store = try SignalStore(path: path, create: false)
      #expect(try store.database.userVersion() == 2)
      try store.append(try readSet(Self.rated), source: "rated")
      let back = try store.load().interactions
      #expect(back.count == 6)
      #expect(back.rating(at: 0) == nil && back.rating(at: 2) == -3)
    }
  }

  @Test func theEventStreamCarriesRatings() throws {
    let line = #"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1,"rating":-2}"#
    let event = try EventParser.parse(line: Array(line.utf8), seq: 0)
    #expect(event == .interaction(source: "a", target: "b", kind: "like", time: 1, rating: -2))
    #expect(event.jsonLine == line)
    #expect(
      SignalEvent.interaction(source: "a", target: "b", kind: "like", time: 1, rating: 2.5).jsonLine.hasSuffix(
        #""rating":2.5}"#))
    var set = SignalSet()
    set.add(event)
    #expect(set.interactions.rating(at: 0) == -2)
    #expect(throws: EventParseError.self) {
      try EventParser.parse(
        line: Array(#"{"type":"interaction","src":"a","dst":"b","kind":"like","ts":1,"rating":"x"}"#.utf8), seq: 0)
    }
  }

  /// A rating too large or too small for plain digits is written with an
  /// exponent (as JSON allows), and must read back the same: found by the
  /// events fuzzer with `"rating":7777777777777777773`.
  @Test(arguments: [7_777_777_777_777_777_773.0, -1e300, 1e-5, 2.5e-7])
  func anExtremeRatingSurvivesTheEventStream(rating: Double) throws {
    let event = SignalEvent.interaction(source: "a", target: "b", kind: "like", time: 200, rating: rating)
    #expect(try EventParser.parse(line: Array(event.jsonLine.utf8), seq: 0) == event)
  }
}
