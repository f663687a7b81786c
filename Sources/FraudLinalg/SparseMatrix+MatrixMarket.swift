import Foundation

extension SparseMatrix {
  /// Writes the matrix as a Matrix Market coordinate file
  /// (`%%MatrixMarket matrix coordinate real general`, 1-based indices), the
  /// format `scipy.io.mmread` reads, so other tools can be checked on the
  /// very same matrix:
  ///
  ///     let graph = SparseMatrix.powerLawBipartite(rows: 1_000, columns: 1_000, edges: 5_000, seed: 1)
  ///     try graph.writeMatrixMarket(to: URL(fileURLWithPath: "graph.mtx"))
  ///     // python: a = scipy.io.mmread("graph.mtx").tocsr()
  ///
  /// Values are written in Swift's shortest round-trip form, so reading the
  /// file back gives bit-identical values.
  ///
  /// - Complexity: O(`nonzeroCount`)
  public func writeMatrixMarket(to url: URL) throws {
    var text = "%%MatrixMarket matrix coordinate real general\n"
    text += "% written by fraudscan FraudLinalg\n"
    text += "\(rows) \(columns) \(nonzeroCount)\n"
    var data = Data(text.utf8)
    var chunk = ""
    chunk.reserveCapacity(1 << 20)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        chunk += "\(i + 1) \(Int(columnIndices[p]) + 1) \(values[p])\n"
        if chunk.utf8.count > (1 << 20) {
          data.append(contentsOf: chunk.utf8)
          chunk.removeAll(keepingCapacity: true)
        }
      }
    }
    data.append(contentsOf: chunk.utf8)
    try data.write(to: url, options: .atomic)
  }

  /// Reads a Matrix Market coordinate file of real or integer values, in
  /// `general` or `symmetric` form, as written by ``writeMatrixMarket(to:)``
  /// or scipy. Duplicate entries are summed.
  ///
  /// - Throws: ``MatrixMarketError`` if the file is not a coordinate file of
  ///   that kind or a line cannot be parsed.
  /// - Complexity: O(`nonzeroCount + rows + columns`)
  public init(matrixMarketAt url: URL) throws {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
    guard let header = lines.next()?.lowercased(), header.hasPrefix("%%matrixmarket matrix coordinate"),
      header.contains("real") || header.contains("integer")
    else { throw MatrixMarketError.unsupportedHeader }
    let symmetric = header.contains("symmetric")
    var sizeLine: Substring? = nil
    while let line = lines.next() {
      if !line.hasPrefix("%") {
        sizeLine = line
        break
      }
    }
    let size = sizeLine?.split(separator: " ").compactMap { Int($0) } ?? []
    guard size.count == 3 else { throw MatrixMarketError.malformedLine(String(sizeLine ?? "")) }
    var r = [Int](), c = [Int](), v = [Double]()
    r.reserveCapacity(size[2])
    c.reserveCapacity(size[2])
    v.reserveCapacity(size[2])
    while let line = lines.next() {
      if line.hasPrefix("%") { continue }
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 3, let i = Int(fields[0]), let j = Int(fields[1]), let x = Double(fields[2]),
        (1...size[0]).contains(i), (1...size[1]).contains(j)
      else { throw MatrixMarketError.malformedLine(String(line)) }
      r.append(i - 1)
      c.append(j - 1)
      v.append(x)
      if symmetric && i != j {
        r.append(j - 1)
        c.append(i - 1)
        v.append(x)
      }
    }
    self.init(rows: size[0], columns: size[1], rowIndices: r, columnIndices: c, values: v)
  }
}

/// Why a Matrix Market file could not be read.
public enum MatrixMarketError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The first line is not `%%MatrixMarket matrix coordinate real|integer …`.
  case unsupportedHeader
  /// A size or entry line could not be parsed or is out of range.
  case malformedLine(String)

  /// A sentence explaining the failure to a person.
  public var description: String {
    switch self {
    case .unsupportedHeader: return "not a Matrix Market coordinate file of real or integer values"
    case .malformedLine(let line): return "cannot parse Matrix Market line: \(line)"
    }
  }
}
