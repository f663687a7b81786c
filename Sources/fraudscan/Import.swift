import ArgumentParser
import Foundation
import SignalGraph

extension Fraudscan {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Convert public AML data (IBM AMLSim, IBM AMLworld) into a labelled signal set.",
      discussion: """
        Writes payments.csv, accounts.csv, labels.csv (laundering accounts as \
        circular_payment), payments_truth.csv (id,laundering) when the input marks \
        transactions, and import_summary.json. OUT is written under a temporary name \
        and renamed when complete, so a failed import leaves nothing behind.

        Examples:
          fraudscan import amlsim outputs/sample /tmp/amlsim
          fraudscan import ibm-aml HI-Small_Trans.csv /tmp/hi-small --currency Euro
        """,
      subcommands: [AMLSim.self, IBMAML.self])

    /// Prints what an import wrote, and on standard error what it left out.
    static func report(_ summary: ImportSummary, output: String, seconds: Double) {
      var line =
        "imported \(summary.source) (\(summary.importer), format \(summary.format)) into \(output): "
        + "\(summary.payments) payments, \(summary.accounts) accounts, \(summary.labelledAccounts) labelled accounts"
      if let laundering = summary.launderingPayments { line += ", \(laundering) laundering payments" }
      if let currency = summary.currency { line += " in \(currency)" }
      print(line + " in \(String(format: "%.2f", seconds)) s")
      if summary.skippedRows > 0 {
        let byCurrency = summary.skippedByCurrency.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
          .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        Output.warn(
          "note: \(summary.skippedRows) of \(summary.rowsRead) rows were left out as paid in another currency "
            + "than \(summary.currency ?? "") (\(summary.skippedLaunderingRows) of them laundering): \(byCurrency); "
            + "the kept currency is \(summary.currencyChosenBy ?? "given"); see \(ImportSummary.fileName)\n")
      }
      if summary.roundedAmounts > 0 {
        let n = summary.roundedAmounts
        Output.warn(
          "note: \(n) amount\(n == 1 ? " has" : "s have") more than six decimals, rounded to the micro-unit\n")
      }
    }
  }
}

extension Fraudscan.Import {
  struct AMLSim: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "amlsim",
      abstract: "Import the output directory of IBM AMLSim.",
      discussion: """
        The format is recognised from the header of transactions.csv or tx.csv:
        the older output (TX_ID,SENDER_ACCOUNT_ID,…), the published samples \
        (sourceNodeId,targetNodeId,value,time with nodes.csv), the schema-driven \
        output (tran_id,orig_acct,bene_acct,…,tran_timestamp with alert_transactions.csv \
        or alerts.csv) and the repository's sample/outputs (TXN_ID,ACCOUNT_ID,…). \
        A step (day number) becomes --start plus that many days, and is kept in \
        the extra column step of payments.csv.

        Example:
          fraudscan import amlsim 20K_fanin200cycle200 /tmp/amlsim
        """)

    @Argument(help: "The AMLSim output directory.")
    var directory: String

    @Argument(help: "The signal-set directory to write (must not exist, or be empty).")
    var output: String

    @Option(help: "The time of step 0, ISO-8601 UTC or Unix seconds.")
    var start = "2017-01-01T00:00:00Z"

    func run() throws {
      guard let stepZero = Timestamp.parse(Array(start.utf8)) else {
        throw ValidationError("--start \"\(start)\" is not a timestamp (such as 2017-01-01T00:00:00Z or 1483228800)")
      }
      let importer = AMLSimImporter(stepZero: stepZero, progress: .terminal())
      let (summary, seconds) = try Stopwatch.time { try importer.run(directory: directory, output: output) }
      Fraudscan.Import.report(summary, output: output, seconds: seconds)
    }
  }

  struct IBMAML: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ibm-aml",
      abstract: "Import an IBM AMLworld transaction file (HI-Small_Trans.csv and the like).",
      discussion: """
        An account is bank:account. One currency is kept per set: --currency, or by \
        default the most common Payment Currency of the first 1 000 000 rows; rows \
        paid in other currencies are counted on standard error and in \
        import_summary.json. Timestamps (2022/09/01 00:20) are read as UTC.

        Example:
          fraudscan import ibm-aml HI-Small_Trans.csv /tmp/hi-small
        """)

    @Argument(help: "The AMLworld CSV file.")
    var file: String

    @Argument(help: "The signal-set directory to write (must not exist, or be empty).")
    var output: String

    @Option(help: "The payment currency to keep, as the file writes it (\"US Dollar\", \"Euro\").")
    var currency: String?

    func run() throws {
      let importer = AMLworldImporter(currency: currency, progress: .terminal())
      let (summary, seconds) = try Stopwatch.time { try importer.run(file: file, output: output) }
      Fraudscan.Import.report(summary, output: output, seconds: seconds)
    }
  }
}
