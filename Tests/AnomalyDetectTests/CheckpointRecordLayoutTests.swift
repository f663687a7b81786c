import Testing

@testable import InlinePrefilter

/// A checkpoint copies the pre-filter's records as the bytes they occupy in
/// memory (``StateWriter``). Padding between or after a record's fields
/// would carry whatever that memory held before: a checkpoint would not be
/// reproducible, and could hold stray bytes of the process's heap. Each
/// record type a checkpoint copies is therefore laid out without padding.
@Suite("Checkpoint record layout")
struct CheckpointRecordLayoutTests {
  @Test("every record a checkpoint copies has no padding")
  func recordsHaveNoPadding() {
    #expect(paddingBytes(of: RecentPayments.Payment(source: 1, time: 2, micros: 3, seq: 4, withheld: true)) == 0)
    #expect(
      paddingBytes(of: HeldTransfers.Transfer(counterpart: 1, payments: 2, micros: 3, spread: 0.5, time: 4)) == 0)
    #expect(paddingBytes(of: IncrementalProfileCheck.Entry(account: 1, key: 2, time: 3, seq: 4, withheld: true)) == 0)
    #expect(paddingBytes(of: IncrementalProfileCheck.FirstSeen(time: 1, key: 2, account: 3)) == 0)
    #expect(paddingBytes(of: IncrementalEngagementCheck.Pair(time: 1, window: 2)) == 0)
    #expect(paddingBytes(of: PayerHabits.Slot(micros: 1, count: 2, payee: 3, since: 4)) == 0)
    #expect(paddingBytes(of: EvictionHeap().entries.first ?? (time: 1, key: 2)) == 0)
  }

  @Test("the padding count finds padding between fields and after them")
  func paddingIsFound() {
    struct Gap {
      var small: Int32 = 0
      var wide: Int64 = 0
    }
    struct Tail {
      var wide: Int64 = 0
      var flag = false
    }
    struct Nested {
      var tail = Tail()
      var more: UInt8 = 0
    }
    #expect(paddingBytes(of: Gap()) == 4)
    #expect(paddingBytes(of: Tail()) == 7)
    #expect(paddingBytes(of: Nested()) == 6)  // `more` fills one byte of `tail`'s tail
    #expect(paddingBytes(of: (Int64(1), Int32(2))) == 4)
    #expect(paddingBytes(of: (Int64(1), UInt64(2))) == 0)
  }
}

/// The bytes of `value`'s stride that none of its stored fields (or theirs,
/// recursively) occupy.
private func paddingBytes<T>(of value: T) -> Int {
  MemoryLayout<T>.stride - fieldBytes(value)
}

/// The bytes `value`'s stored fields occupy: its size for a value without
/// fields (an integer, a `Bool`, a `Double`), else the sum over its fields.
private func fieldBytes(_ value: Any) -> Int {
  let mirror = Mirror(reflecting: value)
  guard mirror.displayStyle == .struct || mirror.displayStyle == .tuple, !mirror.children.isEmpty else {
    func size<V>(_: V) -> Int { MemoryLayout<V>.size }
    return _openExistential(value, do: size)
  }
  return mirror.children.reduce(0) { $0 + fieldBytes($1.value) }
}
