/// The body of `POST /v1/events`:
///
/// ```json
/// {"decisions":[{"id":"p1","seq":0,"decision":"admit"}, ...],"revocations":[{"seq":..,"decision":"revoke",...}]}
/// ```
///
/// `decisions` has one entry per event line of the request, in order: the
/// contract's decision line with the client's `id` added first when the event
/// had one; `revocations` lists the earlier admits these events revoked. A
/// retried event gets exactly the lines of its first answer.
enum EventsResponse {
  static func body(_ answers: [DecisionCore.Answer]) -> [UInt8] {
    var out: [UInt8] = Array(#"{"decisions":["#.utf8)
    var revocations: [UInt8] = []
    out.reserveCapacity(answers.count * 48 + 32)
    for (i, answer) in answers.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      var lines = answer.lines.split(separator: 0x0A, omittingEmptySubsequences: true).makeIterator()
      guard let own = lines.next() else { continue }
      if let id = answer.clientID {
        out += #"{"id":""#.utf8
        out += id
        out += #"","#.utf8
        out += own.dropFirst()
      } else {
        out += own
      }
      while let revocation = lines.next() {
        if !revocations.isEmpty { revocations.append(UInt8(ascii: ",")) }
        revocations += revocation
      }
    }
    out += #"],"revocations":["#.utf8
    out += revocations
    out += "]}".utf8
    return out
  }
}
