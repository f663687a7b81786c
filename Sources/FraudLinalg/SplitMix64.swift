import Foundation

/// A tiny, fast, seedable pseudo-random generator (Steele, Lea and Flood's
/// SplitMix64), so that randomized algorithms here are reproducible from a
/// seed on every platform. Not for cryptography.
struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

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
