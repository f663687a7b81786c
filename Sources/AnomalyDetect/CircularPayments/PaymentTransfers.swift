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
///   sorts), plus sorting each pair's payments by day; O(*p* + *a*) memory.
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
    // Floor division, safe for any stored time (Int64.min included).
    let paymentBuckets = p.time.map { t in t % width < 0 ? t / width - 1 : t / width }
    firstBucket = paymentBuckets.min() ?? 0
    lastBucket = paymentBuckets.max() ?? 0
    let accounts = set.accounts.count
    // Rows by payer, then payee (two stable counting sorts), then each
    // pair's rows by bucket and amount.
    let byTarget = Self.countingSort((0..<Int32(p.count)).map { $0 }, keys: p.target, range: accounts)
    var order = Self.countingSort(byTarget, keys: p.source, range: accounts)
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
    // The columns gathered once in row order: the loop below reads them in
    // sequence rather than jumping about the set's payments row by row.
    let payer = order.map { p.source[Int($0)] }, payee = order.map { p.target[Int($0)] }
    var day = order.map { paymentBuckets[Int($0)] }, amount = order.map { p.amountMicros[Int($0)] }
    var i = 0
    while i < order.count {
      var j = i + 1
      while j < order.count, payer[j] == payer[i], payee[j] == payee[i] { j += 1 }
      // Rows mostly arrive in time order: sort a pair's rows by bucket and amount only when they are not.
      if j - i > 1, (i + 1..<j).contains(where: { (day[$0], amount[$0]) < (day[$0 - 1], amount[$0 - 1]) }) {
        order[i..<j].sort {
          (paymentBuckets[Int($0)], p.amountMicros[Int($0)]) < (paymentBuckets[Int($1)], p.amountMicros[Int($1)])
        }
        for r in i..<j { (day[r], amount[r]) = (paymentBuckets[Int(order[r])], p.amountMicros[Int(order[r])]) }
      }
      // One transfer per bucket of the pair's run.
      let firstTransfer = source.count
      var k = i
      while k < j {
        var end = k + 1
        while end < j, day[end] == day[k] { end += 1 }
        let unit = amount[k + (end - k) / 2]
        let low = amount[k], high = amount[end - 1]
        source.append(payer[k])
        target.append(payee[k])
        bucket.append(day[k])
        unitMicros.append(unit)
        totalMicros.append(amount[k..<end].reduce(Int64(0)) { $0.addingReportingOverflow($1).partialValue })
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
      if source.count - firstTransfer == 1 { payeesPaidOnce[Int(payer[i])] += 1 }
      i = j
    }
    (self.source, self.target, self.bucket, self.unitMicros) = (source, target, bucket, unitMicros)
    self.totalMicros = totalMicros
    (self.spread, self.pairPayments, self.rowOffsets) = (spread, pairPayments, rowOffsets)
    self.repeatedPairs = repeatedPairs
    (self.runStart, self.runEnd, self.payeesPaidOnce) = (runStart, runEnd, payeesPaidOnce)
    rows = order
    // Each account's transfers in bucket order: a counting sort by bucket.
    let span = Int(clamping: lastBucket - firstBucket + 1)
    let first = firstBucket
    let byBucket: [Int32]
    if span <= 4 * max(source.count, 1) {
      byBucket = Self.countingSort(
        (0..<Int32(source.count)).map { $0 }, keys: bucket.map { Int32(clamping: $0 - first) }, range: span)
    } else {
      let buckets = bucket
      byBucket = (0..<Int32(source.count)).sorted { buckets[Int($0)] < buckets[Int($1)] }
    }
    outgoing = Adjacency(nodeCount: accounts, sources: source, targets: target, order: byBucket)
    incoming = Adjacency(nodeCount: accounts, sources: target, targets: source, order: byBucket)
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

  /// `items` stably sorted by `keys[item]`, each key in `0..<range`.
  private static func countingSort(_ items: [Int32], keys: [Int32], range: Int) -> [Int32] {
    var starts = [Int](repeating: 0, count: range + 1)
    for item in items { starts[Int(keys[Int(item)]) + 1] += 1 }
    for k in 0..<range { starts[k + 1] += starts[k] }
    var sorted = [Int32](repeating: 0, count: items.count)
    for item in items {
      let k = Int(keys[Int(item)])
      sorted[starts[k]] = item
      starts[k] += 1
    }
    return sorted
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
