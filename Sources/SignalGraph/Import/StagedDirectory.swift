import Foundation

/// A directory written under a temporary name beside its destination and
/// renamed into place only when complete, so that a failed import never
/// leaves a half-written signal set where a reader would take it for whole.
///
///     let staged = try StagedDirectory(destination: "/tmp/hi-small")
///     // … write files into staged.path …
///     try staged.commit()          // or staged.discard() on failure
///
/// The destination must not exist, or be an empty directory (rename(2)
/// replaces an empty directory in one step).
struct StagedDirectory {
  /// Where the directory goes once complete.
  let destination: String
  /// Where it is written meanwhile: `<destination>.partial-<pid>`.
  let path: String

  /// Creates the temporary directory.
  /// - Throws: ``ImportError/outputExists(path:)`` when `destination` is a
  ///   file or a non-empty directory, ``ImportError/cannotWrite(path:reason:)``
  ///   when the temporary one cannot be made.
  init(destination: String) throws(ImportError) {
    let files = FileManager.default
    var isDirectory: ObjCBool = false
    var destination = destination
    while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
    if files.fileExists(atPath: destination, isDirectory: &isDirectory) {
      let contents = (try? files.contentsOfDirectory(atPath: destination)) ?? ["?"]
      guard isDirectory.boolValue, contents.isEmpty else { throw .outputExists(path: destination) }
    }
    self.destination = destination
    path = destination + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
    try? files.removeItem(atPath: path)
    do {
      try files.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: path, reason: "\(error.localizedDescription)")
    }
  }

  /// The URL of the file `name` inside the temporary directory.
  func file(_ name: String) -> URL {
    URL(fileURLWithPath: (path as NSString).appendingPathComponent(name))
  }

  /// Renames the temporary directory to its destination.
  func commit() throws(ImportError) {
    guard rename(path, destination) == 0 else {
      let code = errno
      let reason = String(cString: strerror(code))
      discard()
      if code == ENOTEMPTY || code == EEXIST { throw .outputExists(path: destination) }
      throw .cannotWrite(path: destination, reason: reason)
    }
  }

  /// Removes the temporary directory and all it holds.
  func discard() {
    try? FileManager.default.removeItem(atPath: path)
  }
}
