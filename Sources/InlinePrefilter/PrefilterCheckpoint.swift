@_spi(Checkpoint) import SignalGraph

/// The pre-filter's checkpoint format: the one place that orders, frames,
/// writes and reads it, and the one version number
/// (``version``), which the decision log's settings record too
/// (``FilterSession``).
///
/// A checkpoint is, in ``StateWriter`` encoding and sealed with a checksum
/// (``StateWriter/sealed()``):
///
/// 1. the format ``version``, a plain `Int` at byte 0 (``versionBytes``);
/// 2. the ``tag``: the sizes of the records the parts copy as raw bytes;
/// 3. the configuration, as text;
/// 4. the event counter, the stream's clock and the next sweep's time;
/// 5. the parts, each its name then its bytes framed by their length
///    (``StateWriter/writePart(_:)``): the `accounts`, `fields` and `values`
///    name tables (``WindowedInterner``), then one per check, in the order of
///    ``Prefilter/checkTypes`` (``PrefilterCheck/write(to:)``).
///
/// Changing what any part holds or the order of the parts means bumping
/// ``version`` here.
///
/// The same bytes are written whole (``write(_:)``, for
/// ``Prefilter/checkpoint()``) or streamed in chunks into a
/// ``DecisionLog`` (``write(_:to:)`` through a chunked ``StateWriter``,
/// each part measured first to write its length), and read whole or a chunk
/// at a time (``read(_:configuration:)-(StateChunks,_)``): where the chunks
/// are cut is not part of the format, so a checkpoint stored whole by an
/// earlier build reads the same.
enum PrefilterCheckpoint {
  /// The format version: bump it when the state or its order of writing
  /// changes. (2: sealed with a checksum; 3: framed, named parts, one part per check;
  /// 4: the `flows` part of ``IncrementalFlowCheck``, and each engagement pair keeps the
  /// count at which to look for a third target; 5: the flows' held transfers, the anchors
  /// of fan-in links; 6: each held transfer keeps its parts' spread; 7: the flows' amounts
  /// withheld, and a held transfer counts all its parts; 8: records without padding, so
  /// a checkpoint holds no stale memory (``CheckpointRecordLayoutTests``); 9: the flows'
  /// payer habits, ``PayerHabits``; 10: the fan lists, the payee habits and the shared-sum
  /// counts of the flows' fan-in; 11: each payer-habit slot keeps when its sum was first paid;
  /// 12: the flows' payments out per payer, the payer habits' repeats of new sums, and the
  /// gather-scatter windows counted; 13: the flows' hand-on counts of a fan-out, payments
  /// out kept for the fan window, and when each payer first paid; 14: the flows' counts
  /// of squares, for a bipartite block; 15: the flows' fan-ins of the stream's first month
  /// waiting for their payee's habit, ``DeferredFans``; 16: the flows' fan-outs waiting
  /// for their payer's habit, and what each fan waiting read of it; 17: the payer habits'
  /// payments withheld; 18: the flows' bipartite blocks waiting for their payers' habits,
  /// ``DeferredBlocks``; 19: the payer habits' repeats of a sum, to the cent or varied;
  /// 20: the flows' repeats to one payee, to the cent or varied, and what a fan-out
  /// waiting paid its receivers again.)
  static let version = 20

  /// Where ``version`` lies in a checkpoint's bytes.
  static let versionBytes = 0..<MemoryLayout<Int>.size

  /// The sizes of the records the parts copy as raw bytes, so that a
  /// checkpoint from another build whose layout differs is refused rather
  /// than misread.
  static var tag: [Int] {
    WindowedInterner.recordSizes + Prefilter.checkTypes.flatMap { $0.recordSizes }
  }

  /// The names of the name tables' parts, in the order they are written.
  static let nameParts = ["accounts", "fields", "values"]

  /// The bytes of `filter`'s whole state.
  static func write(_ filter: Prefilter) -> [UInt8] {
    var writer = StateWriter()
    write(filter, to: &writer)
    return writer.sealed()
  }

  /// Writes `filter`'s whole state to `writer`, to be sealed by the caller
  /// (``StateWriter/sealed()`` or ``StateWriter/finish()``).
  static func write(_ filter: Prefilter, to writer: inout StateWriter) {
    writer.write(version)
    writer.write(tag)
    writer.write(String(describing: filter.configuration))
    writer.write(filter.nextSeq)
    writer.write(filter.now)
    writer.write(filter.nextSweep)
    for (name, table) in zip(nameParts, [filter.names.accounts, filter.names.fields, filter.names.values]) {
      writer.write(name)
      writer.writePart { table.write(to: &$0) }
    }
    for check in filter.checks {
      writer.write(type(of: check).partName)
      writer.writePart { check.write(to: &$0) }
    }
  }

  /// The pre-filter whose state `bytes` hold, made with `configuration`,
  /// before its invariants are checked.
  ///
  /// - Throws: ``PrefilterCheckpointError``.
  static func read(_ bytes: [UInt8], configuration: PrefilterConfiguration) throws(PrefilterCheckpointError)
    -> Prefilter
  {
    try read(StateChunks(bytes), configuration: configuration)
  }

  /// The pre-filter whose state the chunks of `sealed` hold, made with
  /// `configuration`, before its invariants are checked: the checksum is
  /// checked over every chunk first, then the state is read one chunk at a time.
  ///
  /// - Throws: ``PrefilterCheckpointError``.
  static func read(_ sealed: StateChunks, configuration: PrefilterConfiguration) throws(PrefilterCheckpointError)
    -> Prefilter
  {
    try framing {
      var reader = try StateReader(sealed: sealed)
      guard try reader.read(Int.self) == version, try reader.readArray(Int.self) == tag else {
        throw PrefilterCheckpointError.otherFormat
      }
      guard try reader.readString() == String(describing: configuration) else {
        throw PrefilterCheckpointError.otherConfiguration
      }
      let nextSeq = try reader.read(Int.self), now = try reader.read(Int64.self),
        nextSweep = try reader.read(Int64.self)
      func part<T>(_ name: String, _ body: (inout StateReader) throws(StateReaderError) -> T) throws(StateReaderError)
        -> T
      {
        guard try reader.readString() == name else { throw .malformed }
        return try reader.readPart(body)
      }
      var names = PrefilterNames()
      names.accounts = try part(nameParts[0]) { reader throws(StateReaderError) in try WindowedInterner(from: &reader) }
      names.fields = try part(nameParts[1]) { reader throws(StateReaderError) in try WindowedInterner(from: &reader) }
      names.values = try part(nameParts[2]) { reader throws(StateReaderError) in try WindowedInterner(from: &reader) }
      var checks: [any PrefilterCheck] = []
      for type in Prefilter.checkTypes {
        checks.append(
          try part(type.partName) { reader throws(StateReaderError) in
            try type.init(configuration: configuration, from: &reader)
          })
      }
      guard reader.isAtEnd, nextSeq >= 0 else { throw PrefilterCheckpointError.damaged }
      return Prefilter(
        configuration: configuration, nextSeq: nextSeq, now: now, nextSweep: nextSweep, names: names, checks: checks)
    }
  }

  /// The parts of a checkpoint written by this build, by name, with the
  /// range of each one's bytes (its name and length excluded): for tools and
  /// tests that inspect or damage one part.
  ///
  /// - Throws: ``PrefilterCheckpointError``, as ``read(_:configuration:)``
  ///   does for the framing.
  static func parts(of bytes: [UInt8]) throws(PrefilterCheckpointError) -> [(name: String, bytes: Range<Int>)] {
    try framing {
      var reader = try StateReader(sealed: bytes)
      guard try reader.read(Int.self) == version, try reader.readArray(Int.self) == tag else {
        throw PrefilterCheckpointError.otherFormat
      }
      _ = try reader.readString()
      _ = try reader.read(Int.self)
      _ = try reader.read(Int64.self)
      _ = try reader.read(Int64.self)
      var parts: [(name: String, bytes: Range<Int>)] = []
      while !reader.isAtEnd {
        let name = try reader.readString()
        parts.append((name, try reader.skipPart()))
      }
      return parts
    }
  }

  /// Runs `body`, which reads a checkpoint, with its errors in the one form
  /// callers see: a ``PrefilterCheckpointError`` as it is, a broken seal as
  /// ``PrefilterCheckpointError/checksumMismatch``, anything else (bytes cut
  /// short, a malformed part) as ``PrefilterCheckpointError/damaged``.
  private static func framing<T>(_ body: () throws -> T) throws(PrefilterCheckpointError) -> T {
    do {
      return try body()
    } catch let error as PrefilterCheckpointError {
      throw error
    } catch StateReaderError.checksumMismatch {
      throw .checksumMismatch
    } catch let StateReaderError.unreadable(reason) {
      throw .unreadable(reason)
    } catch {
      throw .damaged
    }
  }
}

extension Prefilter {
  /// The whole state of the pre-filter as bytes (``PrefilterCheckpoint``):
  /// with ``init(configuration:checkpoint:)`` it gives a pre-filter that
  /// decides every later event exactly as this one would.
  /// `fraudscan filter --state` stores one in SQLite now and then, so a
  /// restart resumes from it instead of replaying the whole stream.
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
    PrefilterCheckpoint.write(self)
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
    try self.init(configuration: configuration, checkpoint: StateChunks(checkpoint))
  }

  /// Restores a pre-filter from a checkpoint kept in chunks (the rows of a
  /// ``DecisionLog``), holding one chunk at a time besides the state; the
  /// same checks as ``init(configuration:checkpoint:)-([UInt8])``.
  ///
  /// - Throws: ``PrefilterCheckpointError``.
  init(configuration: Configuration, checkpoint: StateChunks) throws(PrefilterCheckpointError) {
    self = try PrefilterCheckpoint.read(checkpoint, configuration: configuration)
    if let violation = invariantViolation() { throw .inconsistent(violation) }
  }
}
