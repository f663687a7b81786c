import SignalGraph

extension CheckpointWriter {
  /// Writes `filter`'s whole state as the log's latest checkpoint, as
  /// ``write(events:lines:inputDigest:partWritten:state:)`` does (a row at a
  /// time, swapped in by one small transaction): taken after
  /// ``Prefilter/nextSeq`` events, when the log held `lines` lines, their
  /// input digest being `inputDigest`. `fraudscan serve` calls it on a copy
  /// of its pre-filter, on a thread of its own, while its groups commit.
  ///
  /// - Throws: ``SignalStoreError`` when SQLite fails (the previous checkpoint stays the latest).
  package func write(
    _ filter: Prefilter, lines: Int, inputDigest: UInt64, partWritten: (Int) -> Void = { _ in }
  ) throws {
    try write(events: filter.nextSeq, lines: lines, inputDigest: inputDigest, partWritten: partWritten) {
      PrefilterCheckpoint.write(filter, to: &$0)
    }
  }
}
