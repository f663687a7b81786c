import Foundation
import Testing

@testable import AnomalyDetect

/// `fraudscan config` and `--config`, run as a person would.
@Suite struct SettingsCommandLineTests {
  let cli = CommandLineTests()

  @Test(arguments: ["toml", "json"])
  func theDefaultsPrintedByConfigReadBackAsTheDefaults(format: String) throws {
    let run = try cli.fraudscan("config", "--defaults", "--format", format)
    #expect(run.status == 0)
    let read = try ScanConfiguration(
      parsing: run.stdout, format: ScanConfiguration.FileFormat(rawValue: format)!, file: "printed")
    #expect(read == ScanConfiguration())
  }

  @Test func scanWithABadSettingsFileFailsNamingFileAndKey() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("set/payments.csv", "id,src,dst,amount,ts\np1,a,b,120.50,1767225600\n")
    let settings = try dir.write("settings.toml", "[structured-flow]\nmin_score = -1\n")
    let run = try cli.fraudscan("scan", dir.path + "/set", "--config", settings)
    #expect(run.status != 0)
    #expect(
      run.stderr.contains("settings.toml: structured-flow.min_score = -1.0 is out of range: allowed is a number ≥ 0.0"))
    for command in [
      ["report", dir.path + "/set", "--out", dir.path + "/r.html"], ["explain", "a", dir.path + "/set"],
    ] {
      let other = try cli.fraudscan(arguments: command + ["--config", settings])
      #expect(
        other.status != 0 && other.stderr.contains("structured-flow.min_score"), "\(command[0]) reads --config too")
    }
    let good = try dir.write("good.json", #"{"structured-flow": {"min_score": 5}}"#)
    #expect(try cli.fraudscan("scan", dir.path + "/set", "--config", good).status == 0)
  }

  @Test func configNeedsDefaultsOrAFile() throws {
    #expect(try cli.fraudscan("config").status != 0)
  }
}
