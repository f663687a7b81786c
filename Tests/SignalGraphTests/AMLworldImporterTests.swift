import Foundation
import Testing

@testable import SignalGraph

/// The header of an AMLworld file, `Account` twice, as the Kaggle files have it.
let amlworldHeader =
  "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n"

/// Imports `rows` (after `header`) with `importer` into `<root>/out`.
func importAMLworld(
  _ rows: String, header: String = amlworldHeader, importer: AMLworldImporter = AMLworldImporter(),
  in root: String
) throws(ImportError) -> (summary: ImportSummary, output: String) {
  let file = try! writeFile(root, "trans.csv", header + rows)
  let output = (root as NSString).appendingPathComponent("out")
  return (try importer.run(file: file, output: output), output)
}

/// The contents of `name` in `directory`.
func contents(_ directory: String, _ name: String) throws -> String {
  try String(contentsOfFile: (directory as NSString).appendingPathComponent(name), encoding: .utf8)
}

@Suite("AMLworld import") struct AMLworldImporterTests {
  let rows = """
    2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0
    2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
    2022/09/01 00:16,00220,8001C8C51,01420,8003093C1,0.025852,Bitcoin,0.025852,Bitcoin,Bitcoin,0
    2022/09/02 10:16,001,A1,003,B2,90.00,Euro,100.50,US Dollar,Wire,1
    2022/09/03 00:00,003,A1,001,A1,5,US Dollar,5,US Dollar,Cash,0

    """

  @Test func importsTheKeptCurrencyAndReadsTheTwoAccountColumnsByPosition() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLworld(rows, in: root)
      #expect(
        try contents(output, "payments.csv") == """
          id,src,dst,amount,ts
          t0,010:8000EBD30,010:8000EBD30,3697.34,1661991600
          t3,001:A1,003:B2,100.50,1662113760
          t4,003:A1,001:A1,5.00,1662163200

          """)
      #expect(try contents(output, "payments_truth.csv") == "id,laundering\nt0,0\nt3,1\nt4,0\n")
      // Account numbers repeat across banks, so the bank is part of the id.
      #expect(try contents(output, "accounts.csv") == "account\n010:8000EBD30\n001:A1\n003:B2\n003:A1\n")
      #expect(try contents(output, "labels.csv") == "account,label\n001:A1,circular_payment\n003:B2,circular_payment\n")
      #expect(summary.currency == "US Dollar")
      #expect(summary.rowsRead == 5)
      #expect(summary.payments == 3)
      #expect(summary.skippedRows == 2)
      #expect(summary.skippedLaunderingRows == 1)
      #expect(summary.skippedByCurrency == ["Euro": 1, "Bitcoin": 1])
      #expect(summary.launderingPayments == 1)
      let saved = try JSONDecoder.snakeCase.decode(
        ImportSummary.self, from: Data(contentsOf: URL(fileURLWithPath: output + "/" + ImportSummary.fileName)))
      #expect(saved == summary)
    }
  }

  @Test func theImportedSetLoadsWithItsLabels() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (_, output) = try importAMLworld(rows, in: root)
      let set = try SignalSet(contentsOf: output)
      let s = SetSnapshot(set)
      #expect(s.payments.map(\.id) == ["t0", "t3", "t4"])
      #expect(s.payments[1] == .init(id: "t3", src: "001:A1", dst: "003:B2", micros: 100_500_000, time: 1_662_113_760))
      let truth = try GroundTruth(directory: output)
      #expect(truth.accountsByKind == [.circularPayment: ["001:A1", "003:B2"]])
    }
  }

  @Test func theMostCommonCurrencyIsKeptUnlessOneIsGiven() throws {
    let euros = """
      2022/09/01 00:00,1,a,2,b,1,Euro,1,Euro,ACH,0
      2022/09/01 00:01,1,a,2,c,2,Euro,2,Euro,ACH,0
      2022/09/01 00:02,1,a,2,d,3,US Dollar,3,US Dollar,ACH,0

      """
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLworld(euros, in: root)
      #expect(summary.currency == "Euro")
      #expect(summary.currencyChosenBy == "the most common payment currency of the first 3 rows")
      #expect(summary.skippedByCurrency == ["US Dollar": 1])
      #expect(try contents(output, "payments_truth.csv") == "id,laundering\nt0,0\nt1,0\n")
    }
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLworld(euros, importer: AMLworldImporter(currency: "US Dollar"), in: root)
      #expect(summary.currency == "US Dollar")
      #expect(summary.currencyChosenBy == "--currency")
      #expect(summary.skippedByCurrency == ["Euro": 2])
      #expect(try contents(output, "payments_truth.csv") == "id,laundering\nt2,0\n")
    }
    try withTemporaryDirectory { (root: String) throws -> Void in
      // The sampling pass reads only its first rows: here only the first one.
      var importer = AMLworldImporter()
      importer.sampleRows = 1
      #expect(try importAMLworld(euros, importer: importer, in: root).summary.currency == "Euro")
    }
  }

  @Test func aCurrencyNoRowIsPaidInIsAnErrorAndWritesNothing() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      #expect {
        try importAMLworld(rows, importer: AMLworldImporter(currency: "Yen"), in: root)
      } throws: { error in
        "\(error)".contains("no payment is in the currency \"Yen\"") && "\(error)".contains("US Dollar (3 rows)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["trans.csv"])
    }
  }

  @Test(arguments: [
    (
      "2022/09/01 00:20,010,x,010,y,1,US Dollar,12.5.0,US Dollar,ACH,0\n", 3,
      "column \"Amount Paid\" (field 8): \"12.5.0\""
    ),
    ("2022/09/31 00:20,010,x,010,y,1,US Dollar,1,US Dollar,ACH,0\n", 3, "column \"Timestamp\" (field 1)"),
    ("2022/09/01 00:20,010,x,010,y,1,US Dollar,1,US Dollar,ACH,maybe\n", 3, "column \"Is Laundering\" (field 11)"),
    ("2022/09/01 00:20,010,x,010,,1,US Dollar,1,US Dollar,ACH,0\n", 3, "column \"Account\" (field 5)"),
    ("2022/09/01 00:20,010,x,010,y,1,US Dollar,1,US Dollar,ACH\n", 3, "the row has 10 fields but the header has 11"),
  ])
  func aBadRowNamesFileLineAndColumnAndLeavesNoOutput(bad: String, line: Int, message: String) throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      let good = "2022/09/01 00:20,010,a,010,b,1,US Dollar,1,US Dollar,ACH,0\n"
      do {
        _ = try importAMLworld(good + bad, in: root)
        Issue.record("the bad row was accepted")
      } catch {
        let file = (root as NSString).appendingPathComponent("trans.csv")
        #expect("\(error)".hasPrefix("\(file):\(line): "), "\(error)")
        #expect("\(error)".contains(message), "\(error)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["trans.csv"], "no output, no staging left")
    }
  }

  @Test func pandasRenamedAndMissingAccountColumns() throws {
    let renamed = amlworldHeader.replacingOccurrences(of: "To Bank,Account,", with: "To Bank,Account.1,")
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (_, output) = try importAMLworld("2022/09/01 00:20,1,a,2,b,1,Euro,1,Euro,ACH,1\n", header: renamed, in: root)
      #expect(try contents(output, "payments.csv").contains("t0,1:a,2:b,1.00,"))
    }
    let oneAccount = amlworldHeader.replacingOccurrences(of: "To Bank,Account,", with: "To Bank,Payee,")
    try withTemporaryDirectory { (root: String) throws -> Void in
      #expect {
        try importAMLworld("2022/09/01 00:20,1,a,2,b,1,Euro,1,Euro,ACH,1\n", header: oneAccount, in: root)
      } throws: { error in
        let text = "\(error)"
        return text.contains("no column \"Account (the second, after To Bank)\"")
          && text.contains("IBM AMLworld: Timestamp,From Bank,Account,To Bank,Account,")
      }
    }
  }

  @Test func anExistingOutputIsNotOverwritten() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      try writeFile(root, "out", "")  // a file where the directory would go
      #expect(throws: ImportError.outputExists(path: (root as NSString).appendingPathComponent("out"))) {
        try importAMLworld(rows, in: root)
      }
      #expect(try contents(root, "out") == "")
    }
    try withTemporaryDirectory { (root: String) throws -> Void in
      // An empty directory is taken, as mkdir then import would leave it.
      try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: false)
      #expect(try importAMLworld(rows, in: root).summary.payments == 3)
    }
  }
}

extension JSONDecoder {
  /// A decoder of the snake-case keys ``ImportSummary/json()`` writes.
  static var snakeCase: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }
}
