import Foundation
import FraudLinalg
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import SignalSynthesis

@Suite struct MinHashIndexTests {
  let template = "passionate growth strategist helping brands scale fast dm for collabs always"

  @Test func estimateIsCloseToTheTrueJaccard() {
    var index = MinHashIndex()
    let pairs = [
      (template, "passionate growth hacker helping brands scale fast dm for collabs always"),
      (template, "passionate growth hacker helping startups scale fast dm for gigs always"),
      (template, "forklift certified coffee first and dog dad on weekends"),
      (template, template),
    ]
    for (a, b) in pairs {
      let exact = MinHashIndex.jaccard(a, b)
      let estimate = MinHashIndex.estimatedJaccard(index.signature(of: a), index.signature(of: b))
      // 48 hash functions: the standard error is at most 0.5/√48 ≈ 0.072.
      #expect(abs(estimate - exact) < 0.22, "\(a) | \(b): exact \(exact), estimate \(estimate)")
    }
    #expect(MinHashIndex.jaccard(template, template) == 1)
    #expect(MinHashIndex.jaccard("Hello,  WORLD!", "hello world") == 1)  // normalised
  }

  @Test func bandingFindsThePlantedPairAndNotUnrelatedTexts() {
    var index = MinHashIndex()
    index.insert(10, text: template)
    index.insert(11, text: "Passionate growth strategist, helping brands scale FAST. DM for \"collabs\" always!")
    index.insert(12, text: "Night shift nurse, day dreams, two cats and a garden")
    index.insert(13, text: "Retired teacher from the north, lifelong chess and jazz fan")
    index.insert(14, text: "Forklift certified, coffee first, dog dad on weekends")
    #expect(index.candidates(for: 10) == [11])
    #expect(index.candidates(for: 12).isEmpty)
    #expect(
      index.candidates(forText: "passionate growth strategist helping brands scale fast dm for collabs").contains(10))
  }

  @Test func anotherIndexsBandKeysFindWhatItsTextWould() {
    var earlier = MinHashIndex()
    let texts = [
      template, "Passionate growth strategist, helping brands scale FAST. DM for \"collabs\" always!",
      "Night shift nurse, day dreams, two cats and a garden",
      "Retired teacher from the north, lifelong chess and jazz fan",
      "passionate growth hacker helping brands scale fast dm for collabs always",
    ]
    for (i, text) in texts.enumerated() { earlier.insert(Int32(20 + i), text: text) }
    var later = MinHashIndex()
    let probes = [template, "Night shift nurse, day dreams, two cats and a garden!", "Gardening, jazz and chess"]
    for (i, text) in probes.enumerated() {
      later.insert(Int32(i), text: text)
      let byText = earlier.candidates(forText: text)
      #expect(earlier.candidates(sharingBandsWith: Int32(i), of: later) == byText)
      #expect(i == 2 ? byText.isEmpty : !byText.isEmpty)
    }
    #expect(earlier.candidates(sharingBandsWith: 99, of: later).isEmpty)
  }

  @Test func batchListsThePlantedPairOnlyAndSignsAsTheIndexDoes() {
    var batch = MinHashBatch(configuration: MinHashIndex.Configuration())
    var index = MinHashIndex()
    let texts = [
      template, "Passionate growth strategist, helping brands scale FAST. DM for \"collabs\" always!",
      "Night shift nurse, day dreams, two cats and a garden",
      "Retired teacher from the north, lifelong chess and jazz fan",
    ]
    for (i, text) in texts.enumerated() { batch.insert(Int32(10 + i), text: text) }
    var pairs: [(Int32, Int32)] = []
    batch.forEachCandidatePair { pairs.append(($0, $1)) }
    #expect(!pairs.isEmpty && pairs.allSatisfy { $0 == (1, 0) })
    let exact = MinHashIndex.jaccard(texts[0], texts[1])
    let estimate = MinHashIndex.estimatedJaccard(index.signature(of: texts[0]), index.signature(of: texts[1]))
    #expect(abs(batch.estimatedJaccard(1, 0) - estimate) < 0.001 && abs(estimate - exact) < 0.22)
  }

  /// The pairs come grouped by band, then bucket in the order of a hash
  /// table's slots (a key's low bits first), then in insertion order: the
  /// order the near-duplicate detector's joins and evidence depend on. The
  /// batch's radix sweep is checked against a plain sort of the band keys.
  @Test func batchPairsFollowBandsThenSlotsThenInsertionOrder() {
    var configuration = MinHashIndex.Configuration()
    configuration.bands = 4
    configuration.rowsPerBand = 1
    configuration.maxBucket = 40
    var batch = MinHashBatch(configuration: configuration)
    var signer = MinHashSigner(configuration: configuration)
    // Few distinct words, so one-row bands collide often; some buckets
    // exceed maxBucket and must be skipped whole.
    let words = ["alpha", "bravo", "charlie", "delta", "echo"]
    var keys: [[UInt32]] = []
    let n = 300
    for i in 0..<n {
      let text = "\(words[i % 5]) \(words[i / 5 % 5]) \(words[i / 25 % 5])"
      batch.insert(Int32(i), text: text)
      signer.sign(text: text)
      keys.append((0..<configuration.bands).map(signer.bandKey))
    }
    var seen: [(Int32, Int32)] = []
    batch.forEachCandidatePair { seen.append(($0, $1)) }

    var slots = 64
    while slots < 2 * n { slots *= 2 }
    var expected: [(Int32, Int32)] = []
    for band in 0..<configuration.bands {
      let docs = (0..<n).sorted {
        let a = keys[$0][band], b = keys[$1][band]
        let sa = Int(a) & (slots - 1), sb = Int(b) & (slots - 1)
        return sa != sb ? sa < sb : a != b ? a < b : $0 < $1
      }
      var start = 0
      while start < n {
        var end = start + 1
        while end < n, keys[docs[end]][band] == keys[docs[start]][band] { end += 1 }
        if end - start >= 2 && end - start <= configuration.maxBucket {
          for i in (start + 1)..<end {
            for j in start..<i { expected.append((Int32(docs[i]), Int32(docs[j]))) }
          }
        }
        start = end
      }
    }
    #expect(!expected.isEmpty)
    #expect(seen.map(\.0) == expected.map(\.0) && seen.map(\.1) == expected.map(\.1))
  }
}

/// A small world: background accounts with unique values, plus what a test adds.
struct ProfileWorld {
  var set = SignalSet()
  let day: Int64 = 86_400
  let start: Int64 = 1_767_225_600  // 2026-01-01

  init(background: Int = 200) {
    for i in 0..<background {
      let t = start + Int64(i) * 7_919 % (120 * day)
      set.addProfileEdit(account: "bg\(i)", field: "phone", value: "+1-200-\(1_000_000 + i)", time: t)
      set.addProfileEdit(account: "bg\(i)", field: "device", value: "dev-bg-\(i)", time: t + 3 * day)
      set.addProfileEdit(
        account: "bg\(i)", field: "employer", value: "Firm \(i % 97) of Town \(i % 89)", time: t + 9 * day)
    }
  }

  mutating func ring(_ prefix: String, size: Int, phone: String?, employer: String, bios: [String], at t: Int64) {
    for m in 0..<size {
      let a = "\(prefix)\(m)"
      let s = t + Int64(m) * 240
      set.addProfileEdit(account: a, field: "employer", value: employer, time: s)
      if let phone {
        set.addProfileEdit(account: a, field: "phone", value: phone, time: s + 60)
      } else {
        set.addProfileEdit(account: a, field: "phone", value: "+1-300-\(prefix)-\(m)", time: s + 60)
      }
      set.addProfileEdit(account: a, field: "bio", value: bios[m % bios.count], time: s + 120)
      set.addInteraction(source: "bg\(m)", target: a, kind: "follow", time: s + 5 * 3_600)
    }
  }

  func flagged(by detector: some Detector) throws -> [Set<String>] {
    try detector.findings(in: set, graph: GraphIndex(set)).map { Set($0.accounts.map { set.accounts.ids[$0] }) }
  }
}

@Suite struct FakeProfileDetectorTests {
  let bios = [
    "Passionate growth strategist helping brands scale fast, DM for collabs, coffee lover based in the city",
    "Passionate growth hacker helping brands scale fast, DM for collabs, coffee lover based in the city",
    "Passionate growth strategist helping startups scale fast, DM for collabs, coffee lover based in the city",
    "Passionate growth strategist helping brands grow fast, DM for collabs, coffee lover based in the city",
    "Passionate growth strategist helping brands scale fast, DM for collabs, tea lover based in the city",
    "Passionate growth strategist helping brands scale fast, DM for deals, coffee lover based in the city",
  ]
  let ring: Set<String> = Set((0..<6).map { "r\($0)" })

  @Test func rareSharedValuesFlagASixAccountRingButNotABigEmployerOrAFamily() throws {
    var world = ProfileWorld(background: 0)
    world.ring(
      "r", size: 6, phone: "+1-555-0199", employer: "Quantix Global Partners", bios: bios,
      at: world.start + 40 * world.day)
    for i in 0..<6_000 {  // one big employer, 6 000 staff, each with their own phone
      let t = world.start + Int64(i) * 1_301 % (150 * world.day)
      world.set.addProfileEdit(account: "w\(i)", field: "employer", value: "Acme Retail, Inc.", time: t)
      world.set.addProfileEdit(account: "w\(i)", field: "phone", value: "+1-617-\(2_000_000 + i)", time: t + 600)
      world.set.addProfileEdit(account: "w\(i)", field: "school", value: "State University", time: t + 900)
    }
    for (k, member) in ["mary", "tom", "kid", "gran"].enumerated() {  // a family: address, landline, tablet
      let t = world.start + Int64(k) * 20 * world.day
      world.set.addProfileEdit(account: member, field: "address", value: "12 Maple St, Springfield", time: t)
      world.set.addProfileEdit(account: member, field: "phone", value: "+1-217-555-0123", time: t + 3_600)
      world.set.addProfileEdit(account: member, field: "device", value: "dev-lee-tablet", time: t + 7_200)
    }
    let flagged = try world.flagged(by: RareSharedValueDetector())
    #expect(flagged == [ring])
    let stats = ProfileValueStatistics(world.set.profileEdits)
    let values = world.set.profileEdits.values
    #expect(stats.surprise[Int(values.index(of: "Acme Retail, Inc.")!)] == 0)
    #expect(stats.surprise[Int(values.index(of: "12 Maple St, Springfield")!)] == 0)
    let phone = stats.surprise[Int(values.index(of: "+1-555-0199")!)]
    #expect(abs(phone - log(6_010.0 / 6)) < 1e-9)
  }

  @Test func oneSharedValueNeverTies() throws {
    var world = ProfileWorld()
    // Ten colleagues of a small firm, each with an own phone and bio.
    for i in 0..<10 {
      let t = world.start + Int64(i) * 9 * world.day
      world.set.addProfileEdit(account: "c\(i)", field: "employer", value: "Northwind Logistics", time: t)
      world.set.addProfileEdit(account: "c\(i)", field: "phone", value: "+1-617-400-\(3_000 + i)", time: t + 600)
    }
    #expect(try world.flagged(by: RareSharedValueDetector()).isEmpty)
    #expect(try world.flagged(by: EditBehaviourDetector()).isEmpty)
    #expect(try world.flagged(by: NearDuplicateTextDetector()).isEmpty)
  }

  @Test func nearDuplicateBiosAreGroupedAcrossAccounts() {
    var world = ProfileWorld()
    world.ring(
      "r", size: 6, phone: nil, employer: "Veltrano Prime Holdings", bios: bios, at: world.start + 30 * world.day)
    let findings = NearDuplicateTextDetector().findings(in: world.set, graph: GraphIndex(world.set))
    #expect(findings.map { Set($0.accounts.map { world.set.accounts.ids[$0] }) } == [ring])
    if case let .object(evidence)? = findings.first?.evidence, case let .array(texts)? = evidence["near_duplicate_bios"]
    {
      #expect(texts.count == 6)
    } else {
      Issue.record("evidence should list the near-duplicate bios")
    }
  }

  @Test func editBurstFlagsAccountsSettingARareValueTogether() {
    var world = ProfileWorld()
    world.ring(
      "r", size: 6, phone: nil, employer: "Veltrano Prime Holdings", bios: ["a", "b", "c", "d", "e", "f"],
      at: world.start + 30 * world.day)
    // The same employer set by five more accounts, months apart: not a burst.
    for i in 0..<5 {
      world.set.addProfileEdit(
        account: "late\(i)", field: "employer", value: "Small Co", time: world.start + Int64(i) * 20 * world.day)
    }
    let findings = EditBehaviourDetector().findings(in: world.set, graph: GraphIndex(world.set))
    #expect(findings.map { Set($0.accounts.map { world.set.accounts.ids[$0] }) } == [ring])
    if case let .object(evidence)? = findings.first?.evidence {
      #expect(evidence["edit_window"] == "2026-01-31T00:00Z – 00:20Z")
      #expect(evidence["reason"] != nil)
    }
    #expect(RareSharedValueDetector().findings(in: world.set, graph: GraphIndex(world.set)).isEmpty)
  }

  @Test func robustMahalanobisSeparatesAnOutlier() {
    var rows: [[Double]] = []
    for i in 0..<200 { rows.append([Double(i % 3 + 1), Double(i % 7) / 10, -Double(i % 11), Double(i % 5) / 20]) }
    rows.append([6, 3, 0, 1])
    let (_, distance) = EditBehaviourDetector.robustDistances(Matrix(rowMajor: rows))
    let honest = distance.dropLast().max()!
    #expect(distance.last! > 3 * honest)
  }
}

@Suite struct FakeProfileFixtureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fixtures").path

  func flagged(_ fixture: String) throws -> (flagged: Set<String>, truth: Set<String>) {
    let directory = (Self.root as NSString).appendingPathComponent(fixture)
    let set = try SignalSet(contentsOf: directory)
    let report = Scanner.standard.scan(set)
    let truth = try GroundTruth(directory: directory).accountsByKind[.fakeProfile] ?? []
    return (report.flaggedAccounts(of: .fakeProfile), truth)
  }

  @Test(arguments: ["profile-template", "near-duplicate-bios", "honest-shared-values", "honest-only"])
  func fixtureIsFlaggedExactly(_ fixture: String) throws {
    let (flagged, truth) = try flagged(fixture)
    #expect(flagged == truth)
  }

  @Test func syntheticTemplateRingsAreFoundWithF1AboveNinetyPercent() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fraudscan-profiles-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try SyntheticSignalSet(scale: .small, seed: 5).write(to: directory)
    let set = try SignalSet(contentsOf: directory.path)
    let truth = try GroundTruth(directory: directory.path).accountsByKind[.fakeProfile] ?? []
    let flagged = Scanner.standard.scan(set).flaggedAccounts(of: .fakeProfile)
    let correct = Double(flagged.intersection(truth).count)
    let precision = correct / Double(max(flagged.count, 1)), recall = correct / Double(max(truth.count, 1))
    let f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    #expect(truth.count > 50)
    #expect(f1 >= 0.9, "precision \(precision), recall \(recall)")
  }
}
