/// A growable buffer of trivial values that owns its memory and frees it on
/// `deinit`: the parser's scratch space, without `Array`'s uniqueness checks
/// on every append.
struct ScratchBuffer<Element: BitwiseCopyable>: ~Copyable {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  var isEmpty: Bool { count == 0 }

  @inline(__always)
  mutating func append(_ value: Element) {
    if count == capacity { grow(to: count + 1) }
    base[count] = value
    count += 1
  }

  @inline(__always)
  mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
    let n = values.count
    if count + n > capacity { grow(to: count + n) }
    if n > 0 { (base + count).update(from: values.baseAddress!, count: n) }
    count += n
  }

  mutating func removeAll() { count = 0 }

  private mutating func grow(to minimum: Int) {
    var newCapacity = capacity * 2
    while newCapacity < minimum { newCapacity *= 2 }
    let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    fresh.update(from: base, count: count)
    base.deallocate()
    base = fresh
    capacity = newCapacity
  }
}
