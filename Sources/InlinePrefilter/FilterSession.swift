import SignalGraph

/// A run of the pre-filter over a stream of lines, optionally durable: what
/// `fraudscan filter` does, without the terminal I/O.
///
/// With a state file, every emitted decision line is logged in SQLite in
/// batches, after the caller has written it out (emit, then ``commit()``),
/// and every `checkpointEvery` events the pre-filter's whole state
/// (``Prefilter/checkpoint()``'s bytes, streamed into the log a row at a
/// time) is saved in the same transaction. A restarted
/// session over the same input restores the latest checkpoint and skips the
/// input lines it covers (digested, not decided); the events decided after it are replayed
/// through the restored ``Prefilter`` (decisions are deterministic), their
/// lines checked against the log and not emitted again, and output resumes at
/// the first undecided event. Without a usable checkpoint it replays from the
/// start. A crash between emitting and committing can only make the
/// restarted run repeat lines of the last batch, with the same verdicts; none
/// is lost.
///
/// **The same input, or an error.** The log and each checkpoint record the
/// ``Digest64`` of the input lines consumed; a restart digests the lines it
/// skips and replays, and stops with ``FilterSessionError/inputDiffers(line:)``
/// where they differ, or ``FilterSessionError/inputEndsEarly(lines:decided:)``
/// at ``finish()`` when the input is shorter than what was decided, instead of
/// resuming an unrelated stream. A checkpoint whose checksum, structure or
/// counts are wrong is refused (``checkpointProblem``) and the input replayed
/// from its start. Only one session can hold a state file
/// (``DecisionLog`` locks it).
///
/// **An unfinished last line.** Fed bytes with ``consume(_:)``, the session
/// decides complete lines only. At ``finish()``, a last line without a
/// newline is decided when there is no state file, but with one it is left
/// undecided (``unfinishedLineBytes``): the writer may still be writing it,
/// and once a decision for half a line is logged, a restart on the completed
/// input would keep that decision and never decide the whole line.
///
///     var session = try FilterSession(statePath: "state.sqlite")
///     while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty {
///       print(try chunk.withUnsafeBytes { try session.consume($0) }, terminator: "")
///       try session.commit()
///     }
///     print(try session.finish(), terminator: "")
///     try session.commit()
///
/// - Complexity: per line, the pre-filter's cost and O(length) for the
///   digest; per batch, one SQLite transaction.
public struct FilterSession {
  private var filter: Prefilter
  private let log: DecisionLog?
  private var cursor: DecisionLog.Cursor?
  /// Events decided in an earlier run of this state file; their lines are not emitted again.
  public let resumedEvents: Int
  /// Events covered by the checkpoint the session started from: their input
  /// lines are digested but not decided (0 when it started from scratch).
  public private(set) var restoredEvents: Int
  /// Why the stored checkpoint could not be used (the session then replays
  /// the input from its start), or `nil`.
  public private(set) var checkpointProblem: PrefilterCheckpointError?
  private let checkpointEvery: Int
  private var lastCheckpoint: Int
  private var linesSeen = 0
  private var pending: [(seq: Int, line: String)] = []
  /// The digest of every line seen so far.
  private var digest = Digest64()
  /// What the input's digest must be after `restoredEvents` and after `resumedEvents` lines.
  private var restoredDigest: UInt64?
  private let resumedDigest: UInt64?
  /// The input's lines, with the bytes of the one being read by ``consume(_:)``.
  private var splitter = LineSplitter()
  /// After ``finish()`` with a state file: the length of a last line that had
  /// no newline and was left undecided (0 when there was none).
  public private(set) var unfinishedLineBytes = 0

  /// Starts a session, resuming from `statePath` when given and present, and
  /// saving a checkpoint there every `checkpointEvery` events (at the first
  /// ``commit()`` after that many).
  ///
  /// - Throws: ``PrefilterConfigurationError`` when a setting of
  ///   `configuration` is out of range; ``SignalStoreError`` when the state
  ///   file cannot be used.
  public init(
    configuration: PrefilterConfiguration = PrefilterConfiguration(), statePath: String? = nil,
    checkpointEvery: Int = 5_000_000
  ) throws {
    try configuration.validate()
    self.checkpointEvery = max(1, checkpointEvery)
    filter = Prefilter(configuration: configuration)
    restoredEvents = 0
    lastCheckpoint = 0
    checkpointProblem = nil
    guard let statePath else {
      log = nil
      resumedEvents = 0
      resumedDigest = nil
      return
    }
    let log = try DecisionLog(
      path: statePath, settings: "window-days=\(configuration.windowDays) format=\(PrefilterCheckpoint.version)")
    self.log = log
    resumedEvents = try log.decidedEvents()
    resumedDigest = try log.decidedDigest()
    cursor = try log.lines()
    let restored: DecisionLog.RestoredPrefilter
    switch try log.restoredPrefilter(configuration: configuration) {
    case nil: return
    case let .failure(problem):
      checkpointProblem = problem
      return
    case let .success(found): restored = found
    }
    let saved = restored.checkpoint
    filter = restored.filter
    restoredEvents = saved.events
    restoredDigest = saved.inputDigest
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
  /// - Throws: ``FilterSessionError/inputDiffers(line:)`` when the lines
  ///   read so far are not those the state file was built from.
  public mutating func feed(_ line: [UInt8]) throws -> String {
    linesSeen += 1
    digest.update(line)
    if linesSeen == restoredEvents, let restoredDigest, digest.value != restoredDigest {
      throw FilterSessionError.inputDiffers(line: linesSeen)
    }
    if linesSeen == resumedEvents, let resumedDigest, digest.value != resumedDigest {
      throw FilterSessionError.inputDiffers(line: linesSeen)
    }
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

  /// Splits `bytes`, the next part of the input, into lines (a newline ends
  /// each; a carriage return before it is dropped) and decides every
  /// complete one with ``feed(_:)``; the rest waits for the next part.
  public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws -> String {
    // Taken out of `self` while `feed` mutates the rest of it.
    var lines = splitter
    splitter = LineSplitter()
    defer { splitter = lines }
    var out = ""
    try lines.split(bytes) { out += try feed($0) }
    return out
  }

  /// Ends the input: decides a last line without a newline unless there is a
  /// state file (then it is left undecided, see ``unfinishedLineBytes``), and
  /// checks that the input was not shorter than what the state file decided.
  ///
  /// - Throws: ``FilterSessionError/inputEndsEarly(lines:decided:)``.
  public mutating func finish() throws -> String {
    var out = ""
    if let last = splitter.finish() {
      if log == nil {
        out = try feed(last)
      } else {
        unfinishedLineBytes = last.count
      }
    }
    if linesSeen < resumedEvents { throw FilterSessionError.inputEndsEarly(lines: linesSeen, decided: resumedEvents) }
    return out
  }

  /// Makes everything returned by ``feed(_:)`` so far durable (no-op without
  /// a state file), with a checkpoint of the state when one is due.
  ///
  /// - Complexity: O(pending lines), plus O(state) when a checkpoint is due.
  public mutating func commit() throws {
    guard let log, filter.nextSeq > resumedEvents else { return }
    let due = filter.nextSeq - lastCheckpoint >= checkpointEvery
    try log.append(pending, decidedEvents: filter.nextSeq, inputDigest: digest.value, checkpointOf: due ? filter : nil)
    if due { lastCheckpoint = filter.nextSeq }
    pending.removeAll(keepingCapacity: true)
  }
}

/// Why a filter session cannot go on.
public enum FilterSessionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Replaying the input gave decisions other than the logged ones at `seq`.
  case divergedFromState(seq: Int)
  /// The first `line` input lines differ from those the state file was built from.
  case inputDiffers(line: Int)
  /// The input ended after `lines` lines, but the state file had decided `decided` events.
  case inputEndsEarly(lines: Int, decided: Int)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .divergedFromState(seq):
      return
        "event \(seq): the input differs from the one the state file was built from (its logged decisions do not match); use a new state file"
    case let .inputDiffers(line):
      return
        "input line \(line): the input differs from the one the state file was built from (the digest of its first \(line) lines does not match); restart with the same input or use a new state file"
    case let .inputEndsEarly(lines, decided):
      return
        "the input has \(lines) line\(lines == 1 ? "" : "s"), but the state file has decided \(decided) events: it was built from a longer input; restart with the same input or use a new state file"
    }
  }
}
