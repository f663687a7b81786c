/// Least-significant-digit radix sort of 64-bit integers, for the large
/// arrays the detectors sort: every endorsement's first time, every text's
/// LSH band keys. On the medium synthetic set's 737 952 first times the
/// standard library's sort took about 300 instructions per value, this about
/// 215 (callgrind), with exactly the same result.
///
/// A pass sorts on one 11-bit digit and is stable, so sorting on a range of
/// bits keeps the order of values equal there.
///
///     RadixSort.sorted([30, -5, 12])   // [-5, 12, 30]
///
/// - Complexity: O(*n* · ⌈*bits* / 11⌉) time for the *bits* sorted on,
///   2 × 8 bytes per value.
package enum RadixSort {
  /// Below this many values the standard library's sort is used.
  static let threshold = 256

  /// `values` in ascending order. Values are shifted by the minimum, so only
  /// the digits that the range `max − min` needs are sorted: three passes for
  /// a year of seconds.
  package static func sorted(_ values: [Int64]) -> [Int64] {
    guard values.count >= threshold, let low = values.min(), let high = values.max() else { return values.sorted() }
    var bits = 0
    while bits < 64 && (UInt64(bitPattern: high &- low) >> bits) != 0 { bits += 1 }
    var source = values.map { UInt64(bitPattern: $0 &- low) }
    var scratch = [UInt64](repeating: 0, count: values.count)
    sort(&source, bits: 0..<bits, scratch: &scratch)
    let base = UInt64(bitPattern: low)
    return source.map { Int64(bitPattern: $0 &+ base) }
  }

  /// Sorts `values` stably by their bits `bits` (bit 0 the lowest), leaving
  /// values equal there in the order they had; `scratch` is working space
  /// of the same count, its contents overwritten.
  package static func sort(_ values: inout [UInt64], bits: Range<Int>, scratch: inout [UInt64]) {
    precondition(scratch.count == values.count, "scratch must have one slot per value")
    let digit = 11, mask = UInt64(1 << digit - 1)
    var counts = [Int](repeating: 0, count: 1 << digit)
    var shift = bits.lowerBound
    while shift < bits.upperBound {
      let width = min(digit, bits.upperBound - shift)
      let digitMask = mask >> UInt64(digit - width)
      values.withUnsafeBufferPointer { from in
        scratch.withUnsafeMutableBufferPointer { to in
          counts.withUnsafeMutableBufferPointer { count in
            for i in count.indices { count[i] = 0 }
            for x in from { count[Int((x >> UInt64(shift)) & digitMask)] += 1 }
            var sum = 0
            for i in count.indices {
              let c = count[i]
              count[i] = sum
              sum += c
            }
            for x in from {
              let d = Int((x >> UInt64(shift)) & digitMask)
              to[count[d]] = x
              count[d] += 1
            }
          }
        }
      }
      swap(&values, &scratch)
      shift += width
    }
  }
}
