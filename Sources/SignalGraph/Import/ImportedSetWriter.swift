import Foundation

/// Writes an imported signal set: `payments.csv` streamed row by row (and
/// `payments_truth.csv` beside it when the input marks laundering
/// transactions), then `accounts.csv`, `labels.csv` and
/// `import_summary.json` at the end, all in a ``StagedDirectory`` renamed
/// into place only when complete. Only the accounts (interned ids, their
/// labels and initial balances) are held in memory, never the payments.
///
///     var set = try ImportedSetWriter(output: "/tmp/out", stepColumn: true, truth: true)
///     var summary = ImportSummary(importer: "amlsim", format: "legacy", source: "outputs/sample")
///     let a = Array("A1".utf8).withUnsafeBufferPointer { set.account($0) }   // ids as the reader's bytes
///     let b = Array("B7".utf8).withUnsafeBufferPointer { set.account($0) }
///     try set.payment(row: 0, source: a, target: b, amount: Amount(micros: 1_000_000),
///                     time: 1483228800, step: 0, laundering: true)
///     try set.finish(summary: &summary)
struct ImportedSetWriter {
  /// The name of the transaction-level truth file (`id,laundering` 0/1).
  static let truthFileName = "payments_truth.csv"

  private let staging: StagedDirectory
  private var payments: CSVWriter
  private var truth: CSVWriter?
  private let hasStepColumn: Bool
  /// The account ids, in order of first appearance.
  private(set) var accounts = StringInterner()
  private var labelled: [Bool] = []
  private var typologies: [Int32: Set<String>] = [:]
  private var initialBalance: [Int64] = []
  private var hasInitialBalance = false
  /// The payments written, and how many were laundering.
  private(set) var paymentCount = 0
  private(set) var launderingCount = 0

  /// Creates the set at `output`, lets `body` fill it, then finishes it
  /// (``finish(summary:)``); `body` gets the summary to fill in. If anything fails the staged output is removed
  /// and the error is mapped to an ``ImportError``.
  static func write(
    output: String, stepColumn: Bool, truth: Bool, summary: inout ImportSummary,
    _ body: (inout ImportedSetWriter, inout ImportSummary) throws -> Void
  ) throws(ImportError) {
    do {
      var set = try ImportedSetWriter(output: output, stepColumn: stepColumn, truth: truth)
      do {
        try body(&set, &summary)
        try set.finish(summary: &summary)
      } catch {
        set.discard()
        throw error
      }
    } catch {
      throw ImportError.from(error, output: output)
    }
  }

  /// Opens the staged output and the payment files.
  /// - Parameters:
  ///   - stepColumn: whether `payments.csv` gets the extra column `step`.
  ///   - truth: whether to write `payments_truth.csv`.
  init(output: String, stepColumn: Bool, truth hasTruth: Bool) throws {
    staging = try StagedDirectory(destination: output)
    do {
      payments = try CSVWriter(
        url: staging.file(SignalSet.FileName.payments),
        header: ["id", "src", "dst", "amount", "ts"] + (stepColumn ? ["step"] : []))
      truth = hasTruth ? try CSVWriter(url: staging.file(Self.truthFileName), header: ["id", "laundering"]) : nil
    } catch {
      staging.discard()
      throw error
    }
    hasStepColumn = stepColumn
  }

  /// The index of the account whose id is `id`, added if new.
  @inline(__always)
  mutating func account(_ id: UnsafeBufferPointer<UInt8>) -> Int32 {
    let index = accounts.intern(id)
    if Int(index) == labelled.count {
      labelled.append(false)
      if hasInitialBalance { initialBalance.append(-1) }
    }
    return index
  }

  /// Records the initial balance of `account` (written as the extra column
  /// `init_balance` of `accounts.csv`).
  mutating func setInitialBalance(_ balance: Amount, of account: Int32) {
    if !hasInitialBalance {
      hasInitialBalance = true
      initialBalance = Array(repeating: -1, count: labelled.count)
    }
    initialBalance[Int(account)] = balance.micros
  }

  /// Labels `account` as laundering (`circular_payment`).
  mutating func label(_ account: Int32) {
    labelled[Int(account)] = true
  }

  /// Notes that `account` takes part in an alert of `typology`; written in
  /// the `typology` column of `labels.csv` if the account is labelled.
  mutating func noteTypology(_ typology: String, of account: Int32) {
    typologies[account, default: []].insert(typology)
  }

  /// Writes a payment whose id is `t<row>`.
  mutating func payment(
    row: Int, source: Int32, target: Int32, amount: Amount, time: Int64, step: Int64?, laundering: Bool?
  ) throws {
    let id: (inout CSVWriter) -> Void = { writer in
      writer.raw(CollectionOfOne(UInt8(ascii: "t")))
      writer.decimal(UInt64(row))
    }
    try payment(id: id, source: source, target: target, amount: amount, time: time, step: step, laundering: laundering)
  }

  /// Writes a payment whose id is the input's own (`id`, quoted if needed).
  mutating func payment(
    id bytes: UnsafeBufferPointer<UInt8>, source: Int32, target: Int32, amount: Amount, time: Int64,
    step: Int64?, laundering: Bool?
  ) throws {
    let id: (inout CSVWriter) -> Void = { writer in writer.field(bytes) }
    try payment(id: id, source: source, target: target, amount: amount, time: time, step: step, laundering: laundering)
  }

  private mutating func payment(
    id: (inout CSVWriter) -> Void, source: Int32, target: Int32, amount: Amount, time: Int64,
    step: Int64?, laundering: Bool?
  ) throws {
    id(&payments)
    payments.comma()
    payments.field(accounts.bytes(of: source))
    payments.comma()
    payments.field(accounts.bytes(of: target))
    payments.comma()
    payments.amount(amount)
    payments.comma()
    payments.integer(time)
    if hasStepColumn {
      payments.comma()
      if let step { payments.integer(step) }
    }
    try payments.endRow()
    paymentCount += 1
    if let laundering, truth != nil {
      id(&truth!)
      truth!.comma()
      truth!.raw(CollectionOfOne(laundering ? UInt8(ascii: "1") : UInt8(ascii: "0")))
      try truth!.endRow()
      if laundering {
        launderingCount += 1
        label(source)
        label(target)
      }
    }
  }

  /// Writes `accounts.csv`, `labels.csv` and `import_summary.json`, then
  /// renames the set into place; on any failure the output is removed.
  mutating func finish(summary: inout ImportSummary) throws {
    do {
      try payments.close()
      try truth?.close()
      var accountFile = try CSVWriter(
        url: staging.file(SignalSet.FileName.accounts),
        header: ["account"] + (hasInitialBalance ? ["init_balance"] : []))
      for a in 0..<Int32(accounts.count) {
        accountFile.field(accounts.bytes(of: a))
        if hasInitialBalance {
          accountFile.comma()
          let micros = initialBalance[Int(a)]
          if micros >= 0 { accountFile.amount(Amount(micros: micros)) }
        }
        try accountFile.endRow()
      }
      try accountFile.close()
      let withTypology = !typologies.isEmpty
      var labels = try CSVWriter(
        url: staging.file(SignalSet.FileName.labels), header: ["account", "label"] + (withTypology ? ["typology"] : []))
      let laundering = Array(",\(ManipulationKind.circularPayment.rawValue)".utf8)
      for (a, isLabelled) in labelled.enumerated() where isLabelled {
        labels.field(accounts.bytes(of: Int32(a)))
        labels.raw(laundering)
        if withTypology {
          labels.comma()
          labels.field(Array((typologies[Int32(a)] ?? []).sorted().joined(separator: ";").utf8))
        }
        try labels.endRow()
      }
      try labels.close()
      summary.payments = paymentCount
      summary.accounts = accounts.count
      summary.labelledAccounts = labels.rows
      summary.launderingPayments = truth == nil ? nil : launderingCount
      let summaryURL = staging.file(ImportSummary.fileName)
      do {
        try summary.json().write(to: summaryURL)
      } catch {
        throw ImportError.cannotWrite(path: summaryURL.path, reason: error.localizedDescription)
      }
      try staging.commit()
    } catch {
      staging.discard()
      throw error
    }
  }

  /// Removes the staged output, for a failed import.
  func discard() {
    staging.discard()
  }
}
