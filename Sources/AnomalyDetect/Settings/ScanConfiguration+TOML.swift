#if canImport(TOMLReading)
  import TOMLReading
#endif

extension ScanConfiguration {
  /// The tree of a TOML settings file (read by ``TOMLDocument``).
  ///
  /// A build without the `TOMLReading` module (the fuzz harnesses, compiled
  /// by `swiftc` alone) reads JSON settings only and says so for TOML.
  static func parseTOML(_ text: String, file: String) throws(ScanConfigurationError) -> SettingValue {
    #if canImport(TOMLReading)
      let json: String
      do {
        json = try TOMLDocument.json(from: text)
      } catch {
        throw .malformed(file: file, format: "TOML", reason: error.description)
      }
      return try parseJSON(json, file: file)
    #else
      throw .malformed(
        file: file, format: "TOML", reason: "this build reads JSON settings only (no TOMLReading module)")
    #endif
  }

  /// `tree` as a TOML file: one `[section]` per table, nested tables as
  /// `[section.table]`, keys sorted.
  static func toml(_ tree: SettingValue) -> String {
    var out = "# fraudscan scan settings (fraudscan scan --config FILE); a file may name only what it changes.\n"
    guard case let .object(sections) = tree else { return out }
    func table(_ name: String, _ entries: [String: SettingValue]) {
      out += "\n[\(name)]\n"
      for key in entries.keys.sorted() {
        if case .object = entries[key]! { continue }
        out += "\(key) = \(value(entries[key]!))\n"
      }
      for key in entries.keys.sorted() {
        if case let .object(nested) = entries[key]! { table("\(name).\(key)", nested) }
      }
    }
    for name in sections.keys.sorted() {
      if case let .object(entries) = sections[name]! { table(name, entries) }
    }
    return out
  }

  /// A TOML value: numbers as Swift writes them, text quoted, lists in brackets.
  private static func value(_ v: SettingValue) -> String {
    switch v {
    case let .bool(b): return "\(b)"
    case let .integer(i): return "\(i)"
    case let .number(d): return "\(d)"
    case let .string(s):
      let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      return "\"\(escaped)\""
    case let .array(items): return "[" + items.map(value).joined(separator: ", ") + "]"
    case .object: return "{}"
    }
  }
}
