import SignalGraph

/// The background's share of payments near each of many sums, summed (or
/// averaged) from an even sample of them: how often chance alone would
/// have matched those sums within ``AmountHabit/tolerance``. What a rate of
/// matching sums must beat before it says anything: ``FanIns`` reads it over
/// the sums a later payment into one account could have shared,
/// ``GatheringHubs/excessRepeatRate(_:_:amounts:sampled:varied:)`` over the sums a
/// payer's next transfer could have repeated.
///
/// Of the sums counted (``add(_:)``), the first and then one in every
/// ``every`` is read, `every` set by how many there may be
/// (`candidates`), so that at most `sampled` are read.
///
///     let amounts = AmountDistribution([100_000_000, 100_500_000, 250_000_000])
///     var sample = ChanceSample(amounts: amounts, candidates: 2)
///     sample.add(100_000_000)   // two of the three payments lie within 1 % of it
///     sample.add(250_000_000)   // one of the three
///     sample.mean               // 0.5
///     sample.sum                // 1.0
///
/// - Complexity: O(1) per sum counted and O(log *n*) per sum read, at most
///   `sampled` of them: a mean of shares, each at most 1, to within about
///   0.005 from 4 096 where one sum dominates, 0.001 where the shares are a
///   few percent.
struct ChanceSample {
  /// The background's amounts.
  let amounts: AmountDistribution
  /// One sum read in every `every`.
  let every: Int
  /// The sums to skip before the next one read.
  private var skipping = 0
  /// The sums counted, those read, and the shares read.
  private var added = 0, read = 0, shares = 0.0

  /// A sample of at most `sampled` of at most `candidates` sums.
  init(amounts: AmountDistribution, candidates: Int, sampled: Int = 4_096) {
    self.amounts = amounts
    every = max(1, (candidates - 1) / max(sampled, 1) + 1)
  }

  /// Counts one sum.
  mutating func add(_ unit: Int64) {
    added += 1
    guard skipping == 0 else {
      skipping -= 1
      return
    }
    skipping = every - 1
    read += 1
    shares += amounts.share(near: unit, tolerance: AmountHabit.tolerance)
  }

  /// The mean share over the sums read (0 with none).
  var mean: Double { read > 0 ? shares / Double(read) : 0 }

  /// The shares of every sum counted, estimated from those read.
  var sum: Double { read > 0 ? shares / Double(read) * Double(added) : 0 }
}
