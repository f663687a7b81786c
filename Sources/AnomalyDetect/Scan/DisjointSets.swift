/// A union–find forest over the elements `0..<count`: which elements have
/// been joined, directly or through others, into one set.
///
///     var sets = DisjointSets(count: 4)
///     sets.union(0, 1)
///     sets.union(1, 3)
///     sets.find(3) == sets.find(0)   // true
///     sets.find(2) == sets.find(0)   // false
///     sets.size(of: 0)               // 3
///
/// Detectors use it to group accounts, values, findings, bursts or rings
/// that share something. Paths are halved on every `find` and the smaller
/// set hangs under the larger on `union` [Tarjan and van Leeuwen 1984].
/// Elements are stored as `Int32`, so a million accounts cost 8 MB.
///
/// > R. E. Tarjan, J. van Leeuwen. "Worst-case analysis of set union
/// algorithms." *Journal of the ACM*, vol. 31, no. 2, 1984, pp. 245-281.
///
/// - Complexity: `find` and `union` are O(α(*n*)) amortised.
struct DisjointSets {
  private var parent: [Int32]
  private var sizes: [Int32]

  /// `count` singleton sets.
  init(count: Int) {
    parent = (0..<Int32(count)).map { $0 }
    sizes = [Int32](repeating: 1, count: count)
  }

  /// The representative of the set that holds `x`.
  mutating func find(_ x: Int32) -> Int32 {
    var x = x
    while parent[Int(x)] != x {
      parent[Int(x)] = parent[Int(parent[Int(x)])]
      x = parent[Int(x)]
    }
    return x
  }

  /// The representative of the set that holds `x`.
  mutating func find(_ x: Int) -> Int { Int(find(Int32(x))) }

  /// Joins the sets that hold `a` and `b`.
  mutating func union(_ a: Int32, _ b: Int32) {
    var ra = find(a), rb = find(b)
    if ra == rb { return }
    if sizes[Int(ra)] < sizes[Int(rb)] { swap(&ra, &rb) }
    parent[Int(rb)] = ra
    sizes[Int(ra)] += sizes[Int(rb)]
  }

  /// Joins the sets that hold `a` and `b`.
  mutating func union(_ a: Int, _ b: Int) { union(Int32(a), Int32(b)) }

  /// The number of elements in the set that holds `x`.
  mutating func size(of x: Int32) -> Int { Int(sizes[Int(find(x))]) }
}
