import SplitMix
import Testing

@testable import FraudLinalg

@Suite struct RobustStatisticsTests {
  @Test func medianOfOddAndEvenCounts() {
    #expect(RobustStatistics.median([5, 1, 3]) == 3)
    #expect(RobustStatistics.median([4, 1, 3, 2]) == 2.5)
    #expect(RobustStatistics.median([7]) == 7)
    #expect(RobustStatistics.median([1, 1, 1, 2]) == 1)
    #expect(RobustStatistics.median([-3, 10]) == 3.5)
  }

  @Test func medianDoesNotReorderItsInput() {
    let values = [9.0, 2, 7, 4]
    _ = RobustStatistics.median(values)
    #expect(values == [9, 2, 7, 4])
  }

  @Test(arguments: [1, 2, 3, 10, 101, 1000, 1001])
  func medianAgreesWithSorting(count: Int) {
    var rng = SplitMix64(seed: UInt64(count))
    // Few distinct values, so ties are common.
    let values = (0..<count).map { _ in Double(Int.random(in: 0..<20, using: &rng)) }
    let sorted = values.sorted()
    let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    #expect(RobustStatistics.median(values) == expected)
  }

  @Test func madAndZScoresByHand() {
    let values = [1.0, 2, 3, 4, 100]
    // median 3; |x − 3| = [2, 1, 0, 1, 97], whose median is 1.
    #expect(RobustStatistics.medianAbsoluteDeviation(values) == 1)
    let z = RobustStatistics.robustZScores(values)
    #expect(maxAbsDifference(z, [-1.349, -0.6745, 0, 0.6745, 65.4265]) < 1e-12)
  }

  @Test func zeroMADFallsBackToMeanAbsoluteDeviation() {
    // median 5, deviations [0, 0, 0, 0, 4]: MAD 0, mean deviation 0.8.
    let z = RobustStatistics.robustZScores([5, 5, 5, 5, 9])
    #expect(maxAbsDifference(z, [0, 0, 0, 0, 4 / (1.253314 * 0.8)]) < 1e-12)
    #expect(RobustStatistics.robustZScores([2, 2, 2]) == [0, 0, 0])
  }

  @Test func meanAndCovarianceByHand() {
    let x = Matrix(rowMajor: [[1, 2], [2, 3], [3, 5], [4, 4]])
    #expect(maxAbsDifference(RobustStatistics.mean(x), [2.5, 3.5]) < 1e-15)
    // Centered rows (−1.5, −1.5), (−0.5, −0.5), (0.5, 1.5), (1.5, 0.5); divisor 3.
    let expected = Matrix(rowMajor: [[5.0 / 3, 4.0 / 3], [4.0 / 3, 5.0 / 3]])
    #expect(maxAbsDifference(RobustStatistics.covariance(x), expected) < 1e-15)
    #expect(RobustStatistics.mean([1, 2, 6]) == 3)
  }

  @Test func mahalanobisAgainstHandComputedTwoDimensionalCase() throws {
    // Σ = [[4, 2], [2, 3]], Σ⁻¹ = [[3, −2], [−2, 4]] / 8, μ = (1, 2).
    let model = try MahalanobisDistance(mean: [1, 2], covariance: Matrix(rowMajor: [[4, 2], [2, 3]]))
    #expect(abs(model.distance(to: [3, 2]) - (1.5).squareRoot()) < 1e-14)  // d = (2, 0): 4 · 3/8
    #expect(abs(model.distance(to: [1, 4]) - (2.0).squareRoot()) < 1e-14)  // d = (0, 2): 4 · 4/8
    #expect(abs(model.distance(to: [2, 3]) - (0.375).squareRoot()) < 1e-14)  // d = (1, 1): (3 − 4 + 4)/8
    #expect(model.distance(to: [1, 2]) == 0)
    let many = model.distances(to: Matrix(rowMajor: [[3, 2], [1, 4], [2, 3]]))
    #expect(maxAbsDifference(many, [(1.5).squareRoot(), (2.0).squareRoot(), (0.375).squareRoot()]) < 1e-14)
  }

  @Test func mahalanobisFitsDataAndRejectsSingularCovariance() throws {
    let data = Matrix(rowMajor: [[1, 2], [2, 3], [3, 5], [4, 4]])
    let model = try MahalanobisDistance(fitting: data)
    // Σ = [[5, 4], [4, 5]] / 3, Σ⁻¹ = [[5, −4], [−4, 5]] / 3; d = (1.5, 0.5) → (11.25 − 6 + 1.25)/3.
    #expect(abs(model.distance(to: [4, 4]) - (6.5 / 3).squareRoot()) < 1e-13)
    let collinear = Matrix(rowMajor: [[1, 2], [2, 4], [3, 6]])
    #expect(throws: LinalgError.self) { try MahalanobisDistance(fitting: collinear) }
  }
}
