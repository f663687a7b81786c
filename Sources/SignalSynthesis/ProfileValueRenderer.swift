import SignalGraph
import SplitMix

/// Turns the compact value codes of `SynthProfileEdit` into field text.
///
/// Codes per field:
/// - `employer`: `0..<5` big employers, `5...` honest long tail,
///   `inventedFlag | i` the invented employer of fraud template ring `i`.
/// - `school`: `0..<4` big universities, `4...` long tail.
/// - `phone`, `device`: a key (an account index, or a shared household or ring
///   key) mapped bijectively to a number, so distinct keys never collide.
/// - `address`: a household key, mapped bijectively to a street address.
/// - `bio`: `seed | variant << 40`; the same seed with different variants gives
///   near-duplicate bios (one or two words changed), variant 0 the template.
///
/// For example:
///
///     var renderer = ProfileValueRenderer()
///     let text = renderer.render(.employer, 0)   // "Acme Retail, Inc."
struct ProfileValueRenderer {
  static let inventedFlag: UInt64 = 1 << 40
  static let bioSeedMask: UInt64 = (1 << 40) - 1

  private var scratch: [UInt8] = []
  private let bigEmployers = SynthVocabulary.bigEmployers.map { Array($0.utf8) }
  private let bigSchools = SynthVocabulary.bigSchools.map { Array($0.utf8) }
  private let bioWords = SynthVocabulary.bioWords.map { Array($0.utf8) }

  init() {
    scratch.reserveCapacity(256)
  }

  /// The text of `value` for `field`. The returned array is reused by the
  /// next call.
  mutating func render(_ field: SynthProfileEdit.Field, _ value: UInt64) -> [UInt8] {
    scratch.removeAll(keepingCapacity: true)
    switch field {
    case .employer: employer(value)
    case .school: school(value)
    case .phone: phone(value)
    case .device: device(value)
    case .address: address(value)
    case .bio: bio(value)
    }
    return scratch
  }

  private mutating func text(_ s: String) {
    scratch.append(contentsOf: s.utf8)
  }

  private mutating func number(_ n: UInt64, digits: Int) {
    var d = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
    var v = n
    var i = digits - 1
    while i >= 0 {
      d[i] = UInt8(ascii: "0") + UInt8(v % 10)
      v /= 10
      i -= 1
    }
    scratch.append(contentsOf: d)
  }

  private mutating func employer(_ value: UInt64) {
    if value & Self.inventedFlag != 0 {
      let i = Int(value & ~Self.inventedFlag)
      let p = SynthVocabulary.inventedPrefixes
      let m = SynthVocabulary.inventedMiddles
      let s = SynthVocabulary.inventedSuffixes
      text(p[i % p.count])
      text(" ")
      text(m[(i / p.count) % m.count])
      text(" ")
      text(s[(i / (p.count * m.count)) % s.count])
      let round = i / (p.count * m.count * s.count)
      if round > 0 { text(" \(round + 1)") }
      return
    }
    if value < UInt64(bigEmployers.count) {
      scratch.append(contentsOf: bigEmployers[Int(value)])
      return
    }
    let i = Int(value) - bigEmployers.count
    let n = SynthVocabulary.surnames, t = SynthVocabulary.trades, w = SynthVocabulary.towns
    text(n[i % n.count])
    text(" ")
    text(t[(i / n.count) % t.count])
    let round = i / (n.count * t.count)
    if round > 0 {
      text(" of ")
      text(w[(round - 1) % w.count])
      if round > w.count { text(" \(round / w.count + 1)") }
    }
    if i % 7 == 3 { text(", LLC") }
  }

  private mutating func school(_ value: UInt64) {
    if value < UInt64(bigSchools.count) {
      scratch.append(contentsOf: bigSchools[Int(value)])
      return
    }
    let i = Int(value) - bigSchools.count
    let w = SynthVocabulary.towns, k = SynthVocabulary.schoolKinds
    text(w[i % w.count])
    text(" ")
    text(k[(i / w.count) % k.count])
    let round = i / (w.count * k.count)
    if round > 0 { text(" No. \(round + 1)") }
  }

  private mutating func phone(_ key: UInt64) {
    // Bijective on keys below 8e9: the multiplier is coprime with 8e9.
    let n = 2_000_000_000 + (key &* 2_654_435_761 &+ 1_234_567) % 8_000_000_000
    text("+1-")
    number(n / 10_000_000, digits: 3)
    text("-")
    number(n / 10_000 % 1_000, digits: 3)
    text("-")
    number(n % 10_000, digits: 4)
  }

  private mutating func device(_ key: UInt64) {
    // Bijective on 48-bit keys: odd multiplier modulo 2^48.
    let n = (key &* 0x9E37_79B9_7F4B &+ 0x5DEE_CE66D) & 0xFFFF_FFFF_FFFF
    text("dev-")
    let hex = Array("0123456789abcdef".utf8)
    var shift = 44
    while shift >= 0 {
      scratch.append(hex[Int((n >> UInt64(shift)) & 0xF)])
      shift -= 4
    }
  }

  private mutating func address(_ key: UInt64) {
    let streets = SynthVocabulary.streets, suffixes = SynthVocabulary.streetSuffixes
    let towns = SynthVocabulary.towns
    let houses: UInt64 = 9_000
    let capacity = houses * UInt64(streets.count * suffixes.count * towns.count)
    // The capacity has only the prime factors 2, 3 and 5; the prime
    // multiplier 1 000 003 is coprime with it, so distinct keys stay distinct.
    let n = (key &* 1_000_003 &+ 77) % capacity
    let house = 100 + n % houses
    number(house, digits: house >= 1_000 ? 4 : 3)
    var rest = Int(n / houses)
    text(" ")
    text(streets[rest % streets.count])
    rest /= streets.count
    text(" ")
    text(suffixes[rest % suffixes.count])
    rest /= suffixes.count
    text(", ")
    text(towns[rest % towns.count])
  }

  private mutating func bio(_ value: UInt64) {
    let seed = value & Self.bioSeedMask
    let variant = value >> 40
    var r = SplitMix64(seed: seed)
    let count = 5 + r.below(9)
    var words = [Int](repeating: 0, count: count)
    var commaAfter = [Bool](repeating: false, count: count)
    for i in 0..<count {
      words[i] = r.below(bioWords.count)
      commaAfter[i] = i < count - 1 && r.below(6) == 0
    }
    if variant != 0 {
      var v = SplitMix64(seed: seed ^ (variant &* 0xD1B5_4A32_D192_ED03))
      for _ in 0..<(1 + v.below(2)) {
        words[v.below(count)] = v.below(bioWords.count)
      }
    }
    for i in 0..<count {
      if i > 0 { scratch.append(UInt8(ascii: " ")) }
      scratch.append(contentsOf: bioWords[words[i]])
      if commaAfter[i] { scratch.append(UInt8(ascii: ",")) }
    }
  }
}
