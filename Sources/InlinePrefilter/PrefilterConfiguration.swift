import SignalGraph

/// The knobs of a ``Prefilter``: the history window that bounds memory, the
/// endorsement policy, and each check's own thresholds. The defaults are
/// tuned for precision first: a held honest signal is a real harm.
///
///     var configuration = Prefilter.Configuration()
///     configuration.windowDays = 30
///     configuration.engagement.minEndorsers = 6
///     var filter = Prefilter(configuration: configuration)
public struct PrefilterConfiguration: Sendable, Equatable, Codable {
  /// Days of history kept: endorsement (dense-block) state and rarity counts
  /// older than this are evicted, and accounts and values idle for longer
  /// than ``idleSeconds`` are forgotten; this is what bounds memory. At least 1.
  public var windowDays: Int = 60
  /// Which interactions are endorsements the engagement check watches;
  /// others (dislikes, reports, negative ratings) are admitted unchecked.
  public var endorsement: EndorsementPolicy = .standard
  /// The thresholds of the conserved payment cycle check.
  public var cycles = IncrementalCycleCheck.Thresholds()
  /// The thresholds of the slow collusive flow check (splits and relay chains).
  public var flows = IncrementalFlowCheck.Thresholds()
  /// The thresholds of the dense endorsement block check.
  public var engagement = IncrementalEngagementCheck.Thresholds()
  /// The thresholds of the template profile ring check.
  public var profiles = IncrementalProfileCheck.Thresholds()

  /// The defaults.
  public init() {}

  /// ``windowDays`` in seconds.
  var windowSeconds: Int64 { Int64(max(1, windowDays)) * 86_400 }

  /// How long an account, profile value or field name may go unseen before
  /// the pre-filter forgets it: the history window plus the longest time any
  /// check's state may still name it past that window (the cycle window, the
  /// block sync time, two burst windows), by when every piece of state that
  /// could name it has expired. (60 days + 14 days with the defaults.)
  public var idleSeconds: Int64 {
    windowSeconds + Prefilter.checkTypes.map { $0.reachBeyondWindow(self) }.max()!
  }
}
