import SplitMix

/// An index of short texts that finds near duplicates without comparing all
/// pairs: MinHash signatures over normalised character shingles, bucketed by
/// locality-sensitive hashing (LSH) bands.
///
/// A text is normalised (ASCII letters lower-cased, every run of other
/// non-alphanumeric bytes a single space) and cut into overlapping
/// ``Configuration/shingleLength``-byte shingles. Its MinHash signature keeps,
/// for each of `bands × rowsPerBand` seeded hash functions, the smallest hash
/// of any shingle; two texts agree in one signature entry with probability
/// equal to the Jaccard similarity of their shingle sets (Broder 1997, "On
/// the resemblance and containment of documents"). The signature is cut into
/// bands of `rowsPerBand` entries and each band hashed to a bucket; texts
/// sharing a bucket in any band are candidates, so a pair with similarity *s*
/// becomes a candidate with probability 1 − (1 − *s*ʳ)ᵇ (Leskovec,
/// Rajaraman and Ullman, "Mining of Massive Datasets", ch. 3.4). With the
/// defaults (10 bands of 5 rows, 5-byte shingles) that is 27 % at *s* = 0.5,
/// 83 % at 0.7, 99.6 % at 0.85 and 0.01 % at 0.1: a ring of copies is joined
/// through its closest pairs even when some pairs are missed. Confirm a
/// candidate exactly with ``jaccard(_:_:shingleLength:)``. To list every
/// candidate pair of a whole set at once, ``MinHashBatch`` signs the same way.
///
///     var index = MinHashIndex()
///     index.insert(0, text: "Passionate growth strategist, DM for collabs")
///     index.insert(1, text: "Passionate growth hacker, DM for collabs")
///     index.insert(2, text: "Forklift certified, coffee first")
///     index.candidates(for: 0)   // [1]
///
/// Seeds are fixed, so the index is deterministic. Kept per text: the band
/// keys and chain links (8 bytes per band) and ``MinHashFingerprints`` (100
/// bytes with the defaults); never the texts.
///
/// - Complexity: `insert` is O(*L* · *h*) for a text of *L* bytes and
///   *h* = `bands × rowsPerBand` hash functions; `candidates(for:)` is
///   O(*b* · bucket size), with buckets capped at ``Configuration/maxBucket``.
public struct MinHashIndex: Sendable {
  /// The shape of the signatures and bands; in a settings file, the table
  /// `index` of `near-duplicate-text` (the seed is fixed, not a setting):
  ///
  ///     var configuration = MinHashIndex.Configuration()
  ///     configuration.bands = 20   // bands = 20
  ///     let index = MinHashIndex(configuration: configuration)
  public struct Configuration: Sendable, Equatable, Codable {
    /// Bytes per shingle.
    public var shingleLength = 5
    /// Number of LSH bands.
    public var bands = 10
    /// Signature entries per band.
    public var rowsPerBand = 5
    /// Buckets holding more texts than this yield no candidates: such a
    /// bucket is a shared stock phrase, not a copy.
    public var maxBucket = 64
    /// Seed of the hash functions.
    public var seed: UInt64 = 0x5EED_F00D_CAFE_D00D

    /// The default configuration.
    public init() {}

    /// The keys of a settings file: `shingle_length`, `bands`,
    /// `rows_per_band`, `max_bucket` (no seed: it stays fixed).
    public enum CodingKeys: String, CodingKey {
      case shingleLength = "shingle_length"
      case bands
      case rowsPerBand = "rows_per_band"
      case maxBucket = "max_bucket"
    }
  }

  /// The configuration the index was built with.
  public var configuration: Configuration { signer.configuration }
  private var signer: MinHashSigner
  /// Document ids, in insertion order.
  package private(set) var ids: [Int32] = []
  /// The first insertion position of each id.
  private var positions: [Int32: Int32] = [:]
  /// Band keys, `bands` per document.
  private var keys: [UInt32] = []
  /// Chain links, `bands` per document: the previous document (slot) in the same bucket chain.
  private var next: [Int32] = []
  /// Bucket heads, one table per band, each `capacity` slots.
  private var heads: [Int32] = []
  private var capacity = 0
  private var fingerprints = MinHashFingerprints()

  /// Creates an empty index.
  public init(configuration: Configuration = Configuration()) {
    signer = MinHashSigner(configuration: configuration)
    grow(to: 64)
  }

  /// The number of documents indexed.
  public var count: Int { ids.count }

  /// Adds document `id` with text `text`.
  public mutating func insert(_ id: Int32, text: String) {
    var text = text
    text.withUTF8 { insert(id, bytes: $0) }
  }

  /// Adds document `id` whose text is the UTF-8 `bytes`.
  public mutating func insert<Bytes: Collection<UInt8>>(_ id: Int32, bytes: Bytes) {
    Self.withContiguousBytes(bytes) { signer.sign($0) }
    if (ids.count + 1) * 2 > capacity { grow(to: capacity * 2) }
    let doc = Int32(ids.count)
    ids.append(id)
    if positions[id] == nil { positions[id] = doc }
    fingerprints.append(signer)
    let b = configuration.bands
    for band in 0..<b {
      let key = signer.bandKey(band)
      keys.append(key)
      let slot = band * capacity + Int(key) & (capacity - 1)
      next.append(heads[slot])
      heads[slot] = doc
    }
  }

  /// The ids of indexed documents that share a band bucket with document
  /// `id` (its first insertion), excluding itself, each once, most recent first.
  /// (The bulk detector skips buckets above `maxBucket`; here the walk of
  /// each bucket stops after `maxBucket` matches.)
  public func candidates(for id: Int32) -> [Int32] {
    guard let position = positions[id] else { return [] }
    let doc = Int(position)
    var found: [Int32] = []
    for band in 0..<configuration.bands {
      let key = keys[doc * configuration.bands + band]
      walkBucket(band: band, key: key, from: heads[band * capacity + Int(key) & (capacity - 1)]) { other in
        if other != doc, !found.contains(ids[Int(other)]) { found.append(ids[Int(other)]) }
      }
    }
    return found
  }

  /// The ids of indexed documents that share a band bucket with `text`.
  public mutating func candidates(forText text: String) -> [Int32] {
    signer.sign(text: text)
    return candidates { signer.bandKey($0) }
  }

  /// The ids of documents here that share a band bucket with document `id`
  /// of `other` (its first insertion), each once, most recent first: what
  /// ``candidates(forText:)`` gives for that document's text, read from
  /// the band keys `other` keeps instead of signing the text again. The two
  /// indexes must share one configuration (then they sign alike).
  ///
  ///     var earlier = MinHashIndex(), later = MinHashIndex()
  ///     earlier.insert(7, text: "Passionate growth strategist, DM for collabs")
  ///     later.insert(0, text: "Passionate growth hacker, DM for collabs")
  ///     earlier.candidates(sharingBandsWith: 0, of: later)   // [7]
  public func candidates(sharingBandsWith id: Int32, of other: MinHashIndex) -> [Int32] {
    precondition(other.configuration == configuration, "the two indexes sign texts differently")
    guard let position = other.positions[id] else { return [] }
    let first = Int(position) * configuration.bands
    return candidates { other.keys[first + $0] }
  }

  /// The ids of indexed documents in the buckets of the band keys `key`
  /// (one per band), each once, most recent first.
  private func candidates(bandKeys key: (Int) -> UInt32) -> [Int32] {
    var found: [Int32] = []
    for band in 0..<configuration.bands {
      let k = key(band)
      walkBucket(band: band, key: k, from: heads[band * capacity + Int(k) & (capacity - 1)]) { other in
        if !found.contains(ids[Int(other)]) { found.append(ids[Int(other)]) }
      }
    }
    return found
  }

  /// Walks a bucket chain from `start`, calling `body` for documents whose
  /// band key is `key`; stops silently after `maxBucket` of them.
  @inline(__always)
  private func walkBucket(band: Int, key: UInt32, from start: Int32, _ body: (Int32) -> Void) {
    let b = configuration.bands
    var d = start
    var seen = 0
    while d >= 0 {
      if keys[Int(d) * b + band] == key {
        seen += 1
        if seen > configuration.maxBucket { return }
        body(d)
      }
      d = next[Int(d) * b + band]
    }
  }

  /// The MinHash signature of `text`: `bands × rowsPerBand` minima.
  public mutating func signature(of text: String) -> [UInt32] {
    signer.sign(text: text)
    return signer.signature
  }

  /// The estimated Jaccard similarity of the documents at insertion
  /// positions `i` and `j` (``MinHashFingerprints/estimatedJaccard(_:_:)``).
  package func estimatedJaccard(_ i: Int32, _ j: Int32) -> Double {
    fingerprints.estimatedJaccard(i, j)
  }

  /// The share of equal entries of two signatures: an unbiased estimate of
  /// the Jaccard similarity of the texts' shingle sets.
  public static func estimatedJaccard(_ a: [UInt32], _ b: [UInt32]) -> Double {
    precondition(a.count == b.count && !a.isEmpty, "signatures differ in length")
    var equal = 0
    for i in a.indices where a[i] == b[i] { equal += 1 }
    return Double(equal) / Double(a.count)
  }

  /// The exact Jaccard similarity of the normalised shingle sets of two texts.
  public static func jaccard(_ a: String, _ b: String, shingleLength: Int = 5) -> Double {
    jaccard(Array(a.utf8), Array(b.utf8), shingleLength: shingleLength)
  }

  /// The exact Jaccard similarity of the normalised shingle sets of two UTF-8 texts.
  public static func jaccard<A: Collection<UInt8>, B: Collection<UInt8>>(
    _ a: A, _ b: B, shingleLength: Int = 5
  ) -> Double {
    var sa: [UInt64] = [], sb: [UInt64] = []
    withContiguousBytes(a) { shingleHashes($0, length: shingleLength, into: &sa) }
    withContiguousBytes(b) { shingleHashes($0, length: shingleLength, into: &sb) }
    sa.sort()
    sb.sort()
    let ua = unique(&sa), ub = unique(&sb)
    if ua == 0 && ub == 0 { return 1 }
    var i = 0, j = 0, common = 0
    while i < ua && j < ub {
      if sa[i] == sb[j] {
        common += 1
        i += 1
        j += 1
      } else if sa[i] < sb[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return Double(common) / Double(ua + ub - common)
  }

  private static func unique(_ a: inout [UInt64]) -> Int {
    if a.isEmpty { return 0 }
    var w = 1
    for i in 1..<a.count where a[i] != a[w - 1] {
      a[w] = a[i]
      w += 1
    }
    return w
  }

  /// The normalised text's bytes: lower-case ASCII letters and digits, other
  /// ASCII runs as one space, trimmed; non-ASCII bytes are kept as they are.
  package static func normalise(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    out.removeAll(keepingCapacity: true)
    var pendingSpace = false
    for c in bytes {
      var ch = c
      if ch >= 65 && ch <= 90 { ch += 32 }
      let word = (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || ch >= 128
      if word {
        if pendingSpace && !out.isEmpty { out.append(32) }
        pendingSpace = false
        out.append(ch)
      } else {
        pendingSpace = true
      }
    }
  }

  /// The hash of every shingle of the normalised text (duplicates kept),
  /// normalising on the fly; a text shorter than a shingle is one shingle.
  static func shingleHashes(_ bytes: UnsafeBufferPointer<UInt8>, length: Int, into out: inout [UInt64]) {
    out.removeAll(keepingCapacity: true)
    let mask: UInt64 = length >= 8 ? .max : (1 << (8 * UInt64(length))) - 1
    var h: UInt64 = 0
    var emitted = 0
    var pendingSpace = false
    @inline(__always) func emit(_ c: UInt8) {
      h = ((h << 8) | UInt64(c)) & mask
      emitted += 1
      if emitted >= length {
        out.append(shingleHash(h))
      }
    }
    for c in bytes {
      var ch = c
      if ch >= 65 && ch <= 90 { ch += 32 }
      if (ch >= 97 && ch <= 122) || (ch >= 48 && ch <= 57) || ch >= 128 {
        if pendingSpace && emitted > 0 { emit(32) }
        pendingSpace = false
        emit(ch)
      } else {
        pendingSpace = true
      }
    }
    if emitted > 0 && emitted < length {
      out.append(shingleHash(h))
    }
  }

  /// Calls `body` with `bytes` as one contiguous buffer, copying only a
  /// collection that has none.
  static func withContiguousBytes<Bytes: Collection<UInt8>, R>(
    _ bytes: Bytes, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    if let result = bytes.withContiguousStorageIfAvailable(body) { return result }
    return Array(bytes).withUnsafeBufferPointer(body)
  }

  private mutating func grow(to newCapacity: Int) {
    capacity = newCapacity
    let b = configuration.bands
    heads = [Int32](repeating: -1, count: b * capacity)
    for doc in 0..<ids.count {
      for band in 0..<b {
        let slot = band * capacity + Int(keys[doc * b + band]) & (capacity - 1)
        next[doc * b + band] = heads[slot]
        heads[slot] = Int32(doc)
      }
    }
  }

  /// The 64-bit hash of a packed shingle: the first draw of a SplitMix64
  /// seeded with it (xor the increment), so its bits are those the index
  /// has always stored.
  @inline(__always)
  static func shingleHash(_ packed: UInt64) -> UInt64 {
    SplitMix64.mix((packed ^ SplitMix64.increment) &+ SplitMix64.increment)
  }
}
