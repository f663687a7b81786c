import ArgumentParser
import Foundation

/// How a command prints: a table for people, JSON for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

/// How `scan` prints: the two formats above, or CSV for spreadsheets.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv, accounts
}

/// Writing to standard output without buffering surprises.
enum Output {
  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static func write(_ data: Data) {
    FileHandle.standardOutput.write(data)
  }

  /// Writes `text` to standard error, for what a person must see even when
  /// standard output goes to a file or a program.
  static func warn(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}

/// Plain-text tables with aligned columns.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  /// Columns whose cells are right-aligned (numbers).
  var rightAligned: Set<Int> = []

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return rightAligned.contains(c) ? pad + cell : cell + pad
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    var out = line(header) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows { out += line(row) + "\n" }
    return out
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
