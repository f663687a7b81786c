import Foundation

/// The known truth of a fixture, read from its `labels.csv`: which accounts
/// take part in which kind of manipulation. Detection never reads it; the
/// replay of fixtures compares findings with it.
public struct GroundTruth: Sendable, Equatable {
  /// The three kinds of manipulation a label may name.
  public static let kinds = ["bought_engagement", "fake_profile", "circular_payment"]

  /// The accounts labelled with each kind.
  public private(set) var accountsByKind: [String: Set<String>] = [:]

  /// Creates an empty truth: every account honest.
  public init() {}

  /// Every labelled account, whatever the kind.
  public var labelledAccounts: Set<String> {
    accountsByKind.values.reduce(into: Set<String>()) { $0.formUnion($1) }
  }

  /// Reads `labels.csv` in `directory`; a directory without one is all honest.
  /// - Throws: ``SignalSetError`` naming the line and column of a bad row,
  ///   including a label that is not one of ``kinds``.
  public init(directory: String) throws {
    let path = (directory as NSString).appendingPathComponent(SignalSet.FileName.labels)
    guard FileManager.default.fileExists(atPath: path) else { return }
    try TableFile(path: path).forEachRow(required: ["account", "label"]) { row in
      let account = String(decoding: try row.nonEmpty(0, what: "an account id"), as: UTF8.self)
      let label = String(decoding: row.bytes(1), as: UTF8.self)
      guard Self.kinds.contains(label) else {
        throw row.bad(1, "is not a known kind of manipulation (\(Self.kinds.joined(separator: ", ")))")
      }
      accountsByKind[label, default: []].insert(account)
    }
  }

  /// Labels `account` with `kind`.
  public mutating func insert(_ account: String, kind: String) {
    accountsByKind[kind, default: []].insert(account)
  }
}
