import AnomalyDetect
import SignalGraph

/// Why one account is or is not flagged: each cluster of the report that
/// implicates it (rank, kind, detectors, score, reason, its role, and every
/// finding's figures), its own signals, and, when given, its score with and
/// without the held signals. What `fraudscan explain` prints.
///
///     let set = try SignalSet(contentsOf: "fixtures/like-farm")
///     let report = Scanner.standard.scan(set)
///     print(AccountExplanation(account: "acct_4471", report: report, set: set, graph: GraphIndex(set)).text)
public struct AccountExplanation: Sendable {
  /// One cluster that implicates the account.
  public struct Entry: Sendable {
    /// The cluster.
    public var cluster: Cluster
    /// What the account does in it, in words.
    public var role: String
  }

  /// The account id asked about.
  public let account: String
  /// Whether the account is in the signal set at all.
  public let known: Bool
  /// The clusters implicating it, by rank.
  public let entries: [Entry]
  /// The score with and without the held signals, when computed.
  public var score: ScoreComparison?
  private let activity: String
  private let detectors: [String]
  private let clusterCount: Int

  /// Explains `account` against `report`, a scan of `set` (index `graph`).
  /// - Parameter score: the score with and without held signals, printed when given.
  public init(account: String, report: ScanReport, set: SignalSet, graph: GraphIndex, score: ScoreComparison? = nil) {
    self.account = account
    self.score = score
    detectors = report.detectors
    clusterCount = report.clusters.count
    guard let index = set.accounts.ids.index(of: account) else {
      known = false
      entries = []
      activity = ""
      return
    }
    known = true
    var scratch = [Bool](repeating: false, count: set.accounts.count)
    entries = report.clusters.filter { $0.accounts.contains(account) }.map { cluster in
      let signals = ClusterSignals(cluster, set: set, graph: graph, scratch: &scratch)
      return Entry(cluster: cluster, role: signals.role(of: index, kind: cluster.kind, set: set))
    }
    let created = set.accounts.createdAt[Int(index)]
    let endorses = { (row: Int32) in EndorsementPolicy.standard.endorses(set.interactions, row: Int(row)) }
    let given = graph.interactionsOut.edges(of: index).filter(endorses).count
    let received = graph.interactionsIn.edges(of: index).filter(endorses).count
    let others = graph.interactionsOut.degree(of: index) + graph.interactionsIn.degree(of: index) - given - received
    activity =
      "signals: \(given) endorsements given, \(received) received"
      + (others > 0 ? " (and \(others) other interactions: dislikes, reports, negative ratings)" : "") + "; "
      + "\(graph.paymentsOut.degree(of: index)) payments sent, \(graph.paymentsIn.degree(of: index)) received; "
      + "\(graph.editsByAccount.degree(of: index)) profile edits"
      + (created == AccountTable.unknownTime ? "" : "; created \(ClusterTimeline.date(created)) UTC")
  }

  /// Whether any cluster implicates the account.
  public var isFlagged: Bool { !entries.isEmpty }

  /// The explanation as text for a terminal.
  public var text: String {
    guard known else { return "account \(account): not in the signal set, so it is not flagged.\n" }
    var out = ""
    if entries.isEmpty {
      out += "account \(account): NOT FLAGGED: none of the \(clusterCount) clusters implicates it "
      out += "(detectors run: \(detectors.isEmpty ? "none" : detectors.joined(separator: ", "))).\n"
    } else {
      out += "account \(account): FLAGGED in \(entries.count) cluster\(entries.count == 1 ? "" : "s").\n"
    }
    out += activity + "\n"
    for entry in entries {
      let c = entry.cluster
      out +=
        "\ncluster #\(c.rank) \(c.kind.rawValue), detectors \(c.detector), score \(EvidenceText.number((c.score * 100).rounded() / 100)), \(c.accounts.count) accounts\n"
      out += "  role: \(entry.role)\n"
      out += "  reason: \(EvidenceText.reason(of: c))\n"
      for f in EvidenceText.findings(of: c) {
        out += "  finding \(f.detector), score \(EvidenceText.number((f.score * 100).rounded() / 100))"
        let figures = EvidenceText.figures(f.evidence).filter { $0.value.count <= 60 }
        if !figures.isEmpty { out += ": " + figures.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        out += "\n"
      }
    }
    out += "\n"
    if let score {
      out += score.text
    } else {
      out += "score breakdown: not computed.\n"
    }
    return out
  }
}
