import ArgumentParser
import SignalGraph

extension Fraudscan {
  struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Append a signal set to a SQLite store, all or nothing.",
      discussion: """
        The whole directory is read and validated first, then written in one \
        transaction: a bad row anywhere leaves the store exactly as it was. \
        Ingesting a set again adds nothing: a payment whose id is stored with \
        the same content, and an interaction or profile edit equal to one an \
        earlier ingest stored, are skipped; a stored payment id with other \
        content is an error.

        Example:
          fraudscan ingest fixtures/like-farm --db signals.sqlite
        """)

    @Argument(help: "A signal-set directory of CSV files.")
    var directory: String

    @Option(help: "The SQLite store to append to (created if missing).")
    var db: String

    func run() throws {
      let progress = ProgressReporter.terminal()
      let set = try SignalSet(contentsOf: directory, progress: progress)
      let store = try SignalStore(path: db)
      let summary = try store.append(set, source: directory, progress: progress)
      print(
        "ingested \(summary.signals) signals (\(summary.payments) payments, \(summary.interactions) interactions, "
          + "\(summary.profileEdits) profile edits) and \(summary.accountsAdded) new accounts into \(db)"
          + (summary.duplicatesSkipped > 0 ? "; \(summary.duplicatesSkipped) signals already stored were skipped" : ""))
    }
  }
}
