import Foundation
import Testing

@testable import SignalGraph

/// Runs `body` with a fresh, empty directory under the system's temporary
/// directory, and removes the directory and everything in it afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
  let path = (NSTemporaryDirectory() as NSString)
    .appendingPathComponent("sgtests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: path) }
  return try body(path)
}

/// Writes `contents` (UTF-8, byte for byte) to `name` inside `directory` and
/// returns the file's path.
@discardableResult
func writeFile(_ directory: String, _ name: String, _ contents: String) throws -> String {
  try writeFile(directory, name, bytes: Array(contents.utf8))
}

/// Writes raw `bytes` to `name` inside `directory` and returns the file's path.
@discardableResult
func writeFile(_ directory: String, _ name: String, bytes: [UInt8]) throws -> String {
  let path = (directory as NSString).appendingPathComponent(name)
  guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
    throw CocoaError(.fileWriteUnknown)
  }
  return path
}

/// Writes a signal-set directory (file name to file contents) inside
/// `parent`, in a subdirectory `name`, and returns its path.
@discardableResult
func writeSignalSet(_ files: [String: String], in parent: String, name: String = "set") throws -> String {
  let directory = (parent as NSString).appendingPathComponent(name)
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  for (file, contents) in files { try writeFile(directory, file, contents) }
  return directory
}

/// Runs `body` with a freshly written signal-set directory (file name to
/// contents), removed afterwards.
func withSignalSet<T>(_ files: [String: String], _ body: (String) throws -> T) throws -> T {
  try withTemporaryDirectory { root in try body(try writeSignalSet(files, in: root)) }
}

/// The error `SignalSet(contentsOf:)` throws for `files`, or `nil` when it loads.
func loadError(_ files: [String: String]) throws -> (directory: String, error: SignalSetError)? {
  try withSignalSet(files) { directory in
    do {
      _ = try SignalSet(contentsOf: directory)
      return nil
    } catch let error as SignalSetError {
      return (directory, error)
    }
  }
}

/// `directory/name`, the way the loader names files in its errors.
func filePath(_ directory: String, _ name: String) -> String {
  (directory as NSString).appendingPathComponent(name)
}

/// A signal set by value, accounts named rather than indexed, so two sets
/// (one read from CSV, one loaded from a store) can be compared with `==`.
struct SetSnapshot: Equatable, CustomStringConvertible {
  struct Payment: Equatable {
    var id, src, dst: String
    var micros, time: Int64
  }
  struct Interaction: Equatable {
    var src, dst, kind: String
    var time: Int64
  }
  struct Edit: Equatable {
    var account, field, value: String
    var time: Int64
  }

  var accounts: [String] = []
  var createdAt: [Int64] = []
  var payments: [Payment] = []
  var interactions: [Interaction] = []
  var edits: [Edit] = []

  init(_ set: SignalSet) {
    let a = set.accounts
    for i in 0..<Int32(a.count) { accounts.append(a.ids[i]) }
    createdAt = a.createdAt
    let p = set.payments
    for r in 0..<p.count {
      payments.append(
        Payment(
          id: p.ids[r], src: a.ids[p.source[r]], dst: a.ids[p.target[r]],
          micros: p.amountMicros[r], time: p.time[r]))
    }
    let i = set.interactions
    for r in 0..<i.count {
      interactions.append(
        Interaction(src: a.ids[i.source[r]], dst: a.ids[i.target[r]], kind: i.kinds[i.kind[r]], time: i.time[r]))
    }
    let e = set.profileEdits
    for r in 0..<e.count {
      edits.append(
        Edit(account: a.ids[e.account[r]], field: e.fields[e.field[r]], value: e.values[e.value[r]], time: e.time[r]))
    }
  }

  var description: String {
    "accounts \(accounts) createdAt \(createdAt)\npayments \(payments)\ninteractions \(interactions)\nedits \(edits)"
  }
}

@Suite struct TestSupportTests {
  @Test func temporaryDirectoryIsRemovedAfterwards() throws {
    let directory = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\n"]) { directory in
      #expect(FileManager.default.fileExists(atPath: filePath(directory, "payments.csv")))
      return directory
    }
    #expect(!FileManager.default.fileExists(atPath: directory))
  }
}
