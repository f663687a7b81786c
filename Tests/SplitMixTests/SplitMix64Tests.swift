import SplitMix
import Testing

@Suite struct SplitMix64Tests {
  @Test func generatorIsPinnedAcrossMachines() {
    // Reference outputs of SplitMix64 (Vigna's splitmix64.c) for seed 0.
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    var bounded = SplitMix64(seed: 9)
    for _ in 0..<1_000 { #expect((0..<7).contains(bounded.below(7))) }
  }

  @Test func mixIsTheGeneratorsFinaliser() {
    // The n-th draw of seed s is mix(s + n·increment): the mixer is the
    // generator's output function, so a hash built on it keeps its bits.
    for seed: UInt64 in [0, 1, 42, 0x243F_6A88_85A3_08D3, .max] {
      var rng = SplitMix64(seed: seed)
      for n: UInt64 in 1...4 {
        #expect(rng.next() == SplitMix64.mix(seed &+ n &* SplitMix64.increment))
      }
    }
    #expect(SplitMix64.mix(0) == 0)
  }

  @Test func mixIsABijectionOnASample() {
    // Distinct words stay distinct (the mixer is invertible); a one-bit
    // change of the input flips about half of the output bits.
    var seen = Set<UInt64>()
    var flipped = 0
    for i: UInt64 in 0..<4_096 {
      #expect(seen.insert(SplitMix64.mix(i)).inserted)
      flipped += (SplitMix64.mix(i) ^ SplitMix64.mix(i ^ 1 << (i % 64))).nonzeroBitCount
    }
    #expect((28...36).contains(flipped / 4_096))
  }

  @Test func forkedGeneratorsAreIndependentOfLaterDraws() {
    var a = SplitMix64(seed: 7)
    var b = SplitMix64(seed: 7)
    var childA = a.fork()
    var childB = b.fork()
    _ = b.next()
    #expect(childA.next() == childB.next())
    #expect(a.next() != b.next())
  }

  @Test func boundedDrawsCoverTheirRange() {
    var rng = SplitMix64(seed: 11)
    var counts = [Int](repeating: 0, count: 5)
    for _ in 0..<5_000 { counts[rng.int(in: 10...14) - 10] += 1 }
    #expect(counts.allSatisfy { (850...1_150).contains($0) })
    for _ in 0..<1_000 {
      let u = rng.unit()
      #expect(u >= 0 && u < 1)
      #expect((3...5).contains(rng.uint32(in: 3...5)))
    }
    var items = Array(0..<50)
    rng.shuffle(&items)
    #expect(items.sorted() == Array(0..<50))
  }
}
