import SignalGraph

/// Every temporal cycle of a payment multigraph: the simple cycles of length
/// 2 to `maxLength` whose hop times strictly increase and whose last hop
/// lies at most `window` seconds after the first.
///
/// A temporal cycle is a sequence of payments `e0, e1, …, e(k-1)` with
/// `target(ei) == source(ei+1)`, `target(e(k-1)) == source(e0)`, no account
/// visited twice, `time(e0) < time(e1) < … < time(e(k-1)) ≤ time(e0) + window`.
/// Parallel payments between the same pair give distinct cycles. Because the
/// times strictly increase, each cycle has one earliest hop, and is reported
/// once, starting from it.
///
///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
///     let cycles = try TemporalCycleEnumerator(set.payments, accountCount: set.accounts.count)
///     cycles.forEachCycle { hops in          // payment rows, in time order
///       print(hops.map { set.payments.ids[Int($0)] })
///     }
///     let all = cycles.cycles()             // or collect them as flat arrays
///
/// The search follows the 2SCENT algorithm of Kumar and Calders ("2SCENT: an
/// efficient algorithm to enumerate all simple temporal cycles", VLDB 2018)
/// and the temporal Johnson algorithm of Blanuša, Ienne and Atasu ("Scalable
/// fine-grained parallel cycle enumeration algorithms", VLDB 2022): every
/// payment in turn is taken as the first hop `s → v0` at time `t0`, and a
/// depth-first search from `v0` follows only payments in `(t_prev, t0 + window]`,
/// found by binary search in rows sorted by time. Three prunings keep it from
/// enumerating blindly:
///
/// 1. **Strongly connected components.** A payment between two components of
///    the static graph lies on no cycle; such payments (and self-payments) are
///    dropped when the enumerator is built.
/// 2. **Closing test.** A first hop is skipped unless `s` receives a payment
///    in `(t0, t0 + window]` and `v0` makes one (two binary searches).
/// 3. **Closing-time bounds.** A backward search from `s` over payments in the
///    window, at most `maxLength - 1` rounds of Bellman–Ford, gives every
///    account `u` that can still reach `s` its fewest hops `dist(u)` and its
///    latest useful departure `latest(u)` (the latest payment out of `u` on a
///    time-increasing path reaching `s` by `t0 + window`). The depth-first
///    search then enters `u` at depth `d` by a payment at `t` only when
///    `d + dist(u) ≤ maxLength` and `t < latest(u)`, and leaves `u` only by
///    payments no later than `latest(u)`: it never walks into a dead end that
///    the window or the length bound already rules out. Both bounds relax the
///    simple-path condition, so no cycle is lost.
///
/// The backward search is budgeted: it may scan at most a few times as many
/// payments as leave `v0` in the window (at least ``Options/minimumBackwardBudget``).
/// When a busy hub makes it exceed that, the search from `v0` is cheap anyway
/// and runs with the time-window pruning alone. So a payment into a busy
/// merchant is checked backward from its (quiet) payer, and a refund from the
/// merchant forward from its (quiet) receiver.
///
/// - Complexity: building is O(*n* + *m*) for *n* accounts and *m* payments
///   (plus O(*m* log *m*) when payments are not in time order); the rows
///   keep 28 bytes per payment inside a component and 16 per account, and
///   enumeration adds 29 bytes per account: memory linear in the input. Enumeration costs O(*m* log Δ) for the closing
///   tests plus, for each surviving first hop, the payments of its window
///   scanned by the budgeted backward search and the depth-first search;
///   the depth-first search explores only paths that can still close.
public struct TemporalCycleEnumerator: Sendable {
  /// The bounds of the search.
  public struct Options: Sendable, Equatable {
    /// The longest cycle, in hops (payments); at least 2, at most 32.
    public var maxLength: Int
    /// The most seconds between a cycle's first and last hop (inclusive).
    public var window: Int64
    /// The least number of payments the backward search may scan for one
    /// first hop before falling back to forward search alone.
    public var minimumBackwardBudget: Int

    /// Cycles of 2 to `maxLength` hops within `window` seconds; 8 hops and 72 hours by default.
    public init(maxLength: Int = 8, window: Int64 = 72 * 3_600, minimumBackwardBudget: Int = 256) {
      self.maxLength = maxLength
      self.window = window
      self.minimumBackwardBudget = minimumBackwardBudget
    }
  }

  /// The bounds of the search.
  public private(set) var options: Options
  /// The number of accounts.
  public let accountCount: Int

  // Out-rows (payer → payee) and in-rows (payee ← payer) over the payments
  // that lie inside a strongly connected component, each row sorted by time.
  let outOffsets: [Int]
  let outTarget: [Int32]
  let outRow: [Int32]
  let outTime: [Int64]
  let inOffsets: [Int]
  let inSource: [Int32]
  let inTime: [Int64]

  /// Builds the enumerator over payment columns: row *i* is a payment from
  /// `source[i]` to `target[i]` at `time[i]` (Unix seconds), accounts being
  /// indices below `accountCount`.
  /// - Throws: ``TemporalCycleError`` when the columns differ in length, an
  ///   account is out of range, or the options are out of bounds.
  public init(
    source: [Int32], target: [Int32], time: [Int64], accountCount: Int, options: Options = Options()
  ) throws(TemporalCycleError) {
    guard (2...32).contains(options.maxLength) else { throw .maxLengthOutOfRange(options.maxLength) }
    guard options.window >= 0 else { throw .negativeWindow(options.window) }
    guard source.count == target.count, source.count == time.count else {
      throw .columnsDiffer(source: source.count, target: target.count, time: time.count)
    }
    guard source.count < Int(Int32.max) else { throw .tooManyPayments(source.count) }
    for row in source.indices {
      let s = source[row], t = target[row]
      if s < 0 || Int(s) >= accountCount || t < 0 || Int(t) >= accountCount {
        throw .accountOutOfRange(row: row)
      }
    }
    self.options = options
    self.accountCount = accountCount
    let n = accountCount

    let component = StronglyConnectedComponents.label(
      nodeCount: n, source: source, target: target)
    // Rows in time order (ties in row order).
    var order: [Int32]? = nil
    for r in time.indices.dropFirst() where time[r] < time[r - 1] {
      var o = (0..<Int32(time.count)).map { $0 }
      time.withUnsafeBufferPointer { t in
        o.sort { a, b in
          let ta = t[Int(a)], tb = t[Int(b)]
          return ta != tb ? ta < tb : a < b
        }
      }
      order = o
      break
    }
    func keeps(_ r: Int) -> Bool {
      let s = source[r], t = target[r]
      return s != t && component[Int(s)] == component[Int(t)]
    }
    var outOffsets = [Int](repeating: 0, count: n + 1)
    var inOffsets = [Int](repeating: 0, count: n + 1)
    var kept = 0
    for r in source.indices where keeps(r) {
      outOffsets[Int(source[r]) + 1] += 1
      inOffsets[Int(target[r]) + 1] += 1
      kept += 1
    }
    for v in 0..<n {
      outOffsets[v + 1] += outOffsets[v]
      inOffsets[v + 1] += inOffsets[v]
    }
    var outCursor = outOffsets, inCursor = inOffsets
    var outTarget = [Int32](repeating: 0, count: kept), outRow = [Int32](repeating: 0, count: kept)
    var outTime = [Int64](repeating: 0, count: kept)
    var inSource = [Int32](repeating: 0, count: kept), inTime = [Int64](repeating: 0, count: kept)
    func place(_ r: Int) {
      guard keeps(r) else { return }
      let s = Int(source[r]), t = Int(target[r])
      let o = outCursor[s]
      outCursor[s] = o + 1
      outTarget[o] = Int32(t)
      outRow[o] = Int32(r)
      outTime[o] = time[r]
      let i = inCursor[t]
      inCursor[t] = i + 1
      inSource[i] = Int32(s)
      inTime[i] = time[r]
    }
    if let order {
      for r in order { place(Int(r)) }
    } else {
      for r in source.indices { place(r) }
    }
    self.outOffsets = outOffsets
    self.outTarget = outTarget
    self.outRow = outRow
    self.outTime = outTime
    self.inOffsets = inOffsets
    self.inSource = inSource
    self.inTime = inTime
  }

  /// Builds the enumerator over the payments of a signal set.
  /// - Throws: ``TemporalCycleError`` when the options are out of bounds.
  public init(_ payments: PaymentTable, accountCount: Int, options: Options = Options()) throws(TemporalCycleError) {
    try self.init(
      source: payments.source, target: payments.target, time: payments.time,
      accountCount: accountCount, options: options)
  }

  /// The same index searched with other `options`, without building it
  /// again: the components and time-ordered rows do not depend on them.
  ///
  ///     let set = try SignalSet(contentsOf: "fixtures/payment-ring")
  ///     let index = try TemporalCycleEnumerator(set.payments, accountCount: set.accounts.count)
  ///     let short = try index.searching(TemporalCycleEnumerator.Options(maxLength: 3))
  /// - Throws: ``TemporalCycleError`` when the options are out of bounds.
  public func searching(_ options: Options) throws(TemporalCycleError) -> TemporalCycleEnumerator {
    guard (2...32).contains(options.maxLength) else { throw .maxLengthOutOfRange(options.maxLength) }
    guard options.window >= 0 else { throw .negativeWindow(options.window) }
    var copy = self
    copy.options = options
    return copy
  }

  /// The payments that lie inside a strongly connected component: the only
  /// ones that can be hops of a cycle.
  public var candidatePaymentCount: Int { outTarget.count }

  /// Calls `body` with the payment rows of every temporal cycle, hops in time
  /// order. Cycles come grouped by the payer of their first hop (by account
  /// index), then by first hop in time order. The buffer is valid only
  /// during the call.
  public func forEachCycle(_ body: (UnsafeBufferPointer<Int32>) -> Void) {
    let n = accountCount
    guard n > 0, !outTarget.isEmpty else { return }
    let maxLength = options.maxLength, window = options.window
    let minimumBudget = max(options.minimumBackwardBudget, 0)

    // Per-account search state, reset by stamping rather than clearing.
    var stamp = [Int](repeating: 0, count: n)
    var queued = [Int](repeating: 0, count: n)
    var latest = [Int64](repeating: .min, count: n)
    var dist = [Int32](repeating: 0, count: n)
    var onPath = [Bool](repeating: false, count: n)
    var frontier: [Int32] = []
    var next: [Int32] = []
    var stackVertex = [Int32](repeating: 0, count: maxLength + 1)
    var stackPos = [Int](repeating: 0, count: maxLength + 1)
    var hops = [Int32](repeating: 0, count: maxLength)
    var searchStamp = 0
    var roundStamp = 0

    outOffsets.withUnsafeBufferPointer { outOffsets in
      outTarget.withUnsafeBufferPointer { outTarget in
        outRow.withUnsafeBufferPointer { outRow in
          outTime.withUnsafeBufferPointer { outTime in
            inOffsets.withUnsafeBufferPointer { inOffsets in
              inSource.withUnsafeBufferPointer { inSource in
                inTime.withUnsafeBufferPointer { inTime in
                  stamp.withUnsafeMutableBufferPointer { stamp in
                    queued.withUnsafeMutableBufferPointer { queued in
                      latest.withUnsafeMutableBufferPointer { latest in
                        dist.withUnsafeMutableBufferPointer { dist in
                          onPath.withUnsafeMutableBufferPointer { onPath in
                            stackVertex.withUnsafeMutableBufferPointer { stackVertex in
                              stackPos.withUnsafeMutableBufferPointer { stackPos in
                                hops.withUnsafeMutableBufferPointer { hops in
                                  for s in 0..<n {
                                    let outStart = outOffsets[s], outEnd = outOffsets[s + 1]
                                    let inStart = inOffsets[s], inEnd = inOffsets[s + 1]
                                    if outStart == outEnd || inStart == inEnd { continue }
                                    let s32 = Int32(s)
                                    for k in outStart..<outEnd {
                                      let v0 = Int(outTarget[k]), t0 = outTime[k]
                                      let (deadline, overflow) = t0.addingReportingOverflow(window)
                                      let due = overflow ? Int64.max : deadline
                                      // Closing test: s must be paid, and v0 must pay, within (t0, due].
                                      let closing = Self.firstAfter(t0, inTime, inStart, inEnd)
                                      if closing == inEnd || inTime[closing] > due { continue }
                                      let v0Start = Self.firstAfter(t0, outTime, outOffsets[v0], outOffsets[v0 + 1])
                                      let v0Limit = Self.firstAfter(due, outTime, v0Start, outOffsets[v0 + 1])
                                      if v0Start == v0Limit { continue }

                                      // Backward search from s: dist and latest for accounts that can reach s.
                                      searchStamp += 1
                                      var pruned = true
                                      var budget = max(minimumBudget, 4 * (v0Limit - v0Start))
                                      stamp[s] = searchStamp
                                      latest[s] = due == .max ? .max : due + 1
                                      dist[s] = 0
                                      frontier.removeAll(keepingCapacity: true)
                                      frontier.append(s32)
                                      var round: Int32 = 1
                                      backward: while round < Int32(maxLength) && !frontier.isEmpty {
                                        roundStamp += 1
                                        next.removeAll(keepingCapacity: true)
                                        for w in frontier {
                                          let lw = latest[Int(w)]
                                          let end = inOffsets[Int(w) + 1]
                                          var i = Self.firstAfter(t0, inTime, inOffsets[Int(w)], end)
                                          while i < end {
                                            let t = inTime[i]
                                            if t >= lw { break }
                                            budget -= 1
                                            if budget < 0 {
                                              pruned = false
                                              break backward
                                            }
                                            let u = Int(inSource[i])
                                            if u != s {
                                              if stamp[u] != searchStamp {
                                                stamp[u] = searchStamp
                                                latest[u] = t
                                                dist[u] = round
                                                queued[u] = roundStamp
                                                next.append(Int32(u))
                                              } else if t > latest[u] {
                                                latest[u] = t
                                                if queued[u] != roundStamp {
                                                  queued[u] = roundStamp
                                                  next.append(Int32(u))
                                                }
                                              }
                                            }
                                            i += 1
                                          }
                                        }
                                        swap(&frontier, &next)
                                        round += 1
                                      }
                                      if pruned && (stamp[v0] != searchStamp || latest[v0] <= t0) { continue }

                                      // Depth-first search from v0; depth = hops on the path so far.
                                      onPath[s] = true
                                      onPath[v0] = true
                                      hops[0] = outRow[k]
                                      var depth = 1
                                      stackVertex[1] = Int32(v0)
                                      stackPos[1] = v0Start
                                      while depth > 0 {
                                        let u = Int(stackVertex[depth])
                                        var p = stackPos[depth]
                                        let end = outOffsets[u + 1]
                                        let limit = pruned ? min(due, latest[u]) : due
                                        var pushed = false
                                        while p < end {
                                          let t = outTime[p]
                                          if t > limit { break }
                                          let w = Int(outTarget[p])
                                          if w == s {
                                            hops[depth] = outRow[p]
                                            body(UnsafeBufferPointer(rebasing: hops[0...depth]))
                                          } else if depth + 1 < maxLength && !onPath[w]
                                            && (!pruned
                                              || (stamp[w] == searchStamp && t < latest[w]
                                                && depth + 1 + Int(dist[w]) <= maxLength))
                                          {
                                            hops[depth] = outRow[p]
                                            stackPos[depth] = p + 1
                                            depth += 1
                                            stackVertex[depth] = Int32(w)
                                            stackPos[depth] = Self.firstAfter(
                                              t, outTime, outOffsets[w], outOffsets[w + 1])
                                            onPath[w] = true
                                            pushed = true
                                            break
                                          }
                                          p += 1
                                        }
                                        if !pushed {
                                          onPath[u] = false
                                          depth -= 1
                                        }
                                      }
                                      onPath[s] = false
                                    }
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The first position in `lower..<upper` whose time is after `t` (`upper` if none).
  @inline(__always)
  static func firstAfter(_ t: Int64, _ times: UnsafeBufferPointer<Int64>, _ lower: Int, _ upper: Int) -> Int {
    var lo = lower, hi = upper
    while lo < hi {
      let mid = (lo + hi) >> 1
      if times[mid] <= t { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// Every temporal cycle, collected as flat arrays.
  public func cycles() -> TemporalCycles {
    var result = TemporalCycles()
    forEachCycle { result.append($0) }
    return result
  }

  /// The number of temporal cycles, without keeping them.
  public func count() -> Int {
    var count = 0
    forEachCycle { _ in count += 1 }
    return count
  }
}

/// Why a ``TemporalCycleEnumerator`` could not be built.
public enum TemporalCycleError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `maxLength` must lie in 2...32.
  case maxLengthOutOfRange(Int)
  /// The window must not be negative.
  case negativeWindow(Int64)
  /// The payment columns have different lengths.
  case columnsDiffer(source: Int, target: Int, time: Int)
  /// A payment names an account index outside `0..<accountCount`.
  case accountOutOfRange(row: Int)
  /// More payments than 32-bit rows can name.
  case tooManyPayments(Int)

  /// A message a person can act on.
  public var description: String {
    switch self {
    case let .maxLengthOutOfRange(l): return "maximum cycle length \(l) is outside 2...32"
    case let .negativeWindow(w): return "window \(w) s is negative"
    case let .columnsDiffer(s, t, ts): return "payment columns differ in length (source \(s), target \(t), time \(ts))"
    case let .accountOutOfRange(row): return "payment row \(row) names an account outside the table"
    case let .tooManyPayments(m): return "\(m) payments exceed the 32-bit row limit"
    }
  }
}
