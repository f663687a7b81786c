import Foundation

/// Converts the output of IBM AMLSim (github.com/IBM/AMLSim) into a signal
/// set: `payments.csv`, `accounts.csv`, and `labels.csv` with every
/// laundering account as `circular_payment` (the contract's kind for every
/// collusive payment typology), plus `payments_truth.csv` (`id,laundering`)
/// when the input flags single transactions, and `import_summary.json`.
///
/// The format is recognised from the header of the transaction file (see
/// ``AMLSimFormat``). Steps, the simulator's day numbers, become times:
/// ``stepZero`` + step days, 2017-01-01T00:00:00Z by default (AMLSim's own
/// `base_date`), and the step is kept as the extra column `step` of
/// `payments.csv`. An account is labelled when a flagged transaction has it
/// at either end, when its account row is flagged, or when a flagged alert
/// names it; the alert's typology (`cycle`, `fan_in`, …) goes in the extra
/// column `typology` of `labels.csv`.
///
///     let summary = try AMLSimImporter().run(directory: "outputs/sample", output: "/tmp/amlsim")
///     print(summary.payments, summary.labelledAccounts)
///
/// - Complexity: one streaming pass over each file; memory holds the
///   accounts, never the transactions.
public struct AMLSimImporter: Sendable {
  /// The time of step 0, in Unix seconds: 2017-01-01T00:00:00Z by default.
  public var stepZero: Int64 = 1_483_228_800
  /// Where progress is shown.
  public var progress: ProgressReporter = .silent

  /// Creates an importer with the default step origin.
  public init(stepZero: Int64 = 1_483_228_800, progress: ProgressReporter = .silent) {
    self.stepZero = stepZero
    self.progress = progress
  }

  /// Imports the AMLSim output in `directory` into a new signal set at
  /// `output`, written under a temporary name and renamed when complete.
  /// - Throws: ``ImportError``: an unrecognised format (naming the accepted
  ///   ones), a bad row (file, line and column), an existing output.
  @discardableResult
  public func run(directory: String, output: String) throws(ImportError) -> ImportSummary {
    let (format, transactionFile) = try AMLSimFormat.detect(in: directory)
    var summary = ImportSummary(importer: "amlsim", format: format.name, source: directory)
    if format.timeIsStep { summary.stepZero = Timestamp.iso8601(stepZero) }
    let flag: String?
    do {
      flag = format.laundering.first(where: try TableFile(path: transactionFile).header().contains)
    } catch {
      throw ImportError.from(error, output: output)
    }
    try ImportedSetWriter.write(output: output, stepColumn: format.timeIsStep, truth: flag != nil, summary: &summary) {
      set, summary in
      try readAccounts(format, directory, &set, &summary)
      try readTransactions(format, transactionFile, flag: flag, &set, &summary)
      try readAlerts(format, directory, &set)
      progress.finish()
    }
    return summary
  }

  /// The first of `names` that is a file in `directory`.
  private func existing(_ names: [String], in directory: String) -> String? {
    names.lazy.map { (directory as NSString).appendingPathComponent($0) }
      .first { FileManager.default.fileExists(atPath: $0) }
  }

  private func readAccounts(
    _ format: AMLSimFormat, _ directory: String, _ set: inout ImportedSetWriter, _ summary: inout ImportSummary
  ) throws {
    guard let path = existing([format.accountFile], in: directory) else { return }
    let file = TableFile(path: path)
    let header = try file.header()
    let optional = [
      format.accountLaundering.first(where: header.contains), format.accountBalance.first(where: header.contains),
    ]
    let flag = optional[0] == nil ? nil : 1
    let balance = optional[1] == nil ? nil : (flag ?? 0) + 1
    try file.forEachRow(required: [format.accountID], optional: optional.compactMap { $0 }) { row in
      let a = set.account(try row.nonEmpty(0, what: "an account id"))
      if let flag, row.has(flag), try row.flag(flag) { set.label(a) }
      if let balance, row.has(balance) {
        guard let (amount, rounded) = Amount.parse(roundingExcessDecimals: row.bytes(balance)) else {
          throw row.bad(balance, "is not an amount (a non-negative decimal such as 120.50)")
        }
        if rounded { summary.roundedAmounts += 1 }
        set.setInitialBalance(amount, of: a)
      }
    }
  }

  private func readTransactions(
    _ format: AMLSimFormat, _ path: String, flag: String?, _ set: inout ImportedSetWriter,
    _ summary: inout ImportSummary
  ) throws {
    let hasID = format.id != nil
    let required = [format.source, format.target, format.amount, format.time] + (hasID ? [format.id!] : [])
    let stepZero = stepZero
    var row = 0
    try TableFile(path: path).forEachRow(required: required, optional: flag.map { [$0] } ?? []) { r in
      let s = set.account(try r.nonEmpty(0, what: "an account id"))
      let t = set.account(try r.nonEmpty(1, what: "an account id"))
      guard let (amount, rounded) = Amount.parse(roundingExcessDecimals: r.bytes(2)) else {
        throw r.bad(2, "is not an amount (a non-negative decimal such as 120.50)")
      }
      if rounded { summary.roundedAmounts += 1 }
      var step: Int64?
      let time: Int64
      if format.timeIsStep {
        guard let n = r.count(3), n < 1_000_000_000 else {
          throw r.bad(3, "is not a step (a day number such as 0 or 17)")
        }
        step = n
        time = stepZero + n * 86_400
      } else {
        time = try r.time(3)
      }
      let laundering = flag == nil ? nil : try r.flag(hasID ? 5 : 4)
      if hasID {
        try set.payment(
          id: try r.nonEmpty(4, what: "a transaction id"), source: s, target: t, amount: amount, time: time,
          step: step, laundering: laundering)
      } else {
        try set.payment(row: row, source: s, target: t, amount: amount, time: time, step: step, laundering: laundering)
      }
      row += 1
      progress.tick(path, row)
    }
    summary.rowsRead = row
  }

  private func readAlerts(_ format: AMLSimFormat, _ directory: String, _ set: inout ImportedSetWriter) throws {
    guard let path = existing(format.alertFiles, in: directory) else { return }
    let file = TableFile(path: path)
    let header = try file.header()
    // An alert file without the typology column is of no use; skip it rather than fail.
    guard header.contains(format.alertType) else { return }
    let flag = format.alertLaundering.first(where: header.contains)
    let members = format.alertMembers.filter(header.contains)
    let flagSlot = members.count + 1
    try file.forEachRow(required: [format.alertType] + members, optional: flag.map { [$0] } ?? []) { row in
      // An alert flagged as not suspicious (a false alert) says nothing of its members.
      let laundering = flag != nil && row.has(flagSlot) ? try row.flag(flagSlot) : nil
      if laundering == false { return }
      let typology = String(decoding: row.bytes(0), as: UTF8.self)
      for member in members.indices {
        let a = set.account(try row.nonEmpty(member + 1, what: "an account id"))
        if !typology.isEmpty { set.noteTypology(typology, of: a) }
        if laundering == true { set.label(a) }
      }
    }
  }
}
