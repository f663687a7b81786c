import SignalGraph

/// Reads a stored event by its seq on a SQLite connection of its own: how
/// the commit thread finds the earlier event of a retried client id
/// (``DecisionEngine``) while the writer thread writes a group on the
/// log's connection. A SQLite connection is used by one thread at a time
/// (it is opened without SQLite's mutex), so the commit thread never reads
/// through the writer's.
///
/// Each read is a transaction of its own, so it sees every group committed
/// before it began (the file is in WAL mode: readers do not wait for the
/// writer, nor it for them). An event of a group not yet committed is not
/// here: the engine looks for it in the groups in flight first.
///
/// The connection refuses writes (`PRAGMA query_only`).
final class StoredEventReader {
  private let path: String
  private let connection: SQLiteDatabase
  private let bySeq: SQLiteStatement

  /// An event found by its seq: what a retry of it is compared with and answered.
  struct Event {
    var clientID: [UInt8]?
    var line: [UInt8]
    var answer: [UInt8]
  }

  /// A reader of the state file at `path`, whose service tables exist (``ServeStore``).
  init(path: String) throws(ServeError) {
    self.path = path
    do {
      connection = try SQLiteDatabase(path: path, create: false)
      try connection.execute("PRAGMA query_only = 1")
      bySeq = try connection.prepare(
        "SELECT e.client_id, e.line, l.line FROM \(ServeStore.eventsWithAnswers) WHERE e.seq = ?1")
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
  }

  /// The stored event `seq`, if it is committed.
  func event(seq: Int) throws(ServeError) -> Event? {
    defer { bySeq.reset() }  // ends the read transaction: the next read sees the latest commits
    bySeq.bind(1, Int64(seq))
    do {
      guard try bySeq.step() else { return nil }
    } catch {
      throw .state(path: path, problem: "\(error)")
    }
    return Event(clientID: bySeq.isNull(0) ? nil : bySeq.blob(0), line: bySeq.blob(1), answer: bySeq.blob(2))
  }
}
