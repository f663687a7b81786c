import Foundation
import Testing

@testable import AnomalyDetect
@testable import SignalGraph

/// The honest crowds of issue 11 (viral bursts, tight communities, busy
/// raters) and the farms that hide among them (small farms of aged
/// accounts, patient farms), on graphs generated here: every honest crowd
/// beside a farm, so that each test shows both that the crowd is spared and
/// that the farm is still caught.
@Suite struct HonestCrowdTests {
  static let day: Int64 = 86_400
  static let hour: Int64 = 3_600
  static let t0: Int64 = 1_767_225_600

  /// A deterministic generator for the graphs.
  struct LCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    mutating func unit() -> Double { Double(next(1 << 30)) / Double(1 << 30) }
  }

  /// `persons` (300) aged honest persons over 180 days: each follows four
  /// others at random, some followed back, and likes two of them.
  static func background(_ rng: inout LCG, persons: Int = 300) -> SignalSet {
    var set = SignalSet()
    for h in 0..<persons {
      set.accounts.setCreatedAt(t0 - Int64(100 + rng.next(1_500)) * day, for: set.accounts.index(of: "h\(h)"))
    }
    for h in 0..<persons {
      for k in 0..<4 {
        let t = rng.next(persons)
        guard t != h else { continue }
        set.addInteraction(source: "h\(h)", target: "h\(t)", kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
        if rng.next(2) == 0 {
          set.addInteraction(source: "h\(t)", target: "h\(h)", kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
        }
        if k < 2 {
          set.addInteraction(source: "h\(h)", target: "h\(t)", kind: "like", time: t0 + Int64(rng.next(180 * 86_400)))
        }
      }
    }
    return set
  }

  /// `endorsers` fresh fakes endorse `customers` customers (nine pairs in
  /// ten) at random times within `span` seconds of day 100; each customer
  /// has three honest followers over the half year.
  static func addFarm(
    _ set: inout SignalSet, _ rng: inout LCG, prefix: String, endorsers: Int, customers: Int, span: Int64,
    aged: Bool = false
  ) -> Set<String> {
    let start = t0 + 100 * day
    var members = Set<String>()
    for c in 0..<customers {
      let customer = "\(prefix)cust\(c)"
      members.insert(customer)
      for _ in 0..<3 {
        set.addInteraction(
          source: "h\(rng.next(300))", target: customer, kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    for e in 0..<endorsers {
      let fake = "\(prefix)fake\(e)"
      members.insert(fake)
      let created = aged ? t0 - Int64(400 + rng.next(400)) * day : start - Int64(1 + rng.next(5)) * day
      set.accounts.setCreatedAt(created, for: set.accounts.index(of: fake))
      if aged {
        // An ordinary history: follows of honest persons, some followed back.
        for _ in 0..<5 {
          let h = "h\(rng.next(300))"
          set.addInteraction(source: fake, target: h, kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
          set.addInteraction(source: h, target: fake, kind: "follow", time: t0 + Int64(rng.next(180 * 86_400)))
        }
      }
      for c in 0..<customers where (e + c) % 10 != 9 {
        set.addInteraction(
          source: fake, target: "\(prefix)cust\(c)", kind: "follow", time: start + Int64(rng.next(Int(span))))
      }
    }
    return members
  }

  static func flagged(_ set: SignalSet) -> Set<String> {
    let report = Scanner.standard.scan(set)
    return Set(report.clusters.filter { $0.kind == .boughtEngagement }.flatMap(\.accounts))
  }

  @Test func aViralBurstTowardOneSingerAndHerBandIsNotAFarm() {
    var rng = LCG(state: 11)
    var set = Self.background(&rng)
    // The singer and her band follow each other; ten persons follow both.
    set.addInteraction(source: "singer", target: "band", kind: "follow", time: Self.t0 + 2 * Self.day)
    set.addInteraction(source: "band", target: "singer", kind: "follow", time: Self.t0 + 3 * Self.day)
    for h in 0..<10 {
      set.addInteraction(source: "h\(h * 7)", target: "singer", kind: "follow", time: Self.t0 + Int64(h) * Self.day)
      set.addInteraction(source: "h\(h * 7)", target: "band", kind: "like", time: Self.t0 + Int64(h) * Self.day + 60)
    }
    // 500 fans within a day of day 70, a quarter of them new, a third also the band.
    let burst = Self.t0 + 70 * Self.day
    var crowd: Set<String> = ["singer", "band"]
    for f in 0..<500 {
      let fan = f < 125 ? "new\(f)" : "h\(f % 300)"
      let ts = burst + Int64(Double(Self.day - 1) * pow(rng.unit(), 3))
      if f < 125 { set.accounts.setCreatedAt(ts - Int64(rng.next(2 * 86_400)), for: set.accounts.index(of: fan)) }
      crowd.insert(fan)
      set.addInteraction(source: fan, target: "singer", kind: f % 4 == 0 ? "like" : "follow", time: ts)
      if rng.next(3) == 0 {
        set.addInteraction(source: fan, target: "band", kind: "follow", time: ts + Int64(60 + rng.next(6 * 3_600)))
      }
    }
    let farm = Self.addFarm(&set, &rng, prefix: "a", endorsers: 8, customers: 3, span: 12 * Self.hour)
    let flagged = Self.flagged(set)
    #expect(flagged.isDisjoint(with: crowd), "\(flagged.intersection(crowd).sorted().prefix(10))")
    #expect(flagged == farm)
  }

  @Test func aClubWhoseMembersAllFollowEachOtherOverMonthsIsNotAFarm() {
    var rng = LCG(state: 12)
    var set = Self.background(&rng)
    // 30 members join over three months; each follows each other member
    // within ten days of the later of the two joining, and likes a few.
    let members = (0..<30).map { "club\($0)" }
    let joined = members.indices.map { Self.t0 + 10 * Self.day + ($0 == 0 ? 0 : Int64(rng.next(90 * 86_400))) }
    for (i, m) in members.enumerated() {
      set.accounts.setCreatedAt(Self.t0 - 500 * Self.day, for: set.accounts.index(of: m))
      for (j, o) in members.enumerated() where i != j && rng.next(20) != 0 {
        let ts = max(joined[i], joined[j]) + Int64(3_600 + rng.next(10 * 86_400))
        set.addInteraction(source: m, target: o, kind: "follow", time: ts)
      }
      for _ in 0..<6 {
        let j = rng.next(30)
        if j != i {
          set.addInteraction(source: m, target: members[j], kind: "like", time: max(joined[i], joined[j]) + 99)
        }
      }
    }
    let farm = Self.addFarm(&set, &rng, prefix: "b", endorsers: 10, customers: 4, span: 20 * Self.hour)
    let flagged = Self.flagged(set)
    #expect(flagged.isDisjoint(with: members), "\(flagged.intersection(members).sorted())")
    #expect(flagged == farm)
  }

  @Test func busyRatersWhoEndorseHundredsAreNotAFarm() {
    var rng = LCG(state: 13)
    var set = Self.background(&rng)
    // Five busy raters each follow 200 of the 300 persons and like 100, over months.
    let raters = (0..<5).map { "busy\($0)" }
    for rater in raters {
      var followed: [Int] = []
      while followed.count < 200 {
        let h = rng.next(300)
        if !followed.contains(h) { followed.append(h) }
      }
      for h in followed {
        set.addInteraction(
          source: rater, target: "h\(h)", kind: "follow", time: Self.t0 + Int64(rng.next(180 * 86_400)))
      }
      for h in followed.prefix(100) {
        set.addInteraction(source: rater, target: "h\(h)", kind: "like", time: Self.t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    let farm = Self.addFarm(&set, &rng, prefix: "c", endorsers: 6, customers: 3, span: 6 * Self.hour)
    let flagged = Self.flagged(set)
    #expect(flagged.isDisjoint(with: raters))
    #expect(flagged == farm)
  }

  @Test func aSmallFarmOfAgedAccountsWithHonestHistoriesIsFlagged() {
    var rng = LCG(state: 14)
    var set = Self.background(&rng)
    let farm = Self.addFarm(&set, &rng, prefix: "d", endorsers: 5, customers: 2, span: 10 * Self.hour, aged: true)
    #expect(Self.flagged(set) == farm)
  }

  @Test func aPatientFarmSpreadOverThreeWeeksIsFlagged() {
    var rng = LCG(state: 15)
    var set = Self.background(&rng)
    let farm = Self.addFarm(&set, &rng, prefix: "e", endorsers: 12, customers: 4, span: 21 * Self.day)
    #expect(Self.flagged(set) == farm)
  }

  /// A farm whose endorsers do not all serve every customer: 20 fakes hit
  /// eleven of its twelve customers, 12 more only three, over twelve days.
  /// The densest block FRAUDAR's peeling returns holds the first 20; the 12
  /// join the finding because they endorsed its customers within its window
  /// more than their volume explains, while the customers' honest followers,
  /// who followed over the half year, stay out.
  @Test func aFarmsLightEndorsersJoinItsBlock() {
    var rng = LCG(state: 16)
    var set = Self.background(&rng, persons: 3_000)
    let start = Self.t0 + 100 * Self.day
    var farm = Set<String>()
    var honestFollowers = Set<String>()
    for c in 0..<12 {
      farm.insert("fcust\(c)")
      for _ in 0..<3 {
        let h = "h\(rng.next(3_000))"
        honestFollowers.insert(h)
        set.addInteraction(
          source: h, target: "fcust\(c)", kind: "follow", time: Self.t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    for e in 0..<32 {
      let fake = "ffake\(e)"
      farm.insert(fake)
      set.accounts.setCreatedAt(start - Int64(1 + rng.next(5)) * Self.day, for: set.accounts.index(of: fake))
      let served = e < 20 ? (0..<12).filter { $0 != e % 12 } : (0..<3).map { (e + 4 * $0) % 12 }
      for c in served {
        set.addInteraction(
          source: fake, target: "fcust\(c)", kind: "follow", time: start + Int64(rng.next(Int(12 * Self.day))))
      }
    }
    let flagged = Self.flagged(set)
    #expect(
      flagged == farm, "missed \(farm.subtracting(flagged).sorted()), extra \(flagged.subtracting(farm).sorted())")
    #expect(flagged.isDisjoint(with: honestFollowers))

    // The block test itself, handed the 20 dense endorsers only, completes the farm.
    let pairs = EndorsementGraph(set, graph: GraphIndex(set))
    var scratch = EngagementBlockTest.Scratch(accounts: set.accounts.count)
    let ids = set.accounts.ids
    let blocks = EngagementBlockTest().blocks(
      rows: (0..<20).map { ids.index(of: "ffake\($0)")! }, columns: (0..<12).map { ids.index(of: "fcust\($0)")! },
      pairs: pairs, set: set, scratch: &scratch)
    #expect(blocks.count == 1)
    #expect(Set(blocks.first?.endorsers.map { ids[$0] } ?? []) == Set((0..<32).map { "ffake\($0)" }))
  }

  /// A stealth farm, 6 fresh fakes × 3 customers within a day, whose
  /// customers each have 12 honest followers over the half year: the farm
  /// gives them a third of their endorsers, not half, but it is their burst
  /// (a day holding six follows of accounts followed twice a month).
  @Test func aStealthFarmWhoseCustomersHaveMoreHonestFollowersIsFlagged() {
    var rng = LCG(state: 17)
    var set = Self.background(&rng, persons: 3_000)
    let start = Self.t0 + 90 * Self.day
    var farm = Set<String>()
    for c in 0..<3 {
      farm.insert("scust\(c)")
      for _ in 0..<12 {
        set.addInteraction(
          source: "h\(rng.next(3_000))", target: "scust\(c)", kind: "follow",
          time: Self.t0 + Int64(rng.next(180 * 86_400)))
      }
    }
    for e in 0..<6 {
      let fake = "sfake\(e)"
      farm.insert(fake)
      set.accounts.setCreatedAt(start - Int64(1 + rng.next(3)) * Self.day, for: set.accounts.index(of: fake))
      for c in 0..<3 where (e + c) % 6 != 5 {
        set.addInteraction(
          source: fake, target: "scust\(c)", kind: "follow", time: start + Int64(rng.next(Int(20 * Self.hour))))
      }
    }
    let flagged = Self.flagged(set)
    #expect(
      flagged == farm, "missed \(farm.subtracting(flagged).sorted()), extra \(flagged.subtracting(farm).sorted())")
  }

  @Test func customersTiedOutsideTheBlockAreOneTarget() {
    // Six endorsers × two customers within an hour. Tied (the band followed
    // the singer the day before), they are one target; untied, two.
    for tied in [false, true] {
      var set = SignalSet()
      for e in 0..<6 {
        for c in ["singer", "band"] {
          set.addInteraction(source: "e\(e)", target: c, kind: "follow", time: Self.t0 + Int64(e * 60))
        }
      }
      for h in 0..<40 {
        set.addInteraction(
          source: "h\(h)", target: "h\((h + 1) % 40)", kind: "follow", time: Self.t0 + Int64(h) * Self.day)
      }
      if tied { set.addInteraction(source: "band", target: "singer", kind: "follow", time: Self.t0 - Self.day) }
      let pairs = EndorsementGraph(set, graph: GraphIndex(set))
      var scratch = EngagementBlockTest.Scratch(accounts: set.accounts.count)
      let ids = ["singer", "band"].map { set.accounts.ids.index(of: $0)! }
      let endorsers = (0..<6).map { set.accounts.ids.index(of: "e\($0)")! }
      let targets = EngagementBlockTest().independentTargets(
        customers: ids, endorsers: endorsers, before: Self.t0, log10Alpha: -3, pairs: pairs, scratch: &scratch)
      #expect(targets == (tied ? 1 : 2))
    }
  }
}
