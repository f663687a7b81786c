import SignalGraph

/// A small, seedable pseudo-random number generator (SplitMix64).
///
/// The synthetic generator must produce byte-identical signal sets for a seed
/// on every machine and every Swift release, so it never touches the standard
/// library's random APIs (whose algorithms may change) or transcendental math
/// functions (whose last bit differs between C libraries). Everything here is
/// integer arithmetic or exactly rounded IEEE operations (`+`, `*`, `/`, `sqrt`).
///
///     var rng = SplitMix64(seed: 42)
///     let bits = rng.next()              // 64 random bits
///     let u = rng.unit()                 // uniform in [0, 1)
///     var again = SplitMix64(seed: 42)
///     again.next() == bits               // true: the seed fixes the stream
///
/// Algorithm: Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014. Benchmarks and tests elsewhere in the package
/// use it too, so that every seeded stream in fraudscan is the same generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator whose whole output is determined by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits.
  ///
  /// - Complexity: O(1)
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// An independent generator seeded from this one, so that one family of
  /// signals can change without shifting every later family's randomness.
  mutating func fork() -> SplitMix64 {
    SplitMix64(seed: next())
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection).
  mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let b = UInt64(bound)
    var m = next().multipliedFullWidth(by: b)
    if m.low < b {
      let threshold = (0 &- b) % b
      while m.low < threshold {
        m = next().multipliedFullWidth(by: b)
      }
    }
    return Int(m.high)
  }

  /// A uniform integer in `range`.
  mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.count)
  }

  /// A uniform `UInt32` in `range`, for timestamps.
  mutating func uint32(in range: ClosedRange<UInt32>) -> UInt32 {
    range.lowerBound + UInt32(below(Int(range.upperBound - range.lowerBound) + 1))
  }

  /// A uniform double in `[0, 1)` with 53 random bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform double in `range`.
  mutating func double(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + unit() * (range.upperBound - range.lowerBound)
  }

  /// `true` with probability `p`.
  mutating func chance(_ p: Double) -> Bool {
    unit() < p
  }

  /// A heavy-tailed count: Pareto with shape 2 (mean `2 * minimum`), rounded
  /// down and capped. Uses only `sqrt`, which IEEE 754 rounds exactly.
  mutating func paretoCount(minimum: Double, cap: Int) -> Int {
    let x = minimum / (1 - unit()).squareRoot()
    return x >= Double(cap) ? cap : Int(x)
  }

  /// A uniformly chosen element of a non-empty collection.
  mutating func element<C: RandomAccessCollection>(of c: C) -> C.Element {
    c[c.index(c.startIndex, offsetBy: below(c.count))]
  }

  /// Shuffles `array` in place (Fisher–Yates).
  ///
  /// - Complexity: O(*n*)
  mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count - 1
    while i > 0 {
      let j = below(i + 1)
      array.swapAt(i, j)
      i -= 1
    }
  }
}
