import SignalGraph

/// A run of the pre-filter over a stream of lines, optionally durable: what
/// `fraudscan filter` does, without the terminal I/O.
///
/// With a state file, every emitted decision line is logged in SQLite in
/// batches, after the caller has written it out (emit, then ``commit()``).
/// A restarted session over the same input replays the events already
/// decided through a fresh ``Prefilter`` (decisions are deterministic), so the
/// detector state is rebuilt exactly; their lines are checked against the log
/// and not emitted again, and output resumes at the first undecided event.
/// A crash between emitting and committing can only make the restarted run
/// repeat lines of the last batch, with the same verdicts; none is lost.
///
///     var session = try FilterSession(statePath: "state.sqlite")
///     for line in input { print(try session.feed(line), terminator: "") }
///     try session.commit()
///
/// - Complexity: per line, the pre-filter's cost; per batch, one SQLite transaction.
public struct FilterSession {
  private var filter: Prefilter
  private let log: DecisionLog?
  private var cursor: DecisionLog.Cursor?
  /// Events decided in an earlier run of this state file; their lines are not emitted again.
  public let resumedEvents: Int
  private var pending: [(seq: Int, line: String)] = []

  /// Starts a session, resuming from `statePath` when given and present.
  ///
  /// - Throws: ``SignalStoreError`` when the state file cannot be used.
  public init(configuration: PrefilterConfiguration = PrefilterConfiguration(), statePath: String? = nil) throws {
    filter = Prefilter(configuration: configuration)
    if let statePath {
      let log = try DecisionLog(path: statePath, settings: "window-days=\(configuration.windowDays) format=1")
      self.log = log
      resumedEvents = try log.decidedEvents()
      cursor = try log.lines()
    } else {
      log = nil
      resumedEvents = 0
    }
  }

  /// Events seen so far in this session (the seq of the next line).
  public var events: Int { filter.nextSeq }

  /// Decides one input line (without its newline) and returns the decision
  /// lines to emit, each ending in a newline (empty for a replayed event).
  ///
  /// - Throws: ``FilterSessionError/divergedFromState(seq:)`` when a replayed
  ///   event's decisions differ from the logged ones (another input).
  public mutating func feed(_ line: [UInt8]) throws -> String {
    let decision = filter.decide(line: line)
    let lines = [decision.jsonLine] + decision.revocations.map(\.jsonLine)
    if decision.seq < resumedEvents {
      for line in lines {
        guard let stored = try cursor?.next(), stored.seq == decision.seq, stored.line == line else {
          throw FilterSessionError.divergedFromState(seq: decision.seq)
        }
      }
      return ""
    }
    if log != nil { for line in lines { pending.append((decision.seq, line)) } }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Makes everything returned by ``feed(_:)`` so far durable (no-op without a state file).
  public mutating func commit() throws {
    guard let log, filter.nextSeq > resumedEvents else { return }
    try log.append(pending, decidedEvents: filter.nextSeq)
    pending.removeAll(keepingCapacity: true)
  }
}

/// Why a filter session cannot go on.
public enum FilterSessionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Replaying the input gave decisions other than the logged ones at `seq`.
  case divergedFromState(seq: Int)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .divergedFromState(seq):
      return "event \(seq): the input differs from the one the state file was built from (its logged decisions do not match); use a new state file"
    }
  }
}
