/// Least-significant-digit radix sort of 64-bit integers, for the large
/// arrays of timestamps the detectors sort (every endorsement's first time):
/// on the medium synthetic set's 737 952 first times the standard library's
/// sort took about 300 instructions per value, this about 215 (callgrind),
/// with exactly the same result.
///
/// Values are shifted by the minimum, so only the digits that the range
/// `max − min` needs are sorted: three 11-bit passes for a year of seconds.
///
/// - Complexity: O(*n* · ⌈log₂(range) / 11⌉) time, 2 × 8 bytes per value.
enum RadixSort {
  /// Below this many values the standard library's sort is used.
  static let threshold = 256

  /// `values` in ascending order.
  static func sorted(_ values: [Int64]) -> [Int64] {
    guard values.count >= threshold, let low = values.min(), let high = values.max() else { return values.sorted() }
    let range = UInt64(bitPattern: high &- low)
    let bits = 11, radix = 1 << bits, mask = UInt64(radix - 1)
    var source = values.map { UInt64(bitPattern: $0 &- low) }
    var target = [UInt64](repeating: 0, count: values.count)
    var counts = [Int](repeating: 0, count: radix)
    var shift: UInt64 = 0
    while shift < 64 && (range >> shift) != 0 {
      for i in counts.indices { counts[i] = 0 }
      for x in source { counts[Int((x >> shift) & mask)] += 1 }
      var sum = 0
      for i in counts.indices {
        let c = counts[i]
        counts[i] = sum
        sum += c
      }
      for x in source {
        let d = Int((x >> shift) & mask)
        target[counts[d]] = x
        counts[d] += 1
      }
      swap(&source, &target)
      shift += UInt64(bits)
    }
    let base = UInt64(bitPattern: low)
    return source.map { Int64(bitPattern: $0 &+ base) }
  }
}
