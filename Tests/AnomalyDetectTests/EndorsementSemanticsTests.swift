import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InlinePrefilter
@testable import InvestigationReport

/// Only endorsements (``EndorsementPolicy``) feed the bought-engagement
/// detectors and the pre-filter's engagement check: a block of dislikes, or
/// of likes with negative ratings, is never a farm.
@Suite struct EndorsementSemanticsTests {
  /// The planted 5 × 5 block of ``BoughtEngagementTests/plantedSet(camouflage:)``,
  /// its block edges re-kinded and rated by `kind` and `rating`.
  static func blockSet(kind: String, rating: Double?) -> SignalSet {
    let planted = BoughtEngagementTests.plantedSet(camouflage: false)
    var set = SignalSet()
    let i = planted.interactions, ids = planted.accounts.ids
    for r in 0..<i.count {
      let s = ids[i.source[r]], t = ids[i.target[r]]
      let inBlock = s.hasPrefix("fake")
      set.addInteraction(
        source: s, target: t, kind: inBlock ? kind : i.kinds[i.kind[r]], time: i.time[r],
        rating: inBlock ? rating : nil)
    }
    return set
  }

  static func flagged(_ set: SignalSet) -> Set<String> {
    let report = Scanner(detectors: Scanner.boughtEngagementDetectors).scan(set)
    return report.flaggedAccounts(of: .boughtEngagement)
  }

  @Test func theControlBlockOfRatedLikesIsAFarm() {
    #expect(Self.flagged(Self.blockSet(kind: "like", rating: 8)) == BoughtEngagementTests.block)
  }

  @Test func dislikesNeverMakeAFarm() {
    #expect(Self.flagged(Self.blockSet(kind: "dislike", rating: nil)).isEmpty)
    #expect(Self.flagged(Self.blockSet(kind: "report", rating: nil)).isEmpty)
  }

  @Test func negativeRatedLikesDoNotCount() {
    #expect(Self.flagged(Self.blockSet(kind: "like", rating: -5)).isEmpty)
    #expect(Self.flagged(Self.blockSet(kind: "follow", rating: -1)).isEmpty)
  }

  @Test func theEndorsementGraphKeepsOnlyEndorsements() {
    let set = Self.blockSet(kind: "dislike", rating: nil)
    let context = ScanContext(set)
    let fake = set.accounts.ids.index(of: "fake0")!
    #expect(context.endorsements.outDegree(of: fake) == 0)
    let custom = ScanContext(set, policy: EndorsementPolicy(kinds: ["follow", "like", "dislike"]))
    #expect(custom.endorsements.outDegree(of: fake) == 5)
  }

  @Test func explainCountsDislikesApartFromEndorsements() {
    var set = SignalSet()
    set.addInteraction(source: "a", target: "b", kind: "like", time: 1, rating: 3)
    set.addInteraction(source: "a", target: "c", kind: "dislike", time: 2, rating: -3)
    set.addInteraction(source: "a", target: "d", kind: "like", time: 3, rating: -1)
    let report = Scanner(detectors: []).scan(set)
    let text = AccountExplanation(account: "a", report: report, set: set, graph: GraphIndex(set)).text
    #expect(text.contains("1 endorsements given, 0 received (and 2 other interactions"))
  }

  @Test func thePrefilterNeverHoldsADislikeBlock() {
    var f = Prefilter()
    let t0: Int64 = 1_767_225_600
    var t: Int64 = 0
    // Background, as in PrefilterTests: 300 fans follow two celebrities.
    for i in 0..<300 {
      for star in ["star1", "star2"] {
        t += 10
        _ = f.decide(.interaction(source: "bg\(i)", target: star, kind: "follow", time: t0 + t))
      }
    }
    for i in 0..<8 {
      for c in ["c1", "c2", "c3"] {
        t += 60
        #expect(f.decide(.interaction(source: "fake\(i)", target: c, kind: "dislike", time: t0 + t)).verdict == .admit)
        t += 60
        #expect(
          f.decide(.interaction(source: "neg\(i)", target: c, kind: "like", time: t0 + t, rating: -4)).verdict == .admit
        )
      }
    }
    // The same block of likes is held.
    var held = false
    for i in 0..<8 {
      for c in ["c1", "c2", "c3"] {
        t += 60
        if f.decide(.interaction(source: "fan\(i)", target: c, kind: "like", time: t0 + t, rating: 3)).verdict == .hold
        {
          held = true
        }
      }
    }
    #expect(held)
  }
}
