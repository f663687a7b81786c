import Dispatch

/// Runs a few independent pieces of work at once, one per core, and gives
/// back each one's result in the order the work was given.
///
/// For coarse work only (reading whole files): each piece runs to its end on
/// one thread, and nothing is shared between pieces but what they capture.
///
///     let work: [@Sendable () throws -> Int] = [{ (1...10).reduce(0, +) }, { 42 }]
///     let sums = ParallelWork.results(of: work)   // [.success(55), .success(42)]
enum ParallelWork {
  /// The result of each closure of `work`, in order; a closure that throws
  /// gives `.failure` and the others still run to their end.
  static func results<T: Sendable>(of work: [@Sendable () throws -> T]) -> [Result<T, any Error>] {
    if work.count <= 1 { return work.map { piece in Result { try piece() } } }
    let slots = Slots<T>(count: work.count)
    DispatchQueue.concurrentPerform(iterations: work.count) { i in
      slots.store(Result { try work[i]() }, at: i)
    }
    return slots.results
  }

  /// One result slot per piece of work, each written by exactly one thread
  /// and read only after `concurrentPerform` has returned; raw memory, so
  /// that no thread touches a shared array's header.
  private final class Slots<T: Sendable>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<T, any Error>?>

    init(count: Int) {
      slots = .allocate(capacity: count)
      slots.initialize(repeating: nil)
    }

    deinit {
      slots.deinitialize()
      slots.deallocate()
    }

    func store(_ result: Result<T, any Error>, at index: Int) { slots[index] = result }

    var results: [Result<T, any Error>] { slots.map { $0! } }
  }
}
