import SignalGraph

/// One generated row of `payments.csv` (the `id` is assigned when written).
struct SynthPayment {
  var ts: UInt32
  var src: UInt32
  var dst: UInt32
  var cents: UInt64
  /// Stream truth: 0 honest, 1 the manipulation itself, 2 planted cover (see `SynthWorld.Role`).
  var role: UInt8 = 0

  /// Total order by time, then the other fields, so sorting is deterministic
  /// whatever algorithm the standard library uses.
  static func precedes(_ a: SynthPayment, _ b: SynthPayment) -> Bool {
    if a.ts != b.ts { return a.ts < b.ts }
    if a.src != b.src { return a.src < b.src }
    if a.dst != b.dst { return a.dst < b.dst }
    return a.cents < b.cents
  }
}
