import SignalGraph

/// How fair each rater is and how good each rated account is, from the
/// signed opinions of a signal set: the unsupervised core of REV2, iterated
/// to a fixed point.
///
/// Every distinct (rater, rated) pair with an opinion (``EndorsementPolicy/opinion(kind:rating:)``:
/// +1 an endorsement, −1 a dislike, report, block or negative rating; the
/// pair's latest non-zero opinion counts) is one rating *s*(*u*, *v*). Starting
/// from every rater fair (*f* = 1):
///
/// ```text
/// goodness  g(v) = Σᵤ f(u) · s(u, v) / Σᵤ f(u)          ∈ [−1, 1]
/// fairness  f(u) = 1 − (1 / |out(u)|) Σᵥ |s(u, v) − g(v)| / 2   ∈ [0, 1]
/// ```
///
/// until no fairness moves by more than 10⁻⁶ (at most 100 rounds). A fair
/// rater agrees with the fairness-weighted consensus on the accounts it
/// rates; a rater that praises what the fair raters condemn, or condemns
/// what they praise (a retaliating or colluding one), is unfair, and its
/// ratings weigh less in every goodness. REV2's third quantity, the
/// reliability of each rating, and its smoothing priors are left out: with
/// ±1 ratings reliability is the agreement already averaged in *f*.
///
/// [Kumar et al. 2018]: https://doi.org/10.1145/3159652.3159729
///
/// > S. Kumar, B. Hooi, D. Makhija, M. Kumar, C. Faloutsos, V. S. Subrahmanian.
/// "REV2: Fraudulent User Prediction in Rating Platforms." *WSDM 2018*, pp. 333-341.
///
/// **Fair elsewhere.** A group of colluders who rate only accounts nobody
/// else rates agree with a consensus they make themselves, and come out fair.
/// ``fairnessElsewhere(of:about:group:)`` measures a rater against the
/// consensus of raters outside a group, on the other accounts it rated: what
/// "agrees with the consensus elsewhere" means for a test that must not be
/// fooled by a block of dislikes.
///
/// - Complexity: O(*m* log *m*) to collect the *m* distinct pairs, then
///   O(*m*) per round; memory 14 bytes per pair plus 32 per account.
struct RaterFairness: Sendable {
  /// Rated → raters (CSR over account indices) with each pair's opinion ±1.
  let inOffsets: [Int]
  let inRaters: [Int32]
  let inOpinion: [Int8]
  /// Rater → rated (CSR) with each pair's opinion.
  let outOffsets: [Int]
  let outRated: [Int32]
  let outOpinion: [Int8]
  /// Each rater's fairness (1 for accounts that rate nobody).
  let fairness: [Double]
  /// Per rated account, Σ f(u) s(u, v) and Σ f(u) over its raters.
  let weightedSum: [Double], weightTotal: [Double]
  /// Each account's goodness (0 for accounts nobody rates).
  let goodness: [Double]
  /// The share of negative opinions among all rated pairs.
  let negativeShare: Double
  /// Rounds run until the fixed point.
  let rounds: Int

  /// The fairness and goodness of `set`, whose interactions voice `opinions`
  /// (``EndorsementPolicy/opinions(of:)``, row by row).
  init(_ set: SignalSet, opinions: [Int8]) {
    let n = set.accounts.count
    let i = set.interactions
    // The latest non-zero opinion of each (rater, rated) pair.
    var latest: [UInt64: (time: Int64, row: Int)] = [:]
    for r in 0..<i.count where opinions[r] != 0 && i.source[r] != i.target[r] {
      let key = UInt64(UInt32(bitPattern: i.target[r])) << 32 | UInt64(UInt32(bitPattern: i.source[r]))
      if let seen = latest[key], seen.time > i.time[r] { continue }
      latest[key] = (i.time[r], r)
    }
    let keys = latest.keys.sorted()
    var inOffsets = [Int](repeating: 0, count: n + 1)
    var inRaters: [Int32] = [], inOpinion: [Int8] = []
    inRaters.reserveCapacity(keys.count)
    inOpinion.reserveCapacity(keys.count)
    var negatives = 0
    for key in keys {
      let v = Int(key >> 32)
      inOffsets[v + 1] += 1
      inRaters.append(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
      let s = opinions[latest[key]!.row]
      inOpinion.append(s)
      if s < 0 { negatives += 1 }
    }
    for v in 0..<n { inOffsets[v + 1] += inOffsets[v] }
    var outCount = [Int](repeating: 0, count: n)
    for u in inRaters { outCount[Int(u)] += 1 }

    var fairness = [Double](repeating: 1, count: n)
    var goodness = [Double](repeating: 0, count: n)
    var weightedSum = [Double](repeating: 0, count: n), weightTotal = [Double](repeating: 0, count: n)
    var rounds = 0
    while rounds < 100 {
      rounds += 1
      for v in 0..<n where inOffsets[v + 1] > inOffsets[v] {
        var weighted = 0.0, weight = 0.0
        for k in inOffsets[v]..<inOffsets[v + 1] {
          let f = fairness[Int(inRaters[k])]
          weighted += f * Double(inOpinion[k])
          weight += f
        }
        goodness[v] = weight > 0 ? weighted / weight : 0
        weightedSum[v] = weighted
        weightTotal[v] = weight
      }
      var disagreement = [Double](repeating: 0, count: n)
      for v in 0..<n {
        for k in inOffsets[v]..<inOffsets[v + 1] {
          disagreement[Int(inRaters[k])] += abs(Double(inOpinion[k]) - goodness[v]) / 2
        }
      }
      var moved = 0.0
      for u in 0..<n where outCount[u] > 0 {
        let f = 1 - disagreement[u] / Double(outCount[u])
        moved = max(moved, abs(f - fairness[u]))
        fairness[u] = f
      }
      if moved < 1e-6 { break }
    }
    self.inOffsets = inOffsets
    self.inRaters = inRaters
    self.inOpinion = inOpinion
    self.fairness = fairness
    self.goodness = goodness
    self.weightedSum = weightedSum
    self.weightTotal = weightTotal
    // The out-direction: rated accounts of each rater, with the opinions.
    var outOffsets = [Int](repeating: 0, count: n + 1)
    for u in inRaters { outOffsets[Int(u) + 1] += 1 }
    for u in 0..<n { outOffsets[u + 1] += outOffsets[u] }
    var next = outOffsets
    var outRated = [Int32](repeating: 0, count: inRaters.count),
      outOpinion = [Int8](repeating: 0, count: inRaters.count)
    for v in 0..<n {
      for k in inOffsets[v]..<inOffsets[v + 1] {
        let u = Int(inRaters[k])
        outRated[next[u]] = Int32(v)
        outOpinion[next[u]] = inOpinion[k]
        next[u] += 1
      }
    }
    self.outOffsets = outOffsets
    self.outRated = outRated
    self.outOpinion = outOpinion
    self.rounds = rounds
    negativeShare = keys.isEmpty ? 0 : Double(negatives) / Double(keys.count)
  }

  /// The opinion of `u` on `v`, if it rated it (raters of an account are sorted).
  func opinion(of u: Int32, on v: Int) -> Int8? {
    var lo = inOffsets[v], hi = inOffsets[v + 1]
    while lo < hi {
      let mid = (lo + hi) / 2
      if inRaters[mid] < u { lo = mid + 1 } else { hi = mid }
    }
    return lo < inOffsets[v + 1] && inRaters[lo] == u ? inOpinion[lo] : nil
  }

  /// The fairness of `u` measured only against raters outside `group`, on
  /// the accounts other than `v` it rated: 1 − mean |s(u, w) − g₋(w)| / 2,
  /// g₋(w) the fairness-weighted opinion of w's raters not in `group` (nor
  /// `u`). `nil` when no account it rated has such a rater: its fairness
  /// rests on no consensus but its own group's.
  ///
  /// - Complexity: O(out-degree(*u*) · |group| · log in-degree).
  func fairnessElsewhere(of u: Int32, about v: Int, group: [Int32]) -> Double? {
    var disagreement = 0.0, counted = 0
    for k in outOffsets[Int(u)]..<outOffsets[Int(u) + 1] {
      let w = Int(outRated[k])
      if w == v { continue }
      var sum = weightedSum[w], total = weightTotal[w]
      for c in group {
        if let s = opinion(of: c, on: w) {
          sum -= fairness[Int(c)] * Double(s)
          total -= fairness[Int(c)]
        }
      }
      if !group.contains(u) {
        sum -= fairness[Int(u)] * Double(outOpinion[k])
        total -= fairness[Int(u)]
      }
      guard total > 1e-9 else { continue }
      disagreement += abs(Double(outOpinion[k]) - sum / total) / 2
      counted += 1
    }
    return counted == 0 ? nil : 1 - disagreement / Double(counted)
  }

  /// The raters of `v` with their opinions.
  func raters(of v: Int) -> Zip2Sequence<ArraySlice<Int32>, ArraySlice<Int8>> {
    zip(inRaters[inOffsets[v]..<inOffsets[v + 1]], inOpinion[inOffsets[v]..<inOffsets[v + 1]])
  }
}
