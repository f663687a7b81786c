import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Print the \(CreditScore.floor)–\(CreditScore.ceiling) score of every account, or explain one account's score.",
      discussion: """
        The score is \(CreditScore.floor) plus six capped parts: \
        payment volume (≤\(cap(CreditScore.volumeCap))), \
        distinct counterparties (≤\(cap(CreditScore.counterpartyCap))), \
        months active (≤\(cap(CreditScore.monthsCap))), \
        distinct endorsers (≤\(cap(CreditScore.socialCap))), \
        profile fields set (≤\(cap(CreditScore.profileCap))) and \
        account age (≤\(cap(CreditScore.ageCap))). See CreditScore for the formula.

        Examples:
          fraudscan score fixtures/honest-only
          fraudscan score signals.sqlite --explain u000017
        """)

    @Argument(help: "A signal-set directory or a .sqlite store.")
    var source: String

    @Option(help: "Print the breakdown of this account's score instead of every score.")
    var explain: String?

    func run() throws {
      let set = try SignalSource(path: source).load(progress: .terminal())
      let scores = CreditScore(set)
      if let explain {
        guard let index = set.accounts.ids.index(of: explain) else {
          throw ValidationError("no account \"\(explain)\" in \(source)")
        }
        let b = scores.breakdown(of: index)
        Output.write(
          """
          account \(explain): score \(b.score)
            base                        \(CreditScore.floor)
            payment volume        \(part(b.paymentVolume, of: CreditScore.volumeCap))   (\(String(format: "%.2f", b.volumeUnits)) units)
            counterparties        \(part(b.paymentCounterparties, of: CreditScore.counterpartyCap))   (\(b.distinctCounterparties) distinct)
            months active         \(part(b.paymentMonths, of: CreditScore.monthsCap))   (\(b.monthsActive) months)
            social standing       \(part(b.socialStanding, of: CreditScore.socialCap))   (\(b.distinctEndorsers) distinct endorsers)
            profile completeness  \(part(b.profileCompleteness, of: CreditScore.profileCap))   (\(b.profileFields) fields)
            account age           \(part(b.accountAge, of: CreditScore.ageCap))   (\(String(format: "%.1f", b.ageDays)) days)

          """)
        return
      }
      var out = "account,score\n"
      for a in 0..<Int32(set.accounts.count) {
        out += "\(set.accounts.ids[a]),\(scores.score(of: a))\n"
        if out.utf8.count > 1 << 16 {
          Output.write(out)
          out = ""
        }
      }
      Output.write(out)
    }

    /// `  12.5 / 100 `: a part's points out of its cap, in fixed columns.
    private func part(_ points: Double, of cap: Double) -> String {
      let value = String(format: "%.1f", points), limit = Self.cap(cap)
      return String(repeating: " ", count: max(0, 6 - value.count)) + value + " / " + limit
        + String(repeating: " ", count: max(0, 3 - limit.count))
    }

    /// A cap as a whole number of points.
    private static func cap(_ points: Double) -> String { String(Int(points)) }
  }
}
