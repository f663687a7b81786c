import ArgumentParser

/// The `fraudscan` command: a thin layer over SignalGraph, FraudLinalg and
/// AnomalyDetect. It parses arguments, calls the libraries and prints; the
/// detection logic lives in the libraries.
@main
struct Fraudscan: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fraudscan",
    abstract: "Find bought engagement, fake profile details and circular payments in signal data.",
    discussion: """
      A signal set is a directory of CSV files (payments.csv, interactions.csv, \
      profile_edits.csv, accounts.csv) or a SQLite store written by `ingest`.

      Examples:
        fraudscan synth --scale small --seed 7 /tmp/small
        fraudscan stats /tmp/small
        fraudscan ingest /tmp/small --db /tmp/signals.sqlite
        fraudscan scan /tmp/signals.sqlite --format table --top 20
        fraudscan report /tmp/small --out report.html
        fraudscan explain u17 /tmp/small
        fraudscan replay fixtures/
        fraudscan import ibm-aml HI-Small_Trans.csv /tmp/hi-small
        fraudscan config --defaults > settings.toml
        fraudscan serve --state /tmp/serve.sqlite --listen 127.0.0.1:8080 \\
            --token-file /tmp/token
      """,
    version: "0.1.0",
    subcommands: [
      Scan.self, Report.self, Explain.self, Score.self, Filter.self, Ingest.self, Import.self, Stats.self,
      Spectrum.self,
      Replay.self, Synth.self, Bench.self, Config.self, Serve.self,
    ])
}
