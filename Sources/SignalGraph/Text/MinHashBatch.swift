/// A whole set of texts signed with MinHash, whose candidate pairs (texts
/// sharing an LSH band bucket) are listed all at once: the bulk counterpart
/// of ``MinHashIndex``, which looks texts up one by one.
///
/// Texts are signed as ``MinHashIndex`` signs them (``MinHashSigner``); a
/// text keeps its `bands` band keys and a 16-bit fingerprint of each
/// signature entry (b-bit minwise hashing, Li and König 2010), never the text.
/// Candidate pairs come from sorting each band's keys, not from hash chains,
/// so a batch of millions of texts is swept in a few linear passes.
///
///     var batch = MinHashBatch(configuration: MinHashIndex.Configuration())
///     batch.insert(7, text: "Passionate growth strategist, DM for collabs")
///     batch.insert(9, text: "Passionate growth hacker, DM for collabs")
///     batch.forEachCandidatePair { i, j in
///       print(batch.ids[Int(i)], batch.ids[Int(j)], batch.estimatedJaccard(i, j))
///     }
///
/// - Complexity: `insert` is O(*L* · *h*) for a text of *L* bytes and
///   *h* = `bands × rowsPerBand` hash functions; ``forEachCandidatePair(_:)``
///   is O(*b* · *n*) for *n* texts and *b* bands, plus the pairs reported.
package struct MinHashBatch: Sendable {
  private var signer: MinHashSigner
  /// Document ids, in insertion order.
  package private(set) var ids: [Int32] = []
  /// Band keys, `bands` per document.
  private var keys: [UInt32] = []
  private var fingerprints = MinHashFingerprints()

  /// An empty batch signing with `configuration`.
  package init(configuration: MinHashIndex.Configuration) {
    signer = MinHashSigner(configuration: configuration)
  }

  /// The configuration the texts are signed with.
  package var configuration: MinHashIndex.Configuration { signer.configuration }

  /// The number of documents signed.
  package var count: Int { ids.count }

  /// Adds document `id` whose text is the UTF-8 `bytes`.
  package mutating func insert(_ id: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    signer.sign(bytes)
    ids.append(id)
    fingerprints.append(signer)
    for band in 0..<configuration.bands { keys.append(signer.bandKey(band)) }
  }

  /// Adds document `id` with text `text`.
  package mutating func insert(_ id: Int32, text: String) {
    var text = text
    text.withUTF8 { insert(id, bytes: $0) }
  }

  /// Calls `pair` with the insertion positions (i > j) of every pair of
  /// documents sharing a bucket in some band; a pair sharing several bands
  /// is reported once per band. Buckets above `maxBucket` are skipped whole.
  ///
  /// Bands are visited in order; within a band, buckets in the order of a
  /// hash table of the smallest power of two (at least 64) of slots that is
  /// at least twice the documents (a key's low bits, then the key), and
  /// documents in insertion order: the order ``MinHashIndex`` would give, so
  /// a caller that stops at the first join sees the same pairs.
  package func forEachCandidatePair(_ pair: (Int32, Int32) -> Void) {
    let n = ids.count
    guard n >= 2 else { return }
    var slotBits = 6
    while (1 << slotBits) < 2 * n { slotBits += 1 }
    let b = configuration.bands
    let maxBucket = configuration.maxBucket
    var order = [UInt64](repeating: 0, count: n)
    var scratch = [UInt64](repeating: 0, count: n)
    for band in 0..<b {
      keys.withUnsafeBufferPointer { keys in
        for d in 0..<n {
          let key = keys[d * b + band]
          // The slot bits first, then the rest of the key: ordering by this
          // rotation is ordering by (slot, key).
          let rotated = key >> UInt32(slotBits) | key << UInt32(32 - slotBits)
          order[d] = UInt64(rotated) << 32 | UInt64(d)
        }
      }
      RadixSort.sort(&order, bits: 32..<64, scratch: &scratch)
      order.withUnsafeBufferPointer { order in
        var start = 0
        while start < n {
          let bucket = order[start] >> 32
          var end = start + 1
          while end < n, order[end] >> 32 == bucket { end += 1 }
          if end - start >= 2 && end - start <= maxBucket {
            for i in (start + 1)..<end {
              for j in start..<i {
                pair(Int32(truncatingIfNeeded: order[i]), Int32(truncatingIfNeeded: order[j]))
              }
            }
          }
          start = end
        }
      }
    }
  }

  /// The estimated Jaccard similarity of the documents at insertion
  /// positions `i` and `j` (``MinHashFingerprints/estimatedJaccard(_:_:)``).
  package func estimatedJaccard(_ i: Int32, _ j: Int32) -> Double {
    fingerprints.estimatedJaccard(i, j)
  }
}
