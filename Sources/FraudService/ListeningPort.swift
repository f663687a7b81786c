/// The listening port, set once the server is up.
actor ListeningPort {
  private var port: Int?
  private var waiters: [CheckedContinuation<Int, Never>] = []

  func set(_ value: Int) {
    port = value
    for w in waiters { w.resume(returning: value) }
    waiters.removeAll()
  }

  func wait() async -> Int {
    if let port { return port }
    return await withCheckedContinuation { waiters.append($0) }
  }
}
