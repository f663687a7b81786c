import SignalGraph

/// The honest crowd an unlabelled account was generated in: look-alikes of
/// bought engagement that a correct detector never flags, written to
/// `crowds.csv` (`account,crowd`) beside the contract's files so that an
/// evaluation can count how many of them were flagged.
///
/// | crowd | who |
/// |---|---|
/// | `viral_target` | an ordinary account that went viral, and its one related account (its band) |
/// | `viral_fan` | an account that endorsed a viral target during its burst |
/// | `club` | a member of a tight honest community |
/// | `busy_rater` | an honest account that endorses several hundred others |
enum SynthCrowd: UInt8, CaseIterable {
  case viralTarget, viralFan, club, busyRater

  /// The name written to `crowds.csv`.
  var name: String {
    switch self {
    case .viralTarget: return "viral_target"
    case .viralFan: return "viral_fan"
    case .club: return "club"
    case .busyRater: return "busy_rater"
    }
  }
}
