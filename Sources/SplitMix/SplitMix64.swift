/// A small, seedable pseudo-random number generator (SplitMix64): the one
/// generator of fraudscan, shared by synthesis, the randomized linear algebra,
/// MinHash and the tests, so that every seeded stream is the same algorithm.
///
/// The synthetic generator must produce byte-identical signal sets for a seed
/// on every machine and every Swift release, so nothing here touches the
/// standard library's random APIs (whose algorithms may change) or
/// transcendental math functions (whose last bit differs between C
/// libraries). Everything is integer arithmetic or exactly rounded IEEE
/// operations (`+`, `*`, `/`, `sqrt`).
///
///     var rng = SplitMix64(seed: 42)
///     let bits = rng.next()              // 64 random bits
///     let u = rng.unit()                 // uniform in [0, 1)
///     var again = SplitMix64(seed: 42)
///     again.next() == bits               // true: the seed fixes the stream
///
/// Algorithm: Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014; the constants are those of Vigna's
/// `splitmix64.c`. Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// The increment of the state per draw: 2⁶⁴ divided by the golden ratio, odd.
  package static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// Creates a generator whose whole output is determined by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// The next 64 random bits: ``mix(_:)`` of the state after one increment.
  ///
  /// - Complexity: O(1)
  public mutating func next() -> UInt64 {
    state &+= Self.increment
    return Self.mix(state)
  }

  /// The SplitMix64 finaliser (a variant of MurmurHash3's `fmix64`, Stafford's
  /// "Mix13"): a bijection of 64-bit words in which every output bit depends
  /// on every input bit, for hashing a word or spreading a counter.
  ///
  ///     SplitMix64.mix(0)                           // 0: zero is a fixed point
  ///     SplitMix64.mix(0x9E37_79B9_7F4A_7C15)       // 0xE220_A839_7B1D_CDAF,
  ///                                                 // the first draw of seed 0
  ///
  /// - Complexity: O(1)
  @inline(__always)
  public static func mix(_ word: UInt64) -> UInt64 {
    var z = word
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// An independent generator seeded from this one, so that one family of
  /// signals can change without shifting every later family's randomness.
  package mutating func fork() -> SplitMix64 {
    SplitMix64(seed: next())
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection).
  package mutating func below(_ bound: Int) -> Int {
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
  package mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.count)
  }

  /// A uniform `UInt32` in `range`, for timestamps.
  package mutating func uint32(in range: ClosedRange<UInt32>) -> UInt32 {
    range.lowerBound + UInt32(below(Int(range.upperBound - range.lowerBound) + 1))
  }

  /// A uniform double in `[0, 1)` with 53 random bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform double in `range`.
  package mutating func double(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + unit() * (range.upperBound - range.lowerBound)
  }

  /// `true` with probability `p`.
  package mutating func chance(_ p: Double) -> Bool {
    unit() < p
  }

  /// A heavy-tailed count: Pareto with shape 2 (mean `2 * minimum`), rounded
  /// down and capped. Uses only `sqrt`, which IEEE 754 rounds exactly.
  package mutating func paretoCount(minimum: Double, cap: Int) -> Int {
    let x = minimum / (1 - unit()).squareRoot()
    return x >= Double(cap) ? cap : Int(x)
  }

  /// A uniformly chosen element of a non-empty collection.
  package mutating func element<C: RandomAccessCollection>(of c: C) -> C.Element {
    c[c.index(c.startIndex, offsetBy: below(c.count))]
  }

  /// Shuffles `array` in place (Fisher–Yates).
  ///
  /// - Complexity: O(*n*)
  package mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count - 1
    while i > 0 {
      let j = below(i + 1)
      array.swapAt(i, j)
      i -= 1
    }
  }
}
