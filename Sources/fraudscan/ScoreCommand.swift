import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the 350–950 score of every account, or explain one account's score.",
      discussion: """
        The score is 350 plus six capped parts: payment volume (≤100), distinct
        counterparties (≤80), months active (≤70), distinct endorsers (≤200), profile
        fields set (≤100) and account age (≤50). See CreditScore for the formula.

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
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        Output.write(
          """
          account \(explain): score \(b.score)
            base                        350
            payment volume        \(pad(f(b.paymentVolume))) / 100   (\(String(format: "%.2f", b.volumeUnits)) units)
            counterparties        \(pad(f(b.paymentCounterparties))) / 80    (\(b.distinctCounterparties) distinct)
            months active         \(pad(f(b.paymentMonths))) / 70    (\(b.monthsActive) months)
            social standing       \(pad(f(b.socialStanding))) / 200   (\(b.distinctEndorsers) distinct endorsers)
            profile completeness  \(pad(f(b.profileCompleteness))) / 100   (\(b.profileFields) fields)
            account age           \(pad(f(b.accountAge))) / 50    (\(f(b.ageDays)) days)

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

    private func pad(_ s: String) -> String { String(repeating: " ", count: max(0, 6 - s.count)) + s }
  }
}
