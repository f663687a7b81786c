extension Matrix: CustomStringConvertible {
  /// A multi-line rendering, one matrix row per line; large matrices show
  /// only their shape.
  public var description: String {
    if rows * columns > 400 { return "Matrix(\(rows) × \(columns))" }
    var lines = ["Matrix(\(rows) × \(columns))"]
    for i in 0..<rows {
      lines.append("  " + (0..<columns).map { "\(self[i, $0])" }.joined(separator: "  "))
    }
    return lines.joined(separator: "\n")
  }
}
