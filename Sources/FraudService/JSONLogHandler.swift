import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard
/// error: `ts` (ISO-8601 UTC), `level`, `label`, `message`, and the
/// metadata as string fields, for a log pipeline to index
/// (`fraudscan serve --log-format json`).
///
///     LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: .info) }
///     // {"ts":"2026-12-01T16:43:22Z","level":"info","label":"fraudscan.serve","message":"listening","port":"8080"}
public struct JSONLogHandler: LogHandler {
  /// The logger's label.
  public let label: String
  /// The least severe level written.
  public var logLevel: Logger.Level
  /// Metadata added to every line of this logger.
  public var metadata: Logger.Metadata = [:]

  /// A handler for the logger named `label`, writing `level` and above.
  public init(label: String, level: Logger.Level = .info) {
    self.label = label
    logLevel = level
  }

  /// One metadata value of this logger.
  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Writes one line.
  public func log(event: LogEvent) {
    var fields: [(String, String)] = [
      ("ts", ISO8601DateFormatter().string(from: Date())), ("level", event.level.rawValue), ("label", label),
      ("message", "\(event.message)"),
    ]
    let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
    for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
    var line: [UInt8] = [UInt8(ascii: "{")]
    for (i, (key, value)) in fields.enumerated() {
      if i > 0 { line.append(UInt8(ascii: ",")) }
      JSONResponse.appendString(key, to: &line)
      line.append(UInt8(ascii: ":"))
      JSONResponse.appendString(value, to: &line)
    }
    line += "}\n".utf8
    FileHandle.standardError.write(Data(line))
  }
}
