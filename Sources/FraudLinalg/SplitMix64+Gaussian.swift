import Foundation
import SplitMix

/// The draws FraudLinalg's randomized algorithms (Lanczos and randomized SVD
/// start vectors, the median's pivots) take from the package's one generator.
/// Unlike synthesis, they may use `log`, `cos` and `sin`: a last-bit
/// difference between C libraries moves a start vector, not a result.
extension SplitMix64 {
  /// A uniform double in the open interval (0, 1), never exactly 0 so it is
  /// safe under `log`.
  mutating func nextUnitInterval() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// Fills `buffer` with independent standard normal samples by the
  /// Box–Muller transform, two per pair of uniforms.
  mutating func fillGaussian(_ buffer: inout [Double]) {
    var i = 0
    let n = buffer.count
    while i < n {
      let radius = (-2 * log(nextUnitInterval())).squareRoot()
      let angle = 2 * Double.pi * nextUnitInterval()
      buffer[i] = radius * cos(angle)
      if i + 1 < n { buffer[i + 1] = radius * sin(angle) }
      i += 2
    }
  }
}
