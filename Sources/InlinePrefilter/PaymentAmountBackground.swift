import Foundation
@_spi(Checkpoint) import SignalGraph

/// The amounts of the stream's recent payments: the honest background
/// against which ``IncrementalFlowCheck`` weighs a coincidence. How many
/// recent payments carried exactly this amount, or one within a few percent
/// of it?
///
/// Payments are counted per epoch of ``epochSeconds`` (a week) in a ring of
/// ``epochCount`` epochs; when the stream's clock enters a new epoch the
/// oldest one is cleared, so memory is fixed (about 50 KB per epoch) however
/// long the stream. Each epoch counts exact amounts in a count-min sketch
/// (Cormode and Muthukrishnan, 2005: ``sketchRows`` rows of ``sketchWidth``
/// counters; it may overcount a rare amount, never undercount, so the check
/// errs toward admitting) and every amount in a bin of 1 % of its size
/// (ranges). Running sums over the live epochs make each query O(1) for an
/// exact amount and O(bins spanned) for a range.
///
/// - Complexity: ``add(_:at:)`` O(1), plus O(sketch) once per epoch.
struct PaymentAmountBackground: Sendable {
  /// Counters per row of the exact-amount sketch.
  static let sketchWidth = 4_096
  /// Rows (independent hashes) of the exact-amount sketch.
  static let sketchRows = 2
  /// Bins of the logarithm of the amount, each 1 % wide: from 1 micro-unit to
  /// about 5·10¹⁷ (larger amounts share the last bin).
  static let binCount = 4_096
  private static let binWidth = log(1.01)
  private static let hashMultipliers: [UInt64] = [0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F]

  /// The length of one epoch, in seconds.
  let epochSeconds: Int64
  /// The epochs kept: the background covers the last `epochCount` epochs.
  let epochCount: Int

  /// The epoch the stream's clock is in (`Int64.min` before any payment).
  private(set) var currentEpoch = Int64.min
  /// Per epoch slot: the sketch's counters, `sketchRows · sketchWidth` each.
  private(set) var exact: [Int32]
  /// Per epoch slot: the bin counters, `binCount` each.
  private(set) var binned: [Int32]
  /// Per epoch slot: the payments counted.
  private(set) var slotTotals: [Int64]
  /// The sums of `exact`, `binned` and `slotTotals` over the slots.
  private(set) var exactSum: [Int32]
  private(set) var binnedSum: [Int32]
  /// The payments counted, over the live epochs.
  private(set) var total: Int64 = 0

  /// An empty background covering `days` (rounded up to whole weeks).
  init(days: Int) {
    epochSeconds = 7 * 86_400
    epochCount = max(1, (days + 6) / 7)
    let sketch = Self.sketchRows * Self.sketchWidth
    exact = [Int32](repeating: 0, count: epochCount * sketch)
    binned = [Int32](repeating: 0, count: epochCount * Self.binCount)
    slotTotals = [Int64](repeating: 0, count: epochCount)
    exactSum = [Int32](repeating: 0, count: sketch)
    binnedSum = [Int32](repeating: 0, count: Self.binCount)
  }

  /// Counts a payment of `micros` at `time` (moving the epochs on first).
  mutating func add(_ micros: Int64, at time: Int64) {
    advance(to: time)
    count(micros, inSlot: Int(currentEpoch.modulo(Int64(epochCount))))
  }

  /// Counts a payment of `micros` dated `time`, at or before the clock, in
  /// the epoch of its date, or not at all when that epoch has left the
  /// window: a background fed the same payments counted it there (in time
  /// order) or later (out of order), so a payment withheld days after it was
  /// made leaves this one no later than that one.
  mutating func add(_ micros: Int64, datedEarlier time: Int64) {
    guard currentEpoch != .min else { return add(micros, at: time) }
    let epoch = min(time.floorDivided(by: epochSeconds), currentEpoch)
    guard epoch > currentEpoch - Int64(epochCount) else { return }
    count(micros, inSlot: Int(epoch.modulo(Int64(epochCount))))
  }

  private mutating func count(_ micros: Int64, inSlot slot: Int) {
    let sketch = Self.sketchRows * Self.sketchWidth
    for row in 0..<Self.sketchRows {
      let i = row * Self.sketchWidth + Self.column(micros, row: row)
      exact[slot * sketch + i] &+= 1
      exactSum[i] &+= 1
    }
    let b = Self.bin(micros)
    binned[slot * Self.binCount + b] &+= 1
    binnedSum[b] &+= 1
    slotTotals[slot] += 1
    total += 1
  }

  /// Moves the clock to `time`: clears the epochs that fell out of the window.
  mutating func advance(to time: Int64) {
    let epoch = time.floorDivided(by: epochSeconds)
    if currentEpoch == .min {
      currentEpoch = epoch
      return
    }
    guard epoch > currentEpoch else { return }
    let steps = min(epoch - currentEpoch, Int64(epochCount))
    for e in (epoch - steps + 1)...epoch { clear(slot: Int(e.modulo(Int64(epochCount)))) }
    currentEpoch = epoch
  }

  /// The share of recent payments of exactly `micros`, not counting
  /// `excluding` of them (the coincidence's own payments), at least one
  /// payment's share: a never-seen amount is rare, not impossible.
  func share(exactly micros: Int64, excluding: Int = 0) -> Double {
    fraction(count(exactly: micros) - Int64(excluding), of: total)
  }

  /// The share of recent payments between `low` and `high` micro-units
  /// (whole 1 % bins, so a little wider), not counting `excluding` of them.
  func share(from low: Int64, to high: Int64, excluding: Int = 0) -> Double {
    fraction(count(from: low, to: high) - Int64(excluding), of: total)
  }

  /// The share of exactly `micros` among the recent payments that `withheld`
  /// (a background over the same epochs, of payments this one counts too)
  /// does not count, not counting `excluding` more of them (when negative,
  /// counting that many of the withheld back).
  func share(exactly micros: Int64, besides withheld: PaymentAmountBackground, excluding: Int = 0) -> Double {
    let count = count(exactly: micros) - withheld.count(exactly: micros) - Int64(excluding)
    return fraction(count, of: total - withheld.total)
  }

  /// The share between `low` and `high` among the recent payments that
  /// `withheld` does not count, not counting `excluding` more of them.
  func share(from low: Int64, to high: Int64, besides withheld: PaymentAmountBackground, excluding: Int = 0)
    -> Double
  {
    let count = count(from: low, to: high) - withheld.count(from: low, to: high) - Int64(excluding)
    return fraction(count, of: total - withheld.total)
  }

  /// The recent payments of exactly `micros` (the sketch's estimate: never fewer).
  private func count(exactly micros: Int64) -> Int64 {
    var count = Int32.max
    for row in 0..<Self.sketchRows {
      count = min(count, exactSum[row * Self.sketchWidth + Self.column(micros, row: row)])
    }
    return Int64(count)
  }

  /// The recent payments in the bins from `low`'s to `high`'s.
  private func count(from low: Int64, to high: Int64) -> Int64 {
    var count: Int64 = 0
    for b in Self.bin(low)...Self.bin(max(low, high)) { count += Int64(binnedSum[b]) }
    return count
  }

  private func fraction(_ count: Int64, of total: Int64) -> Double {
    Double(max(count, 1)) / Double(max(total, 1))
  }

  private mutating func clear(slot: Int) {
    let sketch = Self.sketchRows * Self.sketchWidth
    for i in 0..<sketch {
      exactSum[i] &-= exact[slot * sketch + i]
      exact[slot * sketch + i] = 0
    }
    for b in 0..<Self.binCount {
      binnedSum[b] &-= binned[slot * Self.binCount + b]
      binned[slot * Self.binCount + b] = 0
    }
    total -= slotTotals[slot]
    slotTotals[slot] = 0
  }

  /// The sketch column of `micros` in `row` (multiply-shift hashing).
  private static func column(_ micros: Int64, row: Int) -> Int {
    Int((UInt64(bitPattern: micros) &* hashMultipliers[row]) >> 52) & (sketchWidth - 1)
  }

  /// The bin of `micros`: ⌊ln(micros) / ln 1.01⌋, clamped to the bins.
  static func bin(_ micros: Int64) -> Int {
    guard micros > 1 else { return 0 }
    return min(binCount - 1, Int(log(Double(micros)) / binWidth))
  }

  /// Whether `part`, a background of some of the payments this one counts
  /// (kept over the same epochs), counts no more of any amount or bin than
  /// this one does.
  func covers(_ part: PaymentAmountBackground) -> Bool {
    guard part.currentEpoch == currentEpoch || part.total == 0, part.total <= total else { return false }
    return zip(part.exactSum, exactSum).allSatisfy { $0 <= $1 }
      && zip(part.binnedSum, binnedSum).allSatisfy { $0 <= $1 }
  }

  /// The first inconsistency of the counters, in words, or `nil`.
  func invariantViolation() -> String? {
    guard slotTotals.reduce(0, +) == total else { return "the amount background's total disagrees with its epochs" }
    let sketch = Self.sketchRows * Self.sketchWidth
    for i in 0..<sketch {
      var sum: Int32 = 0
      for slot in 0..<epochCount { sum &+= exact[slot * sketch + i] }
      guard sum == exactSum[i] else { return "the amount sketch's sums disagree with its epochs" }
    }
    for b in 0..<Self.binCount {
      var sum: Int32 = 0
      for slot in 0..<epochCount { sum &+= binned[slot * Self.binCount + b] }
      guard sum == binnedSum[b] else { return "the amount bins' sums disagree with their epochs" }
    }
    return nil
  }
}

extension PaymentAmountBackground {
  /// Writes the counters for a checkpoint.
  func write(to writer: inout StateWriter) {
    writer.write(currentEpoch)
    writer.write(exact)
    writer.write(binned)
    writer.write(slotTotals)
  }

  /// Restores the counters written by ``write(to:)``, for a background of `days`.
  init(days: Int, from reader: inout StateReader) throws(StateReaderError) {
    self.init(days: days)
    currentEpoch = try reader.read(Int64.self)
    let exact = try reader.readArray(Int32.self)
    let binned = try reader.readArray(Int32.self)
    let slotTotals = try reader.readArray(Int64.self)
    guard exact.count == self.exact.count, binned.count == self.binned.count, slotTotals.count == epochCount,
      !exact.contains(where: { $0 < 0 }), !binned.contains(where: { $0 < 0 }),
      !slotTotals.contains(where: { $0 < 0 })
    else { throw .malformed }
    self.exact = exact
    self.binned = binned
    self.slotTotals = slotTotals
    let sketch = Self.sketchRows * Self.sketchWidth
    for slot in 0..<epochCount {
      for i in 0..<sketch { exactSum[i] &+= exact[slot * sketch + i] }
      for b in 0..<Self.binCount { binnedSum[b] &+= binned[slot * Self.binCount + b] }
    }
    total = slotTotals.reduce(0, +)
  }
}

extension Int64 {
  /// `self` modulo `m`, in 0..<m.
  fileprivate func modulo(_ m: Int64) -> Int64 {
    let r = self % m
    return r < 0 ? r + m : r
  }
}
