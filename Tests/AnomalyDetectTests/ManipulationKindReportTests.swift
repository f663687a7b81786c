import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect
@testable import InvestigationReport

/// Every ``ManipulationKind`` goes through the whole report: JSON, CSVs and
/// the investigator's HTML, with a badge colour and a drawing of its own.
@Suite struct ManipulationKindReportTests {
  /// Accounts of `InvestigationReportTests.set()` that carry the signals of
  /// `kind`, and the layout its cluster is then drawn with. A switch, so a
  /// new kind does not compile until it is given accounts here too.
  static func example(of kind: ManipulationKind) -> (ids: [String], layout: String) {
    switch kind {
    case .boughtEngagement: (["f1", "f2", "f3", "c1", "c2"], "bipartite")
    case .fakeProfile: (["q1", "q2", "q3"], "groups")
    case .circularPayment: (["r1", "r2", "r3"], "ring")
    }
  }

  /// One cluster per kind over `InvestigationReportTests.set()`.
  static func report() -> (ScanReport, SignalSet) {
    let set = InvestigationReportTests.set()
    let detectors = ManipulationKind.allCases.map {
      StubDetector(name: "stub-\($0)", kind: $0, ids: example(of: $0).ids)
    }
    return (Scanner(detectors: detectors).scan(set), set)
  }

  @Test func everyKindRoundTripsThroughTheJSONReportAndTheCSVs() throws {
    let (report, _) = Self.report()
    #expect(report.clusters.map(\.kind).sorted() == ManipulationKind.allCases.sorted())
    let data = try report.jsonData()
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    #expect(clusters.compactMap { $0["kind"] as? String } == report.clusters.map(\.kind.rawValue))
    #expect(try JSONDecoder().decode(ScanReport.self, from: data) == report)
    let csv = report.csv(), accounts = report.accountsCSV()
    for kind in ManipulationKind.allCases {
      #expect(csv.contains(",\(kind.rawValue),stub-\(kind),"), "clusters.csv lacks \(kind)")
      #expect(accounts.contains(",\(kind.rawValue),"), "accounts.csv lacks \(kind)")
    }
  }

  @Test func aKindTheContractDoesNotNameIsRejected() throws {
    let cluster = Self.report().0.clusters[0]
    let data = try JSONEncoder().encode(cluster)
    #expect(try JSONDecoder().decode(Cluster.self, from: data) == cluster)
    let text = String(decoding: data, as: UTF8.self)
    let forged = text.replacingOccurrences(of: "\"\(cluster.kind.rawValue)\"", with: "\"sybil\"")
    #expect(forged != text)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Cluster.self, from: Data(forged.utf8)) }
  }

  @Test func everyKindHasItsOwnBadgeColourAndADrawing() throws {
    let (report, set) = Self.report()
    let html = HTMLReport(report: report).render(
      set: set, graph: GraphIndex(set), spectrum: HTMLReport.spectrum(of: set))
    #expect(Set(ManipulationKind.allCases.map(\.colour)).count == ManipulationKind.allCases.count)
    for kind in ManipulationKind.allCases {
      #expect(html.contains(".k-\(kind.rawValue){background:\(kind.colour)}"), "no colour for \(kind)")
      let rank = try #require(report.clusters.first { $0.kind == kind }?.rank)
      let start = try #require(html.range(of: "<section class=\"cluster\" id=\"cluster-\(rank)\">"))
      let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
      let section = html[start.lowerBound..<end.upperBound]
      #expect(section.contains("<span class=\"k k-\(kind.rawValue)\">\(kind.rawValue)</span>"))
      #expect(section.contains("class=\"graph \(Self.example(of: kind).layout)\""), "\(kind) is not drawn as expected")
    }
  }
}
