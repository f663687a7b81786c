/// One group of requests decided by ``DecisionEngine/decide(_:)`` on the
/// commit thread, all in memory, and not yet written: what the writer
/// thread (``GroupWriter``) writes in one transaction
/// (``DecisionEngine/write(_:)``), and what the sync stage answers once it
/// is durable.
///
/// **Immutable once decided.** The commit thread keeps a copy while the
/// group is in flight (decided, its transaction not yet committed) and the
/// writer reads another; both only read it (its arrays are shared, never
/// copied), so it crosses threads without a lock. A later group never
/// patches it: a revocation of one of its events is a row of the later
/// group's ``revocations``, written after it because groups are written in
/// the order they were decided.
///
/// **Found while in flight.** A retry of an event of this group, in a group
/// decided before this one is written, is answered from here
/// (``event(seq:)``): SQLite does not hold the event yet.
struct DecidedGroup: Sendable {
  /// The requests whose lines were decided, in order: the bytes ``rows`` point into.
  let requests: [EventBatch]
  /// The seq of the group's first new event: its rows are seqs `firstSeq ..< endSeq`.
  let firstSeq: Int
  /// The events decided, one row each, in seq order (retries and reused ids add none).
  let rows: [ServeStore.Row]
  /// Every row's decision lines, one after the other (``ServeStore/Row/answer`` names each one's range).
  let answers: [UInt8]
  /// Revocations of events of earlier groups (seq, revocation line); those
  /// of this group's own events are in their rows.
  let revocations: [(seq: Int, line: [UInt8])]
  /// The `serve_meta` values to store with the rows.
  let meta: [(String, Int64)]
  /// The ``Digest64`` of the input lines of events `0 ..< endSeq`, recorded with the log's count.
  let inputDigest: UInt64
  /// Each request's response body (``EventsResponse``), answered once the group is durable.
  let responses: [[UInt8]]
  /// The events counted by kind and outcome, and the revocations, for the metrics once written.
  let tally: EventTally
  let revoked: Int
  /// A checkpoint of the pre-filter taken at the end of this group's
  /// decisions, started once the group is committed (so that it covers
  /// exactly the events the log holds then), or abandoned if it is not.
  let checkpoint: BackgroundCheckpoint?

  /// The seq after the group's last event: the log's decided count once it is written.
  var endSeq: Int { firstSeq + rows.count }

  /// Whether `seq` is one of this group's events.
  func holds(seq: Int) -> Bool { seq >= firstSeq && seq < endSeq }

  /// The event `seq` of this group (which must hold it): its client id (nil
  /// when it had none) and line, in its request's bytes, and its decision lines.
  func event(seq: Int) -> (clientID: ArraySlice<UInt8>?, line: ArraySlice<UInt8>, answer: ArraySlice<UInt8>) {
    Self.event(seq: seq, firstSeq: firstSeq, rows: rows, answers: answers, requests: requests)
  }

  /// The event `seq` among `rows` (which start at `firstSeq`), as ``event(seq:)``
  /// gives it: also for the group being decided, before it is a `DecidedGroup`.
  static func event(
    seq: Int, firstSeq: Int, rows: [ServeStore.Row], answers: [UInt8], requests: [EventBatch]
  ) -> (clientID: ArraySlice<UInt8>?, line: ArraySlice<UInt8>, answer: ArraySlice<UInt8>) {
    let row = rows[seq - firstSeq]
    let bytes = requests[row.request].bytes
    return (row.clientID.map { bytes[$0] }, bytes[row.line], answers[row.answer])
  }

  /// Gives up the checkpoint the group carries, if any, because the group
  /// will not be written (an earlier write failed, or its own).
  func abandon(_ error: ServeError) {
    checkpoint?.abandon(error)
  }
}
