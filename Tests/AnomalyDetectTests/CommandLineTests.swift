import Foundation
import SignalGraph
import Testing

/// Runs the built `fraudscan` binary the way a person or a script would, to
/// check exit codes, messages and that a failed ingest loses nothing.
@Suite struct CommandLineTests {
  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `fraudscan` executable built beside this test binary.
  static var executable: URL {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
    // On Linux the tests run from `<build>/debug/<package>PackageTests.xctest`.
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("fraudscan")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: "fraudscan-not-built")
  }

  func fraudscan(_ arguments: String...) throws -> Run {
    try fraudscan(arguments: arguments)
  }

  func fraudscan(arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  @Test func theBinaryIsBuilt() {
    #expect(
      FileManager.default.isExecutableFile(atPath: Self.executable.path), "swift build --build-tests builds fraudscan")
  }

  @Test func scanWritesTheContractsReport() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("set/payments.csv", "id,src,dst,amount,ts\np1,a,b,120.50,1767225600\n")
    let run = try fraudscan("scan", dir.path + "/set", "--format", "json")
    #expect(run.status == 0)
    #expect(run.stderr.isEmpty, "progress goes to stderr only when it is a terminal")
    let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    #expect((json?["clusters"] as? [Any])?.isEmpty == true)
    #expect(json?["signals"] as? Int == 1)
  }

  @Test func badInputFailsWithFileLineAndColumnAndTheStoreKeepsWhatItHad() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("good/payments.csv", "id,src,dst,amount,ts\np1,a,b,120.50,1767225600\np2,b,c,3,1767225601\n")
    try dir.write("bad/interactions.csv", "src,dst,kind,ts\nx,y,like,1767225600\n")
    try dir.write("bad/payments.csv", "id,src,dst,amount,ts\np3,a,d,5.00,1767225602\np4,d,a,12,5x,1767225603\n")
    try dir.write("bad2/payments.csv", "id,src,dst,amount,ts\np3,a,d,5.00,1767225602\np4,d,a,12.5.0,1767225603\n")
    let db = dir.path + "/signals.sqlite"

    let first = try fraudscan("ingest", dir.path + "/good", "--db", db)
    #expect(first.status == 0, "\(first.stderr)")
    let before = try Data(contentsOf: URL(fileURLWithPath: db))

    let ragged = try fraudscan("ingest", dir.path + "/bad", "--db", db)
    #expect(ragged.status != 0)
    #expect(ragged.stderr.contains("bad/payments.csv:3:"), "\(ragged.stderr)")

    let badAmount = try fraudscan("ingest", dir.path + "/bad2", "--db", db)
    #expect(badAmount.status != 0)
    #expect(
      badAmount.stderr.contains("bad2/payments.csv:3: column \"amount\" (field 4): \"12.5.0\""), "\(badAmount.stderr)")

    #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "a failed ingest must leave the store as it was")
    let stats = try fraudscan("stats", db, "--format", "json")
    #expect(stats.status == 0)
    #expect(stats.stdout.contains("\"count\" : 2"))
  }

  @Test func anUnknownSourceIsAClearError() throws {
    let run = try fraudscan("stats", "/nonexistent/signals")
    #expect(run.status != 0)
    #expect(run.stderr.contains("/nonexistent/signals: not a signal set: no such file or directory"), "\(run.stderr)")
  }

  @Test func synthThenSpectrumAndStatsOnTheSameSet() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let out = dir.path + "/tiny"
    let synth = try fraudscan("synth", "--scale", "tiny", "--seed", "5", out)
    #expect(synth.status == 0, "\(synth.stderr)")
    #expect(FileManager.default.fileExists(atPath: out + "/labels.csv"))

    let spectrum = try fraudscan("spectrum", out, "--k", "3", "--top", "2", "--format", "json")
    #expect(spectrum.status == 0, "\(spectrum.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(spectrum.stdout.utf8)) as? [String: Any]
    let components = try #require(json?["components"] as? [[String: Any]])
    #expect(components.count == 3)
    let values = components.compactMap { $0["singular_value"] as? Double }
    #expect(values == values.sorted(by: >))
    #expect((components[0]["endorsers"] as? [Any])?.count == 2)

    let stats = try fraudscan("stats", out)
    #expect(stats.status == 0)
    #expect(stats.stdout.contains("payment"))
    #expect(stats.stdout.contains("profile_edit"))
  }

  @Test func spectrumRefusesASetWithoutEndorsements() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("set/payments.csv", "id,src,dst,amount,ts\np1,a,b,1,1767225600\n")
    let run = try fraudscan("spectrum", dir.path + "/set")
    #expect(run.status != 0)
    #expect(run.stderr.contains("has no interactions"), "\(run.stderr)")
  }

  /// The whole product on a synthetic set: every kind of manipulation found
  /// at the issues' targets (precision and recall ≥ 0.9), no honest account
  /// flagged, judged by the same replay CI runs on the fixtures.
  @Test func aSyntheticSetMeetsTheQualityTargetsThroughReplay() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let synth = try fraudscan("synth", "--scale", "tiny", "--seed", "2", "--expectations", dir.path + "/tiny2")
    #expect(synth.status == 0, "\(synth.stderr)")
    let replay = try fraudscan("replay", dir.path)
    #expect(replay.status == 0, "\(replay.stdout)\n\(replay.stderr)")
    for kind in ManipulationKind.allCases {
      #expect(replay.stdout.contains(kind.rawValue), "replay shows \(kind)")
    }
    #expect(replay.stdout.contains("all met their expectations"))
  }
}

extension CommandLineTests {
  @Test func reportExplainAndCSVFromTheCommandLine() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let set = dir.path + "/tiny"
    #expect(try fraudscan("synth", "--scale", "tiny", "--seed", "5", set).status == 0)
    let html = dir.path + "/report.html"
    let report = try fraudscan("report", set, "--out", html, "--top", "5")
    #expect(report.status == 0, "\(report.stderr)")
    let text = try String(contentsOfFile: html, encoding: .utf8)
    #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<svg id=\"plot-degree\""))

    let csv = try fraudscan("scan", set, "--format", "csv")
    #expect(csv.status == 0)
    #expect(csv.stdout.hasPrefix("rank,kind,detector,score,cluster_size,account\n"))
    let firstAccount = csv.stdout.split(separator: "\n").dropFirst().first.map {
      String($0.split(separator: ",").last!)
    }
    if let firstAccount {
      let explain = try fraudscan("explain", firstAccount, set)
      #expect(explain.status == 0)
      #expect(explain.stdout.contains("FLAGGED in"), "\(explain.stdout)")
    }
    let unknown = try fraudscan("explain", "no-such-account", set)
    #expect(unknown.status == 1)
    #expect(unknown.stdout.contains("not in the signal set"))
  }
}

extension CommandLineTests {
  func fraudscan(stdin path: String, _ arguments: String...) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    process.standardInput = FileHandle(forReadingAtPath: path)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  @Test func filterResumesFromItsStateFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    var events = ""
    // Background: 100 unrelated endorsements, so five shared endorsers are far above chance.
    for i in 0..<100 {
      events += #"{"type":"interaction","src":"bg\#(i)","dst":"t\#(i)","kind":"like","ts":1767225000}"# + "\n"
    }
    for i in 0..<8 {
      for c in ["c1", "c2", "c3"] {
        events +=
          #"{"type":"interaction","src":"f\#(i)","dst":"\#(c)","kind":"follow","ts":\#(1_767_225_600 + i * 100)}"#
          + "\n"
      }
    }
    events += "oops\n"
    let lines = events.split(separator: "\n")
    let prefix = try dir.write("prefix.ndjson", lines[..<107].joined(separator: "\n") + "\n")
    let whole = try dir.write("whole.ndjson", events)
    let single = try fraudscan(stdin: whole, "filter")
    #expect(single.status == 0)
    #expect(
      single.stdout.contains(
        #"{"seq":124,"decision":"error","reasons":["line 125: expected '{' (a JSON object), found 'o' at column 1"]}"#))
    #expect(single.stdout.contains(#""decision":"hold""#) && single.stdout.contains(#""decision":"revoke""#))
    // Resumed by replay from the start, and from a checkpoint taken after the prefix.
    for every in ["1000000", "50"] {
      let state = dir.path + "/state-\(every).sqlite"
      let first = try fraudscan(stdin: prefix, "filter", "--state", state, "--checkpoint-every", every)
      let second = try fraudscan(stdin: whole, "filter", "--state", state, "--checkpoint-every", every)
      #expect(first.status == 0 && second.status == 0)
      #expect(first.stdout + second.stdout == single.stdout, "checkpoint every \(every)")
      #expect(second.stderr.isEmpty, "\(second.stderr)")
    }
    let score = try fraudscan("score", dir.path + "/nothing")
    #expect(score.status != 0)
  }

  /// Two real processes on one state file: the second is refused at once,
  /// with a message and a non-zero exit, while the first runs on unharmed.
  @Test func aSecondFilterOnTheSameStateFileIsRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let state = dir.path + "/state.sqlite"
    let first = Process()
    first.executableURL = Self.executable
    first.arguments = ["filter", "--state", state]
    let input = Pipe(), output = Pipe()
    first.standardInput = input
    first.standardOutput = output
    try first.run()
    let line = #"{"type":"interaction","src":"a","dst":"b","kind":"follow","ts":1767225600}"# + "\n"
    input.fileHandleForWriting.write(Data(line.utf8))
    // Once the first has answered, it holds the state file.
    var answer = Data()
    while !answer.contains(UInt8(ascii: "\n")) { answer += output.fileHandleForReading.availableData }
    let events = try dir.write("events.ndjson", line)
    let second = try fraudscan(stdin: events, "filter", "--state", state)
    #expect(second.status != 0)
    #expect(second.stderr.contains("in use by another fraudscan process"), "\(second.stderr)")
    #expect(second.stdout.isEmpty)
    input.fileHandleForWriting.write(Data(String(line.dropLast()).utf8))  // a last line without a newline
    try input.fileHandleForWriting.close()
    answer += output.fileHandleForReading.readDataToEndOfFile()
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(String(decoding: answer, as: UTF8.self) == "{\"seq\":0,\"decision\":\"admit\"}\n")
    // Once it is done, the file is free again, and the completed line is decided.
    let third = try fraudscan(stdin: try dir.write("two.ndjson", line + line), "filter", "--state", state)
    #expect(third.status == 0 && third.stdout == "{\"seq\":1,\"decision\":\"admit\"}\n", "\(third.stderr)")
  }

  /// CI relies on replay failing when the pre-filter misses its targets on a
  /// fixture's event stream: here the stream's truth says every event is fraud.
  @Test func replayFailsWhenThePrefilterMissesItsTargets() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("fixtures/prefilter-stream")
    let copy = dir.path + "/prefilter-stream"
    try FileManager.default.copyItem(atPath: source.path, toPath: copy)
    let good = try fraudscan("replay", copy)
    #expect(good.status == 0, "\(good.stdout)")
    let truth = try String(contentsOfFile: copy + "/events_truth.csv", encoding: .utf8)
    try truth.replacingOccurrences(of: ",0\n", with: ",1\n").write(
      toFile: copy + "/events_truth.csv", atomically: false, encoding: .utf8)
    let bad = try fraudscan("replay", copy)
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("prefilter-stream: pre-filter withheld"), "\(bad.stdout)")
    #expect(bad.stdout.contains("1 of 1 fixture(s) fell short"))
  }

  @Test func benchRejectsSizesThatMakeNoSense() throws {
    for arguments in [["--svd-dimension", "0"], ["--repeat", "0"], ["--payments", "0"], ["--stream-events", "0"]] {
      let run = try fraudscan(arguments: ["bench", "--input", "/nonexistent"] + arguments)
      #expect(run.status != 0)
      #expect(run.stderr.contains("must be at least 1"), "\(arguments): \(run.stderr)")
    }
    let filter = try fraudscan("filter", "--window-days", "0")
    #expect(filter.status != 0 && filter.stderr.contains("--window-days must be at least 1"), "\(filter.stderr)")
    let longWindow = try fraudscan("filter", "--window-days", "40000")
    #expect(
      longWindow.status != 0
        && longWindow.stderr.contains("the pre-filter setting windowDays is 40000, but it must be from 1 to 36500"),
      "\(longWindow.stderr)")
    let serve = try fraudscan("serve", "--state", "/nonexistent/state.sqlite", "--window-days", "0")
    #expect(serve.status != 0 && serve.stderr.contains("the pre-filter setting windowDays is 0"), "\(serve.stderr)")
    let checkpoints = try fraudscan("filter", "--checkpoint-every", "0")
    #expect(checkpoints.status != 0 && checkpoints.stderr.contains("--checkpoint-every must be at least 1"))
  }

  @Test func benchShowsThePrefiltersMemoryStayingFlat() throws {
    let run = try fraudscan("bench", "--suite", "prefilter-memory", "--stream-events", "20000", "--window-days", "1")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("accounts seen  remembered"), "\(run.stdout)")
    #expect(run.stdout.contains("prefilter decide, churning stream"))
  }

  @Test func benchTimesEachDetectorOfTheScan() throws {
    let run = try fraudscan("bench", "--suite", "scan", "--input", "fixtures/like-farm", "--repeat", "1")
    #expect(run.status == 0, "\(run.stderr)")
    let detectors = [
      "dense-block", "lockstep", "spectral", "contested-reputation", "circular-payment", "gather-scatter",
      "structured-flow", "rare-shared-values", "near-duplicate-text", "edit-burst",
    ]
    for detector in detectors {
      #expect(run.stdout.contains("  \(detector) ("), "\(detector) missing from \(run.stdout)")
    }
    #expect(run.stdout.contains("whole scan ("), "\(run.stdout)")
  }
}
