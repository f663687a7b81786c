import Foundation

/// The known truth of a fixture, read from its `labels.csv`: which accounts
/// take part in which kind of manipulation, and which are known to be benign
/// (label `honest`). Detection never reads it; the replay of fixtures
/// compares findings with it. Whether accounts without a label are honest
/// (complete labels) or unknown (partial labels, as in REV2's Bitcoin OTC
/// truth) is for the fixture's expectation to say.
public struct GroundTruth: Sendable, Equatable {
  /// The label of a known benign account; every other label names a
  /// ``ManipulationKind`` by its raw value.
  public static let honestLabel = "honest"

  /// The accounts labelled with each kind.
  public private(set) var accountsByKind: [ManipulationKind: Set<String>] = [:]
  /// The accounts labelled `honest`: known benign.
  public private(set) var honestAccounts: Set<String> = []

  /// Creates an empty truth: every account honest.
  public init() {}

  /// Every account labelled with a kind of manipulation, whatever the kind
  /// (`honest` accounts are not among them).
  public var labelledAccounts: Set<String> {
    accountsByKind.values.reduce(into: Set<String>()) { $0.formUnion($1) }
  }

  /// Reads `labels.csv` in `directory`; a directory without one is all honest.
  /// - Throws: ``SignalSetError`` naming the line and column of a bad row,
  ///   including a label that names neither a ``ManipulationKind`` nor `honest`.
  public init(directory: String) throws {
    let path = (directory as NSString).appendingPathComponent(SignalSet.FileName.labels)
    guard FileManager.default.fileExists(atPath: path) else { return }
    try TableFile(path: path).forEachRow(required: ["account", "label"]) { row in
      let account = String(decoding: try row.nonEmpty(0, what: "an account id"), as: UTF8.self)
      let label = String(decoding: row.bytes(1), as: UTF8.self)
      if label == Self.honestLabel {
        honestAccounts.insert(account)
        return
      }
      guard let kind = ManipulationKind(rawValue: label) else {
        throw row.bad(1, "is not a known label (\(Self.knownLabels))")
      }
      accountsByKind[kind, default: []].insert(account)
    }
  }

  /// Labels `account` with `kind`.
  public mutating func insert(_ account: String, kind: ManipulationKind) {
    accountsByKind[kind, default: []].insert(account)
  }

  /// Labels `account` as known benign (`honest`).
  public mutating func insertHonest(_ account: String) {
    honestAccounts.insert(account)
  }

  /// Every label `labels.csv` may hold, for error messages.
  static var knownLabels: String {
    (ManipulationKind.allCases.map(\.rawValue) + [honestLabel]).joined(separator: ", ")
  }
}
