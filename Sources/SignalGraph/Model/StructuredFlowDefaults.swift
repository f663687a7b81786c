/// The default shape of a slow collusive flow: the one home of the numbers
/// the scan's `structured-flow` detector and the pre-filter's flow check
/// (`IncrementalFlowCheck`) share.
///
/// Money relayed (a ring, a chain, a stack's layer, a scatter-gather's
/// intermediary) is passed on within ``relayWindowSeconds`` of coming in.
/// A fan-in is several senders paying one account about the same sum
/// within a few weeks, each sum unlike the sender's own habits: both
/// group the payments into the account by a band of amounts
/// ``fanBandTolerance`` wide on either side, read at most ``fanMaxRead``
/// payments into one account within ``fanWindowSeconds`` (a busier
/// account, a shop, is not read), ask for at least ``minFanSenders``
/// distinct senders, and call the band a fan-in when fewer than ``alpha``
/// such coincidences are expected among the honest background's payments.
///
///     let days = StructuredFlowDefaults.fanWindowSeconds / 86_400   // 25
package enum StructuredFlowDefaults {
  /// The most seconds between a payment and the one relaying it, 14 days:
  /// laundering's layers pass money on within days to a couple of weeks
  /// (AMLSim's and AMLworld's typologies), and every day more is more
  /// honest payments a relay could match by chance.
  package static let relayWindowSeconds: Int64 = 14 * 86_400
  /// The span of a fan-in, 25 days: under a month, so that a pair paying
  /// monthly (a club's dues, a rent) is the payee's habit, not a fan-in.
  package static let fanWindowSeconds: Int64 = 25 * 86_400
  /// The fewest distinct senders of a fan-in.
  package static let minFanSenders = 3
  /// Half the widest relative band of a fan-in's amounts: its top at most
  /// 1 + 2 · this times its bottom.
  package static let fanBandTolerance = 0.05
  /// The most payments into one account within the fan window that are read.
  package static let fanMaxRead = 32
  /// The most chance, *k* · *q*, of one relay hop a chain follows, 5 %: the
  /// usual level of one test, so that a chain does not pick up an account's
  /// ordinary payment that happens to come near what it received. A hop
  /// need not be beyond chance on its own: the chain is judged by its hops'
  /// combined chance.
  package static let maxHopChance = 0.05
  /// The most chance coincidences expected among the background's payments
  /// for a structure to count: the scan's `structured-flow.alpha`, and the
  /// pre-filter's bar for a fan-in.
  package static let alpha = 0.01
}
