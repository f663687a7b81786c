import Foundation
import InlinePrefilter
import SignalGraph

/// A checkpoint of the pre-filter being written on a thread of its own
/// (``CheckpointWriter``, a connection of its own), while the commit thread
/// goes on deciding groups and the writer thread writing them (``DecisionEngine``).
///
/// **What it writes.** A copy of the pre-filter taken at the end of a
/// group's decisions, with the input digest of that moment, and the count
/// of log lines once that group is committed: the checkpoint describes a
/// committed prefix of the log, and a restart replays the log after it.
/// ``Prefilter`` is a value whose state lives in copy-on-write buffers, so
/// the copy costs nothing when it is taken; each buffer the commit thread
/// changes while the checkpoint is written is copied then, once (memory
/// rises by at most the state's size for that time, and less when the
/// groups touch only part of it).
///
/// **When it starts.** It is made, not started, when its group is decided
/// (``DecidedGroup/checkpoint``); the writer thread starts it
/// (``start(lines:)``) once that group's transaction has committed, with
/// the log's line count of that transaction, or ends it failed
/// (``abandon(_:)``) when the group is not written. One of the two always
/// happens, so ``wait()`` returns.
///
/// **When it ends.** ``result`` is nil while it runs (or waits to start);
/// the engine polls it between groups and ``wait()``s for it before a
/// shutdown checkpoint or closing the file. The connection is closed before
/// the result is set.
final class BackgroundCheckpoint: @unchecked Sendable {
  /// The events the checkpoint covers: seq 0 ..< events.
  let events: Int
  private let condition = NSCondition()
  private var outcome: Result<Void, ServeError>?
  /// ``start(lines:)`` was called.
  private var started = false
  // Touched by the checkpoint's thread only, until it ends.
  private var writer: CheckpointWriter?
  private let filter: Prefilter
  private let inputDigest: UInt64
  private let partWritten: (@Sendable (Int) -> Void)?
  private let path: String

  /// A checkpoint of `filter`'s state (a copy, taken now), whose input
  /// lines have the digest `inputDigest`, to be written with `writer` once
  /// ``start(lines:)`` is called. `partWritten` is called on the
  /// checkpoint's thread after each row (tests hold the writer there).
  init(
    of filter: Prefilter, inputDigest: UInt64, writer: CheckpointWriter, path: String,
    partWritten: (@Sendable (Int) -> Void)?
  ) {
    events = filter.nextSeq
    self.filter = filter
    self.inputDigest = inputDigest
    self.writer = writer
    self.path = path
    self.partWritten = partWritten
  }

  /// Starts writing it on a thread of its own: its group is committed, and
  /// the log then held `lines` lines. Called once, or ``abandon(_:)`` instead.
  func start(lines: Int) {
    condition.lock()
    let first = !started && outcome == nil
    started = true
    condition.unlock()
    guard first else { return }
    Thread.start(named: "serve-checkpt") { [self] in run(lines: lines) }
  }

  /// Ends it without writing anything, with `error` as its result: its
  /// group will not be written. Does nothing once it was started.
  func abandon(_ error: ServeError) {
    condition.lock()
    defer { condition.unlock() }
    guard !started, outcome == nil else { return }
    writer = nil
    outcome = .failure(error)
    condition.broadcast()
  }

  private func run(lines: Int) {
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
