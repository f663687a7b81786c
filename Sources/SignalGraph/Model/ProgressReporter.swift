#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shows the progress of long work (ingest, scans of millions of signals) on
/// standard error when it is a terminal, and stays quiet otherwise.
///
///     let progress = ProgressReporter.terminal()   // silent under a pipe or CI
///     for rows in 1...5_000_000 {
///       progress.tick("payments.csv", rows)        // prints every 2^20 rows
///     }
///     progress.finish()
public struct ProgressReporter: Sendable {
  /// Whether anything is printed.
  public let isEnabled: Bool

  /// A reporter that never prints.
  public static let silent = ProgressReporter(isEnabled: false)

  /// A reporter that prints only when standard error is a terminal.
  public static func terminal() -> ProgressReporter {
    ProgressReporter(isEnabled: isatty(2) == 1)
  }

  /// Creates a reporter; `isEnabled` false makes every call a no-op.
  public init(isEnabled: Bool) { self.isEnabled = isEnabled }

  /// Notes that `count` items of `phase` are done; prints every 2^20 items.
  @inline(__always)
  public func tick(_ phase: String, _ count: Int) {
    if isEnabled && count & 0xF_FFFF == 0 { show("\(phase): \(count / 1_000_000).\(count % 1_000_000 / 100_000)M") }
  }

  /// Prints `message` over the current progress line.
  public func show(_ message: String) {
    guard isEnabled else { return }
    writeStandardError("\r\u{1B}[K" + message)
  }

  /// Clears the progress line.
  public func finish() {
    guard isEnabled else { return }
    writeStandardError("\r\u{1B}[K")
  }
}

/// Writes `text` to file descriptor 2, unbuffered.
func writeStandardError(_ text: String) {
  var text = text
  text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
