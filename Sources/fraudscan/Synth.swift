import AnomalyDetect
import ArgumentParser
import Evaluation
import Foundation
import SignalGraph
import SignalSynthesis

extension SynthScale: ExpressibleByArgument {}

extension Fraudscan {
  struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a synthetic signal set with injected manipulation and its labels.",
      discussion: """
        A heavy-tailed honest background (follows and likes, payments to friends and \
        merchants, salaries, rent splits, profile edits) with bought engagement, circular \
        payments and fake profile rings injected; the truth goes to labels.csv. \
        The same scale and seed always give the same bytes.

        Sizes: tiny ≈ 10k signals, small ≈ 150k, medium ≈ 2M, large ≈ 12M.

        Examples:
          fraudscan synth --scale small --seed 7 /tmp/small
          fraudscan synth --scale large /tmp/large
          fraudscan synth --scale small --expectations /tmp/q/small
          fraudscan replay /tmp/q
          fraudscan synth --scale small --stream /tmp/small   # + events.ndjson
        """)

    @Option(help: "How big: tiny, small, medium or large.")
    var scale: SynthScale = .small

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Flag(help: "Also write events.ndjson (the pre-filter's event stream), events_truth.csv and events_buyers.csv.")
    var stream = false

    @Argument(help: "The directory to write (created if missing).")
    var output: String

    @Flag(
      help:
        "Also plant slow laundering schemes: split fan-ins, rings going round once, scatter-gathers, stacks, gather-scatters, fan-outs."
    )
    var amlTypologies = false

    @Flag(help: "Also write expected.json with the quality targets, so `fraudscan replay` can check the set.")
    var expectations = false

    func run() throws {
      let (summary, seconds) = try Stopwatch.time {
        try SyntheticSignalSet(scale: scale, seed: seed, amlTypologies: amlTypologies)
          .write(to: URL(fileURLWithPath: output), stream: stream)
      }
      if expectations {
        let expected = FixtureExpectation.targets(
          description: "fraudscan synth --scale \(scale.rawValue) --seed \(seed)")
        try expected.jsonData().write(to: URL(fileURLWithPath: output).appendingPathComponent("expected.json"))
      }
      let fraud = summary.fraudAccountsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      print(
        "wrote \(output): \(summary.accounts) accounts, \(summary.payments) payments, \(summary.interactions) interactions, "
          + "\(summary.profileEdits) profile edits; \(summary.labeledAccounts) labelled accounts (\(fraud.joined(separator: ", "))) "
          + "in \(String(format: "%.2f", seconds)) s")
    }
  }
}
