import SignalGraph

/// One generated row of `profile_edits.csv`.
///
/// The value is kept as a compact code and turned into text only when written
/// (see `ProfileValueRenderer`), so millions of edits need no string storage.
struct SynthProfileEdit {
  /// The profile fields the generator sets.
  enum Field: UInt8 {
    case employer, school, phone, device, address, bio

    var bytes: [UInt8] {
      switch self {
      case .employer: return Array("employer".utf8)
      case .school: return Array("school".utf8)
      case .phone: return Array("phone".utf8)
      case .device: return Array("device".utf8)
      case .address: return Array("address".utf8)
      case .bio: return Array("bio".utf8)
      }
    }
  }

  var ts: UInt32
  var account: UInt32
  var field: Field
  /// Field-specific code; see `ProfileValueRenderer`.
  var value: UInt64
  /// Stream truth: 0 honest, 1 the manipulation itself, 2 planted cover (see `SynthWorld.Role`).
  var role: UInt8 = 0

  /// Total order by time, then the other fields.
  static func precedes(_ a: SynthProfileEdit, _ b: SynthProfileEdit) -> Bool {
    if a.ts != b.ts { return a.ts < b.ts }
    if a.account != b.account { return a.account < b.account }
    if a.field != b.field { return a.field.rawValue < b.field.rawValue }
    return a.value < b.value
  }
}
