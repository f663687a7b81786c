import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

/// `ManipulationKind` is the one list of kinds: labels, synthesis and the
/// report all read it, and its raw values are the contract's names.
@Suite("ManipulationKind") struct ManipulationKindTests {
  /// The contract's names (docs and /work/shared/spec/signal-format.md):
  /// the one place a test spells them, so that renaming a raw value, which
  /// would break every report and labels file written so far, fails here.
  @Test func rawValuesAreTheContractNames() {
    #expect(ManipulationKind.allCases.map(\.rawValue) == ["bought_engagement", "fake_profile", "circular_payment"])
    for kind in ManipulationKind.allCases {
      #expect(kind.description == kind.rawValue)
      #expect("\(kind)" == kind.rawValue)
      #expect(ManipulationKind(rawValue: kind.rawValue) == kind)
    }
  }

  @Test func everyKindIsALabelThatGroundTruthReads() throws {
    let rows = ManipulationKind.allCases.enumerated().map { "a\($0.offset),\($0.element.rawValue)\n" }.joined()
    let truth = try withSignalSet([
      "payments.csv": "id,src,dst,amount,ts\n", "labels.csv": "account,label\n" + rows + "h,honest\n",
    ]) { try GroundTruth(directory: $0) }
    #expect(Set(truth.accountsByKind.keys) == Set(ManipulationKind.allCases))
    for (i, kind) in ManipulationKind.allCases.enumerated() { #expect(truth.accountsByKind[kind] == ["a\(i)"]) }
    #expect(truth.honestAccounts == ["h"])
  }

  @Test func anUnknownLabelIsRejectedNamingEveryKnownOne() throws {
    _ = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\n", "labels.csv": "account,label\nu1,sybil\n"]) {
      directory in
      #expect {
        try GroundTruth(directory: directory)
      } throws: { error in
        guard case let SignalSetError.badValue(_, _, _, _, value, reason) = error else { return false }
        return value == "sybil"
          && (ManipulationKind.allCases.map(\.rawValue) + ["honest"]).allSatisfy { reason.contains($0) }
      }
    }
  }

  @Test func insertingLabelsByKindAndAsHonest() {
    var truth = GroundTruth()
    truth.insert("a", kind: .fakeProfile)
    truth.insertHonest("b")
    #expect(truth.accountsByKind == [.fakeProfile: ["a"]])
    #expect(truth.honestAccounts == ["b"])
    #expect(truth.labelledAccounts == ["a"])
  }

  /// A synthetic set plants every kind, writes it under its raw value, and
  /// its labels read back as the same kinds with the counts its summary gives.
  @Test func aSyntheticSetLabelsEveryKindAsGroundTruthReadsThem() throws {
    try withTemporaryDirectory { (dir: URL) throws -> Void in
      let summary = try SyntheticSignalSet(scale: .tiny, seed: 5).write(to: dir)
      let truth = try GroundTruth(directory: dir.path)
      #expect(Set(truth.accountsByKind.keys) == Set(ManipulationKind.allCases))
      for kind in ManipulationKind.allCases {
        #expect(summary.fraudAccountsByKind[kind] == truth.accountsByKind[kind]?.count, "\(kind)")
      }
    }
  }
}
