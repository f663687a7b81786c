import Foundation
import SignalGraph
import Testing

/// Count options that make no sense (a negative or zero --top) are refused
/// with a message, instead of printing an empty report; and `score` prints
/// the caps `CreditScore` applies.
extension CommandLineTests {
  /// `--top -5` is refused by the parser (a missing value); `--top=-5` used to reach the scan.
  @Test(arguments: [["scan", "--top=-5"], ["scan", "--top", "0"], ["report", "--top=-1"]])
  func aTopThatKeepsNothingIsRefused(arguments: [String]) throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("set/payments.csv", "id,src,dst,amount,ts\np1,a,b,120.50,1767225600\n")
    let out = arguments[0] == "report" ? ["--out", dir.path + "/report.html"] : []
    let run = try fraudscan(arguments: [arguments[0], dir.path + "/set"] + out + arguments.dropFirst())
    #expect(run.status != 0)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("--top must be at least 1"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/report.html"))
  }

  @Test(arguments: [
    ["spectrum", "--k", "0"], ["spectrum", "--top=-1"], ["filter", "--window-days", "0"],
    ["filter", "--checkpoint-every=-3"], ["bench", "--window-days=-1"], ["bench", "--peel-edges", "0"],
    ["bench", "--svd-nonzeros=-1"],
  ])
  func otherCountsThatMakeNoSenseAreRefused(arguments: [String]) throws {
    let extra = ["spectrum": ["/nonexistent"], "bench": ["--input", "/nonexistent"], "filter": []][arguments[0]] ?? []
    let run = try fraudscan(arguments: arguments + extra)
    #expect(run.status != 0)
    #expect(run.stderr.contains("must be"), "\(arguments): \(run.stderr)")
  }

  @Test func scoreExplainShowsTheLibrarysCaps() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("set/payments.csv", "id,src,dst,amount,ts\np1,a,b,120.50,1767225600\n")
    let run = try fraudscan("score", dir.path + "/set", "--explain", "a")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("base                        \(CreditScore.floor)\n"), "\(run.stdout)")
    for (part, cap) in [
      ("payment volume", CreditScore.volumeCap), ("counterparties", CreditScore.counterpartyCap),
      ("months active", CreditScore.monthsCap), ("social standing", CreditScore.socialCap),
      ("profile completeness", CreditScore.profileCap), ("account age", CreditScore.ageCap),
    ] {
      let line = run.stdout.split(separator: "\n").first { $0.contains(part) } ?? ""
      #expect(line.contains(" / \(Int(cap)) "), "\(line)")
    }
  }
}
