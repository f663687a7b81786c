/// Events counted by kind and outcome during one group commit, added to the
/// `fraudscan_events_total` counters once per group (``ServiceMetrics/count(_:)``)
/// instead of once per event.
///
///     var tally = EventTally()
///     tally.add(kind: .interaction, outcome: .admit)
///     tally.counts[EventTally.Kind.interaction.rawValue * EventTally.Outcome.allCases.count]   // 1
///
/// The group's commit then hands it to ``ServiceMetrics/count(_:)``.
struct EventTally {
  /// An event's kind, as the counters label it (``ServiceMetrics/kinds``, in that order).
  enum Kind: Int, CaseIterable {
    case payment, interaction, profileEdit, malformed, any
  }

  /// What it got, as the counters label it (``ServiceMetrics/outcomes``, in that order).
  enum Outcome: Int, CaseIterable {
    case admit, hold, error, duplicate, conflict
  }

  private(set) var counts = [Int](repeating: 0, count: Kind.allCases.count * Outcome.allCases.count)

  /// Counts one event.
  mutating func add(kind: Kind, outcome: Outcome) {
    counts[kind.rawValue * Outcome.allCases.count + outcome.rawValue] += 1
  }
}
