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
    out.reserveCapacity(answers.reduce(32) { $0 + $1.lines.count + ($1.clientID?.count ?? 0) + 8 })
    for (i, answer) in answers.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      answer.lines.withUnsafeBufferPointer { lines in
        var start = 0
        while start < lines.count, lines[start] == 0x0A { start += 1 }
        var end = start
        while end < lines.count, lines[end] != 0x0A { end += 1 }
        guard end > start else { return }
        let own = UnsafeBufferPointer(rebasing: lines[start..<end])
        if let id = answer.clientID {
          out.append(contentsOf: #"{"id":""#.utf8)
          out.append(contentsOf: answer.line[id])
          out.append(contentsOf: #"","#.utf8)
          out.append(contentsOf: own.dropFirst())
        } else {
          out.append(contentsOf: own)
        }
        // The revocations the event caused: the following lines.
        while end < lines.count {
          start = end + 1
          end = start
          while end < lines.count, lines[end] != 0x0A { end += 1 }
          guard end > start else { continue }
          if !revocations.isEmpty { revocations.append(UInt8(ascii: ",")) }
          revocations.append(contentsOf: UnsafeBufferPointer(rebasing: lines[start..<end]))
        }
      }
    }
    out.append(contentsOf: #"],"revocations":["#.utf8)
    out.append(contentsOf: revocations)
    out.append(contentsOf: "]}".utf8)
    return out
  }
}
