import AnomalyDetect
import ArgumentParser
import Foundation
import SignalGraph

#if canImport(Glibc)
  import Glibc
  import InlinePrefilter
#endif

extension Fraudscan {
  struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read the NDJSON event stream on stdin and write one decision per event.",
      discussion: """
        Decisions follow the contract: admit, hold with reasons, revoke lines for earlier \
        admits, and error lines for malformed input (the stream goes on). \
        With --state, decisions are logged in SQLite and the pre-filter's whole state is \
        saved there every --checkpoint-every events; killed and restarted on the same \
        input, it restores the latest checkpoint, skips the input it covers, replays what \
        was decided after it (silently) and resumes after that. A restart on another or a \
        shorter input is an error; a damaged checkpoint is refused and the input replayed \
        from its start. With --state, a last line without a newline is left undecided \
        (it may be incomplete), and a second run on the same state file is refused.

        Examples:
          fraudscan filter < /tmp/small/events.ndjson
          fraudscan filter --state /tmp/filter.sqlite < /tmp/small/events.ndjson
        """)

    @Option(help: "A SQLite file that makes the run durable and resumable.")
    var state: String?

    @Option(
      help: "Days of history kept; accounts and values unseen for longer (plus 14 days) are forgotten. Bounds memory.")
    var windowDays = 60

    @Option(
      help: "Interaction kinds that endorse, comma-separated (default follow,like); others are admitted unchecked.")
    var endorsements: String?

    @Option(help: "With --state: save the pre-filter's state every this many events.")
    var checkpointEvery = 5_000_000

    func validate() throws {
      guard windowDays >= 1 else { throw ValidationError("--window-days must be at least 1") }
      guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") }
    }

    func run() throws {
      var configuration = PrefilterConfiguration()
      configuration.windowDays = windowDays
      if let endorsements { configuration.endorsement = try EndorsementPolicy(listing: endorsements) }
      try configuration.validate()
      var session = try FilterSession(configuration: configuration, statePath: state, checkpointEvery: checkpointEvery)
      if let problem = session.checkpointProblem {
        FileHandle.standardError.write(
          Data("fraudscan filter: \(problem); replaying the input from its start instead\n".utf8))
      }
      try session.run(input: STDIN_FILENO, output: STDOUT_FILENO)
      if session.unfinishedLineBytes > 0 {
        FileHandle.standardError.write(
          Data(
            "fraudscan filter: the input's last line (\(session.unfinishedLineBytes) bytes) has no newline; it was left undecided, as it may be incomplete (run again with the completed input to decide it)\n"
              .utf8))
      }
    }
  }
}
