import Foundation

/// One of the output formats of IBM AMLSim (github.com/IBM/AMLSim) that
/// ``AMLSimImporter`` reads, told apart by the header of the transaction
/// file. Column names are the simulator's own, as its converters and
/// published samples write them:
///
/// - ``legacy``: `transactions.csv` with `TX_ID, SENDER_ACCOUNT_ID,
///   RECEIVER_ACCOUNT_ID, TX_TYPE, TX_AMOUNT, TIMESTAMP, IS_FRAUD, ALERT_ID`
///   (`TIMESTAMP` a step, `IS_SAR` also read for `IS_FRAUD`), with
///   `accounts.csv` (`ACCOUNT_ID`, `INIT_BALANCE`, `IS_FRAUD`) and `alerts.csv`
///   (`ALERT_TYPE`, `IS_FRAUD`, `SENDER_ACCOUNT_ID`, `RECEIVER_ACCOUNT_ID`).
/// - ``sample``: the published samples such as `20K_fanin200cycle200`:
///   `transactions.csv` with `sourceNodeId, targetNodeId, value, time`
///   (`time` a step) and `nodes.csv` with `nodeId`, `init_balance`, `isFraud`.
/// - ``schema``: the output of `convert_logs.py` with a `schema.json`:
///   `transactions.csv` or `tx.csv` with `tran_id, orig_acct, bene_acct,
///   tx_type, base_amt, tran_timestamp, is_sar` (or `is_fraud`), a date-time
///   rather than a step, with `accounts.csv` (`acct_id`, `initial_deposit`)
///   and `alert_transactions.csv` or `alerts.csv` (`alert_id, alert_type,
///   is_sar, tran_id, orig_acct, bene_acct, …`).
/// - ``javaSample``: the repository's `sample/outputs`: `tx.csv` with
///   `TXN_ID, ACCOUNT_ID, COUNTER_PARTY_ACCOUNT_NUM, …, TXN_AMOUNT_ORIG,
///   start, end` (`start` a step; `tx_count` is not expanded), `accounts.csv`
///   with `ACCOUNT_ID`, `init_balance`, `isFraud`, and `alerts.csv` with
///   `ACCOUNT_ID`, `CHECK_NAME` (the typology).
///
/// For example:
///
///     let format = try AMLSimFormat.detect(in: "outputs/sample")   // .schema, "tx.csv"
public struct AMLSimFormat: Sendable, Equatable {
  /// A short name: `legacy`, `sample`, `schema` or `java-sample`.
  public let name: String
  /// The transaction file names this format may use, in order of preference.
  let transactionFiles: [String]
  /// The transaction id column, or `nil` when rows have none (ids become `t<row>`).
  let id: String?
  let source: String
  let target: String
  let amount: String
  /// The time column: a step (day number) when ``timeIsStep``, else a date-time.
  let time: String
  let timeIsStep: Bool
  /// Names of the per-transaction laundering flag, the first present used.
  let laundering: [String]
  /// The account file, its id column, flag and initial-balance column names.
  let accountFile: String
  let accountID: String
  let accountLaundering: [String]
  let accountBalance: [String]
  /// The alert files (first present used), their typology column, the
  /// columns naming member accounts, and the flag names.
  let alertFiles: [String]
  let alertType: String
  let alertMembers: [String]
  let alertLaundering: [String]

  /// The older AMLSim output (`TX_ID, SENDER_ACCOUNT_ID, …`).
  public static let legacy = AMLSimFormat(
    name: "legacy", transactionFiles: ["transactions.csv"], id: "TX_ID",
    source: "SENDER_ACCOUNT_ID", target: "RECEIVER_ACCOUNT_ID", amount: "TX_AMOUNT",
    time: "TIMESTAMP", timeIsStep: true, laundering: ["IS_FRAUD", "IS_SAR"],
    accountFile: "accounts.csv", accountID: "ACCOUNT_ID", accountLaundering: ["IS_FRAUD", "IS_SAR"],
    accountBalance: ["INIT_BALANCE", "init_balance"],
    alertFiles: ["alerts.csv"], alertType: "ALERT_TYPE",
    alertMembers: ["SENDER_ACCOUNT_ID", "RECEIVER_ACCOUNT_ID"], alertLaundering: ["IS_FRAUD", "IS_SAR"])

  /// The published sample format (`sourceNodeId, targetNodeId, value, time` and `nodes.csv`).
  public static let sample = AMLSimFormat(
    name: "sample", transactionFiles: ["transactions.csv"], id: nil,
    source: "sourceNodeId", target: "targetNodeId", amount: "value",
    time: "time", timeIsStep: true, laundering: [],
    accountFile: "nodes.csv", accountID: "nodeId", accountLaundering: ["isFraud"],
    accountBalance: ["init_balance"],
    alertFiles: [], alertType: "", alertMembers: [], alertLaundering: [])

  /// The schema-driven output of `convert_logs.py` (`tran_id, orig_acct, …`).
  public static let schema = AMLSimFormat(
    name: "schema", transactionFiles: ["transactions.csv", "tx.csv"], id: "tran_id",
    source: "orig_acct", target: "bene_acct", amount: "base_amt",
    time: "tran_timestamp", timeIsStep: false, laundering: ["is_sar", "is_fraud"],
    accountFile: "accounts.csv", accountID: "acct_id", accountLaundering: ["is_sar"],
    accountBalance: ["initial_deposit", "init_balance"],
    alertFiles: ["alert_transactions.csv", "alerts.csv"], alertType: "alert_type",
    alertMembers: ["orig_acct", "bene_acct"], alertLaundering: ["is_sar", "is_fraud"])

  /// The repository's `sample/outputs` (`TXN_ID, ACCOUNT_ID, COUNTER_PARTY_ACCOUNT_NUM, …`).
  public static let javaSample = AMLSimFormat(
    name: "java-sample", transactionFiles: ["tx.csv", "transactions.csv"], id: "TXN_ID",
    source: "ACCOUNT_ID", target: "COUNTER_PARTY_ACCOUNT_NUM", amount: "TXN_AMOUNT_ORIG",
    time: "start", timeIsStep: true, laundering: [],
    accountFile: "accounts.csv", accountID: "ACCOUNT_ID", accountLaundering: ["isFraud", "IS_FRAUD"],
    accountBalance: ["init_balance", "INIT_BALANCE"],
    alertFiles: ["alerts.csv"], alertType: "CHECK_NAME",
    alertMembers: ["ACCOUNT_ID"], alertLaundering: [])

  /// Every format, in the order detection tries them.
  public static let all: [AMLSimFormat] = [.legacy, .sample, .schema, .javaSample]

  /// The columns a transaction file of this format must have.
  var requiredTransactionColumns: [String] {
    (id.map { [$0] } ?? []) + [source, target, amount, time]
  }

  /// A line saying what this format looks like, for error messages.
  var summary: String {
    "\(name): \(transactionFiles.joined(separator: " or ")) with "
      + requiredTransactionColumns.joined(separator: ",")
      + " (+ \(accountFile)" + (alertFiles.isEmpty ? "" : ", \(alertFiles.joined(separator: " or "))") + ")"
  }

  /// The format of the AMLSim output in `directory` and its transaction
  /// file, found from the header of `transactions.csv` or `tx.csv`.
  /// - Throws: ``ImportError/unrecognizedFormat(path:found:accepted:)`` naming
  ///   each file looked at with its header and every accepted format, or
  ///   ``ImportError/badInput(_:)`` for an unreadable header.
  public static func detect(in directory: String) throws(ImportError) -> (format: AMLSimFormat, file: String) {
    var found: [String] = []
    var headers: [String: [String]] = [:]
    let candidates = ["transactions.csv", "tx.csv"]
    for name in candidates {
      let path = (directory as NSString).appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: path) else { continue }
      do {
        headers[name] = try TableFile(path: path).header()
      } catch {
        throw ImportError.from(error, output: directory)
      }
      found.append("\(name) has \(headers[name]!.joined(separator: ","))")
    }
    for format in all {
      for name in format.transactionFiles {
        guard let header = headers[name] else { continue }
        if format.requiredTransactionColumns.allSatisfy(header.contains) {
          return (format, (directory as NSString).appendingPathComponent(name))
        }
      }
    }
    throw .unrecognizedFormat(path: directory, found: found, accepted: all.map(\.summary))
  }
}
