import Synchronization

/// The in-process lock that the connections writing one SQLite file take
/// around each write transaction: a ``DecisionLog``'s own connection and its
/// ``CheckpointWriter``'s. SQLite lets one connection write at a time and
/// makes the other wait in its busy handler, which sleeps in steps of
/// milliseconds; waiting here instead wakes the other writer as soon as the
/// transaction ends.
package final class WriterLock: Sendable {
  private let mutex = Mutex<Void>(())

  /// A lock nobody holds.
  package init() {}

  /// Runs `body` holding the lock.
  package func withLock<T>(_ body: () throws -> T) rethrows -> T {
    mutex._unsafeLock()
    defer { mutex._unsafeUnlock() }
    return try body()
  }
}
