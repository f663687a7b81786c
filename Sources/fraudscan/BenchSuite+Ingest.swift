import Foundation
import SignalGraph

extension BenchSuite {
  /// CSV parse and intern, SQLite append in one transaction, CSR index build.
  func runIngest(_ bench: inout BenchRun) throws {
    let input = bench.input
    let (set, parse) = try bench.best { try SignalSet(contentsOf: input) }
    let signals = set.signalCount
    bench.record("CSV parse + intern", size: signals, unit: "rows", seconds: parse)

    let db = NSTemporaryDirectory() + "fraudscan-bench-\(getpid()).sqlite"
    defer { try? FileManager.default.removeItem(atPath: db) }
    let (_, store) = try bench.best {
      try? FileManager.default.removeItem(atPath: db)
      return try SignalStore(path: db).append(set, source: input)
    }
    bench.record("SQLite append (one transaction)", size: signals, unit: "rows", seconds: store)

    let (_, load) = try bench.best { try SignalStore(path: db, create: false).load() }
    bench.record("SQLite load", size: signals, unit: "rows", seconds: load)

    let (_, index) = bench.best { GraphIndex(set) }
    bench.record("CSR index build (5 adjacencies)", size: signals, unit: "edges", seconds: index)
  }
}
