import Foundation
import Testing

/// `fraudscan import` as a script runs it: exit codes, what is printed where,
/// and that the imported set is one the other commands read.
extension CommandLineTests {
  @Test func importIBMAMLCountsLeftOutRowsOnStandardErrorAndTheSetScans() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write(
      "trans.csv",
      "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
        + "2022/09/01 00:20,010,A,020,B,10.00,US Dollar,10.00,US Dollar,ACH,1\n"
        + "2022/09/01 00:21,020,B,010,A,9.00,Euro,9.00,Euro,ACH,0\n"
        + "2022/09/01 00:22,020,B,030,C,8.00,US Dollar,8.00,US Dollar,Wire,0\n")
    let out = dir.path + "/set"
    let run = try fraudscan("import", "ibm-aml", file, out)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stdout.contains("2 payments, 3 accounts, 2 labelled accounts, 1 laundering payments in US Dollar"),
      "\(run.stdout)")
    #expect(
      run.stderr.contains(
        "1 of 3 rows were left out as paid in another currency than US Dollar (0 of them laundering): Euro 1"),
      "\(run.stderr)")
    let scan = try fraudscan("scan", out, "--format", "json")
    #expect(scan.status == 0, "\(scan.stderr)")

    let again = try fraudscan("import", "ibm-aml", file, out)
    #expect(again.status != 0)
    #expect(again.stderr.contains("\(out): the output directory already exists and is not empty"), "\(again.stderr)")
  }

  @Test func importAMLSimTakesAStartAndABadRowFailsWithoutOutput() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("sim/transactions.csv", "sourceNodeId,targetNodeId,value,time\n1,2,5.5,0\n2,1,5.5,2\n")
    try dir.write("sim/nodes.csv", "nodeId,init_balance,isFraud\n1,10,1\n2,10,1\n")
    let run = try fraudscan("import", "amlsim", dir.path + "/sim", dir.path + "/set", "--start", "2026-03-01T00:00:00Z")
    #expect(run.status == 0, "\(run.stderr)")
    let payments = try String(contentsOfFile: dir.path + "/set/payments.csv", encoding: .utf8)
    #expect(payments == "id,src,dst,amount,ts,step\nt0,1,2,5.50,1772323200,0\nt1,2,1,5.50,1772496000,2\n")

    try dir.write("bad/transactions.csv", "sourceNodeId,targetNodeId,value,time\n1,2,5.5,0\n2,1,five,2\n")
    let bad = try fraudscan("import", "amlsim", dir.path + "/bad", dir.path + "/badset")
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("bad/transactions.csv:3: column \"value\" (field 3): \"five\""), "\(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/badset"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["bad", "set", "sim"])

    let badStart = try fraudscan("import", "amlsim", dir.path + "/sim", dir.path + "/other", "--start", "yesterday")
    #expect(badStart.status != 0)
    #expect(badStart.stderr.contains("--start \"yesterday\" is not a timestamp"), "\(badStart.stderr)")
  }
}
