import AnomalyDetect
import ArgumentParser

extension Fraudscan {
  struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "config",
      abstract: "Print the scan settings: every detector's thresholds and the endorsement kinds.",
      discussion: """
        With --defaults, the full default settings file; with a FILE, the settings it makes \
        (checked, and merged over the defaults). A settings file may name only what it \
        changes; `fraudscan scan --config FILE` reads it.

        Examples:
          fraudscan config --defaults > settings.toml
          fraudscan config --defaults --format json > settings.json
          fraudscan config settings.toml
        """)

    @Argument(help: "A settings file (TOML or JSON) to check and print in full.")
    var file: String?

    @Flag(help: "Print the default settings.")
    var defaults = false

    @Option(help: "Output format: toml or json.")
    var format: SettingsFormat = .toml

    func validate() throws {
      if defaults == (file != nil) {
        throw ValidationError("give either --defaults or a settings file")
      }
    }

    func run() throws {
      let settings = try file.map { try ScanConfiguration(contentsOfFile: $0) } ?? ScanConfiguration()
      Output.write(settings.fileContents(format: format.fileFormat))
    }
  }
}

/// How `config` prints the settings.
enum SettingsFormat: String, ExpressibleByArgument, CaseIterable {
  case toml, json

  /// The library's name for it.
  var fileFormat: ScanConfiguration.FileFormat {
    switch self {
    case .toml: return .toml
    case .json: return .json
    }
  }
}
