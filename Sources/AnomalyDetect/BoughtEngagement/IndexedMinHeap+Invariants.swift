extension IndexedMinHeap {
  /// Checks, in debug builds only, that every slot's key is no less than its
  /// parent's, that the position index points back at each slot and that
  /// the slot keys mirror the keys.
  func checkInvariants() {
    #if DEBUG
      for i in 0..<count {
        let (id, key) = entry(at: i)
        precondition(slot(of: id) == i, "position index out of step at slot \(i)")
        precondition(key == self.key(of: id), "slot key out of step at slot \(i)")
        if i > 0 {
          precondition(entry(at: (i - 1) / Self.arity).key <= key, "heap order violated at slot \(i)")
        }
      }
    #endif
  }
}
