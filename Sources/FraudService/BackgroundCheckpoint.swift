import Foundation
import InlinePrefilter
import SignalGraph

/// A checkpoint of the pre-filter being written on a thread of its own
/// (``CheckpointWriter``, a connection of its own), while the commit thread
/// goes on committing groups (``DecisionEngine``).
///
/// **What it writes.** A copy of the pre-filter taken just after a group
/// commit, with the count of log lines and the input digest of that
/// moment: the checkpoint describes a committed prefix of the log, and a
/// restart replays the log after it. ``Prefilter`` is a value whose state
/// lives in copy-on-write buffers, so the copy costs nothing when it is
/// taken; each buffer the commit thread changes while the checkpoint is
/// written is copied then, once (memory rises by at most the state's size
/// for that time, and less when the groups touch only part of it).
///
/// **When it ends.** ``result`` is nil while it runs; the engine polls it
/// between groups and ``wait()``s for it before a shutdown checkpoint or
/// closing the file. The connection is closed before the result is set.
final class BackgroundCheckpoint: @unchecked Sendable {
  /// The events the checkpoint covers: seq 0 ..< events.
  let events: Int
  private let condition = NSCondition()
  private var outcome: Result<Void, ServeError>?
  // Touched by the checkpoint's thread only, until it ends.
  private var writer: CheckpointWriter?
  private let filter: Prefilter
  private let lines: Int
  private let inputDigest: UInt64
  private let partWritten: (@Sendable (Int) -> Void)?
  private let path: String

  /// Starts writing `filter`'s state with `writer`, taken when the log held
  /// `lines` lines of input digest `inputDigest`. `partWritten` is called on
  /// the checkpoint's thread after each row (tests hold the writer there).
  init(
    of filter: Prefilter, lines: Int, inputDigest: UInt64, writer: CheckpointWriter, path: String,
    partWritten: (@Sendable (Int) -> Void)?
  ) {
    events = filter.nextSeq
    self.filter = filter
    self.lines = lines
    self.inputDigest = inputDigest
    self.writer = writer
    self.path = path
    self.partWritten = partWritten
    let thread = Thread { [self] in run() }
    thread.name = "fraudscan-checkpoint"
    thread.start()
  }

  private func run() {
    var result: Result<Void, ServeError> = .success(())
    do {
      try writer?.write(filter, lines: lines, inputDigest: inputDigest) { partWritten?($0) }
    } catch {
      result = .failure(.state(path: path, problem: "\(error)"))
    }
    writer = nil
    condition.lock()
    outcome = result
    condition.broadcast()
    condition.unlock()
  }

  /// How it ended, or nil while it runs.
  var result: Result<Void, ServeError>? {
    condition.lock()
    defer { condition.unlock() }
    return outcome
  }

  /// Waits until it ends; how it did.
  func wait() -> Result<Void, ServeError> {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let outcome { return outcome }
      condition.wait()
    }
  }
}
