import AnomalyDetect
import ArgumentParser

/// `--config FILE`: the settings file of the commands that scan.
struct SettingsOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A settings file, TOML (.toml) or JSON, naming the detector thresholds and endorsement kinds to change.",
      discussion: "`fraudscan config --defaults` prints every setting with its default.",
      valueName: "file"))
  var config: String?

  /// The scan's settings: the file's over the defaults, then `--endorsements`.
  func configuration(endorsements: String? = nil) throws -> ScanConfiguration {
    try ScanConfiguration(file: config, endorsementListing: endorsements)
  }
}
