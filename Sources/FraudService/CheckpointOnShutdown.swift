import ServiceLifecycle

/// Waits for graceful shutdown, which reaches it after the HTTP server has
/// drained (services stop in reverse order), then checkpoints the state.
struct CheckpointOnShutdown: Service {
  let core: DecisionCore

  func run() async throws {
    try? await gracefulShutdown()
    await core.drainAndCheckpoint()
  }
}
