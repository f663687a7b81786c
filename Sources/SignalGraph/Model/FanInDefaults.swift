/// The default shape of a fan-in: the one home of the numbers the scan's
/// `structured-flow` (`FanIns` and its gathering hubs) and the
/// pre-filter's incremental fan-in share.
///
/// A fan-in is several senders paying one account about the same sum
/// within a few weeks, each sum unlike the sender's own habits. Both the
/// scan and the pre-filter group the payments into the account by a band
/// of amounts ``bandTolerance`` wide on either side, read at most
/// ``maxRead`` payments into one account within ``windowSeconds`` (a busier
/// account, a shop, is not read), ask for at least ``minSenders`` distinct
/// senders, and call the band a fan-in when fewer than ``alpha`` such
/// coincidences are expected among the honest background's payments.
///
///     let days = FanInDefaults.windowSeconds / 86_400   // 25
package enum FanInDefaults {
  /// The span of a fan-in, 25 days: under a month, so that a pair paying
  /// monthly (a club's dues, a rent) is the payee's habit, not a fan-in.
  package static let windowSeconds: Int64 = 25 * 86_400
  /// The fewest distinct senders of a fan-in.
  package static let minSenders = 3
  /// Half the widest relative band of a fan-in's amounts: its top at most
  /// 1 + 2 · this times its bottom.
  package static let bandTolerance = 0.05
  /// The most payments into one account within the window that are read.
  package static let maxRead = 32
  /// The most chance coincidences expected among the background's payments
  /// for a fan-in to count (the scan's `structured-flow.alpha`).
  package static let alpha = 0.01
}
