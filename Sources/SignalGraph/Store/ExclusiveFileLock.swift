#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a lock file, held until the
/// object goes away (or the process ends, however it ends: the kernel drops
/// the lock, so a killed run leaves no stale lock behind). ``DecisionLog``
/// takes one beside its state file so that two `filter` runs cannot append
/// to the same log at once. Two opens in one process exclude each other
/// too, as each has its own open file description.
///
///     let lock = try ExclusiveFileLock(path: "state.sqlite.lock", lockedResource: "state.sqlite")   // held
///     try ExclusiveFileLock(path: "state.sqlite.lock", lockedResource: "state.sqlite")
///     // throws .locked(path: "state.sqlite")
///
/// - Throws: ``SignalStoreError/locked(path:)`` at once when another holder
///   has it (never waits), ``SignalStoreError/cannotOpen(path:reason:)`` when
///   the lock file cannot be created.
package final class ExclusiveFileLock {
  private let descriptor: Int32

  /// Creates `path` if needed and takes the lock without waiting.
  package init(path: String, lockedResource: String) throws {
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw SignalStoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let error = errno
      if error == EINTR { continue }
      // No close here: the instance is fully initialised, so throwing runs
      // `deinit`, which closes the descriptor. Closing it twice could close
      // a descriptor number another thread has since been given.
      if error == EWOULDBLOCK { throw SignalStoreError.locked(path: lockedResource) }
      throw SignalStoreError.cannotOpen(path: path, reason: String(cString: strerror(error)))
    }
  }

  deinit { if descriptor >= 0 { close(descriptor) } }
}
