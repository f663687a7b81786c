import SignalGraph

/// The knobs of a ``Prefilter``: the history window that bounds memory and
/// each checker's thresholds. The defaults are tuned for precision first: a
/// held honest signal is a real harm.
///
///     var configuration = Prefilter.Configuration()
///     configuration.windowDays = 30
///     var filter = Prefilter(configuration: configuration)
public struct PrefilterConfiguration: Sendable, Equatable {
  /// Days of history kept: endorsement (dense-block) state and rarity counts
  /// older than this are evicted, and accounts and values idle for longer
  /// than ``idleSeconds`` are forgotten; this is what bounds memory. At least 1.
  public var windowDays: Int = 60
  /// Longest time a conserved payment cycle may take, in seconds.
  public var cycleWindowSeconds: Int64 = 36 * 3_600
  /// Most payments in one cycle.
  public var cycleMaxHops: Int = 8
  /// Each hop passes on at least this share of what the previous hop carried.
  public var cycleMinRatio: Double = 0.8
  /// Incoming payments examined per account in the backward search.
  public var cycleFanLimit: Int = 48
  /// Accounts visited per backward search at most.
  public var cycleBudget: Int = 2_048
  /// Distinct endorsers that must share two targets to make a block.
  public var blockMinEndorsers: Int = 5
  /// How many times more co-endorsers than chance (d₁·d₂ / active endorsers) a block needs.
  public var blockSurprise: Double = 10
  /// An endorser's two endorsements of a pair count together only this close in time (seconds).
  public var blockSyncSeconds: Int64 = 14 * 86_400
  /// Targets with more endorsers than this in the window (celebrities) are not paired.
  public var blockMaxTargetDegree: Int = 1_000
  /// Endorsers with more targets than this in the window (accounts that
  /// follow everyone) are not paired either: one endorser adds at most one
  /// to any pair, and pairing all its targets would cost its degree squared.
  public var blockMaxEndorserDegree: Int = 1_000
  /// A new endorsement is paired with at most this many of its endorser's
  /// latest targets, so that deciding it costs O(this), not O(out-degree):
  /// a farm's fakes endorse their customers within days, so the customers
  /// are among their latest targets.
  public var blockRecentTargets: Int = 64
  /// Accounts that must share a rare value and a second one within the burst window.
  public var profileMinGroup: Int = 4
  /// A value set by more accounts than this within the window is common, not a template.
  public var profileRareMax: Int = 60
  /// The burst window of a template ring, in seconds.
  public var profileBurstSeconds: Int64 = 6 * 3_600
  /// Least estimated Jaccard similarity for two bios to be near duplicates.
  public var bioMinJaccard: Double = 0.5
  /// Which interactions are endorsements the engagement check watches;
  /// others (dislikes, reports, negative ratings) are admitted unchecked.
  public var endorsement: EndorsementPolicy = .standard

  /// The defaults.
  public init() {}

  var windowSeconds: Int64 { Int64(max(1, windowDays)) * 86_400 }

  /// How long an account, profile value or field name may go unseen before
  /// the pre-filter forgets it: the history window plus the longest of the
  /// cycle window, the block sync time and two burst windows, by when every
  /// piece of state that could name it has expired. (60 days + 14 days with
  /// the defaults.)
  public var idleSeconds: Int64 {
    windowSeconds + max(cycleWindowSeconds, blockSyncSeconds, 2 * profileBurstSeconds)
  }
}
