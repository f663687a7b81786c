import Foundation
import SignalGraph

extension ScanConfiguration {
  /// The formats of a settings file.
  ///
  ///     ScanConfiguration.FileFormat(path: "settings.toml")   // .toml
  public enum FileFormat: String, Sendable, CaseIterable {
    /// JSON: `{"structured-flow": {"min_score": 5}}`.
    case json
    /// TOML: `[structured-flow]` then `min_score = 5`.
    case toml

    /// The format a file's extension names: TOML for `.toml`, JSON otherwise.
    public init(path: String) {
      self = path.lowercased().hasSuffix(".toml") ? .toml : .json
    }
  }

  /// The settings of the file at `path` (TOML when it ends in `.toml`, else
  /// JSON), merged over the defaults: a setting the file does not name keeps
  /// its default.
  ///
  ///     // settings.toml:  [structured-flow]
  ///     //                 min_score = 5
  ///     let configuration = try ScanConfiguration(contentsOfFile: "settings.toml")
  ///     configuration.structuredFlow.minScore   // 5
  /// - Throws: ``ScanConfigurationError`` naming the file and the setting at fault.
  public init(contentsOfFile path: String) throws(ScanConfigurationError) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadable(file: path, reason: "not UTF-8 text")
    }
    try self.init(parsing: text, format: FileFormat(path: path), file: path)
  }

  /// The settings of the file at `path` (the defaults without one), with
  /// the endorsement kinds of `endorsementListing` (`"follow,like,vouch"`,
  /// what `scan --endorsements` takes) in place of the file's when given:
  /// the flag wins, the file's disapproval kinds stay.
  ///
  ///     let c = try ScanConfiguration(file: "settings.toml", endorsementListing: "follow,vouch")
  ///     c.endorsements.kinds   // ["follow", "vouch"]
  /// - Throws: ``ScanConfigurationError`` for the file, ``EndorsementPolicyError`` for the listing.
  public init(file path: String?, endorsementListing: String?) throws {
    self = ScanConfiguration()
    if let path { self = try ScanConfiguration(contentsOfFile: path) }
    if let endorsementListing {
      let kinds = try EndorsementPolicy(listing: endorsementListing).kinds
      endorsements = EndorsementPolicy(kinds: kinds, disapprovalKinds: endorsements.disapprovalKinds)
    }
  }

  /// The settings of `text`, a settings file in `format` named `file` in
  /// errors, merged over the defaults.
  ///
  ///     let c = try ScanConfiguration(parsing: #"{"lockstep": {"window": 3600}}"#, format: .json, file: "inline")
  ///     c.lockstep.window   // 3600
  /// - Throws: ``ScanConfigurationError`` for a malformed file, an unknown
  ///   section or key, a value of the wrong type or out of its range.
  public init(parsing text: String, format: FileFormat, file: String) throws(ScanConfigurationError) {
    let given: SettingValue
    switch format {
    case .json: given = try Self.parseJSON(text, file: file)
    case .toml: given = try Self.parseTOML(text, file: file)
    }
    let merged = try Self.merge(given, over: Self.defaultsTree, path: [], file: file)
    let decoded: ScanConfiguration
    do {
      decoded = try JSONDecoder().decode(ScanConfiguration.self, from: JSONEncoder().encode(merged))
    } catch {
      throw Self.refusal(in: given, file: file)
        ?? .malformed(file: file, format: format.rawValue.uppercased(), reason: "\(error)")
    }
    let section = Self.endorsementsSection
    for (key, kinds) in [
      ("kinds", decoded.endorsements.kinds), ("disapproval_kinds", decoded.endorsements.disapprovalKinds),
    ] {
      for kind in kinds where (try? EndorsementPolicy(listing: kind))?.kinds != [kind] {
        throw .badEndorsements(
          file: file, path: "\(section).\(key)", reason: EndorsementPolicyError.notAKind(kind).description)
      }
    }
    if decoded.endorsements.kinds.isEmpty {
      throw .badEndorsements(file: file, path: "\(section).kinds", reason: EndorsementPolicyError.empty.description)
    }
    do {
      _ = try decoded.detectors()
    } catch {
      throw .outOfRange(file: file, error)
    }
    self = decoded
  }

  /// The whole settings file, every setting at its value here, in `format`:
  /// what `fraudscan config --defaults` prints for the defaults.
  ///
  ///     print(ScanConfiguration().fileContents(format: .toml))   // [contested-reputation] …
  public func fileContents(format: FileFormat) -> String {
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      // Encoding plain numbers, text and lists cannot fail.
      return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    case .toml:
      return Self.toml(tree)
    }
  }

  // MARK: - Trees

  /// These settings as a tree of values.
  var tree: SettingValue {
    // Encoding plain numbers, text and lists, and reading them back, cannot fail.
    try! JSONDecoder().decode(SettingValue.self, from: JSONEncoder().encode(self))
  }

  /// The defaults as a tree: what a file is merged over.
  static var defaultsTree: SettingValue { ScanConfiguration().tree }

  static func parseJSON(_ text: String, file: String) throws(ScanConfigurationError) -> SettingValue {
    let data = Data(text.utf8)
    if let tree = try? JSONDecoder().decode(SettingValue.self, from: data) { return tree }
    // JSONSerialization says where the mistake is: "… around character 12."
    var reason = "not JSON"
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? reason
    }
    if let range = reason.range(of: #"character \d+"#, options: .regularExpression),
      let offset = Int(reason[range].dropFirst("character ".count))
    {
      let before = data.prefix(offset)
      let line = before.count(where: { $0 == 0x0A }) + 1
      let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
      reason += " (line \(line), column \(column))"
    }
    throw .malformed(file: file, format: "JSON", reason: reason)
  }

  /// `given` laid over `base`: every key of `given` must be one of `base`'s,
  /// of the same shape; tables merge key by key, other values replace.
  static func merge(
    _ given: SettingValue, over base: SettingValue, path: [String], file: String
  ) throws(ScanConfigurationError) -> SettingValue {
    let here = path.isEmpty ? "the file" : path.joined(separator: ".")
    guard given.hasShape(of: base) else {
      throw .wrongType(file: file, path: here, expected: base.description, found: given.renderedForError)
    }
    switch (given, base) {
    case let (.object(g), .object(b)):
      var merged = b
      for key in g.keys.sorted() {
        guard let old = b[key] else {
          throw .unknownKey(file: file, path: (path + [key]).joined(separator: "."), allowed: b.keys.sorted())
        }
        merged[key] = try merge(g[key]!, over: old, path: path + [key], file: file)
      }
      return .object(merged)
    case let (.array(items), .array):
      for item in items {
        guard case .string = item else {
          throw .wrongType(file: file, path: here, expected: "a list of kinds (text)", found: item.renderedForError)
        }
      }
      return given
    default:
      return given
    }
  }

  /// The error for the number of `given` that the decoder refuses (a
  /// fraction, or a number too large, where a whole number belongs), found
  /// by laying each number of `given` alone over the defaults.
  static func refusal(in given: SettingValue, file: String) -> ScanConfigurationError? {
    var numbers: [(path: [String], value: SettingValue)] = []
    func collect(_ v: SettingValue, _ path: [String]) {
      switch v {
      case let .object(o): for (k, x) in o { collect(x, path + [k]) }
      case .integer, .number: numbers.append((path, v))
      default: break
      }
    }
    collect(given, [])
    for (path, value) in numbers.sorted(by: { $0.path.lexicographicallyPrecedes($1.path) }) {
      var alone = value
      for key in path.reversed() { alone = .object([key: alone]) }
      guard let tree = try? merge(alone, over: defaultsTree, path: [], file: file) else { continue }
      let decodes = (try? JSONDecoder().decode(ScanConfiguration.self, from: JSONEncoder().encode(tree))) != nil
      if !decodes {
        return .wrongType(
          file: file, path: path.joined(separator: "."), expected: "a whole number (of at most 18 digits)",
          found: value.renderedForError)
      }
    }
    return nil
  }
}
