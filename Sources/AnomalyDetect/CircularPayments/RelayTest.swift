import SignalGraph

/// The test both circular-payment detectors apply to a temporal cycle: does
/// it look like money relayed, each hop passing on most of what arrived,
/// soon after it arrived? Honest splits are not conserved, honest repayments
/// are slow.
struct RelayTest {
  /// The least and greatest share of the previous hop's amount a hop may pass on.
  var minRatio: Double, maxRatio: Double
  /// The most seconds between consecutive hops.
  var maxGap: Int64

  /// The cycles of `set` found with `options` that pass the test, hops in time order.
  /// - Throws: ``DetectorError`` when the enumerator cannot be built
  ///   (options out of bounds, more payments than 32-bit rows name).
  func relays(in set: SignalSet, options: TemporalCycleEnumerator.Options) throws(DetectorError) -> TemporalCycles {
    let index: TemporalCycleEnumerator
    do {
      index = try TemporalCycleEnumerator(set.payments, accountCount: set.accounts.count, options: options)
    } catch {
      throw .cycleSearchFailed(error)
    }
    return relays(in: set, enumerator: index)
  }

  /// The cycles `enumerator` finds in `set`'s payments that pass the test,
  /// hops in time order: for detectors sharing one index (``ScanContext/cycleIndex()``).
  func relays(in set: SignalSet, enumerator: TemporalCycleEnumerator) -> TemporalCycles {
    let p = set.payments
    var kept = TemporalCycles()
    p.amountMicros.withUnsafeBufferPointer { amount in
      p.time.withUnsafeBufferPointer { time in
        enumerator.forEachCycle { hops in
          if passes(hops, amount: amount, time: time) { kept.append(hops) }
        }
      }
    }
    return kept
  }

  /// Whether every hop of `hops` follows the previous within ``maxGap`` and
  /// passes on between ``minRatio`` and ``maxRatio`` of its amount.
  @inline(__always)
  func passes(_ hops: UnsafeBufferPointer<Int32>, amount: UnsafeBufferPointer<Int64>, time: UnsafeBufferPointer<Int64>)
    -> Bool
  {
    for i in 1..<hops.count {
      let previous = Int(hops[i - 1]), current = Int(hops[i])
      if time[current] - time[previous] > maxGap { return false }
      let before = Double(amount[previous])
      let ratio = before > 0 ? Double(amount[current]) / before : 0
      if ratio < minRatio || ratio > maxRatio { return false }
    }
    return true
  }
}
