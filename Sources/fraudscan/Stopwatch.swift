#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock timing and memory figures for `fraudscan bench`.
enum Stopwatch {
  /// Seconds on the monotonic clock.
  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Runs `body` and returns its result with the seconds it took.
  static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = now()
    let result = try body()
    return (result, now() - start)
  }

  /// The process's peak resident memory so far, in bytes.
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
  }

  /// The process's resident memory now, in bytes (Linux: /proc/self/statm;
  /// elsewhere the peak, which is all that is portable).
  static func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return peakResidentBytes() }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { s in
      withUnsafeMutablePointer(to: &resident) { r in
        withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) }
      }
    }) == 2 else { return peakResidentBytes() }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
  }
}
