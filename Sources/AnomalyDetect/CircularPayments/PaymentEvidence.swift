import SignalGraph

/// Renders payments for the evidence of the circular-payment detectors:
/// account ids, decimal amounts, ISO-8601 UTC times, payment ids.
struct PaymentEvidence {
  let set: SignalSet

  /// One hop: `{"from", "to", "amount", "ts", "payment"}`.
  func hop(_ row: Int32) -> Evidence {
    let p = set.payments, r = Int(row)
    return [
      "from": .string(set.accounts.ids[p.source[r]]),
      "to": .string(set.accounts.ids[p.target[r]]),
      "amount": .string(Amount(micros: p.amountMicros[r]).description),
      "ts": .string(Self.iso8601(p.time[r])),
      "payment": .string(p.ids[r]),
    ]
  }

  /// One cycle: `{"hops": [...]}`.
  func cycle<Rows: Sequence<Int32>>(_ rows: Rows) -> Evidence {
    ["hops": .array(rows.map(hop))]
  }

  /// `seconds` (Unix) as `2026-03-01T12:00:00Z`.
  static func iso8601(_ seconds: Int64) -> String { Timestamp.iso8601(seconds) }

  /// `x` rounded to `places` decimals, for evidence a person reads.
  static func rounded(_ x: Double, _ places: Int) -> Evidence {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return .number((x * scale).rounded() / scale)
  }

  /// The median of `values` (0 when empty).
  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
}
