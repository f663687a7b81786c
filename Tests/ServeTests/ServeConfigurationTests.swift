import Foundation
import FraudService
import InlinePrefilter
import Testing

@Suite("Serve: command-line configuration") struct ServeConfigurationTests {
  @Test func listenAddresses() throws {
    #expect(try ServeConfiguration.listenAddress("127.0.0.1:8080") == ("127.0.0.1", 8080))
    #expect(try ServeConfiguration.listenAddress("[::1]:9000") == ("::1", 9000))
    #expect(try ServeConfiguration.listenAddress("localhost:0") == ("localhost", 0))
    for bad in ["8080", ":8080", "host:", "host:99999", "host:http"] {
      #expect(throws: ServeError.listenAddress(bad)) { try ServeConfiguration.listenAddress(bad) }
    }
  }

  @Test func tokensFromAFileOrTheEnvironment() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("token").path
    try "  s3cret  \nsecond line\n".write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try ServeConfiguration.token(file: file, environment: ["FRAUDSCAN_TOKEN": "env"]) == "s3cret")
    #expect(try ServeConfiguration.token(file: nil, environment: ["FRAUDSCAN_TOKEN": "env\n"]) == "env")
    #expect(throws: ServeError.noToken(source: "FRAUDSCAN_TOKEN")) {
      try ServeConfiguration.token(file: nil, environment: [:])
    }
    try "\n".write(toFile: file, atomically: true, encoding: .utf8)
    #expect(throws: ServeError.noToken(source: file)) { try ServeConfiguration.token(file: file, environment: [:]) }
    #expect(throws: ServeError.self) {
      try ServeConfiguration.token(file: dir.appendingPathComponent("missing").path, environment: [:])
    }
  }

  @Test func aPrefilterSettingOutOfRangeStopsTheServerFromStarting() throws {
    let dir = try ServeHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = ServeHarness.configuration(state: dir)
    configuration.prefilter.flows.bucketSeconds = 0
    let expected = ServeError.prefilterSettings(
      .outOfRange(setting: "flows.bucketSeconds", value: "0", allowed: "from 1 to 3153600000 (seconds)"))
    #expect(throws: expected) {
      _ = try FraudServer(configuration: configuration, logger: .init(label: "test"), handlesSignals: false)
    }
    #expect(expected.description.contains("flows.bucketSeconds is 0"))
  }
}
