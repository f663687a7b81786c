extension IndexedMinHeap {
  /// Checks, in debug builds only, that every slot's key is no less than its
  /// parent's, that the position index points back at each slot and that
  /// the slot keys mirror the keys.
  func checkInvariants() {
    #if DEBUG
      for i in slots.indices {
        let id = slots[i]
        precondition(position[Int(id)] == Int32(i), "position index out of step at slot \(i)")
        precondition(slotKeys[i] == keys[Int(id)], "slot key out of step at slot \(i)")
        if i > 0 {
          precondition(keys[Int(slots[(i - 1) >> 1])] <= keys[Int(id)], "heap order violated at slot \(i)")
        }
      }
    #endif
  }
}
