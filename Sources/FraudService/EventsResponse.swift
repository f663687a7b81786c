/// The body of `POST /v1/events`, built in one buffer as the request's
/// events are answered:
///
/// ```json
/// {"decisions":[{"id":"p1","seq":0,"decision":"admit"}, ...],"revocations":[{"seq":..,"decision":"revoke",...}]}
/// ```
///
/// `decisions` has one entry per event line of the request, in order: the
/// contract's decision line with the client's `id` added first when the event
/// had one; `revocations` lists the earlier admits these events revoked. A
/// retried event gets exactly the lines of its first answer.
struct EventsResponse {
  private var out: [UInt8]
  private var revocations: [UInt8] = []
  private var empty = true

  /// An empty response, with room for about `events` decisions.
  init(events: Int) {
    out = Array(#"{"decisions":["#.utf8)
    out.reserveCapacity(32 + events * 80)
  }

  /// Adds the next event's entry: `lines` are its decision lines
  /// (`\n`-separated: its own, then the revocations it caused), `id` the raw
  /// bytes of its client id when it had one.
  mutating func add(lines: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>?) {
    if !empty { out.append(UInt8(ascii: ",")) }
    empty = false
    var start = 0
    while start < lines.count, lines[start] == 0x0A { start += 1 }
    var end = start
    while end < lines.count, lines[end] != 0x0A { end += 1 }
    guard end > start else { return }
    let own = UnsafeBufferPointer(rebasing: lines[start..<end])
    if let id {
      out.append(contentsOf: #"{"id":""#.utf8)
      out.append(contentsOf: id)
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

  /// The finished body.
  consuming func body() -> [UInt8] {
    out.append(contentsOf: #"],"revocations":["#.utf8)
    out.append(contentsOf: revocations)
    out.append(contentsOf: "]}".utf8)
    return out
  }
}
