/// An account's recent endorsement partners (its targets, or its
/// endorsers) in the order they came, for ``IncrementalEngagementCheck``.
/// Edges leave the window oldest first, so removing the oldest partner is
/// O(1) (a head index moves; the array is compacted once the removed part
/// outgrows the rest) instead of shifting the whole list: a celebrity with
/// a million followers in the window no longer costs a million moves per
/// follower who ages out.
///
///     var list = EndorsementList()
///     list.append(7); list.append(9)
///     list.remove(7)        // O(1): the oldest
///     Array(list.live)      // [9]
///
/// - Complexity: `append` amortised O(1); `remove` O(1) for the oldest
///   partner, O(count) for another.
struct EndorsementList {
  private var items: [Int32] = []
  private var head = 0

  /// An empty list.
  init() {}

  /// A list of `partners`, oldest first.
  init(_ partners: [Int32]) { items = partners }

  /// The partners, oldest first.
  var live: ArraySlice<Int32> { items[head...] }
  var count: Int { items.count - head }
  var isEmpty: Bool { head == items.count }

  mutating func append(_ partner: Int32) { items.append(partner) }

  /// Removes the first occurrence of `partner`, if any.
  mutating func remove(_ partner: Int32) {
    if head < items.count, items[head] == partner {
      head += 1
    } else if let i = items[head...].firstIndex(of: partner) {
      items.remove(at: i)
    }
    if head == items.count {
      items.removeAll(keepingCapacity: items.count < 64)
      head = 0
    } else if head > 32, head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
  }

  /// Removes every partner that satisfies `gone`.
  mutating func removeAll(where gone: (Int32) -> Bool) {
    items = live.filter { !gone($0) }
    head = 0
  }
}
