import SignalGraph
import Testing

@testable import AnomalyDetect

/// ``ChanceSample``: the background's shares near many sums, from an even
/// sample of them (the fan-ins' shared sums, the hubs' repeats).
@Suite("Chance sample") struct ChanceSampleTests {
  @Test func theBackgroundsSharesAreReadFromAnEvenSampleOfTheSums() {
    // 10 000 sums, one in 100 read and standing for 100: the same total as
    // reading them all, to a few percent, where the sums are spread evenly.
    let sums = (0..<10_000).map { Int64(1_000_000 + ($0 * 7_919) % 10_000 * 1_000) }
    let amounts = AmountDistribution(sums)
    var sampled = ChanceSample(amounts: amounts, candidates: sums.count, sampled: 100)
    var whole = ChanceSample(amounts: amounts, candidates: sums.count, sampled: .max)
    for sum in sums {
      sampled.add(sum)
      whole.add(sum)
    }
    #expect(sampled.every == 100 && whole.every == 1)
    #expect(abs(sampled.sum - whole.sum) < 0.05 * whole.sum)
    // The mean is the sum over the sums counted, all of them or a sample.
    #expect(abs(sampled.mean * Double(sums.count) - sampled.sum) < 1e-9 * sampled.sum)
    #expect(abs(whole.mean - whole.sum / Double(sums.count)) < 1e-12)
    // Sized for a million sums, given 300 of one amount: read once, the
    // one read stands for the 300, not for the 10 000 the stride skips.
    var sparse = ChanceSample(amounts: amounts, candidates: 1_000_000, sampled: 100)
    for _ in 0..<300 { sparse.add(sums[0]) }
    #expect(sparse.every == 10_000)
    #expect(abs(sparse.sum - 300 * amounts.share(near: sums[0], tolerance: AmountHabit.tolerance)) < 1e-9)
  }

  @Test func noSumCountedIsNoChance() {
    let sample = ChanceSample(amounts: AmountDistribution([1_000_000]), candidates: 0)
    #expect(sample.every == 1 && sample.mean == 0 && sample.sum == 0)
  }
}
