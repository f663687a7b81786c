import Foundation
import SignalGraph
import Testing

/// Checks the hand-made fixtures in `fixtures/` against the signal-set
/// contract, with the same test-local RFC 4180 reader as `SynthesisTests`.
@Suite("Synthesis fixtures")
struct SynthesisFixtureTests {
  static let fixturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures")
  /// Every fixture folder (a folder with an `expected.json`), found on disk
  /// so that a new fixture is checked without anyone remembering to list it.
  /// `realdata/` holds expectation files for data kept outside the repository.
  static let names: [String] = {
    let fm = FileManager.default
    let entries = (try? fm.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
    return entries.filter { name in
      fm.fileExists(atPath: fixturesDirectory.appendingPathComponent(name).appendingPathComponent("expected.json").path)
    }.sorted()
  }()

  /// Real data is replayed in place, never copied in: `fixtures/realdata/`
  /// holds expectation files and a README only.
  @Test func realDataIsNeverCopiedIntoTheRepository() throws {
    let dir = Self.fixturesDirectory.appendingPathComponent("realdata")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(files.contains("bitcoin-otc.json"))
    for file in files {
      #expect(file.hasSuffix(".json") || file == "README.md", "fixtures/realdata/\(file) is not an expectation file")
    }
  }

  @Test func everyKnownScenarioHasAFixture() {
    for name in [
      "honest-only", "like-farm", "camouflaged-farm", "hijacked-farm", "stealth-farm", "honest-celebrity",
      "payment-ring", "ring-in-merchant-traffic", "honest-cycles",
      "profile-template", "near-duplicate-bios", "honest-shared-values", "honest-ratings", "daily-laundering",
    ] {
      #expect(Self.names.contains(name), "fixtures/\(name) is missing")
    }
  }
  /// The labels a fixture's `labels.csv` may hold: the kinds' names.
  static let labelKinds = Set(ManipulationKind.allCases.map(\.rawValue))

  @Test(arguments: names)
  func fixtureKeepsTheContract(_ name: String) throws {
    let dir = Self.fixturesDirectory.appendingPathComponent(name)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("README.md").path))
    var active = Set<String>()
    var accounts = Set<String>()
    // Every file is optional but one of the three signal files (the contract).
    let present = SynthesisTests.requiredColumns.filter {
      FileManager.default.fileExists(atPath: dir.appendingPathComponent($0.0).path)
    }
    #expect(
      present.contains { ["payments.csv", "interactions.csv", "profile_edits.csv"].contains($0.0) },
      "\(name) has no signal file")
    for (file, columns) in present {
      let table = try Table(url: dir.appendingPathComponent(file))
      for column in columns { #expect(table.header.contains(column), "\(name)/\(file) lacks \(column)") }
      for (i, row) in table.rows.enumerated() {
        #expect(row.count == table.header.count, "\(name)/\(file) line \(i + 2) has \(row.count) fields")
      }
      if table.header.contains("ts") {
        for ts in table.column("ts") {
          #expect(SynthesisTests.parseTimestamp(ts) != nil, "\(name)/\(file): bad timestamp \(ts)")
        }
      }
      switch file {
      case "accounts.csv": accounts.formUnion(table.column("account"))
      case "payments.csv", "interactions.csv": active.formUnion(table.column("src") + table.column("dst"))
      case "profile_edits.csv": active.formUnion(table.column("account"))
      default: break
      }
    }
    if present.contains(where: { $0.0 == "accounts.csv" }) {
      #expect(
        active.isSubset(of: accounts), "\(name): accounts missing from accounts.csv: \(active.subtracting(accounts))")
    }

    let labels = try Table(url: dir.appendingPathComponent("labels.csv"))
    let kinds = Set(labels.column("label"))
    #expect(kinds.isSubset(of: Self.labelKinds))
    for account in labels.column("account") { #expect(active.contains(account), "\(name): \(account) has no signals") }

    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("expected.json")))
    let expected = try #require(json as? [String: Any])
    #expect(expected["description"] is String)
    #expect(expected["max_unlabelled_flagged"] as? Int == 0)
    let expectedKinds = try #require(expected["kinds"] as? [String: [String: Any]])
    #expect(Set(expectedKinds.keys) == kinds, "\(name): expected.json kinds differ from labels.csv")
    for (_, target) in expectedKinds {
      #expect(target["min_precision"] is Double && target["min_recall"] is Double)
      // A kind is pending (a String saying why) until its detector lands.
      #expect(target["pending"] == nil || target["pending"] is String)
    }
  }

  @Test func fixturesExerciseIngest() throws {
    var sawISO = false, sawQuotedComma = false, sawReordered = false, sawExtraColumn = false
    for name in Self.names {
      let dir = Self.fixturesDirectory.appendingPathComponent(name)
      for (file, columns) in SynthesisTests.requiredColumns {
        let url = dir.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { continue }
        let table = try Table(url: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        sawISO = sawISO || text.contains("Z,") || text.contains("Z\n")
        sawQuotedComma = sawQuotedComma || table.rows.contains { $0.contains { $0.contains(",") } }
        sawReordered = sawReordered || Array(table.header.prefix(columns.count)) != columns
        sawExtraColumn = sawExtraColumn || table.header.count > columns.count
      }
    }
    #expect(sawISO && sawQuotedComma && sawReordered && sawExtraColumn)
  }
}
