/// The low 16 bits of every signature entry of a list of texts, and the
/// Jaccard similarity two of them give (b-bit minwise hashing, Li and König
/// 2010): 100 bytes a text with the default 50 entries, never the text.
///
///     var signer = MinHashSigner(configuration: MinHashIndex.Configuration())
///     var fingerprints = MinHashFingerprints()
///     signer.sign(text: "Passionate growth strategist, DM for collabs")
///     fingerprints.append(signer)
///     signer.sign(text: "Passionate growth hacker, DM for collabs")
///     fingerprints.append(signer)
///     fingerprints.estimatedJaccard(0, 1)   // about 0.6
package struct MinHashFingerprints: Sendable {
  private var entries: [UInt16] = []
  private var length = 0

  /// No texts yet.
  package init() {}

  /// Appends the fingerprints of the text `signer` signed last.
  package mutating func append(_ signer: MinHashSigner) {
    length = signer.length
    for i in 0..<length { entries.append(UInt16(truncatingIfNeeded: signer.entry(i))) }
  }

  /// The estimated Jaccard similarity of texts `i` and `j` (in append
  /// order): the share of equal 16-bit fingerprints, corrected for the 1 in
  /// 65 536 chance that unequal entries agree.
  package func estimatedJaccard(_ i: Int32, _ j: Int32) -> Double {
    let h = length
    var equal = 0
    entries.withUnsafeBufferPointer { f in
      let a = Int(i) * h, b = Int(j) * h
      for k in 0..<h where f[a + k] == f[b + k] { equal += 1 }
    }
    let r = 1.0 / 65_536
    return max((Double(equal) / Double(h) - r) / (1 - r), 0)
  }
}
