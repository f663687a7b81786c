/// A four-ary min-heap over the integers `0..<capacity` keyed by `Double`,
/// with an index from each element to its slot so that a key can be lowered
/// in place: the priority queue of greedy peeling.
///
/// Elements are `Int32` node ids; keys live in a contiguous buffer indexed
/// by id, and are mirrored in heap order beside each slot's id, so that
/// sifting compares neighbouring memory rather than chasing ids (about twice
/// as fast on graphs of millions of nodes). Each slot has four children,
/// which share one cache line: half the levels of a binary heap, so a
/// lowered key climbs half as far. Ties are broken by id (smaller
/// first), which makes every run deterministic: the order of the pops
/// depends only on the keys, never on the heap's layout.
///
///     var heap = IndexedMinHeap(keys: [3, 1, 2], members: [0, 1, 2])
///     heap.decreaseKey(of: 0, by: 2.5)  // key of 0 becomes 0.5
///     heap.popMin()                      // 0
///     heap.popMin()                      // 1
///
/// The heap is non-copyable and owns its four buffers: peeling lowers a key
/// for every edge, and plain arrays inside a mutating value would check
/// their uniqueness and bounds on each of those writes (a fifth of a
/// peeling's instructions).
///
/// The structure is the classic heap with a position index (the "indexed
/// priority queue" used by Dijkstra's algorithm) of [Williams 1964] and
/// [Cormen et al. 2009, §6.5], with the d-ary layout of [Johnson 1975].
///
/// [Johnson 1975]: https://doi.org/10.1016/0020-0190(75)90001-0
///
/// [Williams 1964]: https://doi.org/10.1145/512274.512284
///
/// > J. W. J. Williams. "Algorithm 232: Heapsort." *Communications of the
/// ACM*, vol. 7, no. 6, 1964, pp. 347-348. T. H. Cormen, C. E. Leiserson,
/// R. L. Rivest, C. Stein. *Introduction to Algorithms*, 3rd ed., §6.5.
/// D. B. Johnson. "Priority queues with update and finding minimum spanning
/// trees." *Information Processing Letters*, vol. 4, no. 3, 1975, pp. 53-57.
///
/// - Complexity: building O(*n*); ``popMin()`` and ``decreaseKey(of:by:)``
///   O(log *n*); memory 12 bytes per id of `capacity` plus 16 per member.
struct IndexedMinHeap: ~Copyable {
  /// One slot: an id and its key.
  struct Entry {
    var key: Double
    var id: Int32
  }

  /// Children per slot.
  static let arity = 4

  /// The key of every id (meaningful only for ids in the heap).
  private let keys: UnsafeMutablePointer<Double>
  /// The slots in heap order, `count` of them.
  private let slots: UnsafeMutablePointer<Entry>
  /// The slot of each id, or -1 when it is not in the heap.
  private let position: UnsafeMutablePointer<Int32>
  /// The ids `0..<capacity` the heap may hold.
  let capacity: Int
  /// How many ids are in the heap.
  private(set) var count: Int

  /// A heap holding `members`, each keyed by `keys[id]`.
  init(keys: [Double], members: [Int32]) {
    let n = keys.count, m = members.count
    let keyBuffer = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
    let positionBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
    let slotBuffer = UnsafeMutablePointer<Entry>.allocate(capacity: max(m, 1))
    keys.withUnsafeBufferPointer { if let base = $0.baseAddress { keyBuffer.initialize(from: base, count: n) } }
    positionBuffer.initialize(repeating: -1, count: n)
    for (slot, id) in members.enumerated() {
      slotBuffer[slot] = Entry(key: keys[Int(id)], id: id)
      positionBuffer[Int(id)] = Int32(slot)
    }
    self.keys = keyBuffer
    position = positionBuffer
    slots = slotBuffer
    capacity = n
    count = m
    var i = (m - 2) / Self.arity
    while i >= 0 && m > 1 {
      siftDown(i)
      i -= 1
    }
    checkInvariants()
  }

  deinit {
    keys.deallocate()
    slots.deallocate()
    position.deallocate()
  }

  /// The current key of `id`.
  @inline(__always)
  func key(of id: Int32) -> Double { keys[Int(id)] }

  /// The id at heap slot `slot` and its key (for the invariant checks).
  func entry(at slot: Int) -> (id: Int32, key: Double) { (slots[slot].id, slots[slot].key) }

  /// The slot of `id`, or -1.
  func slot(of id: Int32) -> Int { Int(position[Int(id)]) }

  /// Whether `id` is still in the heap.
  @inline(__always)
  func contains(_ id: Int32) -> Bool { position[Int(id)] >= 0 }

  /// Removes and returns the id of least key, or `nil` when empty.
  mutating func popMin() -> Int32? {
    guard count > 0 else { return nil }
    let top = slots[0].id
    count -= 1
    position[Int(top)] = -1
    if count > 0 {
      slots[0] = slots[count]
      position[Int(slots[0].id)] = 0
      siftDown(0)
    }
    return top
  }

  /// Lowers the key of `id` (which must be in the heap) by `delta` ≥ 0.
  @inline(__always)
  mutating func decreaseKey(of id: Int32, by delta: Double) {
    let slot = Int(position[Int(id)])
    precondition(slot >= 0, "id \(id) is not in the heap")
    lower(id, slot: slot, by: delta)
  }

  /// Lowers the key of `id` by `delta` ≥ 0 if `id` is still in the heap.
  @inline(__always)
  mutating func decreaseKeyIfPresent(of id: Int32, by delta: Double) {
    let slot = Int(position[Int(id)])
    if slot >= 0 { lower(id, slot: slot, by: delta) }
  }

  @inline(__always)
  private mutating func lower(_ id: Int32, slot: Int, by delta: Double) {
    let key = keys[Int(id)] - delta
    keys[Int(id)] = key
    siftUp(slot, Entry(key: key, id: id))
  }

  @inline(__always)
  private static func less(_ a: Entry, _ b: Entry) -> Bool {
    a.key < b.key || (a.key == b.key && a.id < b.id)
  }

  /// Moves `entry`, whose key has just dropped, from `start` towards the root.
  private func siftUp(_ start: Int, _ entry: Entry) {
    var i = start
    while i > 0 {
      let parent = (i - 1) / Self.arity
      let p = slots[parent]
      if !Self.less(entry, p) { break }
      slots[i] = p
      position[Int(p.id)] = Int32(i)
      i = parent
    }
    slots[i] = entry
    position[Int(entry.id)] = Int32(i)
  }

  private func siftDown(_ start: Int) {
    let n = count
    var i = start
    let entry = slots[i]
    while true {
      let first = Self.arity * i + 1
      if first >= n { break }
      var child = first
      var best = slots[first]
      for c in (first + 1)..<min(first + Self.arity, n) where Self.less(slots[c], best) {
        child = c
        best = slots[c]
      }
      if !Self.less(best, entry) { break }
      slots[i] = best
      position[Int(best.id)] = Int32(i)
      i = child
    }
    slots[i] = entry
    position[Int(entry.id)] = Int32(i)
  }
}
