import SignalGraph

/// The payments of a signal set grouped into **transfers**: every payment
/// from one payer to one payee within one time bucket (a UTC day by
/// default), so that a transfer split into several payments, and payments
/// whose timestamps tie at a coarse resolution, count as one event.
///
/// Transfers are stored column by column, sorted by payer, payee and
/// bucket; each keeps the payment rows it groups (`rows[rowOffsets[t]..<
/// rowOffsets[t + 1]]`, amounts ascending), its median amount (the *unit*),
/// and how many payments its pair made over the whole set. Two CSR indexes
/// list each account's transfers out and in, in bucket order.
///
///     let set = try SignalSet(contentsOf: "fixtures/daily-laundering")
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     transfers.count                     // number of (payer, payee, day) groups
///     transfers.outgoing.edges(of: 0)     // account 0's transfers, by day
///
/// - Complexity: O(*p* + *a*) for *p* payments and *a* accounts (counting
///   sorts), plus O(*d* log *d*) to sort the payments of each payer of *d*
///   by payee, day and amount; O(*p* + *a*) memory.
struct PaymentTransfers {
  /// Payer, payee and time bucket of each transfer.
  let source: [Int32], target: [Int32], bucket: [Int64]
  /// The median payment amount of each transfer, in micro-units.
  let unitMicros: [Int64]
  /// The sum of each transfer's payments, in micro-units.
  let totalMicros: [Int64]
  /// The largest relative distance of a payment's amount from the unit.
  let spread: [Double]
  /// How many payments the transfer's payer made to its payee in the whole set.
  let pairPayments: [Int32]
  /// The payment rows of each transfer, amounts ascending.
  let rowOffsets: [Int], rows: [Int32]
  /// Each account's transfers out of it and into it, in bucket order.
  let outgoing: Adjacency, incoming: Adjacency
  /// The bucket of each transfer in, at its position in ``incoming``: the
  /// sweeps over an account's transfers in read their days side by side,
  /// not at random across the set (``outgoing``'s order is nearly the
  /// transfers' own, so `bucket` serves it).
  let incomingBucket: [Int64]
  /// The first and last bucket holding a payment.
  let firstBucket: Int64, lastBucket: Int64
  /// The number of pairs of accounts that paid each other at least twice.
  let repeatedPairs: Int
  /// Each transfer's pair run (``pairRun(of:)``): its first and past-the-end transfer.
  private let runStart: [Int32], runEnd: [Int32]
  /// Per account, the payees it paid in exactly one transfer.
  let payeesPaidOnce: [Int32]

  /// Groups the payments of `set` by payer, payee and `bucketSeconds`-wide bucket.
  init(_ set: SignalSet, bucketSeconds: Int64) {
    let p = set.payments
    let width = max(bucketSeconds, 1)
    // Floor division, safe for any stored time (Int64.min included); monotone,
    // so the first and last buckets are the earliest and latest times'.
    let bucketOf = { (t: Int64) in t % width < 0 ? t / width - 1 : t / width }
    firstBucket = bucketOf(p.time.min() ?? 0)
    lastBucket = bucketOf(p.time.max() ?? 0)
    let accounts = set.accounts.count
    let (byPair, payerStarts) = Self.byPair(p, bucketOf: bucketOf, accounts: accounts)
    var source: [Int32] = [], target: [Int32] = [], bucket: [Int64] = [], unitMicros: [Int64] = []
    var totalMicros: [Int64] = []
    var spread: [Double] = [], pairPayments: [Int32] = [], rowOffsets = [0]
    var repeatedPairs = 0
    var runStart: [Int32] = [], runEnd: [Int32] = []
    var payeesPaidOnce = [Int32](repeating: 0, count: accounts)
    // At most one transfer per payment, and commonly one: each column is
    // allocated once, not regrown by doubling.
    source.reserveCapacity(p.count)
    target.reserveCapacity(p.count)
    bucket.reserveCapacity(p.count)
    unitMicros.reserveCapacity(p.count)
    totalMicros.reserveCapacity(p.count)
    spread.reserveCapacity(p.count)
    pairPayments.reserveCapacity(p.count)
    rowOffsets.reserveCapacity(p.count + 1)
    runStart.reserveCapacity(p.count)
    runEnd.reserveCapacity(p.count)
    byPair.withUnsafeBufferPointer { byPair in
      for payer in 0..<Int32(accounts) {
        let payments = payerStarts[Int(payer)]..<payerStarts[Int(payer) + 1]
        var i = payments.lowerBound
        while i < payments.upperBound {
          var j = i + 1
          while j < payments.upperBound, byPair[j].payee == byPair[i].payee { j += 1 }
          // One transfer per bucket of the pair's run.
          let firstTransfer = source.count
          var k = i
          while k < j {
            var end = k + 1
            var total = byPair[k].amount
            while end < j, byPair[end].bucket == byPair[k].bucket {
              total = total.addingReportingOverflow(byPair[end].amount).partialValue
              end += 1
            }
            let unit = byPair[k + (end - k) / 2].amount
            let low = byPair[k].amount, high = byPair[end - 1].amount
            source.append(payer)
            target.append(byPair[k].payee)
            bucket.append(byPair[k].bucket)
            unitMicros.append(unit)
            totalMicros.append(total)
            spread.append(unit > 0 ? Double(max(unit - low, high - unit)) / Double(unit) : 0)
            pairPayments.append(Int32(clamping: j - i))
            rowOffsets.append(end)
            k = end
          }
          if j - i >= 2 { repeatedPairs += 1 }
          for _ in firstTransfer..<source.count {  // a pair's run is commonly one transfer: no generic append
            runStart.append(Int32(firstTransfer))
            runEnd.append(Int32(source.count))
          }
          if source.count - firstTransfer == 1 { payeesPaidOnce[Int(payer)] += 1 }
          i = j
        }
      }
    }
    (self.source, self.target, self.bucket, self.unitMicros) = (source, target, bucket, unitMicros)
    self.totalMicros = totalMicros
    (self.spread, self.pairPayments, self.rowOffsets) = (spread, pairPayments, rowOffsets)
    self.repeatedPairs = repeatedPairs
    (self.runStart, self.runEnd, self.payeesPaidOnce) = (runStart, runEnd, payeesPaidOnce)
    rows = byPair.map(\.row)
    // Each account's transfers out and in, in bucket order.
    outgoing = Adjacency(nodeCount: accounts, sources: source, targets: target, keys: bucket)
    incoming = Adjacency(nodeCount: accounts, sources: target, targets: source, keys: bucket)
    incomingBucket = incoming.edges.map { bucket[Int($0)] }
  }

  /// One payment on its way into place (its payer is its run's).
  private struct Payment {
    var payee: Int32, row: Int32
    var bucket: Int64, amount: Int64
  }

  /// The payments of `p` by payer, then payee, bucket, amount and row, with
  /// where each payer's run starts (`accounts + 1` entries). One counting
  /// sort by payer moves each payment whole, the columns read in row order;
  /// each payer's run is then sorted where it lies, in cache. Sorting row
  /// numbers and gathering the columns after them would touch memory at
  /// random several times per payment, which is what costs on large sets.
  private static func byPair(
    _ p: PaymentTable, bucketOf: (Int64) -> Int64, accounts: Int
  ) -> (payments: [Payment], starts: [Int]) {
    var starts = [Int](repeating: 0, count: accounts + 1)
    for s in p.source { starts[Int(s) + 1] += 1 }
    for v in 0..<accounts { starts[v + 1] += starts[v] }
    var cursor = starts
    var payments = [Payment](unsafeUninitializedCapacity: p.count) { payments, initialized in
      // Every position is written exactly once: the payers' runs partition 0..<count.
      for r in 0..<p.count {
        let s = Int(p.source[r])
        payments[cursor[s]] = Payment(
          payee: p.target[r], row: Int32(r), bucket: bucketOf(p.time[r]), amount: p.amountMicros[r])
        cursor[s] += 1
      }
      initialized = p.count
    }
    payments.withUnsafeMutableBufferPointer { payments in
      for v in 0..<accounts where starts[v + 1] - starts[v] > 1 {
        payments[starts[v]..<starts[v + 1]].sort {
          ($0.payee, $0.bucket, $0.amount, $0.row) < ($1.payee, $1.bucket, $1.amount, $1.row)
        }
      }
    }
    return (payments, starts)
  }

  /// The transfers of `t`'s payer to `t`'s payee over the whole set (`t`
  /// among them): a contiguous run, transfers being sorted by payer, payee
  /// and bucket.
  func pairRun(of t: Int) -> Range<Int> { Int(runStart[t])..<Int(runEnd[t]) }

  /// Whether transfer `next` passes on transfer `relayed` (at most `skim`
  /// of it kept): payment for payment (their units), or failing that as one
  /// sum split otherwise (their totals, `bySum`).
  func relayMatch(_ next: Int, passingOn relayed: Int, skim: Double) -> (
    amount: Int64, received: Int64, bySum: Bool
  )? {
    relayBand(of: relayed, skim: skim).match(unit: unitMicros[next], total: totalMicros[next])
  }

  /// What passes on transfer `relayed` with at most `skim` kept
  /// (``RelayBand``), for testing many transfers against it.
  func relayBand(of relayed: Int, skim: Double) -> RelayBand {
    RelayBand(unit: unitMicros[relayed], total: totalMicros[relayed], skim: skim)
  }

  /// The number of transfers.
  var count: Int { source.count }

  /// Per account (of `accounts`), whether it pays or is paid one of the
  /// transfers `found`.
  func accounts(of found: [Int], among accounts: Int) -> [Bool] {
    var touched = [Bool](repeating: false, count: accounts)
    for t in found { (touched[Int(source[t])], touched[Int(target[t])]) = (true, true) }
    return touched
  }

  /// The number of payments in transfer `t`.
  func paymentCount(_ t: Int) -> Int { rowOffsets[t + 1] - rowOffsets[t] }

  /// The payment rows of transfer `t`, amounts ascending.
  func payments(of t: Int) -> ArraySlice<Int32> { rows[rowOffsets[t]..<rowOffsets[t + 1]] }

  /// The number of buckets from the first payment's to the last's.
  var bucketSpan: Int64 { lastBucket - firstBucket + 1 }
}
