import Foundation
import Testing

@testable import SignalGraph
@testable import SignalSynthesis

/// The hostile benchmark's sets: written as valid CSV that loads to the same
/// signals as its event stream.
@Suite struct HostileSignalSetTests {
  @Test(arguments: [
    HostileSignalSet.completeBipartite(side: 7), .selfPayments(count: 9), .sharedValue(accounts: 11),
    .followsEveryone(count: 5), .celebrity(followers: 6),
  ])
  func writesWhatItsEventsSay(hostile: HostileSignalSet) throws {
    try withTemporaryDirectory { root in
      try hostile.write(to: URL(fileURLWithPath: root))
      let loaded = try SignalSet(contentsOf: root)
      var streamed = SignalSet()
      var times: [Int64] = []
      hostile.forEachEvent {
        streamed.add($0)
        times.append($0.time)
      }
      #expect(times.count == hostile.signals && times == times.sorted())
      #expect(loaded.payments.count + loaded.interactions.count + loaded.profileEdits.count == hostile.signals)
      #expect(loaded.payments.count == streamed.payments.count)
      #expect(loaded.interactions.count == streamed.interactions.count)
      #expect(loaded.accounts.ids.count == streamed.accounts.ids.count)
    }
  }
}
