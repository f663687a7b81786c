import SignalGraph

/// How big a synthetic signal set `SyntheticSignalSet` generates.
///
/// | scale    | accounts  | signals (≈)  | fraud groups per kind |
/// |----------|-----------|--------------|-----------------------|
/// | `tiny`   | 1 000     | 10 000       | 2                     |
/// | `small`  | 10 000    | 150 000      | 10                    |
/// | `medium` | 100 000   | 2 000 000    | 100                   |
/// | `large`  | 1 000 000 | 12 000 000   | 1 000                 |
/// | `xlarge` | 1 250 000 | 15 000 000   | 1 250                 |
///
///     let set = SyntheticSignalSet(scale: .small, seed: 7)
///     for scale in SynthScale.allCases { print(scale.rawValue) }
public enum SynthScale: String, CaseIterable, Sendable {
  /// About 1 000 accounts and 10 000 signals; for unit tests.
  case tiny
  /// About 10 000 accounts and 150 000 signals.
  case small
  /// About 100 000 accounts and 2 000 000 signals.
  case medium
  /// About 1 000 000 accounts and 12 000 000 signals.
  case large
  /// About 1 250 000 accounts and 15 000 000 signals (5 000 000 profile
  /// edits): `large`'s rates on a quarter more people, for the benchmarks
  /// whose targets name 5 or 10 million signals of one kind.
  case xlarge
}
