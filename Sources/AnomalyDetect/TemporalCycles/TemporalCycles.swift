/// Temporal cycles held as flat arrays: the payment rows of every cycle end
/// to end, and where each cycle starts. No object per cycle.
///
///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
///     let cycles = try TemporalCycleEnumerator(set.payments, accountCount: set.accounts.count).cycles()
///     for hops in cycles { print(hops.count, hops.first!) }   // payment rows
///     cycles.hops[cycles.offsets[2]..<cycles.offsets[3]]      // the third cycle
public struct TemporalCycles: Sendable, Equatable, RandomAccessCollection {
  /// The payment rows of every cycle, each cycle's hops in time order.
  public private(set) var hops: [Int32] = []
  /// Where each cycle starts in ``hops``; `count + 1` entries.
  public private(set) var offsets: [Int] = [0]

  /// Creates an empty list.
  public init() {}

  /// Appends a cycle given by its hops' payment rows.
  public mutating func append<Hops: Sequence<Int32>>(_ cycle: Hops) {
    hops.append(contentsOf: cycle)
    offsets.append(hops.count)
  }

  /// The index of the first cycle.
  public var startIndex: Int { 0 }
  /// One past the index of the last cycle.
  public var endIndex: Int { offsets.count - 1 }

  /// The payment rows of cycle `index`, in time order.
  public subscript(index: Int) -> ArraySlice<Int32> {
    hops[offsets[index]..<offsets[index + 1]]
  }
}
