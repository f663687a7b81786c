import Foundation
import SignalGraph

/// Valid signal sets shaped the way an adversary would shape them to stall
/// a scan or the pre-filter: every row passes the contract, but the graph is
/// as dense or as repetitive as it can be. `fraudscan bench --suite hostile`
/// writes and scans each one, and feeds its events to the pre-filter; a
/// detector whose cost is not near-linear in the signals shows here first.
///
///     try HostileSignalSet.completeBipartite(side: 2_000).write(to: URL(fileURLWithPath: "/tmp/k2000"))
///     // then: fraudscan scan /tmp/k2000
///
/// Times start at 2026-01-01, in time order.
public enum HostileSignalSet: Sendable, Equatable, CustomStringConvertible {
  /// `side` endorsers (`f0`, `f1`, …) each following the same `side`
  /// accounts (`c0`, `c1`, …), one row after the other: `side`² follows,
  /// two seconds apart.
  case completeBipartite(side: Int)
  /// One account (`a0`) paying itself `count` times, 1.00 each, a second apart.
  case selfPayments(count: Int)
  /// `accounts` accounts (`u0`, `u1`, …) setting `employer` to the same
  /// value, ten a second: one value shared by all, in one burst.
  case sharedValue(accounts: Int)
  /// One account (`bot`) following `count` others, ten seconds apart (a
  /// million take 116 days, longer than the pre-filter's window).
  case followsEveryone(count: Int)
  /// `count` accounts following one (`star`), ten seconds apart.
  case celebrity(followers: Int)

  static let start: Int64 = 1_767_225_600

  /// The number of signals (payments, interactions or profile edits) it holds.
  public var signals: Int {
    switch self {
    case let .completeBipartite(side): return side * side
    case let .selfPayments(n), let .sharedValue(n), let .followsEveryone(n), let .celebrity(n): return n
    }
  }

  /// What it is, in words, for a benchmark's table.
  public var description: String {
    switch self {
    case let .completeBipartite(side): return "complete bipartite follow graph \(side) x \(side)"
    case let .selfPayments(count): return "one account paying itself \(count) times"
    case let .sharedValue(accounts): return "\(accounts) accounts sharing one profile value"
    case let .followsEveryone(count): return "one account following \(count) accounts"
    case let .celebrity(followers): return "one account followed by \(followers) accounts"
    }
  }

  /// Calls `body` with each signal as a stream event, in time order.
  ///
  /// - Complexity: O(signals), nothing held.
  public func forEachEvent(_ body: (SignalEvent) throws -> Void) rethrows {
    let t0 = Self.start
    switch self {
    case let .completeBipartite(side):
      for i in 0..<side {
        for j in 0..<side {
          try body(.interaction(source: "f\(i)", target: "c\(j)", kind: "follow", time: t0 + Int64(2 * (i * side + j))))
        }
      }
    case let .selfPayments(count):
      for i in 0..<count {
        try body(
          .payment(id: "p\(i)", source: "a0", target: "a0", amount: Amount(micros: 1_000_000), time: t0 + Int64(i)))
      }
    case let .sharedValue(count):
      for i in 0..<count {
        try body(.profileEdit(account: "u\(i)", field: "employer", value: "Initech Holdings", time: t0 + Int64(i / 10)))
      }
    case let .followsEveryone(count):
      for i in 0..<count {
        try body(.interaction(source: "bot", target: "u\(i)", kind: "follow", time: t0 + 10 * Int64(i)))
      }
    case let .celebrity(followers):
      for i in 0..<followers {
        try body(.interaction(source: "u\(i)", target: "star", kind: "follow", time: t0 + 10 * Int64(i)))
      }
    }
  }

  /// Writes the set as a signal-set directory (created if needed): one CSV
  /// file of the signals' kind; the accounts are those the signals name.
  ///
  /// - Complexity: O(signals) time, O(1) memory beyond a 1 MiB buffer.
  public func write(to directory: URL) throws(SignalSetWriterError) {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .cannotCreateDirectory(path: directory.path, reason: "\(error)")
    }
    let (file, header): (String, [String])
    switch self {
    case .selfPayments: (file, header) = ("payments.csv", ["id", "src", "dst", "amount", "ts"])
    case .sharedValue: (file, header) = ("profile_edits.csv", ["account", "field", "value", "ts"])
    case .completeBipartite, .followsEveryone, .celebrity:
      (file, header) = ("interactions.csv", ["src", "dst", "kind", "ts"])
    }
    var csv = try CSVWriter(url: directory.appendingPathComponent(file), header: header)
    var failure: SignalSetWriterError?
    forEachEvent { event in
      guard failure == nil else { return }
      let fields: [String]
      switch event {
      case let .payment(id, source, target, amount, _):
        fields = [id, source, target, amount.description]
      case let .interaction(source, target, kind, _, _): fields = [source, target, kind]
      case let .profileEdit(account, field, value, _): fields = [account, field, value]
      }
      for field in fields {
        csv.field(Array(field.utf8))
        csv.comma()
      }
      csv.decimal(UInt64(event.time))
      do throws(SignalSetWriterError) { try csv.endRow() } catch { failure = error }
    }
    if let failure { throw failure }
    try csv.close()
  }
}
