import SplitMix

/// The MinHash signature of one text at a time, and the LSH band keys cut
/// from it: the part that ``MinHashIndex`` (texts one by one, looked up as
/// they come) and ``MinHashBatch`` (a whole set, all candidate pairs at once)
/// share, so both sign a text with the same bits.
///
/// A text is normalised and cut into shingles by ``MinHashIndex``'s static
/// helpers; for each of `bands × rowsPerBand` seeds *s* the signature keeps
/// the minimum over the shingles' 32-bit hashes *x* of the multiply–xorshift
/// mix of *x* ⊕ *s*.
///
///     var signer = MinHashSigner(configuration: MinHashIndex.Configuration())
///     signer.sign(text: "Passionate growth strategist, DM for collabs")
///     let firstBand = signer.bandKey(0)
///
/// - Complexity: ``sign(_:)`` is O(*L* · *h*) for a text of *L* bytes and
///   *h* = `bands × rowsPerBand` hash functions, in eight 32-bit lanes.
package struct MinHashSigner: Sendable {
  /// The configuration the signatures follow.
  package let configuration: MinHashIndex.Configuration
  /// The seeds, padded with copies of the last to a whole number of lanes.
  private let seeds: [SIMD8<UInt32>]
  /// The minima of the last text signed, padded as ``seeds``.
  private var minima: [SIMD8<UInt32>]
  private var shingles64: [UInt64] = []

  /// A signer drawing its `bands × rowsPerBand` seeds from `configuration.seed`.
  package init(configuration: MinHashIndex.Configuration) {
    self.configuration = configuration
    var rng = SplitMix64(seed: configuration.seed)
    let h = configuration.bands * configuration.rowsPerBand
    let drawn = (0..<h).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
    let lanes = (h + 7) / 8
    seeds = (0..<lanes).map { lane in
      var v = SIMD8<UInt32>()
      for i in 0..<8 { v[i] = drawn[min(lane * 8 + i, h - 1)] }
      return v
    }
    minima = [SIMD8<UInt32>](repeating: .init(repeating: .max), count: lanes)
  }

  /// The number of entries of a signature: `bands × rowsPerBand`.
  package var length: Int { configuration.bands * configuration.rowsPerBand }

  /// Signs the UTF-8 `bytes` (normalised here); read the result with
  /// ``entry(_:)`` and ``bandKey(_:)``.
  package mutating func sign(_ bytes: UnsafeBufferPointer<UInt8>) {
    MinHashIndex.shingleHashes(bytes, length: configuration.shingleLength, into: &shingles64)
    let lanes = seeds.count
    seeds.withUnsafeBufferPointer { seed in
      minima.withUnsafeMutableBufferPointer { minimum in
        shingles64.withUnsafeBufferPointer { shingles in
          // One lane of seeds at a time against every shingle: the minima
          // stay in registers instead of going through memory per shingle.
          for lane in 0..<lanes {
            let s = seed[lane]
            var m = SIMD8<UInt32>(repeating: .max)
            for shingle in shingles {
              var x = (SIMD8(repeating: UInt32(truncatingIfNeeded: shingle >> 32)) ^ s) &* 0x9E37_79B1
              x ^= x &>> 15
              x = x &* 0x85EB_CA77
              x ^= x &>> 13
              m = pointwiseMin(m, x)
            }
            minimum[lane] = m
          }
        }
      }
    }
  }

  /// Signs `text`.
  package mutating func sign(text: String) {
    var text = text
    text.withUTF8 { sign($0) }
  }

  /// Entry `i` of the last signature.
  @inline(__always)
  package func entry(_ i: Int) -> UInt32 { minima[i >> 3][i & 7] }

  /// The last signature, `bands × rowsPerBand` entries.
  package var signature: [UInt32] { (0..<length).map(entry) }

  /// The 32-bit key of band `band` of the last signature.
  package func bandKey(_ band: Int) -> UInt32 {
    var h: UInt64 = UInt64(band) &* 0xA24B_AED4_963E_E407
    let r = configuration.rowsPerBand
    for i in (band * r)..<(band * r + r) {
      h = (h ^ UInt64(entry(i))) &* 0x9FB2_1C65_1E98_DF25
      h ^= h >> 29
    }
    return UInt32(truncatingIfNeeded: h >> 32)
  }
}
