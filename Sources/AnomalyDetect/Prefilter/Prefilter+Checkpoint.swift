import SignalGraph

extension Prefilter {
  /// The tag a checkpoint starts with: the format's version and the sizes of
  /// the records it copies as raw bytes, so that a checkpoint from another
  /// build whose layout differs is refused rather than misread.
  static var checkpointTag: [Int] {
    [
      2,  // format version: bump when the state or its order of writing changes (2: sealed with a checksum)
      MemoryLayout<IncrementalCycleCheck.Incoming>.size,
      MemoryLayout<IncrementalEngagementCheck.Pair>.size,
      MemoryLayout<IncrementalProfileCheck.Entry>.size,
      MemoryLayout<(time: Int64, key: UInt64, account: Int32)>.size,
    ]
  }

  /// The whole state of the pre-filter as bytes: with
  /// ``init(configuration:checkpoint:)`` it gives a pre-filter that decides
  /// every later event exactly as this one would. `fraudscan filter --state`
  /// stores one in SQLite now and then, so a restart resumes from it instead
  /// of replaying the whole stream.
  ///
  ///     var filter = Prefilter()
  ///     _ = filter.decide(.interaction(source: "a", target: "b", kind: "like", time: 1_767_225_600))
  ///     let saved = filter.checkpoint()
  ///     var resumed = try Prefilter(configuration: filter.configuration, checkpoint: saved)
  ///
  /// The bytes are for the same build of fraudscan on the same kind of machine.
  /// They end in a checksum over everything before it (``StateWriter/sealed()``),
  /// the event counter and the clock included.
  ///
  /// - Complexity: O(state), about the size of the state in memory.
  public func checkpoint() -> [UInt8] {
    var writer = StateWriter()
    writer.write(Self.checkpointTag)
    writer.write(String(describing: configuration))
    writer.write(nextSeq)
    writer.write(now)
    writer.write(nextSweep)
    accounts.write(to: &writer)
    fields.write(to: &writer)
    values.write(to: &writer)
    cycles.write(to: &writer)
    engagement.write(to: &writer)
    profiles.write(to: &writer)
    return writer.sealed()
  }

  /// Restores a pre-filter from ``checkpoint()``'s bytes; `configuration` must
  /// equal the one it was made with. In every build, the checksum must match
  /// and the restored state must pass ``invariantViolation()`` (ids in range
  /// and live, list heads within bounds, indexes that agree), so damaged
  /// bytes are refused here rather than crash a later decision.
  ///
  /// - Throws: ``PrefilterCheckpointError``.
  /// - Complexity: O(checkpoint size).
  public init(configuration: Configuration, checkpoint: [UInt8]) throws(PrefilterCheckpointError) {
    do {
      var reader = try StateReader(sealed: checkpoint)
      guard try reader.readArray(Int.self) == Self.checkpointTag else { throw PrefilterCheckpointError.otherFormat }
      guard try reader.readString() == String(describing: configuration) else {
        throw PrefilterCheckpointError.otherConfiguration
      }
      let nextSeq = try reader.read(Int.self), now = try reader.read(Int64.self), nextSweep = try reader.read(Int64.self)
      let accounts = try WindowedInterner(from: &reader)
      let fields = try WindowedInterner(from: &reader)
      let values = try WindowedInterner(from: &reader)
      let cycles = try IncrementalCycleCheck(configuration: configuration, from: &reader)
      let engagement = try IncrementalEngagementCheck(configuration: configuration, from: &reader)
      let profiles = try IncrementalProfileCheck(configuration: configuration, from: &reader)
      guard reader.isAtEnd, nextSeq >= 0 else { throw PrefilterCheckpointError.damaged }
      self.init(
        configuration: configuration, nextSeq: nextSeq, now: now, nextSweep: nextSweep,
        accounts: accounts, fields: fields, values: values,
        cycles: cycles, engagement: engagement, profiles: profiles)
    } catch let error as PrefilterCheckpointError {
      throw error
    } catch StateReaderError.checksumMismatch {
      throw .checksumMismatch
    } catch {
      throw .damaged
    }
    if let violation = invariantViolation() { throw .inconsistent(violation) }
  }
}

/// Why a checkpoint cannot be restored. In each case the caller can still
/// rebuild the state by replaying the stream from its start.
public enum PrefilterCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  /// It was written by a build with another state layout.
  case otherFormat
  /// It was written with other pre-filter settings.
  case otherConfiguration
  /// It is cut short or does not describe a pre-filter's state.
  case damaged
  /// Its bytes differ from those written: its checksum does not match.
  case checksumMismatch
  /// It reads, but its state contradicts itself (the reason in words).
  case inconsistent(String)
  /// Its event counter disagrees with the counts the decision log stored
  /// beside it, or those counts or the input digest were changed since.
  case disagreesWithLog

  /// A message a person can act on.
  public var description: String {
    switch self {
    case .otherFormat: return "the checkpoint was written by another version of fraudscan"
    case .otherConfiguration: return "the checkpoint was written with other pre-filter settings"
    case .damaged: return "the checkpoint is damaged (cut short or not a pre-filter's state)"
    case .checksumMismatch: return "the checkpoint is damaged (its checksum does not match its bytes)"
    case let .inconsistent(reason): return "the checkpoint is damaged (\(reason))"
    case .disagreesWithLog:
      return "the checkpoint's event and line counts or input digest disagree with the decision log (edited or damaged)"
    }
  }
}
