/// The transpose of a compressed sparse row pattern: for each column, the
/// rows that have an entry in it, in increasing row order (a stable counting
/// sort, no comparisons).
///
///     // rows 0: [1, 2], 1: [2]  →  columns 0: [], 1: [0], 2: [0, 1]
///     let t = transposeCSR(rowOffsets: [0, 2, 3], columnIndices: [1, 2, 2], columnCount: 3)
///     t.offsets   // [0, 0, 1, 3]
///     t.indices   // [0, 0, 1]
///
/// - Complexity: O(rows + columns + entries).
func transposeCSR(rowOffsets: [Int], columnIndices: [Int32], columnCount: Int) -> (offsets: [Int], indices: [Int32]) {
  var offsets = [Int](repeating: 0, count: columnCount + 1)
  for j in columnIndices { offsets[Int(j) + 1] += 1 }
  for j in 0..<columnCount { offsets[j + 1] += offsets[j] }
  var cursor = offsets
  var indices = [Int32](repeating: 0, count: columnIndices.count)
  for i in 0..<(rowOffsets.count - 1) {
    for k in rowOffsets[i]..<rowOffsets[i + 1] {
      let j = Int(columnIndices[k])
      indices[cursor[j]] = Int32(i)
      cursor[j] += 1
    }
  }
  return (offsets, indices)
}
