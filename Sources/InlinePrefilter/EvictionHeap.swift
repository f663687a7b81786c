/// A binary min-heap of (time, key) entries: what to look at next when time
/// advances. ``IncrementalEngagementCheck`` keeps one entry per pair, pushed
/// when the pair is created and pushed again at the pair's latest touch
/// when it comes up still in use, so a pair touched a million times costs
/// one entry, not a million, and is still evicted at the first sweep after
/// its latest touch leaves the window.
///
///     var heap = EvictionHeap()
///     heap.push(time: 20, key: 7)
///     heap.push(time: 10, key: 9)
///     heap.popMin(before: 15)   // (10, 9)
///     heap.popMin(before: 15)   // nil
///
/// - Complexity: `push` and `popMin` are O(log *n*).
struct EvictionHeap {
  /// The entries in heap order (a checkpoint writes and reads them as they are).
  private(set) var entries: [(time: Int64, key: UInt64)] = []

  /// An empty heap.
  init() {}

  /// A heap of `entries` already in heap order (from ``entries``); `nil` if they are not.
  init?(heapOrdered entries: [(time: Int64, key: UInt64)]) {
    for i in entries.indices.dropFirst() where entries[(i - 1) / 2].time > entries[i].time { return nil }
    self.entries = entries
  }

  /// The number of entries.
  var count: Int { entries.count }

  /// Adds an entry.
  mutating func push(time: Int64, key: UInt64) {
    entries.append((time, key))
    var i = entries.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard entries[parent].time > entries[i].time else { break }
      entries.swapAt(parent, i)
      i = parent
    }
  }

  /// Removes and returns the earliest entry if it is earlier than `cutoff`.
  mutating func popMin(before cutoff: Int64) -> (time: Int64, key: UInt64)? {
    guard let first = entries.first, first.time < cutoff else { return nil }
    let last = entries.removeLast()
    guard !entries.isEmpty else { return first }
    entries[0] = last
    var i = 0
    while true {
      let l = 2 * i + 1, r = l + 1
      var least = i
      if l < entries.count, entries[l].time < entries[least].time { least = l }
      if r < entries.count, entries[r].time < entries[least].time { least = r }
      if least == i { break }
      entries.swapAt(i, least)
      i = least
    }
    return first
  }
}
