/// A binary min-heap over the integers `0..<capacity` keyed by `Double`,
/// with an index from each element to its slot so that a key can be lowered
/// in place: the priority queue of greedy peeling.
///
/// Elements are `Int32` node ids; keys live in a contiguous buffer indexed
/// by id, and are mirrored in heap order beside the slots so that sifting
/// compares neighbouring memory rather than chasing ids (about twice as
/// fast on graphs of millions of nodes). Ties are broken by id (smaller
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
///   O(log *n*); memory 12 bytes per id of `capacity` plus 12 per member.
struct IndexedMinHeap: ~Copyable {
  /// The key of every id (meaningful only for ids in the heap).
  private let keys: UnsafeMutablePointer<Double>
  /// The ids in heap order, `count` of them.
  private let slots: UnsafeMutablePointer<Int32>
  /// The slot of each id, or -1 when it is not in the heap.
  private let position: UnsafeMutablePointer<Int32>
  /// `keys[slots[i]]` at slot `i`: the keys in heap order.
  private let slotKeys: UnsafeMutablePointer<Double>
  /// The ids `0..<capacity` the heap may hold.
  let capacity: Int
  /// How many ids are in the heap.
  private(set) var count: Int

  /// A heap holding `members`, each keyed by `keys[id]`.
  init(keys: [Double], members: [Int32]) {
    let n = keys.count, m = members.count
    let keyBuffer = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
    let positionBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
    let slotBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: max(m, 1))
    let slotKeyBuffer = UnsafeMutablePointer<Double>.allocate(capacity: max(m, 1))
    keys.withUnsafeBufferPointer { if let base = $0.baseAddress { keyBuffer.initialize(from: base, count: n) } }
    positionBuffer.initialize(repeating: -1, count: n)
    for (slot, id) in members.enumerated() {
      slotBuffer[slot] = id
      slotKeyBuffer[slot] = keys[Int(id)]
      positionBuffer[Int(id)] = Int32(slot)
    }
    self.keys = keyBuffer
    position = positionBuffer
    slots = slotBuffer
    slotKeys = slotKeyBuffer
    capacity = n
    count = m
    var i = members.count / 2 - 1
    while i >= 0 {
      siftDown(i)
      i -= 1
    }
    checkInvariants()
  }

  deinit {
    keys.deallocate()
    slots.deallocate()
    position.deallocate()
    slotKeys.deallocate()
  }

  /// The current key of `id`.
  @inline(__always)
  func key(of id: Int32) -> Double { keys[Int(id)] }

  /// The id at heap slot `slot` and its key (for the invariant checks).
  func entry(at slot: Int) -> (id: Int32, key: Double) { (slots[slot], slotKeys[slot]) }

  /// The slot of `id`, or -1.
  func slot(of id: Int32) -> Int { Int(position[Int(id)]) }

  /// Whether `id` is still in the heap.
  @inline(__always)
  func contains(_ id: Int32) -> Bool { position[Int(id)] >= 0 }

  /// Removes and returns the id of least key, or `nil` when empty.
  mutating func popMin() -> Int32? {
    guard count > 0 else { return nil }
    let top = slots[0]
    count -= 1
    position[Int(top)] = -1
    if count > 0 {
      let last = slots[count]
      slots[0] = last
      slotKeys[0] = slotKeys[count]
      position[Int(last)] = 0
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
    slotKeys[slot] = key
    siftUp(slot)
  }

  @inline(__always)
  private func less(_ ka: Double, _ a: Int32, _ kb: Double, _ b: Int32) -> Bool {
    ka < kb || (ka == kb && a < b)
  }

  private func siftUp(_ start: Int) {
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

  private func siftDown(_ start: Int) {
    let n = count
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
