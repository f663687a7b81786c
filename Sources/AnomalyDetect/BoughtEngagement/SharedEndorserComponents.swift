/// Groups a block's customers (columns) so that two customers are in one
/// group when at least two block endorsers (rows) endorse both, directly or
/// through other customers: what ``EngagementBlockTest/split(rows:columns:pairs:scratch:)``
/// uses to tell two farms apart. One honest account that follows customers of
/// two farms joins nothing.
///
/// **How.** Two customers share two endorsers exactly when two endorsers
/// share both of them, so the groups are those of the union, over every pair
/// of rows (*p*, *q*), of the customers both endorse, when there are two or
/// more. Rows are taken in order; row *p* walks, for each of its customers, the
/// earlier rows through it, and joins every customer it shares with an
/// earlier row *q* to the first one it found in *q*. A row whose customers are
/// all in one group already can join nothing new, now or later (every pair it
/// is part of lies inside its own customers), so it is skipped and never
/// walked again: on a complete block the second row joins everything and
/// the rest cost one `find` per endorsement.
///
/// **Bound.** Deciding whether any two customers share two endorsers is
/// deciding whether the bipartite graph has a 4-cycle, for which no
/// linear-time method is known, and the naive count over every pair of a
/// row's customers costs rows × columns² (a complete 2 000 × 2 000 follow
/// graph did not finish in 5 minutes). So the walk has a budget of
/// ``workPerEdge`` steps per endorsement: once it is spent, each later row
/// that still spans two groups joins all its customers outright (a coarser
/// grouping; the block test and the peeling in
/// ``EngagementBlockTest/blocks(rows:columns:pairs:set:scratch:depth:)`` then
/// split a part that is not one block). The result is exact whenever the
/// budget suffices, which it does by far on every fixture and synthetic set.
///
/// - Complexity: O(*e* · α(*e*)) time and O(*e*) memory for *e* endorsements
///   in the block (at most ``workPerEdge`` · *e* + *e* walk steps).
struct SharedEndorserComponents {
  /// Walk steps allowed per endorsement before rows join their customers outright.
  static let workPerEdge = 16

  /// Whether the budget ran out (the grouping is then coarser than exact).
  private(set) var budgetExceeded = false
  private var sets: DisjointSets

  /// Groups `columnCount` customers given each row's customers
  /// (`rowColumns[p]`, indices into `0..<columnCount`, each at most once per row).
  init(columnCount: Int, rowColumns: [[Int]]) {
    var offsets = [0]
    offsets.reserveCapacity(rowColumns.count + 1)
    for list in rowColumns { offsets.append(offsets[offsets.count - 1] + list.count) }
    self.init(columnCount: columnCount, rowOffsets: offsets, columns: rowColumns.flatMap { $0 })
  }

  /// The same grouping, with row *p*'s customers given as
  /// `columns[rowOffsets[p]..<rowOffsets[p + 1]]` (one flat array rather
  /// than an array per row).
  init(columnCount: Int, rowOffsets: [Int], columns: [Int]) {
    sets = DisjointSets(count: columnCount)
    let rowCount = rowOffsets.count - 1
    var budget = Self.workPerEdge * columns.count
    // The earlier rows through each column that still spanned two groups when taken.
    var earlier = [[Int32]](repeating: [], count: columnCount)
    // For an earlier row: the first customer of the current row found in it, and which row that was.
    var first = [Int32](repeating: 0, count: rowCount)
    var firstFor = [Int32](repeating: -1, count: rowCount)
    for p in 0..<rowCount where rowOffsets[p + 1] - rowOffsets[p] >= 2 {
      let list = columns[rowOffsets[p]..<rowOffsets[p + 1]]
      let head = list[list.startIndex]
      let root = sets.find(head)
      guard list.contains(where: { sets.find($0) != root }) else { continue }
      if budget <= 0 {
        budgetExceeded = true
        for c in list.dropFirst() { sets.union(head, c) }
        continue
      }
      for c in list {
        budget -= earlier[c].count
        for q in earlier[c] {
          if firstFor[Int(q)] == Int32(p) {
            sets.union(Int32(c), first[Int(q)])
          } else {
            firstFor[Int(q)] = Int32(p)
            first[Int(q)] = Int32(c)
          }
        }
      }
      for c in list { earlier[c].append(Int32(p)) }
    }
  }

  mutating func group(of c: Int) -> Int { sets.find(c) }
}
