import Foundation

extension Thread {
  /// Starts `body` on a new thread named `name` (at most 15 bytes: Linux
  /// keeps no more), so that `top -H`, `perf` and `/proc/PID/task/*/comm`
  /// tell the service's threads apart. `Thread.name` does not: on Linux,
  /// Foundation leaves the new thread with the name of the one that started
  /// it (`com.apple.root.default-qos`, cut to `oot.default-qos`), and the
  /// Glibc module does not export `pthread_setname_np`; the thread writes
  /// its name to `/proc/thread-self/comm` instead.
  static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
    precondition(name.utf8.count <= 15, "Linux keeps 15 bytes of a thread's name")
    let thread = Thread {
      #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        if fd >= 0 {
          _ = name.withCString { write(fd, $0, strlen($0)) }
          close(fd)
        }
      #endif
      body()
    }
    thread.name = name
    thread.start()
  }
}
