extension ScanReport {
  /// The report as CSV for spreadsheets: header
  /// `rank,kind,detector,score,cluster_size,account`, then one row per
  /// (cluster, account), by rank then account; fields are quoted as RFC 4180
  /// says when they hold a comma, a quote or a line break.
  public func csv() -> String {
    var out = "rank,kind,detector,score,cluster_size,account\n"
    out.reserveCapacity(64 * clusters.reduce(1) { $0 + $1.accounts.count })
    for c in clusters {
      var prefix = "\(c.rank),\(c.kind.rawValue),"
      prefix += Self.csvField(c.detector)
      prefix += ",\(c.score),\(c.accounts.count),"
      for account in c.accounts {
        out += prefix
        out += Self.csvField(account)
        out += "\n"
      }
    }
    return out
  }

  /// `field`, quoted with inner quotes doubled if it needs quoting.
  static func csvField(_ field: String) -> String {
    guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
