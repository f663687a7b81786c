import SignalGraph

/// The one way a pre-filter's state goes into a ``DecisionLog`` and comes
/// back: `fraudscan filter --state` (``FilterSession``) and `fraudscan serve`
/// (`DecisionEngine`) both checkpoint and restore through here, a chunk of
/// ``DecisionLog/checkpointChunkBytes`` at a time.
extension DecisionLog {
  /// A pre-filter restored from a log's latest checkpoint, with the counts
  /// stored beside it.
  package struct RestoredPrefilter {
    /// The pre-filter, ready for event ``DecisionLog/Checkpoint/events``.
    package var filter: Prefilter
    /// The checkpoint it came from (its bytes are not read again).
    package var checkpoint: Checkpoint
  }

  /// Appends `lines` as ``append(_:decidedEvents:inputDigest:checkpoint:)``
  /// does and, with `filter`, its whole state as the new checkpoint in the
  /// same transaction, streamed into rows as it is written: the memory this
  /// takes besides the state is one row, not a copy of the state.
  /// ``FilterSession/commit()`` calls it with `filter` when a checkpoint is due.
  ///
  /// - Throws: ``SignalStoreError`` when SQLite fails (nothing is written).
  package func append(
    _ lines: [(seq: Int, line: String)], decidedEvents: Int, inputDigest: UInt64, checkpointOf filter: Prefilter?
  ) throws {
    guard let filter else {
      return try append(lines, decidedEvents: decidedEvents, inputDigest: inputDigest, checkpoint: nil)
    }
    try append(lines, decidedEvents: decidedEvents, inputDigest: inputDigest) {
      PrefilterCheckpoint.write(filter, to: &$0)
    }
  }

  /// The pre-filter restored from the latest checkpoint, `nil` when there is
  /// none, or why it cannot be used: its checksum, structure or invariants
  /// are broken, it was written with other settings, or its counts disagree
  /// with the log (``PrefilterCheckpointError/disagreesWithLog``). The
  /// caller then replays its input from the start.
  ///
  /// - Throws: ``SignalStoreError`` when SQLite fails reading the counts.
  package func restoredPrefilter(configuration: PrefilterConfiguration) throws
    -> Result<RestoredPrefilter, PrefilterCheckpointError>?
  {
    guard let saved = try checkpoint() else { return nil }
    let countsAgree = try holdsPrefix(events: saved.events, lines: saved.lines)
    do throws(PrefilterCheckpointError) {
      let filter = try Prefilter(configuration: configuration, checkpoint: saved.state)
      // The log's counts must describe the same moment as the state's own counter.
      guard countsAgree, saved.countsSealed, filter.nextSeq == saved.events else { throw .disagreesWithLog }
      return .success(RestoredPrefilter(filter: filter, checkpoint: saved))
    } catch {
      return .failure(error)
    }
  }
}
