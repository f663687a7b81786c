import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

/// The honest crowds and the farms of issue 11 in `fraudscan synth`: their
/// shapes, read back from the written files.
@Suite("Synthesis crowds")
struct SynthesisCrowdTests {
  /// One written small set, its tables, and its accounts by crowd and label.
  struct Written {
    var interactions: Table
    var created: [String: Int]
    var crowd: [String: Set<String>] = [:]
    var bought: Set<String> = []
    /// `farms.csv`: (account, farm, style, role) rows.
    var farms: [(account: String, farm: Int, style: String, role: String)] = []

    init(_ dir: URL) throws {
      interactions = try Table(url: dir.appendingPathComponent("interactions.csv"))
      let accounts = try Table(url: dir.appendingPathComponent("accounts.csv"))
      created = [:]
      for row in accounts.rows {
        created[row[accounts.index("account")]] = Self.seconds(row[accounts.index("created_at")])
      }
      let crowds = try Table(url: dir.appendingPathComponent("crowds.csv"))
      for row in crowds.rows { crowd[row[crowds.index("crowd")], default: []].insert(row[crowds.index("account")]) }
      let labels = try Table(url: dir.appendingPathComponent("labels.csv"))
      for row in labels.rows where row[labels.index("label")] == "bought_engagement" {
        bought.insert(row[labels.index("account")])
      }
      let farmTable = try Table(url: dir.appendingPathComponent("farms.csv"))
      for row in farmTable.rows {
        farms.append(
          (
            row[farmTable.index("account")], Int(row[farmTable.index("farm")])!, row[farmTable.index("style")],
            row[farmTable.index("role")]
          ))
      }
    }

    /// Unix seconds of an integer or ISO-8601 timestamp.
    static func seconds(_ text: String) -> Int { SynthesisTests.parseTimestamp(text)! }

    /// (src, dst, ts) of every follow and like.
    var endorsements: [(src: String, dst: String, ts: Int)] {
      let s = interactions.index("src"), d = interactions.index("dst"), t = interactions.index("ts")
      return interactions.rows.map { ($0[s], $0[d], Self.seconds($0[t])) }
    }
  }

  static let written: Result<Written, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synth-crowds-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try SyntheticSignalSet(scale: .small, seed: 7).write(to: dir)
    return try Written(dir)
  }

  @Test func crowdsAreUnlabelledAndEveryKindIsPresent() throws {
    let w = try Self.written.get()
    for name in ["viral_target", "viral_fan", "club", "busy_rater"] {
      let members = try #require(w.crowd[name], "no \(name) in crowds.csv")
      #expect(!members.isEmpty)
      // A fan may later be drafted into a hijacked farm; crowds are otherwise unlabelled.
      #expect(members.subtracting(w.bought).count * 10 >= members.count * 9, "\(name) members are labelled")
    }
  }

  /// `farms.csv` names every bought-engagement account once, with a farm
  /// whose endorsers endorse its own customers, in every planted style.
  @Test func farmsListEveryBoughtAccountWithItsFarmStyleAndRole() throws {
    let w = try Self.written.get()
    #expect(Set(w.farms.map(\.account)) == w.bought)
    #expect(w.farms.count == w.bought.count, "an account is in two farms")
    #expect(
      Set(w.farms.map(\.style))
        == ["plain", "stealth", "camouflaged", "lockstep", "hijacked", "spread_in_time", "aged_small", "patient"])
    var farmOf: [String: Int] = [:]
    var endorsers: Set<String> = []
    for row in w.farms {
      farmOf[row.account] = row.farm
      #expect(row.role == "endorser" || row.role == "customer")
      if row.role == "endorser" { endorsers.insert(row.account) }
    }
    // Every endorser endorses at least one customer of its own farm.
    var served: Set<String> = []
    for e in w.endorsements where endorsers.contains(e.src) && farmOf[e.src] == farmOf[e.dst] {
      served.insert(e.src)
    }
    #expect(served == endorsers)
  }

  @Test func viralBurstsBringHundredsOfOldAndNewFansToOneTargetWithinADay() throws {
    let w = try Self.written.get()
    let fans = w.crowd["viral_fan"]!
    var byTarget: [String: [(fan: String, ts: Int)]] = [:]
    for e in w.endorsements where w.crowd["viral_target"]!.contains(e.dst) && fans.contains(e.src) {
      byTarget[e.dst, default: []].append((e.src, e.ts))
    }
    // Small sets plan two bursts: two targets and their two related accounts.
    #expect(w.crowd["viral_target"]!.count == 4)
    // The most fans within any 26 hours, per target: a burst brings 300 or more.
    var bursts = 0
    for (_, hits) in byTarget {
      let times = hits.map(\.ts).sorted()
      var best = 0, s = 0
      for e in times.indices {
        while times[e] - times[s] > 86_400 + 2 * 3_600 { s += 1 }
        best = max(best, e - s + 1)
      }
      guard best >= 300 else { continue }
      bursts += 1
      let fresh = Set(hits.filter { w.created[$0.fan]! >= $0.ts - 3 * 86_400 }.map(\.fan))
      let old = Set(hits.filter { w.created[$0.fan]! < $0.ts - 30 * 86_400 }.map(\.fan))
      #expect(fresh.count >= 20 && old.count >= 100, "fresh \(fresh.count), old \(old.count)")
    }
    #expect(bursts >= 2, "targets with 300+ fans within a day: \(bursts)")
  }

  @Test func clubMembersFollowMostOfTheirClubAndAreFollowedBack() throws {
    let w = try Self.written.get()
    let club = w.crowd["club"]!
    var follows = Set<String>()
    for e in w.endorsements where club.contains(e.src) && club.contains(e.dst) { follows.insert("\(e.src)>\(e.dst)") }
    var degree: [String: Int] = [:]
    for pair in follows { degree[String(pair.split(separator: ">")[0]), default: 0] += 1 }
    #expect(club.allSatisfy { degree[$0, default: 0] >= 8 }, "every member follows most of its (10–40) club")
    let returned = follows.filter {
      let p = $0.split(separator: ">")
      return follows.contains("\(p[1])>\(p[0])")
    }
    #expect(Double(returned.count) >= 0.85 * Double(follows.count), "club ties are mutual")
  }

  @Test func busyRatersEndorseSeveralHundredAccountsOverMonths() throws {
    let w = try Self.written.get()
    let raters = w.crowd["busy_rater"]!
    #expect(raters.count == 10)
    var targets: [String: Set<String>] = [:], first: [String: Int] = [:], last: [String: Int] = [:]
    for e in w.endorsements where raters.contains(e.src) {
      targets[e.src, default: []].insert(e.dst)
      first[e.src] = min(first[e.src] ?? .max, e.ts)
      last[e.src] = max(last[e.src] ?? .min, e.ts)
    }
    for r in raters {
      #expect(targets[r, default: []].count >= 200)
      #expect(last[r]! - first[r]! >= 60 * 86_400)
    }
  }

  /// Farms are the connected groups of labelled endorsers and the labelled
  /// accounts they endorse.
  static func farms(_ w: Written) -> [(endorsers: Set<String>, customers: Set<String>, first: Int, last: Int)] {
    var groups: [String: Int] = [:]
    var farms: [(endorsers: Set<String>, customers: Set<String>, first: Int, last: Int)] = []
    for e in w.endorsements.sorted(by: { $0.ts < $1.ts }) where w.bought.contains(e.src) && w.bought.contains(e.dst) {
      let g = groups[e.dst] ?? groups[e.src] ?? farms.count
      if g == farms.count { farms.append(([], [], e.ts, e.ts)) }
      groups[e.src] = g
      groups[e.dst] = g
      farms[g].endorsers.insert(e.src)
      farms[g].customers.insert(e.dst)
      farms[g].last = max(farms[g].last, e.ts)
    }
    return farms
  }

  @Test func smallFarmsOfAgedAccountsAndPatientFarmsArePlanted() throws {
    let w = try Self.written.get()
    let farms = Self.farms(w)
    let aged = farms.filter { farm in
      farm.customers.count <= 3 && farm.endorsers.filter { w.created[$0]! < farm.first - 180 * 86_400 }.count >= 4
    }
    #expect(!aged.isEmpty, "a small farm of accounts created half a year before it starts")
    let patient = farms.filter { farm in
      (10...30).contains(farm.endorsers.count) && farm.last - farm.first >= 10 * 86_400
        && farm.last - farm.first <= 29 * 86_400
    }
    #expect(!patient.isEmpty, "a farm spread over two to four weeks")
  }
}
