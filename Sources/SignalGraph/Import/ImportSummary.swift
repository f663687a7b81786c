import Foundation

/// What an import read and wrote, also saved as `import_summary.json` in the
/// imported set, so that rows left out are never left out silently.
///
///     let summary = try AMLworldImporter().run(file: "HI-Small_Trans.csv", output: "/tmp/hi-small")
///     print(summary.payments, summary.skippedRows)   // 5 078 345 rows read, those in other currencies
public struct ImportSummary: Codable, Equatable, Sendable {
  /// The importer: `amlsim` or `ibm-aml`.
  public var importer: String
  /// The input format recognised (for AMLSim, which of its outputs).
  public var format: String
  /// The input file or directory.
  public var source: String
  /// The data rows read from the transaction file.
  public var rowsRead = 0
  /// The payments written to `payments.csv`.
  public var payments = 0
  /// The accounts written to `accounts.csv`.
  public var accounts = 0
  /// The accounts written to `labels.csv` (`circular_payment`).
  public var labelledAccounts = 0
  /// The payments marked laundering in `payments_truth.csv`, or `nil` when
  /// the input says nothing about single transactions (no truth file).
  public var launderingPayments: Int?
  /// Amounts given with more than six decimals, rounded to the micro-unit.
  public var roundedAmounts = 0
  /// For step-based inputs: the time of step 0 (ISO-8601 UTC).
  public var stepZero: String?
  /// For AMLworld: the payment currency kept.
  public var currency: String?
  /// For AMLworld: how the currency was chosen.
  public var currencyChosenBy: String?
  /// For AMLworld: rows left out because they were paid in another currency.
  public var skippedRows = 0
  /// For AMLworld: laundering rows among ``skippedRows``.
  public var skippedLaunderingRows = 0
  /// For AMLworld: the rows of each other payment currency, left out.
  public var skippedByCurrency: [String: Int] = [:]

  /// Creates an empty summary of an import of `source`.
  public init(importer: String, format: String, source: String) {
    self.importer = importer
    self.format = format
    self.source = source
  }

  /// The summary as pretty-printed JSON with sorted, snake-case keys.
  public func json() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }

  /// The name of the summary file in an imported set.
  public static let fileName = "import_summary.json"
}
