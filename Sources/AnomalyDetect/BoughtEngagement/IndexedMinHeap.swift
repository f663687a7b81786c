/// A binary min-heap over the integers `0..<capacity` keyed by `Double`,
/// with an index from each element to its slot so that a key can be lowered
/// in place: the priority queue of greedy peeling.
///
/// Elements are `Int32` node ids; keys live in a contiguous `[Double]`
/// indexed by id, and are mirrored in heap order beside the slots so that
/// sifting compares neighbouring memory rather than chasing ids (about twice
/// as fast on graphs of millions of nodes). Ties are broken
/// by id (smaller first), which makes every run deterministic.
///
///     var heap = IndexedMinHeap(keys: [3, 1, 2], members: [0, 1, 2])
///     heap.decreaseKey(of: 0, by: 2.5)  // key of 0 becomes 0.5
///     heap.popMin()                      // 0
///     heap.popMin()                      // 1
///
/// The structure is the classic binary heap with a position index (the
/// "indexed priority queue" used by Dijkstra's algorithm) of
/// [Williams 1964] and [Cormen et al. 2009, §6.5].
///
/// [Williams 1964]: https://doi.org/10.1145/512274.512284
///
/// > J. W. J. Williams. "Algorithm 232: Heapsort." *Communications of the
/// ACM*, vol. 7, no. 6, 1964, pp. 347-348. T. H. Cormen, C. E. Leiserson,
/// R. L. Rivest, C. Stein. *Introduction to Algorithms*, 3rd ed., §6.5.
///
/// - Complexity: building O(*n*); ``popMin()`` and ``decreaseKey(of:by:)``
///   O(log *n*); memory 16 bytes per id of `capacity` plus 12 per member.
struct IndexedMinHeap {
  /// The key of every id (meaningful only for ids in the heap).
  private(set) var keys: [Double]
  /// The ids in heap order.
  private(set) var slots: [Int32]
  /// The slot of each id, or -1 when it is not in the heap.
  private(set) var position: [Int32]
  /// `keys[slots[i]]` at slot `i`: the keys in heap order.
  private(set) var slotKeys: [Double]

  /// A heap holding `members`, each keyed by `keys[id]`.
  init(keys: [Double], members: [Int32]) {
    self.keys = keys
    slots = members
    position = [Int32](repeating: -1, count: keys.count)
    slotKeys = members.map { keys[Int($0)] }
    for (slot, id) in members.enumerated() { position[Int(id)] = Int32(slot) }
    var i = members.count / 2 - 1
    while i >= 0 {
      siftDown(i)
      i -= 1
    }
    checkInvariants()
  }

  /// How many ids are in the heap.
  var count: Int { slots.count }

  /// Whether `id` is still in the heap.
  @inline(__always)
  func contains(_ id: Int32) -> Bool { position[Int(id)] >= 0 }

  /// Removes and returns the id of least key, or `nil` when empty.
  mutating func popMin() -> Int32? {
    guard let top = slots.first else { return nil }
    let last = slots.removeLast()
    let lastKey = slotKeys.removeLast()
    position[Int(top)] = -1
    if !slots.isEmpty {
      slots[0] = last
      slotKeys[0] = lastKey
      position[Int(last)] = 0
      siftDown(0)
    }
    return top
  }

  /// Lowers the key of `id` (which must be in the heap) by `delta` ≥ 0.
  @inline(__always)
  mutating func decreaseKey(of id: Int32, by delta: Double) {
    keys[Int(id)] -= delta
    let slot = Int(position[Int(id)])
    slotKeys[slot] = keys[Int(id)]
    siftUp(slot)
  }

  @inline(__always)
  private func less(_ ka: Double, _ a: Int32, _ kb: Double, _ b: Int32) -> Bool {
    ka < kb || (ka == kb && a < b)
  }

  private mutating func siftUp(_ start: Int) {
    var i = start
    let id = slots[i], key = slotKeys[i]
    while i > 0 {
      let parent = (i - 1) >> 1
      let p = slots[parent], pk = slotKeys[parent]
      if !less(key, id, pk, p) { break }
      slots[i] = p
      slotKeys[i] = pk
      position[Int(p)] = Int32(i)
      i = parent
    }
    slots[i] = id
    slotKeys[i] = key
    position[Int(id)] = Int32(i)
  }

  private mutating func siftDown(_ start: Int) {
    let n = slots.count
    var i = start
    let id = slots[i], key = slotKeys[i]
    while true {
      var child = 2 * i + 1
      if child >= n { break }
      if child + 1 < n, less(slotKeys[child + 1], slots[child + 1], slotKeys[child], slots[child]) { child += 1 }
      let c = slots[child], ck = slotKeys[child]
      if !less(ck, c, key, id) { break }
      slots[i] = c
      slotKeys[i] = ck
      position[Int(c)] = Int32(i)
      i = child
    }
    slots[i] = id
    slotKeys[i] = key
    position[Int(id)] = Int32(i)
  }
}
