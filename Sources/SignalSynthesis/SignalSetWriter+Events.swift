import Foundation
import SignalGraph

extension SignalSetWriter {
  /// Writes every signal as one event line of the contract's NDJSON stream, in
  /// time order (payments before interactions before edits at equal times),
  /// and the truth of each line to `truth` as `seq,fraud`.
  ///
  /// Payment ids are `p1`, `p2`, … as in `payments.csv`; amounts are JSON
  /// strings, timestamps integers.
  ///
  /// - Complexity: O(*n*) for *n* signals, already sorted by time.
  mutating func writeEvents(
    payments: [SynthPayment], interactions: [SynthInteraction], edits: [SynthProfileEdit],
    to url: URL, truth: URL
  ) throws(SignalSetWriterError) {
    var out = try CSVWriter(url: url, header: [])
    var labels = try CSVWriter(url: truth, header: ["seq", "fraud"])
    var renderer = ProfileValueRenderer()
    let fieldNames: [[UInt8]] = [.employer, .school, .phone, .device, .address, .bio]
      .map { (f: SynthProfileEdit.Field) in f.bytes }
    var p = 0, r = 0, e = 0, seq: UInt64 = 0
    let never = UInt32.max
    while p < payments.count || r < interactions.count || e < edits.count {
      let tp = p < payments.count ? payments[p].ts : never
      let tr = r < interactions.count ? interactions[r].ts : never
      let te = e < edits.count ? edits[e].ts : never
      let role: UInt8
      if tp <= tr && tp <= te {
        let x = payments[p]
        out.raw(Array(#"{"type":"payment","id":"p"#.utf8))
        out.decimal(UInt64(p + 1))
        out.raw(Array(#"","src":""#.utf8))
        account(x.src, &out)
        out.raw(Array(#"","dst":""#.utf8))
        account(x.dst, &out)
        out.raw(Array(#"","amount":""#.utf8))
        out.cents(x.cents)
        out.raw(Array(#"","ts":"#.utf8))
        out.decimal(UInt64(x.ts))
        role = x.role
        p += 1
      } else if tr <= te {
        let x = interactions[r]
        out.raw(Array(#"{"type":"interaction","src":""#.utf8))
        account(x.src, &out)
        out.raw(Array(#"","dst":""#.utf8))
        account(x.dst, &out)
        out.raw(Array(#"","kind":""#.utf8))
        out.raw(x.kind.bytes)
        out.raw(Array(#"","ts":"#.utf8))
        out.decimal(UInt64(x.ts))
        role = x.role
        r += 1
      } else {
        let x = edits[e]
        out.raw(Array(#"{"type":"profile_edit","account":""#.utf8))
        account(x.account, &out)
        out.raw(Array(#"","field":""#.utf8))
        out.raw(fieldNames[Int(x.field.rawValue)])
        out.raw(Array(#"","value":""#.utf8))
        out.raw(JSONString.escaped(renderer.render(x.field, x.value)))
        out.raw(Array(#"","ts":"#.utf8))
        out.decimal(UInt64(x.ts))
        role = x.role
        e += 1
      }
      out.raw([UInt8(ascii: "}")])
      try out.endRow()
      labels.decimal(seq)
      labels.comma()
      labels.decimal(UInt64(role))
      try labels.endRow()
      seq += 1
    }
    try out.close()
    try labels.close()
  }

  /// Writes `account`, one row per distinct account the manipulation benefits.
  mutating func writeBuyers(_ buyers: [UInt32], to url: URL) throws(SignalSetWriterError) {
    var csv = try CSVWriter(url: url, header: ["account"])
    var seen = Set<UInt32>()
    for b in buyers where seen.insert(b).inserted {
      account(b, &csv)
      try csv.endRow()
    }
    try csv.close()
  }
}
