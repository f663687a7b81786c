import AnomalyDetect
import Foundation
import InlinePrefilter
import SignalGraph
import SignalSynthesis

extension BenchSuite {
  /// The pre-filter's memory over a long stream of ever-new accounts and
  /// values (`ChurningEventStream`: a cohort of accounts joins each day, is
  /// active for a week and never returns; almost every bio is new): at ten
  /// checkpoints, the accounts seen so far against the accounts the
  /// pre-filter remembers, its other state and the process's resident
  /// memory. Memory bounded by the window shows as flat lines once the
  /// window has filled, while the accounts seen keep growing. Events are
  /// generated in memory and decided without parsing (`decide(_:)`).
  func runPrefilterMemory(_ bench: inout BenchRun) throws {
    var configuration = PrefilterConfiguration()
    configuration.windowDays = bench.windowDays
    var filter = Prefilter(configuration: configuration)
    let events = bench.streamEvents
    let perDay = 50_000
    var stream = ChurningEventStream(eventsPerDay: perDay, cohortSize: 5_000, activeDays: 7, seed: bench.seed)
    if let directory = bench.streamOut {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      let path = (directory as NSString).appendingPathComponent("events.ndjson")
      guard let file = fopen(path, "w") else {
        throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
      }
      defer { fclose(file) }
      for _ in 0..<events {
        let line = stream.next()!.jsonLine + "\n"
        guard fputs(line, file) >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
      }
      Output.write("  wrote \(events) events to \(path)\n")
      return
    }
    Output.write(
      """
        \(events) events, \(perDay) a day (\(events / perDay) days), 5 000 new accounts a day active for 7 days; \
      window \(bench.windowDays) days, accounts forgotten after \(configuration.idleSeconds / 86_400) idle days
        day   events  accounts seen  remembered  id range  values  payments  endorsements   pairs  rarity  bios  resident MiB  events/s

      """)
    let checkpoint = max(1, events / 10)
    var held: [Substring: Int] = [:]
    var busy = 0.0, segment = 0.0
    var done = 0
    while done < events {
      let n = min(checkpoint, events - done)
      let t0 = Stopwatch.now()
      for _ in 0..<n {
        let decision = filter.decide(stream.next()!)
        if decision.verdict == .hold, let reason = decision.reasons.first {
          held[reason.prefix { $0 != ":" }, default: 0] += 1
        }
      }
      segment = Stopwatch.now() - t0
      busy += segment
      done += n
      let f = filter.footprint
      func pad(_ x: Any, _ width: Int) -> String {
        let s = "\(x)"
        return String(repeating: " ", count: max(0, width - s.count)) + s
      }
      Output.write(
        "  "
          + [
            pad(stream.day, 4), pad(done, 8), pad(stream.accountsSoFar, 14), pad(f.accounts, 11),
            pad(f.accountIdRange, 9),
            pad(f.profileValues, 7), pad(f.payments, 9), pad(f.endorsements, 13), pad(f.targetPairs, 7),
            pad(f.rarityCounters, 7),
            pad(f.bios, 5), pad(Stopwatch.residentBytes() / 1_048_576, 13), pad(Int(Double(n) / segment), 9),
          ].joined(separator: " ") + "\n")
    }
    bench.record(
      "prefilter decide, churning stream, in-process (no parsing)", size: events, unit: "events", seconds: busy)
    let total = held.values.reduce(0, +)
    let byCheck = held.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    Output.write(
      "  \(total) held (\(String(format: "%.3f", Double(total) * 100 / Double(events))) %)\(byCheck.isEmpty ? "" : ": " + byCheck)\n"
    )
  }
}
