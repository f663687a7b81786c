import Foundation
import SignalGraph
import SplitMix

/// A deterministic synthetic signal set: honest background activity with
/// planted, labelled manipulation, written as CSV files by the signal-set
/// contract (`accounts.csv`, `payments.csv`, `interactions.csv`,
/// `profile_edits.csv`, `labels.csv`).
///
/// The same scale and seed give byte-identical files on every machine. Rows
/// are in time order, so planted groups are not contiguous; about 2 % of
/// timestamps are written as ISO-8601, the rest as Unix seconds. See
/// `HonestBackground`, the honest crowds (`ViralBursts`, `HonestClubs`,
/// `BusyRaters`), `EngagementFarms`, `PaymentRings`, `ProfileTemplates` and
/// `CollusivePayments` for what is generated.
///
///     let set = SyntheticSignalSet(scale: .small, seed: 42)
///     let summary = try set.write(to: URL(fileURLWithPath: "/tmp/small-42"))
///     print(summary.payments, summary.labeledAccounts)
///
/// - Complexity: O(*n* log *n*) time and O(*n*) memory in the number of
///   signals; `large` (12 million signals) takes seconds in a release build.
public struct SyntheticSignalSet: Sendable {
  /// How big the set is.
  let scale: SynthScale
  /// The seed that determines every byte.
  let seed: UInt64
  /// Whether the slow anti-money-laundering schemes of `CollusivePayments`
  /// (split fan-ins, rings going round once, scatter-gathers, stacks,
  /// gather-scatters, fan-outs) are planted too.
  let amlTypologies: Bool

  /// Describes a signal set; nothing is generated until `write(to:)`.
  /// With `amlTypologies`, the slow laundering schemes are planted as well
  /// (after everything else, so the rest of the set is unchanged).
  public init(scale: SynthScale, seed: UInt64, amlTypologies: Bool = false) {
    self.scale = scale
    self.seed = seed
    self.amlTypologies = amlTypologies
  }

  /// Generates the set and writes accounts.csv, payments.csv,
  /// interactions.csv, profile_edits.csv and labels.csv into `directory`
  /// (created if missing; existing files of those names are replaced), and
  /// beside them `crowds.csv` (`account,crowd`): the unlabelled members of
  /// the honest crowds (``SynthCrowd``), which no detector should flag, and
  /// `farms.csv` (`account,farm,style,role`): the planted engagement farms
  /// one by one (``SynthFarmMember``).
  ///
  /// - Returns: row counts and the number of labelled accounts per kind.
  /// - Throws: `SignalSetWriterError` when the directory or a file cannot be
  ///   created or written.
  ///
  /// With `stream`, also writes the pre-filter's inputs: `events.ndjson` (every
  /// signal as one contract event line, in time order), `events_truth.csv`
  /// (`seq,fraud`: 1 for the manipulation itself, 2 for planted cover activity,
  /// 0 for honest life) and `events_buyers.csv` (the accounts the manipulation
  /// benefits). The CSV files are the same bytes with or without it.
  public func write(to directory: URL, stream: Bool = false) throws -> SynthSummary {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw SignalSetWriterError.cannotCreateDirectory(path: directory.path, reason: "\(error)")
    }
    var world = generate()
    var writer = SignalSetWriter(world: world, seed: seed)
    world.payments.sort(by: SynthPayment.precedes)
    world.interactions.sort(by: SynthInteraction.precedes)
    world.profileEdits.sort(by: SynthProfileEdit.precedes)
    try writer.writeAccounts(to: directory.appendingPathComponent("accounts.csv"))
    try writer.writePayments(world.payments, to: directory.appendingPathComponent("payments.csv"))
    try writer.writeInteractions(world.interactions, to: directory.appendingPathComponent("interactions.csv"))
    try writer.writeProfileEdits(world.profileEdits, to: directory.appendingPathComponent("profile_edits.csv"))
    let byKind = try writer.writeLabels(world.labels, to: directory.appendingPathComponent("labels.csv"))
    try writer.writeCrowds(world.crowdMembers, to: directory.appendingPathComponent("crowds.csv"))
    try writer.writeFarms(world.farmMembers, to: directory.appendingPathComponent("farms.csv"))
    if stream {
      try writer.writeEvents(
        payments: world.payments, interactions: world.interactions, edits: world.profileEdits,
        to: directory.appendingPathComponent("events.ndjson"),
        truth: directory.appendingPathComponent("events_truth.csv"))
      try writer.writeBuyers(world.buyers, to: directory.appendingPathComponent("events_buyers.csv"))
    }
    return SynthSummary(
      accounts: world.accountCount,
      payments: world.payments.count,
      interactions: world.interactions.count,
      profileEdits: world.profileEdits.count,
      labeledAccounts: byKind.labeledAccounts,
      fraudAccountsByKind: byKind.perKind)
  }

  /// Builds the world: plans the planted groups, fills the remaining
  /// accounts with honest background, then injects the groups.
  func generate() -> SynthWorld {
    let parameters = SynthParameters(scale: scale)
    var root = SplitMix64(seed: seed)
    var honestRNG = root.fork()
    var farmRNG = root.fork()
    var ringRNG = root.fork()
    var templateRNG = root.fork()
    var schemeRNG = root.fork()
    var crowdRNG = root.fork()

    let groups = parameters.groupsPerKind
    let farms = EngagementFarms(groups: groups, compact: parameters.compact, rng: &farmRNG)
    let rings = PaymentRings(groups: groups, rng: &ringRNG)
    let templates = ProfileTemplates(groups: groups, compact: parameters.compact, rng: &templateRNG)
    let bursts = ViralBursts(groups: groups, accounts: parameters.accounts, rng: &crowdRNG)
    let clubs = HonestClubs(groups: groups, compact: parameters.compact, rng: &crowdRNG)
    let raters = BusyRaters(groups: groups, compact: parameters.compact)
    let fresh =
      farms.newAccounts + rings.newAccounts + templates.newAccounts + (parameters.compact ? 0 : bursts.newAccounts)

    var world = SynthWorld(
      parameters: parameters, honestCount: parameters.accounts - fresh, rng: &honestRNG)
    HonestBackground().generate(into: &world, rng: &honestRNG)
    // The honest crowds, before the farms draft anyone; from `small` up
    // (`tiny` stays the unit tests' small world).
    if !parameters.compact {
      bursts.inject(into: &world, rng: &crowdRNG)
      clubs.inject(into: &world, rng: &crowdRNG)
      raters.inject(into: &world, rng: &crowdRNG)
    }
    farms.inject(into: &world, rng: &farmRNG)
    rings.inject(into: &world, rng: &ringRNG)
    templates.inject(into: &world, rng: &templateRNG)
    // Last, from honest people only, so that everything before is unchanged.
    if amlTypologies { CollusivePayments(groups: groups, rng: &schemeRNG).inject(into: &world, rng: &schemeRNG) }
    return world
  }
}
