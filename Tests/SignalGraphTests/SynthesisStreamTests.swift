import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

@Suite("Synthesis stream")
struct SynthesisStreamTests {
  @Test func streamParsesInTimeOrderWithTruthPerLine() throws {
    try withTemporaryDirectory { dir in
      let url = URL(fileURLWithPath: dir)
      let summary = try SyntheticSignalSet(scale: .tiny, seed: 3).write(to: url, stream: true)
      let lines = try String(contentsOfFile: dir + "/events.ndjson", encoding: .utf8).split(separator: "\n")
      #expect(lines.count == summary.payments + summary.interactions + summary.profileEdits)
      var last = Int64.min
      var fromStream = SignalSet()
      for (seq, line) in lines.enumerated() {
        let event = try EventParser.parse(line: Array(line.utf8), seq: seq)
        #expect(event.time >= last)
        last = event.time
        fromStream.add(event)
      }
      let fromCSV = try SignalSet(contentsOf: dir)
      #expect(fromStream.payments.amountMicros.reduce(0, +) == fromCSV.payments.amountMicros.reduce(0, +))
      let truth = try String(contentsOfFile: dir + "/events_truth.csv", encoding: .utf8).split(separator: "\n")
        .dropFirst()
      #expect(truth.count == lines.count)
      let fraud = truth.filter { $0.hasSuffix(",1") }.count
      #expect(fraud > 0 && fraud < lines.count / 5)
      let buyers = try String(contentsOfFile: dir + "/events_buyers.csv", encoding: .utf8).split(separator: "\n")
      #expect(buyers.count > 10)
    }
  }
}
