import Foundation

/// Where a command's signals come from: a signal-set directory of CSV files
/// or a SQLite ``SignalStore``. Every command that takes one takes the other.
///
///     let set = try SignalSource(path: "signals.sqlite").load()   // or a directory of CSV files
public enum SignalSource: Sendable, Equatable {
  /// A directory of CSV files, as the contract describes.
  case directory(String)
  /// A SQLite file written by `fraudscan ingest`.
  case store(String)

  /// Recognises `path`: a directory, or a file that starts with SQLite's magic header.
  /// - Throws: ``SignalSetError/notASignalSet(path:reason:)`` for anything else.
  public init(path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw SignalSetError.notASignalSet(path: path, reason: "no such file or directory")
    }
    if isDirectory.boolValue {
      self = .directory(path)
      return
    }
    let header = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 16) }
    guard let header, header.elementsEqual(Array("SQLite format 3\0".utf8)) else {
      throw SignalSetError.notASignalSet(
        path: path, reason: "neither a directory of CSV files nor a SQLite store written by `fraudscan ingest`")
    }
    self = .store(path)
  }

  /// The path given.
  public var path: String {
    switch self {
    case let .directory(p), let .store(p): return p
    }
  }

  /// Reads every signal into memory.
  public func load(progress: ProgressReporter = .silent) throws -> SignalSet {
    switch self {
    case let .directory(path): return try SignalSet(contentsOf: path, progress: progress)
    case let .store(path): return try SignalStore(path: path, create: false).load(progress: progress)
    }
  }
}
