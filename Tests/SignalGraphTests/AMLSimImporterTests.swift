import Foundation
import Testing

@testable import SignalGraph

/// Writes an AMLSim output directory (file name to contents) under `root`
/// and imports it with `importer` into `<root>/out`.
func importAMLSim(
  _ files: [String: String], importer: AMLSimImporter = AMLSimImporter(), in root: String
) throws(ImportError) -> (summary: ImportSummary, output: String) {
  let input = try! writeSignalSet(files, in: root, name: "amlsim")
  let output = (root as NSString).appendingPathComponent("out")
  return (try importer.run(directory: input, output: output), output)
}

@Suite("AMLSim import") struct AMLSimImporterTests {
  /// The older output: TX_ID, SENDER_ACCOUNT_ID, …, TIMESTAMP a step.
  let legacy = [
    "transactions.csv": """
    TX_ID,SENDER_ACCOUNT_ID,RECEIVER_ACCOUNT_ID,TX_TYPE,TX_AMOUNT,TIMESTAMP,IS_FRAUD,ALERT_ID
    1,6456,9069,TRANSFER,465.05,0,False,-1
    82,6976,9739,TRANSFER,4.85,3,True,193
    83,9739,6976,TRANSFER,143.41000000000003,4,True,193
    90,4282,5009,TRANSFER,570258.25,101,true,1

    """,
    "accounts.csv": """
    ACCOUNT_ID,CUSTOMER_ID,INIT_BALANCE,COUNTRY,ACCOUNT_TYPE,IS_FRAUD,TX_BEHAVIOR_ID
    6456,C_6456,100.5,US,I,False,1
    9069,C_9069,20,US,I,False,1
    7777,C_7777,5,US,I,True,1

    """,
    "alerts.csv": """
    ALERT_ID,ALERT_TYPE,IS_FRAUD,TX_ID,SENDER_ACCOUNT_ID,RECEIVER_ACCOUNT_ID,TX_TYPE,TX_AMOUNT,TIMESTAMP
    193,cycle,True,82,6976,9739,TRANSFER,4.85,3
    1,fan_in,True,90,4282,5009,TRANSFER,570258.25,101
    2,fan_out,False,1,6456,9069,TRANSFER,465.05,0

    """,
  ]

  @Test func theOlderOutputBecomesASetWithStepsTruthAndTypologies() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLSim(legacy, in: root)
      #expect(summary.format == "legacy")
      #expect(summary.stepZero == "2017-01-01T00:00:00Z")
      #expect(
        try contents(output, "payments.csv") == """
          id,src,dst,amount,ts,step
          1,6456,9069,465.05,1483228800,0
          82,6976,9739,4.85,1483488000,3
          83,9739,6976,143.41,1483574400,4
          90,4282,5009,570258.25,1491955200,101

          """)
      #expect(try contents(output, "payments_truth.csv") == "id,laundering\n1,0\n82,1\n83,1\n90,1\n")
      #expect(
        try contents(output, "accounts.csv")
          == "account,init_balance\n6456,100.50\n9069,20.00\n7777,5.00\n6976,\n9739,\n4282,\n5009,\n")
      // A flagged account row is labelled even without a payment; a false alert (fan_out) labels no one.
      #expect(
        try contents(output, "labels.csv") == """
          account,label,typology
          7777,circular_payment,
          6976,circular_payment,cycle
          9739,circular_payment,cycle
          4282,circular_payment,fan_in
          5009,circular_payment,fan_in

          """)
      #expect(summary.roundedAmounts == 1)
      #expect(summary.launderingPayments == 3)
      #expect(summary.labelledAccounts == 5)
      let set = try SignalSet(contentsOf: output)
      #expect(set.payments.count == 4)
      #expect(set.accounts.count == 7)
      #expect(try GroundTruth(directory: output).labelledAccounts == ["7777", "6976", "9739", "4282", "5009"])
    }
  }

  @Test func thePublishedSampleFormatWithNodesAndAnotherStart() throws {
    let files = [
      "transactions.csv": "sourceNodeId,targetNodeId,value,time\n216,14730,163.30,1\n322,5431,143.11,2\n",
      "nodes.csv": "nodeId,init_balance,isFraud\n216,184.44,true\n14730,175.8,false\n322,1,0\n5431,2,1\n",
    ]
    try withTemporaryDirectory { (root: String) throws -> Void in
      let start = try #require(Timestamp.parse(Array("2020-01-01T00:00:00Z".utf8)))
      let (summary, output) = try importAMLSim(files, importer: AMLSimImporter(stepZero: start), in: root)
      #expect(summary.format == "sample")
      #expect(summary.stepZero == "2020-01-01T00:00:00Z")
      #expect(
        try contents(output, "payments.csv")
          == "id,src,dst,amount,ts,step\nt0,216,14730,163.30,1577923200,1\nt1,322,5431,143.11,1578009600,2\n")
      #expect(!FileManager.default.fileExists(atPath: output + "/payments_truth.csv"), "no per-transaction truth here")
      #expect(summary.launderingPayments == nil)
      #expect(try GroundTruth(directory: output).labelledAccounts == ["216", "5431"])
      #expect(try SignalSet(contentsOf: output).payments.count == 2)
    }
  }

  @Test func theSchemaDrivenOutputWithDatesAndAlertTransactions() throws {
    let files = [
      "tx.csv": """
      tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id,is_frgn_trxn
      1,1001,2001,TRANSFER,100.0,2017-01-01T00:00:00Z,False,-1,false
      2,2001,3001,TRANSFER,2750.00,2017-01-02T00:00:00Z,True,10,false
      3,3001,1001,TRANSFER,2740.00,2017-01-03T00:00:00Z,True,10,false

      """,
      "accounts.csv": "acct_id,dsply_nm,type,initial_deposit\n1001,A,SAV,50000\n2001,B,SAV,60000\n3001,C,SAV,70000\n",
      "alert_transactions.csv": """
      alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp
      10,cycle,True,2,2001,3001,TRANSFER,2750.00,2017-01-02T00:00:00Z
      10,cycle,True,3,3001,1001,TRANSFER,2740.00,2017-01-03T00:00:00Z

      """,
    ]
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLSim(files, in: root)
      #expect(summary.format == "schema")
      #expect(summary.stepZero == nil)
      #expect(
        try contents(output, "payments.csv")
          == "id,src,dst,amount,ts\n1,1001,2001,100.00,1483228800\n2,2001,3001,2750.00,1483315200\n3,3001,1001,2740.00,1483401600\n"
      )
      #expect(try contents(output, "payments_truth.csv") == "id,laundering\n1,0\n2,1\n3,1\n")
      #expect(
        try contents(output, "labels.csv")
          == "account,label,typology\n1001,circular_payment,cycle\n2001,circular_payment,cycle\n3001,circular_payment,cycle\n"
      )
      #expect(try SignalSet(contentsOf: output).payments.count == 3)
    }
  }

  @Test func theRepositorysJavaSampleOutput() throws {
    let files = [
      "tx.csv": """
      TXN_ID,ACCOUNT_ID,COUNTER_PARTY_ACCOUNT_NUM,TXN_SOURCE_TYPE_CODE,tx_count,TXN_AMOUNT_ORIG,start,end
      2,15,25,CHECK,1,125.05,1,1
      71,24,25,DEPOSIT,1,147.21,25,25

      """,
      "accounts.csv": """
      ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID
      15,C_15,125.05,1,50,US,I,False,false,0
      24,C_24,147.21,1,50,US,I,False,true,0
      25,C_25,110.07,1,50,US,I,False,true,0

      """,
      "alerts.csv": """
      ALERT_KEY,ALERT_TEXT,ACCOUNT_ID,CUSTOMER_ID,EVENT_DATE,CHECK_NAME,Organization_Type,Escalated_To_Case_Investigation
      0,1,25,25,20170218,cycle,INDIVIDUAL,YES
      1,1,24,24,20170128,cycle,INDIVIDUAL,YES

      """,
    ]
    try withTemporaryDirectory { (root: String) throws -> Void in
      let (summary, output) = try importAMLSim(files, in: root)
      #expect(summary.format == "java-sample")
      #expect(try contents(output, "payments.csv").hasSuffix("71,24,25,147.21,1485388800,25\n"))
      #expect(
        try contents(output, "labels.csv")
          == "account,label,typology\n24,circular_payment,cycle\n25,circular_payment,cycle\n")
    }
  }

  @Test func anUnknownHeaderListsTheAcceptedFormats() throws {
    try withTemporaryDirectory { (root: String) throws -> Void in
      #expect {
        try importAMLSim(["transactions.csv": "from,to,amount\na,b,1\n"], in: root)
      } throws: { error in
        let text = "\(error)"
        return text.contains("transactions.csv has from,to,amount")
          && text.contains(
            "legacy: transactions.csv with TX_ID,SENDER_ACCOUNT_ID,RECEIVER_ACCOUNT_ID,TX_AMOUNT,TIMESTAMP")
          && text.contains("sample: transactions.csv with sourceNodeId,targetNodeId,value,time (+ nodes.csv)")
          && text.contains(
            "schema: transactions.csv or tx.csv with tran_id,orig_acct,bene_acct,base_amt,tran_timestamp")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["amlsim"])
    }
  }

  @Test func aBadStepNamesFileLineAndColumnAndLeavesNoOutput() throws {
    var files = legacy
    files["transactions.csv"]! += "91,1,2,TRANSFER,5.00,day3,False,-1\n"
    try withTemporaryDirectory { (root: String) throws -> Void in
      do {
        _ = try importAMLSim(files, in: root)
        Issue.record("the bad step was accepted")
      } catch {
        #expect(
          "\(error)".hasSuffix(
            "amlsim/transactions.csv:6: column \"TIMESTAMP\" (field 6): \"day3\" is not a step (a day number such as 0 or 17)"
          ), "\(error)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["amlsim"])
    }
  }
}
