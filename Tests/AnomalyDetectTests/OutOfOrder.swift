import SplitMix

/// Streams whose events arrive out of timestamp order, as they do from
/// several producers: each run of `window` consecutive items is shuffled
/// (seeded), so an event arrives up to `window - 1` places early or late.
enum OutOfOrder {
  static func shuffled<T>(_ items: [T], window: Int, seed: UInt64) -> [T] {
    var out = items
    var random = SplitMix64(seed: seed)
    for start in stride(from: 0, to: out.count, by: window) {
      let end = min(start + window, out.count)
      for i in stride(from: end - 1, to: start, by: -1) {
        out.swapAt(i, start + Int(random.next() % UInt64(i - start + 1)))
      }
    }
    return out
  }
}
