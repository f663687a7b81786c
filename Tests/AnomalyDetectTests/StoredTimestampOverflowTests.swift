import Testing

@testable import AnomalyDetect
@testable import InvestigationReport
@testable import SignalGraph

/// Timestamps near ±2^63, as a store written before ingest checked their
/// range may hold: every scan, report, explanation and score must still run
/// (issue 16, item 1).
@Suite struct StoredTimestampOverflowTests {
  static let low = Int64.min + 1
  static let high = Int64.max - 1

  /// A like farm, a shared rare employer and payments, each with one signal
  /// near -2^63 and one near +2^63, and accounts created at both ends.
  static func set() -> SignalSet {
    var set = SignalSet()
    let t: Int64 = 1_767_225_600
    for f in 0..<12 {
      for c in 0..<6 {
        set.addInteraction(source: "f\(f)", target: "c\(c)", kind: "like", time: t + Int64(f * 6 + c))
      }
    }
    set.addInteraction(source: "f0", target: "c0", kind: "follow", time: low)
    set.addInteraction(source: "f1", target: "c1", kind: "follow", time: high)
    for h in 0..<40 {
      set.addInteraction(source: "h\(h)", target: "h\((h * 7 + 3) % 40)", kind: "follow", time: t + 9_000 + Int64(h))
    }
    for q in 0..<8 {
      set.addProfileEdit(account: "q\(q)", field: "employer", value: "Tiny Firm 7", time: t + Int64(q))
      set.addProfileEdit(account: "q\(q)", field: "school", value: "Nowhere High", time: q % 2 == 0 ? low : high)
    }
    for h in 0..<20 {
      set.addProfileEdit(account: "h\(h)", field: "employer", value: "Big \(h % 3)", time: t + Int64(h))
    }
    set.addPayment(id: "p1", source: "q0", target: "q1", amount: Amount(micros: 1_000_000), time: low)
    set.addPayment(id: "p2", source: "q1", target: "q0", amount: Amount(micros: 1_000_000), time: high)
    set.addPayment(id: "p3", source: "q1", target: "q0", amount: Amount(micros: 1_000_000), time: t)
    set.accounts.setCreatedAt(low, for: set.accounts.index(of: "f2"))
    set.accounts.setCreatedAt(high, for: set.accounts.index(of: "f3"))
    return set
  }

  @Test func scanReportExplainAndScoreRunOnTimestampsNearTheEndsOfInt64() {
    let set = Self.set()
    let report = Scanner.standard.scan(set)
    let graph = GraphIndex(set)
    let html = HTMLReport(report: report).render(set: set, graph: graph, spectrum: HTMLReport.spectrum(of: set))
    #expect(html.hasSuffix("</html>\n"))
    _ = AccountExplanation(account: "f2", report: report, set: set, graph: graph)
    let scores = CreditScore(set)
    for a in 0..<Int32(set.accounts.count) {
      #expect((CreditScore.floor...CreditScore.ceiling).contains(scores.score(of: a)))
    }
    // Measured from the latest signal, near +2^63, an account created near -2^63 is
    // as old as it gets: its age part is capped, not wrapped around.
    #expect(scores.breakdown(of: set.accounts.ids.index(of: "f2")!).ageDays > 1e14)
    #expect(scores.breakdown(of: set.accounts.ids.index(of: "f2")!).accountAge == CreditScore.ageCap)
  }

  @Test func saturatingArithmeticClampsInsteadOfTrapping() {
    #expect(Int64.max.saturatingSubtracting(Int64.min) == .max)
    #expect(Int64.min.saturatingSubtracting(1) == .min)
    #expect(Int64.max.saturatingAdding(1) == .max)
    #expect(Int64.min.saturatingAdding(-1) == .min)
    #expect(Int64(5).saturatingSubtracting(7) == -2)
    #expect(Int64(5).saturatingAdding(-7) == -2)
    // Days round down before 1970 without overflowing at -2^63.
    #expect(Timestamp.iso8601(-1) == "1969-12-31T23:59:59Z")
    #expect(Timestamp.iso8601(-86_400) == "1969-12-31T00:00:00Z")
    #expect(Timestamp.iso8601(-86_401) == "1969-12-30T23:59:59Z")
    #expect(!Timestamp.iso8601(.min).isEmpty && !Timestamp.iso8601(.max).isEmpty)
  }
}
