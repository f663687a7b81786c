/// Where a stored event stands now: its decision, updated when a later event revokes it.
enum EventStatus: Int, Sendable {
  /// Admitted and not revoked: it counts toward the score.
  case admitted = 0
  /// Held when decided.
  case held = 1
  /// Admitted, then revoked by a later event.
  case revoked = 2
  /// Not an event (malformed line); it took a seq and an `error` decision.
  case malformed = 3
}
