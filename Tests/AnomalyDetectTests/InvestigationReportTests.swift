import Foundation
import SignalGraph
import Testing

@testable import AnomalyDetect

#if canImport(FoundationXML)
  import FoundationXML
  @testable import InvestigationReport
#endif

/// A detector returning one fixed finding over accounts named by id, with a reason.
struct StubDetector: Detector {
  let name: String
  let kind: ManipulationKind
  let ids: [String]
  var score = 5.0

  func findings(in set: SignalSet, graph: GraphIndex) -> [Finding] {
    let members = ids.compactMap { set.accounts.ids.index(of: $0) }
    return [
      Finding(
        kind: kind, detector: name, score: score, accounts: members,
        evidence: ["reason": .string("\(name) says \(ids.count) accounts"), "edges": 7, "density": 0.75])
    ]
  }
}

@Suite struct InvestigationReportTests {
  /// An id an attacker chose: markup, quotes, an ampersand and a comma.
  static let evil = "x<script>alert(\"1\")</script>&'q,"

  /// A farm (f1–f3 and the evil id like c1, c2), a payment ring r1→r2→r3→r1,
  /// three profiles sharing an employer, and honest background.
  static func set() -> SignalSet {
    var set = SignalSet()
    let t: Int64 = 1_767_225_600
    for (i, fake) in ["f1", "f2", "f3", evil].enumerated() {
      for (j, customer) in ["c1", "c2"].enumerated() {
        set.addInteraction(source: fake, target: customer, kind: "like", time: t + Int64(i * 10 + j))
      }
    }
    for i in 0..<30 {
      set.addInteraction(source: "h\(i)", target: "h\((i * 7 + 3) % 30)", kind: "follow", time: t + 1000 + Int64(i))
    }
    set.addPayment(id: "p1", source: "r1", target: "r2", amount: Amount(micros: 5_000_000), time: t + 100)
    set.addPayment(id: "p2", source: "r2", target: "r3", amount: Amount(micros: 5_000_000), time: t + 200)
    set.addPayment(id: "p3", source: "r3", target: "r1", amount: Amount(micros: 5_000_000), time: t + 300)
    for (i, a) in ["q1", "q2", "q3"].enumerated() {
      set.addProfileEdit(account: a, field: "employer", value: "Acme <Corp> & \"Sons\"", time: t + 400 + Int64(i))
    }
    return set
  }

  static let scanner = Scanner(detectors: [
    StubDetector(name: "farm", kind: .boughtEngagement, ids: ["f1", "f2", "f3", evil, "c1", "c2"], score: 9),
    StubDetector(name: "ring", kind: .circularPayment, ids: ["r1", "r2", "r3"], score: 7),
    StubDetector(name: "profiles", kind: .fakeProfile, ids: ["q1", "q2", "q3"], score: 3),
  ])

  func render(_ report: ScanReport, _ set: SignalSet) -> String {
    HTMLReport(report: report, parameters: [("source", "test set")])
      .render(set: set, graph: GraphIndex(set), spectrum: HTMLReport.spectrum(of: set))
  }

  #if canImport(FoundationXML)
    @Test func theReportIsWellFormedAndShowsEveryClusterMemberAndPlot() throws {
      let set = Self.set()
      let report = Self.scanner.scan(set)
      #expect(report.clusters.count == 3)
      let html = render(report, set)
      let document = try XMLDocument(data: Data(html.utf8), options: [])
      #expect(document.rootElement()?.name == "html")
      for plot in ["plot-spectral-u1-u2", "plot-spectral-u2-u3", "plot-degree"] {
        let found = try document.nodes(forXPath: "//*[@id='\(plot)']")
        #expect(found.count == 1 && found.first?.name == "svg", "plot \(plot)")
      }
      for cluster in report.clusters {
        let sections = try document.nodes(forXPath: "//section[@id='cluster-\(cluster.rank)']")
        let section = try #require(sections.first, "section of cluster \(cluster.rank)")
        #expect(
          try document.nodes(forXPath: "//a[@href='#cluster-\(cluster.rank)']").count == 1,
          "table row links to the section")
        for svg in ["graph", "timeline"] {
          #expect(try section.nodes(forXPath: ".//*[name()='svg'][@id='cluster-\(cluster.rank)-\(svg)']").count == 1)
        }
        let text = section.stringValue ?? ""
        for account in cluster.accounts { #expect(text.contains(account), "cluster \(cluster.rank) lists \(account)") }
        #expect(text.contains("says"), "the one-line reason")
      }
      // Roles and layouts.
      let farm = try #require(report.clusters.first { $0.kind == .boughtEngagement })
      let farmText = try document.nodes(forXPath: "//section[@id='cluster-\(farm.rank)']").first?.stringValue ?? ""
      #expect(farmText.contains("Endorsers (4)") && farmText.contains("Beneficiaries (2)"))
      #expect(html.contains("class=\"graph bipartite\""))
      #expect(html.contains("class=\"graph ring\""))
      #expect(html.contains("class=\"graph groups\""))
      #expect(
        html.contains("r1</bdi></span> → <span class=\"a\"><bdi>r2</bdi></span> → <span class=\"a\"><bdi>r3"),
        "ring order")
    }
  #endif

  @Test func paymentHopsReadAsOneLineAndOnlyAClosedRingIsCalledARing() {
    let hop: [String: Evidence] = [
      "from": "a", "to": "b", "amount": "120.50", "ts": "2026-03-01T12:00:00Z", "payment": "p17",
    ]
    #expect(EvidenceText.hopLine(hop) == "a → b 120.50 at 2026-03-01T12:00:00Z (p17)")
    #expect(EvidenceText.hopLine(["from": "a", "to": "b"]) == nil)
    var html = ""
    EvidenceText.appendHTML(
      .object(["cycles": .array([.object(["hops": .array([.object(hop)])])])]), skippingReason: false, into: &html)
    #expect(html.contains("a → b 120.50 at 2026-03-01T12:00:00Z (p17)"))

    // a → b → c → a is a ring; a ⇄ b plus a ⇄ c (two 2-cycles) is not one.
    var ring = SignalSet(), star = SignalSet()
    for (s, t) in [("a", "b"), ("b", "c"), ("c", "a")] {
      ring.addPayment(id: s + t, source: s, target: t, amount: Amount(micros: 1), time: 1)
    }
    for (s, t) in [("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")] {
      star.addPayment(id: s + t, source: s, target: t, amount: Amount(micros: 1), time: 1)
    }
    for set in [ring, star] {
      let cluster = Cluster(
        rank: 1, kind: .circularPayment, detector: "x", score: 1, accounts: ["a", "b", "c"], evidence: "e")
      var scratch = [Bool](repeating: false, count: set.accounts.count)
      let signals = ClusterSignals(cluster, set: set, graph: GraphIndex(set), scratch: &scratch)
      let order = signals.ringOrder(set)
      #expect(signals.isSingleRing(order, set) == (set.payments.count == 3))
    }
  }

  @Test func untrustedTextIsEscapedAndNothingIsLoadedFromOutside() {
    let set = Self.set()
    let html = render(Self.scanner.scan(set), set)
    #expect(!html.lowercased().contains("<script"))
    #expect(html.contains("x&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;&amp;&#39;q,"))
    #expect(html.contains("Acme &lt;Corp&gt; &amp; &quot;Sons&quot;"))
    for external in ["http://", "https://", "src=", "<link", "url(", "@import", "<img", "<iframe"] {
      #expect(!html.contains(external), "no \(external)")
    }
  }

  /// Ids and values are isolated in `<bdi>`, and no invisible or
  /// direction-changing character reaches the page as itself (issue 16, item 11):
  /// U+202E reversed the text after it, and a zero-width space made two ids look the same.
  @Test func bidiControlsAndInvisibleCharactersAreShownAndIdsIsolated() throws {
    let reversed = "u\u{202E}exe.gnp", zeroWidth = "a\u{200B}b"
    var set = SignalSet()
    for (i, id) in [reversed, zeroWidth, "ab", "f\u{2066}x\u{2069}"].enumerated() {
      set.addInteraction(source: id, target: "c\u{FEFF}1", kind: "like", time: 1_767_225_600 + Int64(i))
      set.addProfileEdit(account: id, field: "employer", value: "Acme\u{200D}\u{2067}", time: 1_767_225_700 + Int64(i))
    }
    let scanner = Scanner(detectors: [
      StubDetector(
        name: "farm", kind: .boughtEngagement, ids: [reversed, zeroWidth, "ab", "f\u{2066}x\u{2069}", "c\u{FEFF}1"]),
      StubDetector(name: "profiles", kind: .fakeProfile, ids: [reversed, zeroWidth, "ab"]),
    ])
    let html = render(scanner.scan(set), set)
    for invisible: Unicode.Scalar in [
      "\u{202E}", "\u{200B}", "\u{2066}", "\u{2069}", "\u{FEFF}", "\u{200D}", "\u{2067}",
    ] {
      #expect(
        !html.unicodeScalars.contains(invisible),
        "U+\(String(invisible.value, radix: 16, uppercase: true)) is shown, not written")
    }
    let mark = { (code: String) in #"<span class="cc" title="invisible character U+\#(code)">\u{\#(code)}</span>"# }
    #expect(html.contains("<li><bdi>u" + mark("202E") + "exe.gnp</bdi></li>"))
    #expect(html.contains("<li><bdi>a" + mark("200B") + "b</bdi></li>"))
    #expect(html.contains("<li><bdi>ab</bdi></li>"))
    #expect(html.contains("<bdi>Acme" + mark("200D") + mark("2067") + "</bdi>"))
    #expect(
      HTMLEscaping.escaped("x\u{202E}\u{85}\u{E000}y") == #"x\u{202E}\u{0085}\u{E000}y"#, "attributes get plain escapes"
    )
    #expect(HTMLEscaping.escaped("café 日本 😀 עברית") == "café 日本 😀 עברית", "visible text is kept")
    #if canImport(FoundationXML)
      _ = try XMLDocument(data: Data(html.utf8), options: [])
    #endif
  }

  @Test func aThousandClustersStayUnderTenMegabytes() throws {
    var set = SignalSet()
    for c in 0..<1000 {
      for e in 0..<15 {
        set.addInteraction(source: "e\(c)-\(e)", target: "t\(c)", kind: "like", time: 1_767_225_600 + Int64(c * 60 + e))
      }
      set.addProfileEdit(account: "t\(c)", field: "employer", value: "Firm \(c % 50)", time: 1_767_225_600 + Int64(c))
    }
    let graph = GraphIndex(set)
    let report = InvestigationBenchmark.syntheticReport(clusters: 1000, over: set, graph: graph)
    #expect(report.clusters.count == 1000)
    let html = HTMLReport(report: report).render(set: set, graph: graph, spectrum: HTMLReport.spectrum(of: set))
    #expect(html.utf8.count < 10_000_000, "\(html.utf8.count) bytes")
    #expect(html.contains("id=\"cluster-1000\""))
  }

  @Test func aSetWithoutEndorsementsStillHasEveryPlot() {
    var set = SignalSet()
    set.addPayment(id: "p", source: "a", target: "b", amount: Amount(micros: 1), time: 0)
    let html = render(ScanReport(clusters: [], detectors: [], signals: 1), set)
    for plot in ["plot-spectral-u1-u2", "plot-spectral-u2-u3", "plot-degree"] {
      #expect(html.contains("<svg id=\"\(plot)\""))
    }
    #expect(html.contains("No suspicious cluster"))
  }

  @Test func csvHasOneRowPerClusterAndAccountWithRFC4180Quoting() {
    let set = Self.set()
    let csv = Self.scanner.scan(set).csv()
    let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "rank,kind,detector,score,cluster_size,account")
    #expect(lines.count == 1 + 6 + 3 + 3 + 1)  // header, rows, final empty
    #expect(lines.contains("1,bought_engagement,farm,9.0,6,\"x<script>alert(\"\"1\"\")</script>&'q,\""))
    #expect(lines.contains("2,circular_payment,ring,7.0,3,r2"))
  }

  @Test func explainSaysWhyAnAccountIsOrIsNotFlagged() throws {
    let set = Self.set()
    let report = Self.scanner.scan(set)
    let graph = GraphIndex(set)
    let flagged = AccountExplanation(account: "f1", report: report, set: set, graph: graph)
    #expect(flagged.isFlagged)
    #expect(flagged.text.contains("account f1: FLAGGED in 1 cluster."))
    #expect(flagged.text.contains("cluster #1 bought_engagement, detectors farm, score 9, 6 accounts"))
    #expect(flagged.text.contains("role: endorser: gave 2 endorsements to members"))
    #expect(flagged.text.contains("reason: farm says 6 accounts"))
    #expect(flagged.text.contains("finding farm, score 9: density 0.75, edges 7"))
    #expect(flagged.text.contains("score breakdown: not computed"))
    let customer = AccountExplanation(account: "c1", report: report, set: set, graph: graph)
    #expect(customer.text.contains("role: beneficiary: received 4 endorsements from members"))

    let honest = AccountExplanation(account: "h1", report: report, set: set, graph: graph)
    #expect(!honest.isFlagged)
    #expect(honest.text.contains("account h1: NOT FLAGGED: none of the 3 clusters implicates it"))
    let unknown = AccountExplanation(account: "nobody", report: report, set: set, graph: graph)
    #expect(!unknown.known && unknown.text.contains("not in the signal set"))

    // f1 endorses customers inside the farm cluster: those endorsements are held,
    // so the customers' social standing drops without them, and f1's own count shows.
    let held = report.heldSignals(in: set, graph: graph)
    #expect(held.interactions.contains(true))
    let f1 = try #require(set.accounts.ids.index(of: "f1"))
    let comparison = ScoreComparison(account: f1, set: set, held: held)
    #expect(comparison.heldSignals == 2)
    let scored = AccountExplanation(account: "f1", report: report, set: set, graph: graph, score: comparison)
    #expect(scored.text.contains("score breakdown (2 held signals of its own):"))
    #expect(scored.text.contains("score (350 + parts)"))
    let c1 = try #require(set.accounts.ids.index(of: "c1"))
    let customerScore = ScoreComparison(account: c1, set: set, held: held)
    #expect(customerScore.withoutHeld.distinctEndorsers < customerScore.withHeld.distinctEndorsers)
    #expect(customerScore.withoutHeld.score < customerScore.withHeld.score)
  }
}
