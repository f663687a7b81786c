import Foundation
import SignalGraph

/// How widely each profile value is shared, and how surprising that sharing
/// is: the weighted account × value bipartite graph the fake-profile
/// detectors read.
///
/// For every distinct value *v* (values are interned across fields, so equal
/// strings share one index) it holds the distinct accounts that set it, as a
/// CSR layout built by one counting sort over the edits, and a weight
///
/// ```text
/// surprise(v) = ln(n / k)     when 2 ≤ k ≤ maxSharers, else 0
/// ```
///
/// where *k* is the number of distinct accounts that set *v* and *n* the number
/// of accounts with any profile edit: an inverse document frequency (Spärck
/// Jones 1972) over accounts. A value shared by thousands (a big employer or
/// university) is above `maxSharers` and weighs nothing; a value shared by a
/// handful of otherwise unrelated accounts weighs ln(n/k), about 7.4 for six
/// accounts among ten thousand. A *household* value (the `address`, `phone`
/// or `device` fields) shared by at most `householdSize` accounts is what a
/// family or flat shares and also weighs nothing.
///
/// - Complexity: O(*m* + *V*) time and memory for *m* edits and *V* values.
struct ProfileValueStatistics {
  /// Values shared by more accounts than this carry no weight.
  static let maxSharers = 50
  /// Household fields shared by at most this many accounts carry no weight.
  static let householdSize = 5
  /// Fields whose small shared groups are what households share.
  static let householdFields = ["address", "phone", "device"]
  /// The free-text fields compared for near duplicates.
  static let textFields = ["bio", "employer", "school"]

  /// Accounts with at least one edit.
  let activeAccounts: Int
  /// CSR offsets: value v's accounts are `accounts[offsets[v]..<offsets[v+1]]`.
  let offsets: [Int32]
  /// The distinct accounts of each value, in first-edit order.
  let accounts: [Int32]
  /// The field of each value's first edit.
  let fieldOfValue: [Int32]
  /// The weight of each value (0 for values that are not surprising).
  let surprise: [Double]
  /// Whether each field index is a household field.
  let isHouseholdField: [Bool]

  init(_ edits: ProfileEditTable) {
    let valueCount = edits.values.count
    let m = edits.count
    isHouseholdField = (0..<Int32(edits.fields.count)).map { Self.householdFields.contains(edits.fields[$0]) }

    var active = 0
    var seen = [Bool](repeating: false, count: (edits.account.max().map { Int($0) } ?? -1) + 1)
    for a in edits.account where !seen[Int(a)] {
      seen[Int(a)] = true
      active += 1
    }
    activeAccounts = active

    // Counting sort of the edits by value, then drop repeated accounts with
    // a "last value seen" mark per account.
    var counts = [Int32](repeating: 0, count: valueCount + 1)
    var field = [Int32](repeating: -1, count: valueCount)
    for e in 0..<m {
      let v = Int(edits.value[e])
      counts[v + 1] += 1
      if field[v] < 0 { field[v] = edits.field[e] }
    }
    for v in 0..<valueCount { counts[v + 1] += counts[v] }
    var cursor = counts
    var sorted = [Int32](repeating: 0, count: m)
    for e in 0..<m {
      let v = Int(edits.value[e])
      sorted[Int(cursor[v])] = edits.account[e]
      cursor[v] += 1
    }
    var mark = [Int32](repeating: -1, count: seen.count)
    var offsets = [Int32](repeating: 0, count: valueCount + 1)
    var write = 0
    for v in 0..<valueCount {
      for i in Int(counts[v])..<Int(counts[v + 1]) {
        let a = Int(sorted[i])
        if mark[a] != Int32(v) {
          mark[a] = Int32(v)
          sorted[write] = Int32(a)
          write += 1
        }
      }
      offsets[v + 1] = Int32(write)
    }
    sorted.removeLast(m - write)
    accounts = sorted
    self.offsets = offsets
    fieldOfValue = field

    let n = Double(max(active, 1))
    var surprise = [Double](repeating: 0, count: valueCount)
    for v in 0..<valueCount {
      let k = Int(offsets[v + 1] - offsets[v])
      guard k >= 2, k <= Self.maxSharers else { continue }
      if k <= Self.householdSize, field[v] >= 0, isHouseholdField[Int(field[v])] { continue }
      surprise[v] = max(log(n / Double(k)), 0.1)
    }
    self.surprise = surprise
  }

  /// The number of distinct accounts that set value `v`.
  @inline(__always)
  func sharers(_ v: Int) -> Int { Int(offsets[v + 1] - offsets[v]) }

  /// The distinct accounts that set value `v`.
  @inline(__always)
  func accounts(of v: Int) -> ArraySlice<Int32> { accounts[Int(offsets[v])..<Int(offsets[v + 1])] }

  /// The index of each named field present in `edits`.
  static func fieldIndices(_ names: [String], in edits: ProfileEditTable) -> [Int32] {
    names.compactMap { edits.fields.index(of: $0) }
  }
}

/// Formatting shared by the fake-profile detectors' evidence.
enum ProfileEvidence {
  /// `2026-03-01T12:00Z`.
  static func minute(_ t: Int64) -> String { Timestamp.iso8601Minutes(t) }

  /// `2026-03-01T12:00Z – 12:47Z`, or with both dates when the window spans days.
  static func window(_ a: Int64, _ b: Int64) -> String {
    let start = minute(a), end = minute(b)
    if start.prefix(10) == end.prefix(10) { return "\(start) – \(end.dropFirst(11))" }
    return "\(start) – \(end)"
  }

  /// A duration in words: `47 minutes`, `3.5 hours`, `2.1 days`.
  static func duration(_ seconds: Int64) -> String {
    if seconds < 5_400 { return "\(max(seconds / 60, 1)) minutes" }
    if seconds < 172_800 { return String(format: "%.1f hours", Double(seconds) / 3600) }
    return String(format: "%.1f days", Double(seconds) / 86_400)
  }

  static func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}
