import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

/// The contested-reputation test: fair raters' disapproval, never a bare
/// count of dislikes, marks an account whose standing was not earned.
@Suite struct ContestedReputationTests {
  static let t0: Int64 = 1_767_225_600

  /// 30 fair raters who each like 10 of 20 well-liked accounts; `extra` adds more.
  static func community(_ extra: (inout SignalSet, inout Int64) -> Void) -> SignalSet {
    var set = SignalSet()
    var t = t0
    for r in 0..<30 {
      for k in 0..<10 {
        t += 60
        set.addInteraction(source: "rater\(r)", target: "good\((r + k) % 20)", kind: "like", time: t, rating: 5)
      }
    }
    extra(&set, &t)
    return set
  }

  static func findings(_ set: SignalSet) -> [Finding] {
    ContestedReputationDetector().findings(in: ScanContext(set))
  }

  static func flagged(_ set: SignalSet) -> Set<String> {
    Set(findings(set).flatMap(\.accounts).map { set.accounts.ids[$0] })
  }

  /// A scammer liked by its own sock, disliked by 8 fair raters.
  static func scam(_ set: inout SignalSet, _ t: inout Int64, name: String = "scam", sock: String = "sock") {
    t += 60
    set.addInteraction(source: sock, target: name, kind: "like", time: t, rating: 10)
    for r in 0..<8 {
      t += 60
      set.addInteraction(source: "rater\(r)", target: name, kind: "dislike", time: t, rating: -10)
    }
  }

  @Test func anAccountTheFairRatersCondemnIsFlaggedWithAReason() {
    let set = Self.community { set, t in Self.scam(&set, &t) }
    let findings = Self.findings(set)
    #expect(Self.flagged(set) == ["scam"])
    guard case let .object(evidence)? = findings.first?.evidence, case let .string(reason)? = evidence["reason"] else {
      Issue.record("no reason in the evidence")
      return
    }
    #expect(reason.contains("8 of its 9 raters disapprove of scam"))
    #expect((findings.first?.score ?? 0) > 5)
  }

  @Test func aWellLikedAccountThatRetaliatorsDislikeIsNot() {
    let set = Self.community { set, t in
      // Three raters dislike the accounts everyone likes: unfair, and outnumbered.
      for r in 0..<3 {
        for g in 0..<6 {
          t += 60
          set.addInteraction(source: "grudge\(r)", target: "good\(g)", kind: "dislike", time: t, rating: -10)
        }
      }
    }
    #expect(Self.flagged(set).isEmpty)
  }

  @Test func aSetWithoutDisapprovalHasNoCandidate() {
    #expect(Self.findings(BoughtEngagementTests.plantedSet(camouflage: true)).isEmpty)
  }

  @Test func contestedAccountsVouchingForEachOtherAreOneRing() {
    let set = Self.community { set, t in
      Self.scam(&set, &t, name: "scamA", sock: "scamB")
      Self.scam(&set, &t, name: "scamB", sock: "scamA")
      Self.scam(&set, &t, name: "lone", sock: "sock")
    }
    let groups = Set(Self.findings(set).map { Set($0.accounts.map { set.accounts.ids[$0] }) })
    #expect(groups == [["scamA", "scamB"], ["lone"]])
  }

  @Test func fisherCombinesIndependentTests() {
    #expect(ContestedReputationDetector.log10Fisher([-2]) == -2)
    // x / 2 = 2 ln 10: P = e^(−x/2) (1 + x/2) = 0.01 × (1 + 2 ln 10).
    #expect(abs(ContestedReputationDetector.log10Fisher([-1, -1]) - log10(0.01 * (1 + 2 * log(10)))) < 1e-12)
  }
}
