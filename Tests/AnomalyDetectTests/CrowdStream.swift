import Foundation
import SignalGraph
import SplitMix

@testable import InlinePrefilter

/// An endorsement stream built for the pre-filter's crowd tests: an honest
/// background (accounts following popular accounts and their neighbours,
/// every day), with honest crowds and farms planted in it, each endorsement
/// tagged with the scenario it belongs to.
///
/// The background has 3 000 aged accounts, each endorsing about 0.3 accounts
/// a day: two thirds drawn by popularity (a heavy head: the most popular
/// accounts are celebrities beyond the check's degree cap), one third among
/// its 40 nearest neighbours (local communities, where co-endorsements are
/// common). Scenarios are added with the methods below; ``events`` sorts
/// everything by time (ties keep the order they were added in).
struct CrowdStream {
  static let t0: Int64 = 1_767_225_600
  static let day: Int64 = 86_400

  /// A planted group: honest crowds must pass, farms must be withheld.
  enum Scenario: Hashable, CustomStringConvertible {
    case background
    case burst(Int)
    case club, busyRaters, celebrity
    case plainFarm, smallAgedFarm, patientFarm, hijackedFarm, camouflagedFarm
    /// The camouflage follows of a farm's fakes toward popular accounts:
    /// neither honest nor the manipulation, counted in neither rate.
    case camouflage

    var description: String {
      switch self {
      case .background: return "background"
      case let .burst(n): return "viral burst of \(n)"
      case .club: return "club"
      case .busyRaters: return "busy raters"
      case .celebrity: return "celebrity"
      case .plainFarm: return "plain farm"
      case .smallAgedFarm: return "small aged farm"
      case .patientFarm: return "patient farm"
      case .hijackedFarm: return "hijacked farm"
      case .camouflagedFarm: return "camouflaged farm"
      case .camouflage: return "camouflage"
      }
    }

    var isFarm: Bool {
      switch self {
      case .plainFarm, .smallAgedFarm, .patientFarm, .hijackedFarm, .camouflagedFarm: return true
      default: return false
      }
    }
  }

  struct Endorsement {
    var source: String
    var target: String
    var time: Int64
    var scenario: Scenario
  }

  let accounts = 3_000
  let days: Int
  private(set) var items: [Endorsement] = []
  private var random: SplitMix64

  /// The background over `days` days from ``t0``.
  init(days: Int, seed: UInt64) {
    self.days = days
    random = SplitMix64(seed: seed)
    for d in 0..<days {
      for a in 0..<accounts where random.chance(0.3) {
        let target = random.chance(2.0 / 3) ? popular() : neighbour(of: a)
        guard target != a else { continue }
        add("u\(a)", "u\(target)", at: Int64(d) * Self.day + Int64(random.below(Int(Self.day))), .background)
      }
    }
  }

  /// A background account drawn by popularity: index ⌊N·u³⌋, so account 0
  /// gets about 8 % of these endorsements and account 300 about 0.02 %.
  mutating func popular() -> Int {
    let u = random.unit()
    return min(accounts - 1, Int(Double(accounts) * u * u * u))
  }

  /// One of the 40 accounts nearest `a` (by index, wrapping round).
  mutating func neighbour(of a: Int) -> Int {
    (a + accounts + random.below(41) - 20) % accounts
  }

  /// A background account of middling popularity, distinct from those in `taken`.
  mutating func ordinary(avoiding taken: inout Set<Int>) -> Int {
    while true {
      let a = 400 + random.below(accounts - 400)
      if taken.insert(a).inserted { return a }
    }
  }

  mutating func add(_ source: String, _ target: String, at offset: Int64, _ scenario: Scenario) {
    items.append(Endorsement(source: source, target: target, time: Self.t0 + offset, scenario: scenario))
  }

  /// A random time within `length` seconds from day `start`.
  mutating func time(day start: Int, within length: Int64) -> Int64 {
    Int64(start) * Self.day + Int64(random.below(Int(length)))
  }

  /// An organic viral burst on day `start`: `size` unrelated accounts, half
  /// of them aged background accounts and half new ones (who go on to follow
  /// a few popular accounts, as new users do), endorse `target` within a day;
  /// 15 % of them also endorse its related account `related` that day.
  mutating func burst(size: Int, target: String, related: String, day start: Int) {
    var aged = Set<Int>()
    for i in 0..<size {
      let endorser = i % 2 == 0 ? "u\(ordinary(avoiding: &aged))" : "new-\(target)-\(i)"
      let t = time(day: start, within: Self.day)
      add(endorser, target, at: t, .burst(size))
      if random.chance(0.15) {
        add(endorser, related, at: t + Int64(random.below(3_600)), .burst(size))
      }
      if i % 2 == 1 {
        for _ in 0..<3 {
          add(endorser, "u\(popular())", at: t + Int64(random.below(Int(3 * Self.day))), .background)
        }
      }
    }
  }

  /// A club of `size` members who all follow each other, each follow at a
  /// random time over `length` days from day `start`.
  mutating func club(size: Int, day start: Int, length: Int) {
    for a in 0..<size {
      for b in 0..<size where a != b {
        add("club\(a)", "club\(b)", at: time(day: start, within: Int64(length) * Self.day), .club)
      }
    }
  }

  /// `count` busy raters, each endorsing `ratings` distinct background
  /// accounts (drawn by popularity) over two days from day `start`.
  mutating func busyRaters(count: Int, ratings: Int, day start: Int) {
    for r in 0..<count {
      var rated = Set<Int>()
      while rated.count < ratings { rated.insert(popular()) }
      for a in rated.sorted() { add("rater\(r)", "u\(a)", at: time(day: start, within: 2 * Self.day), .busyRaters) }
    }
  }

  /// A celebrity gaining `perDay` followers a day from the background, from
  /// day `start` on.
  mutating func celebrity(perDay: Int, day start: Int) {
    for d in start..<days {
      for _ in 0..<perDay {
        add("u\(random.below(accounts))", "celebrity", at: time(day: d, within: Self.day), .celebrity)
      }
    }
  }

  /// A farm: each of `endorsers` endorses each of `customers` once, at a
  /// random time within `length` seconds of day `start`; each also follows
  /// `camouflage` popular accounts in that time.
  mutating func farm(
    _ scenario: Scenario, endorsers: [String], customers: [String], day start: Int, within length: Int64,
    camouflage: Int = 0
  ) {
    for e in endorsers {
      for c in customers { add(e, c, at: time(day: start, within: length), scenario) }
      for _ in 0..<camouflage { add(e, "u\(popular() % 30)", at: time(day: start, within: length), .camouflage) }
    }
  }

  /// `count` fresh background accounts of middling popularity, as names.
  mutating func ordinaryAccounts(_ count: Int, avoiding taken: inout Set<Int>) -> [String] {
    (0..<count).map { _ in "u\(ordinary(avoiding: &taken))" }
  }

  /// The stream, sorted by time, as interaction events.
  var events: [(event: SignalEvent, scenario: Scenario)] {
    items.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map {
      (
        .interaction(source: $0.element.source, target: $0.element.target, kind: "follow", time: $0.element.time),
        $0.element.scenario
      )
    }
  }

  /// What a pre-filter run withheld, per scenario.
  struct Outcome {
    var total: [Scenario: Int] = [:]
    var withheld: [Scenario: Int] = [:]
    /// The first words of the reasons for withholding, per scenario.
    var rules: [Scenario: [String: Int]] = [:]

    func share(_ scenario: Scenario) -> Double {
      Double(withheld[scenario, default: 0]) / Double(max(1, total[scenario, default: 0]))
    }

    /// "withheld/total" and the rules that fired, for failure messages.
    func summary(_ scenario: Scenario) -> String {
      "\(scenario): \(withheld[scenario, default: 0]) of \(total[scenario, default: 0]) withheld, rules \(rules[scenario, default: [:]])"
    }
  }

  /// Decides the whole stream with a fresh pre-filter; an endorsement is
  /// withheld when it was held on arrival or revoked later.
  func run(configuration: PrefilterConfiguration = PrefilterConfiguration()) -> Outcome {
    var filter = Prefilter(configuration: configuration)
    let stream = events
    var withheld = [Bool](repeating: false, count: stream.count)
    var reason = [String](repeating: "", count: stream.count)
    func rule(_ text: String) -> String {
      if text.contains(" again endorses ") { return "\(text.prefix { $0 != " " }) repeat" }
      if text.hasSuffix("a flagged block") { return "\(text.prefix { $0 != " " }) join" }
      return "\(text.prefix { $0 != " " }) new"
    }
    for (seq, item) in stream.enumerated() {
      let d = filter.decide(item.event)
      if d.isHeld {
        withheld[seq] = true
        reason[seq] = rule(d.reasons.first ?? "")
      }
      for r in d.revocations where !withheld[r.seq] {
        withheld[r.seq] = true
        reason[r.seq] = rule(r.reasons.first ?? "")
      }
    }
    var outcome = Outcome()
    for (seq, item) in stream.enumerated() {
      outcome.total[item.scenario, default: 0] += 1
      if withheld[seq] {
        outcome.withheld[item.scenario, default: 0] += 1
        outcome.rules[item.scenario, default: [:]][reason[seq], default: 0] += 1
      }
    }
    return outcome
  }
}
