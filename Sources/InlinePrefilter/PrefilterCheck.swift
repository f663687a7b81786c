@_spi(Checkpoint) import SignalGraph

/// One incremental check of the ``Prefilter``, the streaming counterpart of
/// a scan ``Detector``: it keeps its own state up to date event by event and
/// says which events to hold and which earlier admits to revoke.
///
/// Each check lives in a file of its own, names the paper or idea it
/// follows, and has its own ``Thresholds`` (a field of
/// ``PrefilterConfiguration``). Everything the pre-filter does to all its
/// checks goes through this protocol: deciding an event, evicting what left
/// the window, forgetting released ids, counting what is held, writing and
/// restoring its checkpoint part, checking its invariants. ``Prefilter``
/// lists the checks once (``Prefilter/checkTypes``); adding a check is its
/// own file, its thresholds in the configuration and that one line.
///
/// A check is offered the events of the kinds it ``watches`` (a
/// ``PrefilterEvent``) and answers ``CheckOutcome/admit`` for any other;
/// each conforming type forwards the kind it watches to its own typed
/// `check` method.
protocol PrefilterCheck: Sendable {
  /// The check's knobs: a `Codable` value kept in ``PrefilterConfiguration``.
  associatedtype Thresholds: Sendable, Equatable, Codable

  /// Where the check's thresholds sit in a configuration, e.g. `\.cycles`.
  static var thresholdsKey: KeyPath<PrefilterConfiguration, Thresholds> { get }
  /// The name of the check's part of a checkpoint, e.g. `cycles`.
  static var partName: String { get }
  /// The sizes of the records the check's checkpoint part copies as raw
  /// bytes: part of the checkpoint's tag, so that a build whose layout
  /// differs refuses the checkpoint instead of misreading it.
  static var recordSizes: [Int] { get }
  /// The kinds of event the check decides; ``Prefilter`` offers it no other,
  /// so an event costs one call per check that watches its kind.
  static var watches: [PrefilterEvent.Kind] { get }
  /// How long past the history window the check's state may still name an
  /// account, value or field (the cycle window, the sync time, ...): what
  /// ``PrefilterConfiguration/idleSeconds`` adds to the window.
  static func reachBeyondWindow(_ configuration: PrefilterConfiguration) -> Int64

  /// A check with empty state.
  init(configuration: PrefilterConfiguration)
  /// Restores the state written by ``write(to:)``.
  /// - Throws: ``StateReaderError`` when the bytes are not such a state.
  init(configuration: PrefilterConfiguration, from reader: inout StateReader) throws(StateReaderError)

  /// Decides event `seq` (at `time`; the stream's clock is `now`): reasons to
  /// hold it and earlier admits to revoke, ``CheckOutcome/admit`` for an
  /// event the check does not watch. `names` holds the ids of the event's
  /// accounts and fields; a check may intern more (profile values).
  mutating func check(_ event: PrefilterEvent, seq: Int, time: Int64, now: Int64, names: inout PrefilterNames)
    -> CheckOutcome
  /// Drops what is older than the check's window before `now` (bounded memory).
  mutating func evict(now: Int64)
  /// Drops everything that names a released id, whose ids are about to be reused.
  mutating func forget(_ released: ReleasedIds)
  /// Adds what the check holds to `footprint`.
  func addFootprint(to footprint: inout PrefilterFootprint)
  /// Writes the check's whole state, its checkpoint part.
  func write(to writer: inout StateWriter)
  /// The first broken invariant of the check's state, in words, or `nil`:
  /// every id it holds is live in `names`, its indexes agree.
  func invariantViolation(names: PrefilterNames) -> String?
}

extension PrefilterCheck {
  /// The check's thresholds in `configuration`.
  static func thresholds(in configuration: PrefilterConfiguration) -> Thresholds {
    configuration[keyPath: thresholdsKey]
  }
}
