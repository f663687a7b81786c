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

  /// CPU seconds the calling thread has used: unlike wall time, it does not
  /// grow when other processes share the cores.
  static func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Runs `body` and returns its result with the wall seconds and the
  /// thread's CPU seconds it took.
  static func timeWithCPU<T>(_ body: () throws -> T) rethrows -> (T, wall: Double, cpu: Double) {
    let start = now(), startCPU = threadCPU()
    let result = try body()
    return (result, now() - start, threadCPU() - startCPU)
  }

  /// Runs `body` and returns its result with the seconds it took.
  static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = now()
    let result = try body()
    return (result, now() - start)
  }

  /// The process's peak resident memory so far, in bytes; with
  /// `sinceReset`, since the last ``resetPeakResident()`` (Linux: `VmHWM`
  /// in /proc/self/status; elsewhere the whole run's peak).
  static func peakResidentBytes(sinceReset: Bool = false) -> Int {
    if sinceReset, let file = fopen("/proc/self/status", "r") {
      defer { fclose(file) }
      var line = [CChar](repeating: 0, count: 256)
      while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:"), let kb = Int(text.dropFirst(6).filter(\.isNumber)) { return kb * 1024 }
      }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
  }

  /// Starts a new peak for ``peakResidentBytes(sinceReset:)`` (Linux: writes
  /// 5 to /proc/self/clear_refs; a no-op elsewhere).
  static func resetPeakResident() {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return }
    fputs("5", file)
    fclose(file)
  }

  /// The process's resident memory now, in bytes (Linux: /proc/self/statm;
  /// elsewhere the peak, which is all that is portable).
  static func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return peakResidentBytes() }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard
      withUnsafeMutablePointer(
        to: &size,
        { s in
          withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) }
          }
        }) == 2
    else { return peakResidentBytes() }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
  }
}
