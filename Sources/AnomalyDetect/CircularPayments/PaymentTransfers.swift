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
///     let transfers = PaymentTransfers(set, bucketSeconds: 86_400)
///     transfers.count                     // number of (payer, payee, day) groups
///     transfers.transfersOut(of: 0)       // account 0's transfers, by day
///
/// - Complexity: O(*p* log *p*) for *p* payments (one sort), O(*p*) memory.
struct PaymentTransfers {
  /// Payer, payee and time bucket of each transfer.
  private(set) var source: [Int32] = [], target: [Int32] = [], bucket: [Int64] = []
  /// The median payment amount of each transfer, in micro-units.
  private(set) var unitMicros: [Int64] = []
  /// The largest relative distance of a payment's amount from the unit.
  private(set) var spread: [Double] = []
  /// How many payments the transfer's payer made to its payee in the whole set.
  private(set) var pairPayments: [Int32] = []
  /// The payment rows of each transfer, amounts ascending.
  private(set) var rowOffsets: [Int] = [0], rows: [Int32] = []
  /// Each account's transfers out of it and into it, in bucket order.
  let outgoing: Adjacency, incoming: Adjacency
  /// The first and last bucket holding a payment.
  private(set) var firstBucket: Int64 = 0, lastBucket: Int64 = 0
  /// The number of pairs of accounts that paid each other at least twice.
  private(set) var repeatedPairs = 0

  /// Groups the payments of `set` by payer, payee and `bucketSeconds`-wide bucket.
  init(_ set: SignalSet, bucketSeconds: Int64) {
    let p = set.payments
    let width = max(bucketSeconds, 1)
    func bucketOf(_ row: Int) -> Int64 {
      let t = p.time[row]
      return t >= 0 ? t / width : -((-t + width - 1) / width)
    }
    var order = (0..<Int32(p.count)).map { $0 }
    let paymentBuckets = (0..<p.count).map(bucketOf)
    order.sort { a, b in
      let a = Int(a), b = Int(b)
      if p.source[a] != p.source[b] { return p.source[a] < p.source[b] }
      if p.target[a] != p.target[b] { return p.target[a] < p.target[b] }
      if paymentBuckets[a] != paymentBuckets[b] { return paymentBuckets[a] < paymentBuckets[b] }
      return p.amountMicros[a] < p.amountMicros[b]
    }
    firstBucket = paymentBuckets.min() ?? 0
    lastBucket = paymentBuckets.max() ?? 0
    var pairStart = 0
    var i = 0
    while i < order.count {
      let head = Int(order[i])
      var j = i + 1
      while j < order.count, p.source[Int(order[j])] == p.source[head], p.target[Int(order[j])] == p.target[head],
        paymentBuckets[Int(order[j])] == paymentBuckets[head]
      {
        j += 1
      }
      let amounts = order[i..<j].map { p.amountMicros[Int($0)] }
      let unit = amounts[amounts.count / 2]
      source.append(p.source[head])
      target.append(p.target[head])
      bucket.append(paymentBuckets[head])
      unitMicros.append(unit)
      spread.append(unit > 0 ? amounts.map { Double(abs($0 - unit)) / Double(unit) }.max()! : 0)
      rows.append(contentsOf: order[i..<j])
      rowOffsets.append(rows.count)
      pairPayments.append(0)
      i = j
      // Close the pair's run when the next transfer starts another pair.
      let closes = j == order.count || p.source[Int(order[j])] != p.source[head] || p.target[Int(order[j])] != p.target[head]
      if closes {
        let total = rowOffsets[source.count] - rowOffsets[pairStart]
        for t in pairStart..<source.count { pairPayments[t] = Int32(clamping: total) }
        if total >= 2 { repeatedPairs += 1 }
        pairStart = source.count
      }
    }
    let buckets = bucket
    let byBucket = (0..<Int32(source.count)).sorted { buckets[Int($0)] < buckets[Int($1)] }
    let accounts = set.accounts.count
    outgoing = Adjacency(nodeCount: accounts, sources: source, targets: target, order: byBucket)
    incoming = Adjacency(nodeCount: accounts, sources: target, targets: source, order: byBucket)
  }

  /// The number of transfers.
  var count: Int { source.count }

  /// The number of payments in transfer `t`.
  func paymentCount(_ t: Int) -> Int { rowOffsets[t + 1] - rowOffsets[t] }

  /// The payment rows of transfer `t`, amounts ascending.
  func payments(of t: Int) -> ArraySlice<Int32> { rows[rowOffsets[t]..<rowOffsets[t + 1]] }

  /// The number of buckets from the first payment's to the last's.
  var bucketSpan: Int64 { lastBucket - firstBucket + 1 }
}
