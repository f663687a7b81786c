import SignalGraph

/// What `SyntheticSignalSet.write(to:)` wrote: row counts per file and the
/// planted truth.
///
///     let summary = try SyntheticSignalSet(scale: .tiny, seed: 1).write(to: URL(fileURLWithPath: "/tmp/tiny-1"))
///     print(summary.payments, summary.fraudAccountsByKind[.circularPayment] ?? 0)
public struct SynthSummary: Sendable {
  /// Rows in `accounts.csv`.
  public var accounts: Int
  /// Rows in `payments.csv`.
  public var payments: Int
  /// Rows in `interactions.csv`.
  public var interactions: Int
  /// Rows in `profile_edits.csv`.
  public var profileEdits: Int
  /// Distinct accounts with at least one row in `labels.csv`.
  public var labeledAccounts: Int
  /// Distinct labelled accounts per kind, every ``ManipulationKind`` listed
  /// (0 when none was planted).
  public var fraudAccountsByKind: [ManipulationKind: Int]

  /// Creates a summary from its counts.
  public init(
    accounts: Int, payments: Int, interactions: Int, profileEdits: Int,
    labeledAccounts: Int, fraudAccountsByKind: [ManipulationKind: Int]
  ) {
    self.accounts = accounts
    self.payments = payments
    self.interactions = interactions
    self.profileEdits = profileEdits
    self.labeledAccounts = labeledAccounts
    self.fraudAccountsByKind = fraudAccountsByKind
  }
}
