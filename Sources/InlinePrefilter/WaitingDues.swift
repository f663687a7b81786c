@_spi(Checkpoint) import SignalGraph

/// When each structure waiting for an account's habit falls due
/// (``DeferredFans``, ``DeferredBlocks``: one per account, the latest kept):
/// a heap of (due, account). A structure replaced keeps its old entry, which
/// is passed over when it comes up, its due no longer the structure's.
///
///     var dues = WaitingDues()
///     dues.push(7, due: 100)
///     dues.push(7, due: 150)   // account 7's structure, replaced
///     dues.pop(at: 120) { _ in 150 }   // []: the entry of 100 is passed over
///     dues.pop(at: 150) { _ in 150 }   // [7]
///
/// - Complexity: O(log *n*) per entry pushed or popped, *n* the entries queued.
struct WaitingDues {
  /// The entries in heap order, keyed by account.
  private(set) var heap = EvictionHeap()

  /// No entry.
  init() {}

  /// The entries queued, those passed over yet to come up among them.
  var count: Int { heap.count }

  /// The entries in heap order (a checkpoint writes and reads them as they are).
  var entries: [(time: Int64, key: UInt64)] { heap.entries }

  /// Queues `account`'s structure, due at `due`.
  mutating func push(_ account: Int32, due: Int64) {
    heap.push(time: due, key: UInt64(UInt32(bitPattern: account)))
  }

  /// The accounts whose structures are due at `time`, earliest due first,
  /// each once: those whose entry's due is still their structure's
  /// (`dueOf`, `nil` for an account with none waiting).
  mutating func pop(at time: Int64, dueOf: (Int32) -> Int64?) -> [Int32] {
    var accounts: [Int32] = []
    while let (due, key) = heap.popMin(before: time.saturatingAdding(1)) {
      let account = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
      // A structure kept twice with one due is queued twice.
      if dueOf(account) == due, !accounts.contains(account) { accounts.append(account) }
    }
    return accounts
  }

  /// The (due, account) pairs queued, to check that every structure waiting is.
  var queued: Set<Due> { Set(heap.entries.map { Due(time: $0.time, account: Int32(truncatingIfNeeded: $0.key)) }) }

  /// An entry of ``queued``.
  struct Due: Hashable {
    /// When it falls due.
    var time: Int64
    /// Whose structure it is.
    var account: Int32
  }

  /// Writes the entries for a checkpoint, in heap order.
  func write(to writer: inout StateWriter) {
    writer.write(heap.entries.map(\.time))
    writer.write(heap.entries.map(\.key))
  }

  /// Restores the entries written by ``write(to:)``: arrays of unequal
  /// lengths, or entries out of heap order, are malformed.
  init(from reader: inout StateReader) throws(StateReaderError) {
    let times = try reader.readArray(Int64.self)
    let keys = try reader.readArray(UInt64.self)
    guard times.count == keys.count, let heap = EvictionHeap(heapOrdered: Array(zip(times, keys))) else {
      throw .malformed
    }
    self.heap = heap
  }
}
