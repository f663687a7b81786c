import SignalGraph

/// One generated row of `interactions.csv`: `src` endorses `dst`.
struct SynthInteraction {
  /// The contract's endorsement kinds.
  enum Kind: UInt8 {
    case follow
    case like

    var bytes: [UInt8] {
      switch self {
      case .follow: return Array("follow".utf8)
      case .like: return Array("like".utf8)
      }
    }
  }

  var ts: UInt32
  var src: UInt32
  var dst: UInt32
  var kind: Kind
  /// Stream truth: 0 honest, 1 the manipulation itself, 2 planted cover (see `SynthWorld.Role`).
  var role: UInt8 = 0

  /// Total order by time, then the other fields.
  static func precedes(_ a: SynthInteraction, _ b: SynthInteraction) -> Bool {
    if a.ts != b.ts { return a.ts < b.ts }
    if a.src != b.src { return a.src < b.src }
    if a.dst != b.dst { return a.dst < b.dst }
    return a.kind.rawValue < b.kind.rawValue
  }
}
