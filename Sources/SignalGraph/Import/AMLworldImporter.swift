import Foundation

/// Converts an IBM AMLworld transaction file (Altman et al., "Realistic
/// synthetic financial transactions for anti-money laundering models",
/// NeurIPS 2023; the Kaggle files `HI-Small_Trans.csv` … `LI-Large_Trans.csv`)
/// into a signal set: `payments.csv`, `accounts.csv`, `labels.csv`,
/// `payments_truth.csv` and `import_summary.json`.
///
/// The header is `Timestamp, From Bank, Account, To Bank, Account, Amount
/// Received, Receiving Currency, Amount Paid, Payment Currency, Payment
/// Format, Is Laundering`. `Account` appears twice, so the two are told apart
/// by position: the first is the payer's (after `From Bank`), the second the
/// payee's (`Account.1`, as pandas renames it, is read too). Other columns
/// are found by name.
///
/// - An account is `bank:account` (`010:8000EBD30`): account numbers are
///   only unique within a bank.
/// - `Timestamp` (`2022/09/01 00:20`) is read as UTC.
/// - One currency per set: rows paid in ``currency`` are kept, with `Amount
///   Paid` as the amount; the others are counted by currency in the summary
///   (and by the CLI on standard error), never dropped silently. Without a
///   currency given, the most common `Payment Currency` among the first
///   ``sampleRows`` rows is kept (a sampling pass that stops there), and
///   the summary says so.
/// - Payment ids are `t<n>`, `n` the 0-based data row in the file, so that
///   an id does not depend on the currency kept.
/// - `Is Laundering` goes to `payments_truth.csv`, and both ends of a kept
///   laundering payment are labelled `circular_payment`.
///
/// For example:
///
///     let summary = try AMLworldImporter().run(file: "HI-Small_Trans.csv", output: "/tmp/hi-small")
///     print(summary.currency ?? "", summary.skippedRows)
///
/// - Complexity: one streaming pass (two with the sampling pass); memory
///   holds the accounts, never the payments.
public struct AMLworldImporter: Sendable {
  /// The payment currency to keep, as written in the file (`US Dollar`);
  /// `nil` for the most common one.
  public var currency: String?
  /// The rows the sampling pass reads to choose the currency.
  public var sampleRows = 1_000_000
  /// Where progress is shown.
  public var progress: ProgressReporter = .silent

  /// Creates an importer keeping `currency` (`nil`: the most common).
  public init(currency: String? = nil, progress: ProgressReporter = .silent) {
    self.currency = currency
    self.progress = progress
  }

  /// The column names of an AMLworld transaction file, in their order.
  public static let header = [
    "Timestamp", "From Bank", "Account", "To Bank", "Account", "Amount Received", "Receiving Currency",
    "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering",
  ]

  /// The column slots of a row as ``layout(_:path:)`` resolves them.
  private enum Slot {
    static let timestamp = 0, fromBank = 1, fromAccount = 2, toBank = 3, toAccount = 4
    static let amountPaid = 5, paymentCurrency = 6, laundering = 7
  }

  /// Imports the AMLworld file `file` into a new signal set at `output`,
  /// written under a temporary name and renamed when complete.
  /// - Throws: ``ImportError``: a header that is not AMLworld's, a bad row
  ///   (file, line and column), a currency no row is paid in, an existing output.
  @discardableResult
  public func run(file: String, output: String) throws(ImportError) -> ImportSummary {
    var summary = ImportSummary(importer: "ibm-aml", format: "amlworld", source: file)
    let table = TableFile(path: file)
    let kept: String
    if let currency {
      kept = currency
      summary.currencyChosenBy = "--currency"
    } else {
      let (chosen, sampled): (String, Int)
      do {
        (chosen, sampled) = try mostCommonCurrency(table)
      } catch {
        throw ImportError.from(error, output: output)
      }
      kept = chosen
      summary.currencyChosenBy = "the most common payment currency of the first \(sampled) rows"
    }
    summary.currency = kept
    try ImportedSetWriter.write(output: output, stepColumn: false, truth: true, summary: &summary) { set, summary in
      try readPayments(table, currency: kept, &set, &summary)
      progress.finish()
      if set.paymentCount == 0 && summary.rowsRead > 0 {
        let seen = summary.skippedByCurrency.sorted { $0.value > $1.value }
          .map { "\($0.key) (\($0.value) rows)" }.joined(separator: ", ")
        throw ImportError.currencyNotFound(path: file, currency: kept, seen: seen)
      }
    }
    return summary
  }

  /// Resolves the header: `Account` by position, the rest by name.
  static func layout(_ names: [String], path: String) throws -> TableLayout {
    func position(_ name: String, after start: Int = 0) -> Int? {
      names.indices.first { $0 >= start && names[$0] == name }
    }
    let missing = { (column: String) in
      ImportError.unrecognizedFormat(
        path: path, found: ["the header has no column \"\(column)\": \(names.joined(separator: ","))"],
        accepted: ["IBM AMLworld: " + header.joined(separator: ",")])
    }
    guard let timestamp = position("Timestamp") else { throw missing("Timestamp") }
    guard let fromBank = position("From Bank") else { throw missing("From Bank") }
    guard let toBank = position("To Bank") else { throw missing("To Bank") }
    guard let from = position("From Account") ?? position("Account", after: fromBank + 1)
    else { throw missing("Account") }
    guard let to = position("To Account") ?? position("Account.1") ?? position("Account", after: max(from, toBank) + 1)
    else { throw missing("Account (the second, after To Bank)") }
    var positions = [timestamp, fromBank, from, toBank, to]
    for name in ["Amount Paid", "Payment Currency", "Is Laundering"] {
      guard let p = position(name) else { throw missing(name) }
      positions.append(p)
    }
    return TableLayout(
      path: path, fieldCount: names.count, positions: positions,
      names: [
        "Timestamp", "From Bank", "Account", "To Bank", "Account", "Amount Paid", "Payment Currency", "Is Laundering",
      ],
      header: names)
  }

  /// The most common payment currency among the first ``sampleRows`` rows,
  /// and how many rows were read to find it.
  private func mostCommonCurrency(_ table: TableFile) throws -> (String, Int) {
    struct Enough: Error {}
    var currencies = StringInterner()
    var counts: [Int] = []
    var rows = 0
    let limit = sampleRows
    do {
      let layout = { (header: [String], _: Int) throws -> TableLayout in try Self.layout(header, path: table.path) }
      try table.forEachRow(layout: layout) { row in
        let c = Int(currencies.intern(row.bytes(Slot.paymentCurrency)))
        if c == counts.count { counts.append(0) }
        counts[c] += 1
        rows += 1
        if rows >= limit { throw Enough() }
      }
    } catch is Enough {}
    guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) })
    else { return ("US Dollar", 0) }
    return (currencies[Int32(best)], rows)
  }

  private func readPayments(
    _ table: TableFile, currency: String, _ set: inout ImportedSetWriter, _ summary: inout ImportSummary
  ) throws {
    let kept = Array(currency.utf8)
    var others = StringInterner()
    var otherCounts: [Int] = []
    var row = 0
    var skippedLaundering = 0
    var key: [UInt8] = []
    key.reserveCapacity(64)
    let layout = { (header: [String], _: Int) throws -> TableLayout in try Self.layout(header, path: table.path) }
    try table.forEachRow(layout: layout) { r in
      defer {
        row += 1
        progress.tick(table.path, row)
      }
      let laundering = try r.flag(Slot.laundering)
      let paid = r.bytes(Slot.paymentCurrency)
      guard paid.elementsEqual(kept) else {
        let c = Int(others.intern(paid))
        if c == otherCounts.count { otherCounts.append(0) }
        otherCounts[c] += 1
        if laundering { skippedLaundering += 1 }
        return
      }
      guard
        let time = Timestamp.parse(r.bytes(Slot.timestamp), dateSeparator: UInt8(ascii: "/"))
          ?? Timestamp.parse(r.bytes(Slot.timestamp))
      else {
        throw r.bad(Slot.timestamp, "is not a date and time such as 2022/09/01 00:20 (read as UTC)")
      }
      guard let (amount, rounded) = Amount.parse(roundingExcessDecimals: r.bytes(Slot.amountPaid)) else {
        throw r.bad(Slot.amountPaid, "is not an amount (a non-negative decimal such as 3697.34)")
      }
      if rounded { summary.roundedAmounts += 1 }
      let s = try account(r, bank: Slot.fromBank, number: Slot.fromAccount, &key, &set)
      let t = try account(r, bank: Slot.toBank, number: Slot.toAccount, &key, &set)
      try set.payment(row: row, source: s, target: t, amount: amount, time: time, step: nil, laundering: laundering)
    }
    summary.rowsRead = row
    summary.skippedRows = otherCounts.reduce(0, +)
    summary.skippedLaunderingRows = skippedLaundering
    for (c, n) in otherCounts.enumerated() { summary.skippedByCurrency[others[Int32(c)]] = n }
  }

  /// The account `bank:number` of a row, interned.
  @inline(__always)
  private func account(
    _ r: TableRow, bank: Int, number: Int, _ key: inout [UInt8], _ set: inout ImportedSetWriter
  ) throws -> Int32 {
    key.removeAll(keepingCapacity: true)
    key.append(contentsOf: try r.nonEmpty(bank, what: "a bank"))
    key.append(UInt8(ascii: ":"))
    key.append(contentsOf: try r.nonEmpty(number, what: "an account number"))
    return key.withUnsafeBufferPointer { set.account($0) }
  }
}
