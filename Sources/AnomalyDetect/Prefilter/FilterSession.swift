import SignalGraph

/// A run of the pre-filter over a stream of lines, optionally durable: what
/// `fraudscan filter` does, without the terminal I/O.
///
/// With a state file, every emitted decision line is logged in SQLite in
/// batches, after the caller has written it out (emit, then ``commit()``),
/// and every `checkpointEvery` events the pre-filter's whole state
/// (``Prefilter/checkpoint()``) is saved in the same transaction. A restarted
/// session over the same input restores the latest checkpoint and skips the
/// input lines it covers unread; the events decided after it are replayed
/// through the restored ``Prefilter`` (decisions are deterministic), their
/// lines checked against the log and not emitted again, and output resumes at
/// the first undecided event. Without a usable checkpoint it replays from the
/// start. A crash between emitting and committing can only make the
/// restarted run repeat lines of the last batch, with the same verdicts; none
/// is lost.
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
  /// Events covered by the checkpoint the session started from: their input
  /// lines are skipped unread (0 when it started from scratch).
  public private(set) var restoredEvents: Int
  /// Why the stored checkpoint could not be used (the session then replays
  /// the input from its start), or `nil`.
  public private(set) var checkpointProblem: PrefilterCheckpointError?
  private let checkpointEvery: Int
  private var lastCheckpoint: Int
  private var linesSeen = 0
  private var pending: [(seq: Int, line: String)] = []

  /// Starts a session, resuming from `statePath` when given and present, and
  /// saving a checkpoint there every `checkpointEvery` events (at the first
  /// ``commit()`` after that many).
  ///
  /// - Throws: ``SignalStoreError`` when the state file cannot be used.
  public init(
    configuration: PrefilterConfiguration = PrefilterConfiguration(), statePath: String? = nil,
    checkpointEvery: Int = 5_000_000
  ) throws {
    self.checkpointEvery = max(1, checkpointEvery)
    filter = Prefilter(configuration: configuration)
    restoredEvents = 0
    lastCheckpoint = 0
    checkpointProblem = nil
    guard let statePath else {
      log = nil
      resumedEvents = 0
      return
    }
    let log = try DecisionLog(path: statePath, settings: "window-days=\(configuration.windowDays) format=1")
    self.log = log
    resumedEvents = try log.decidedEvents()
    cursor = try log.lines()
    guard let saved = try log.checkpoint() else { return }
    do throws(PrefilterCheckpointError) {
      filter = try Prefilter(configuration: configuration, checkpoint: saved.state)
    } catch {
      checkpointProblem = error
      return
    }
    restoredEvents = saved.events
    lastCheckpoint = saved.events
    cursor = try log.lines(skipping: saved.lines)
  }

  /// Lines seen so far in this session, skipped ones included (the seq of the next line).
  public var events: Int { linesSeen }

  /// Decides one input line (without its newline) and returns the decision
  /// lines to emit, each ending in a newline (empty for a replayed event).
  ///
  /// - Throws: ``FilterSessionError/divergedFromState(seq:)`` when a replayed
  ///   event's decisions differ from the logged ones (another input).
  public mutating func feed(_ line: [UInt8]) throws -> String {
    linesSeen += 1
    if linesSeen <= restoredEvents { return "" }
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

  /// Makes everything returned by ``feed(_:)`` so far durable (no-op without
  /// a state file), with a checkpoint of the state when one is due.
  ///
  /// - Complexity: O(pending lines), plus O(state) when a checkpoint is due.
  public mutating func commit() throws {
    guard let log, filter.nextSeq > resumedEvents else { return }
    let due = filter.nextSeq - lastCheckpoint >= checkpointEvery
    try log.append(pending, decidedEvents: filter.nextSeq, checkpoint: due ? filter.checkpoint() : nil)
    if due { lastCheckpoint = filter.nextSeq }
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
