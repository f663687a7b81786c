import SignalGraph

/// The synthetic timeline: 180 days starting 2026-01-01T00:00:00Z, in Unix seconds.
enum SynthClock {
  static let minute: UInt32 = 60
  static let hour: UInt32 = 3_600
  static let day: UInt32 = 86_400
  /// 2026-01-01T00:00:00Z.
  static let start: UInt32 = 1_767_225_600
  /// One past the last second of the window (2026-06-30T00:00:00Z).
  static let end: UInt32 = start + 180 * day
  /// Day offsets of the first of January … June 2026 from `start`.
  static let monthStarts: [UInt32] = [0, 31, 59, 90, 120, 151]
  /// Honest accounts were created from 2019-01-01 onwards.
  static let earliestAccount: UInt32 = 1_546_300_800
}
