/// One account of a planted engagement farm, for `farms.csv`
/// (`account,farm,style,role`): which farm it belongs to, the farm's style
/// and whether it endorsed or was endorsed.
///
/// `labels.csv` says only that an account bought engagement; `farms.csv`
/// lets an evaluation read recall per farm style and check that no reported
/// cluster joins two farms.
struct SynthFarmMember {
  enum Role: UInt8 {
    case endorser = 0
    case customer = 1

    /// The name written to `farms.csv`.
    var name: String { self == .endorser ? "endorser" : "customer" }
  }

  /// The account's internal index.
  var account: UInt32
  /// The farm's number, in planting order from 0.
  var farm: UInt32
  /// The farm's style, as written to `farms.csv` (`plain`, `aged_small`, ...).
  var style: String
  var role: Role
}
