import Foundation
import SplitMix
import Testing

@testable import SignalGraph

/// A small, valid signal set touching every file and column.
let sampleFiles: [String: String] = [
  "accounts.csv": "created_at,account,nickname\n1700000000,alice,Al\n,bob,\n2026-01-01T00:00:00Z,carol,C\n",
  "payments.csv":
    "ts,amount,dst,src,id,memo\n100,120.50,bob,alice,p1,rent\n2026-01-01T00:00:10Z,0.000001,dave,carol,p2,\n50,7,alice,dave,\"p,3\",x\n",
  "interactions.csv": "src,dst,kind,ts\nbob,alice,follow,200\ncarol,alice,like,2026-01-01\nerin,bob,retweet,300\n",
  "profile_edits.csv":
    "account,field,value,ts\nalice,employer,Acme,10\nbob,employer,Acme,11\nbob,bio,\"hello, \"\"world\"\"\",12\nfrank,phone,,13\n",
]

@Suite("SignalSet loading") struct SignalSetLoadingTests {
  @Test func loadsEveryFileWithColumnsInAnyOrder() throws {
    let set = try withSignalSet(sampleFiles) { try SignalSet(contentsOf: $0) }
    let s = SetSnapshot(set)
    // accounts.csv first, in its order; then accounts first seen in signals.
    #expect(s.accounts == ["alice", "bob", "carol", "dave", "erin", "frank"])
    let u = AccountTable.unknownTime
    #expect(s.createdAt == [1_700_000_000, u, 1_767_225_600, u, u, u])
    #expect(
      s.payments == [
        .init(id: "p1", src: "alice", dst: "bob", micros: 120_500_000, time: 100),
        .init(id: "p2", src: "carol", dst: "dave", micros: 1, time: 1_767_225_610),
        .init(id: "p,3", src: "dave", dst: "alice", micros: 7_000_000, time: 50),
      ])
    #expect(
      s.interactions == [
        .init(src: "bob", dst: "alice", kind: "follow", time: 200),
        .init(src: "carol", dst: "alice", kind: "like", time: 1_767_225_600),
        .init(src: "erin", dst: "bob", kind: "retweet", time: 300),
      ])
    #expect(set.interactions.kind == [InteractionTable.follow, InteractionTable.like, 2])
    #expect(set.interactions.kinds.count == 3)
    #expect(
      s.edits == [
        .init(account: "alice", field: "employer", value: "Acme", time: 10),
        .init(account: "bob", field: "employer", value: "Acme", time: 11),
        .init(account: "bob", field: "bio", value: "hello, \"world\"", time: 12),
        .init(account: "frank", field: "phone", value: "", time: 13),
      ])
    // Equal values share one index.
    #expect(set.profileEdits.value[0] == set.profileEdits.value[1])
    #expect(set.signalCount == 10)
  }

  @Test func accountsOnlyInSignalsAreCreatedInFirstSeenOrder() throws {
    let set = try withSignalSet([
      "interactions.csv": "src,dst,kind,ts\nz,y,like,1\ny,x,follow,2\n",
      "profile_edits.csv": "account,field,value,ts\nw,bio,hi,3\nz,bio,hi,4\n",
    ]) { try SignalSet(contentsOf: $0) }
    #expect(SetSnapshot(set).accounts == ["z", "y", "x", "w"])
    #expect(set.accounts.createdAt.allSatisfy { $0 == AccountTable.unknownTime })
    #expect(set.payments.count == 0)
  }

  @Test func accountsFileWithoutCreatedAtColumn() throws {
    let set = try withSignalSet([
      "accounts.csv": "account\nb\na\n",
      "payments.csv": "id,src,dst,amount,ts\np,a,c,1,1\n",
    ]) { try SignalSet(contentsOf: $0) }
    #expect(SetSnapshot(set).accounts == ["b", "a", "c"])
    #expect(set.accounts.createdAt == [AccountTable.unknownTime, AccountTable.unknownTime, AccountTable.unknownTime])
  }

  @Test func headerNamesAreTrimmedAndBOMIsSkipped() throws {
    let set = try withTemporaryDirectory { root in
      let directory = try writeSignalSet([:], in: root)
      try writeFile(
        directory, "payments.csv",
        bytes: [0xEF, 0xBB, 0xBF] + Array("id, src ,dst,\tamount,ts\r\np1,a,b,2.5,9\r\n".utf8))
      return try SignalSet(contentsOf: directory)
    }
    #expect(SetSnapshot(set).payments == [.init(id: "p1", src: "a", dst: "b", micros: 2_500_000, time: 9)])
  }

  @Test func headerOnlyFilesAreEmptyTables() throws {
    let set = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\n"]) { try SignalSet(contentsOf: $0) }
    #expect(set.signalCount == 0 && set.accounts.count == 0)
  }

  // MARK: - Rejections

  @Test func directoryWithoutSignalFilesIsRejected() throws {
    let result = try #require(try loadError(["accounts.csv": "account\na\n", "labels.csv": "account,label\n"]))
    guard case let .notASignalSet(path, reason) = result.error else {
      Issue.record("got \(result.error)")
      return
    }
    #expect(path == result.directory)
    #expect(reason.contains("payments.csv"))
  }

  @Test func missingDirectoryIsRejected() throws {
    try withTemporaryDirectory { root in
      let path = filePath(root, "nope")
      #expect(throws: SignalSetError.notASignalSet(path: path, reason: "no such directory")) {
        try SignalSet(contentsOf: path)
      }
    }
  }

  @Test(arguments: [
    ("payments.csv", "id,src,dst,ts\n", "amount"),
    ("payments.csv", "src,dst,amount,ts\n", "id"),
    ("interactions.csv", "src,dst,ts,kinds\n", "kind"),
    ("profile_edits.csv", "account,field,ts\n", "value"),
    ("accounts.csv", "name,created_at\n", "account"),
  ])
  func missingRequiredColumnNamesFileAndColumn(file: String, header: String, column: String) throws {
    var files = ["interactions.csv": "src,dst,kind,ts\n"]
    files[file] = header
    let result = try #require(try loadError(files))
    let path = filePath(result.directory, file)
    #expect(result.error == .missingColumn(path: path, column: column))
    #expect(result.error.description.contains("\(path):1:"))
    #expect(result.error.description.contains("\"\(column)\""))
  }

  /// CSV timestamps are held to the event stream's range, years 1 to 9999:
  /// a value near ±2^63 would overflow every later scan of the set.
  @Test func timestampsOutsideTheYears1To9999AreRefusedAndTheEdgesKept() throws {
    let result = try #require(try loadError(["payments.csv": "id,src,dst,amount,ts\np1,a,b,1,-62135596801\n"]))
    #expect(result.error.description.hasSuffix("\"-62135596801\" \(Timestamp.outOfRange)"))
    let edges = try withSignalSet([
      "accounts.csv": "account,created_at\na,0001-01-01T00:00:00Z\n",
      "payments.csv": "id,src,dst,amount,ts\np1,a,b,1,9999-12-31T23:59:59Z\n",
    ]) { try SignalSet(contentsOf: $0) }
    #expect(edges.accounts.createdAt == [Timestamp.validRange.lowerBound, AccountTable.unknownTime])
    #expect(edges.payments.time == [Timestamp.validRange.upperBound])
  }

  /// A column named twice is refused: which one holds the data is ambiguous
  /// (issue 16, item 9; the first one used to win silently).
  @Test func aDuplicatedHeaderColumnNamesFileLineAndBothFields() throws {
    let result = try #require(try loadError(["payments.csv": "id,src,dst,amount,ts, src\np1,a,b,1,1,c\n"]))
    let path = filePath(result.directory, "payments.csv")
    #expect(result.error == .duplicateColumn(path: path, line: 1, column: "src", firstField: 2, field: 6))
    #expect(result.error.description.hasPrefix("\(path):1: column \"src\" (field 6) appears twice"))
    let unknown = try #require(try loadError(["interactions.csv": "\nsrc,memo,dst,kind,ts,memo\n"]))
    #expect(
      unknown.error
        == .duplicateColumn(
          path: filePath(unknown.directory, "interactions.csv"), line: 2, column: "memo", firstField: 2, field: 6))
    // Empty names (trailing commas of a spreadsheet) are not columns anyone reads.
    #expect(try loadError(["interactions.csv": "src,dst,kind,ts,,\na,b,like,1,,\n"]) == nil)
  }

  /// Bytes that are not UTF-8 are refused wherever they are (issue 16, item 9):
  /// repaired, `u\xffx` and `u\xfex` printed the same and `explain` found neither.
  @Test(arguments: [
    (
      [UInt8]("id,src,dst,amount,ts\np1,u".utf8) + [0xFF] + Array("x,b,1,1\n".utf8), 2, "src" as String?, 2,
      UInt8(0xFF), 2
    ),
    (
      Array("id,src,dst,amount,ts,memo\np1,a,b,1,1,\"ok\"\np2,a,b,1,1,\"caf".utf8) + [0xC3, 0x28] + Array("\"\n".utf8),
      3, "memo", 6, UInt8(0xC3), 4
    ),
    (
      Array("id,src,dst,amount,ts\np1,a,".utf8) + [0xED, 0xA0, 0x80] + Array(",1,1\n".utf8), 2, "dst", 3, UInt8(0xED), 1
    ),
    (Array("id,src,dst,amount,ts,n".utf8) + [0xE9] + Array("\n".utf8), 1, nil, 6, UInt8(0xE9), 2),
  ])
  func invalidUTF8NamesFileLineColumnAndByte(
    bytes: [UInt8], line: Int, column: String?, field: Int, byte: UInt8, offset: Int
  ) throws {
    try withTemporaryDirectory { root in
      let directory = try writeSignalSet([:], in: root)
      let path = try writeFile(directory, "payments.csv", bytes: bytes)
      #expect(
        throws: SignalSetError.invalidUTF8(
          path: path, line: line, column: column, field: field, byte: byte, offset: offset)
      ) {
        try SignalSet(contentsOf: directory)
      }
    }
  }

  @Test func wellFormedUTF8IsKeptByteForByte() throws {
    let set = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\np1,café,日本,1,1\np2,😀,\u{202E}x,1,2\n"]) {
      try SignalSet(contentsOf: $0)
    }
    #expect(SetSnapshot(set).accounts == ["café", "日本", "😀", "\u{202E}x"])
    let error = SignalSetError.invalidUTF8(
      path: "d/payments.csv", line: 3, column: "src", field: 2, byte: 0xFF, offset: 2)
    #expect(
      error.description
        == "d/payments.csv:3: column \"src\" (field 2): byte 2 (0xFF) is not UTF-8; the files must be UTF-8 text")
  }

  @Test func raggedRowNamesFileLineAndCounts() throws {
    let result = try #require(
      try loadError(["payments.csv": "id,src,dst,amount,ts\np1,a,b,1,1\n\n\"p\n2\",a,b,1\n"]))
    let path = filePath(result.directory, "payments.csv")
    #expect(result.error == .raggedRow(path: path, line: 4, expected: 5, found: 4))
    #expect(result.error.description.contains("\(path):4:"))
    let extra = try #require(try loadError(["interactions.csv": "src,dst,kind,ts\na,b,like,1,extra\n"]))
    #expect(
      extra.error == .raggedRow(path: filePath(extra.directory, "interactions.csv"), line: 2, expected: 4, found: 5))
  }

  /// A bad value: the file, the 1-based line, the column, the 1-based field
  /// (its place in this file's header) and the value itself.
  @Test(arguments: [
    ("payments.csv", "id,src,dst,amount,ts\np1,a,b,1,1\np2,a,b,-3,2\n", 3, "amount", 4, "-3"),
    ("payments.csv", "ts,amount,src,dst,id\n1,1,a,b,p1\n\n\n2,1e3,a,b,p2\n", 5, "amount", 2, "1e3"),
    ("payments.csv", "id,src,dst,amount,ts\np1,a,b,1,yesterday\n", 2, "ts", 5, "yesterday"),
    ("payments.csv", "id,src,dst,amount,ts\n,a,b,1,1\n", 2, "id", 1, ""),
    ("payments.csv", "id,dst,src,amount,ts\np1,b,,1,1\n", 2, "src", 3, ""),
    ("interactions.csv", "src,dst,kind,ts\na,b,like,2026-02-30\n", 2, "ts", 4, "2026-02-30"),
    ("interactions.csv", "ts,kind,dst,src\n1,like,b,a\n2,Follow!,b,a\n", 3, "kind", 2, "Follow!"),
    ("interactions.csv", "src,dst,kind,ts\na,b,Like,1\n", 2, "kind", 3, "Like"),
    ("interactions.csv", "src,dst,kind,ts\na,b,,1\n", 2, "kind", 3, ""),
    ("interactions.csv", "dst,src,kind,ts\n\"multi\nline\",a,like,1\nb,,like,2\n", 4, "src", 2, ""),
    ("profile_edits.csv", "account,field,value,ts\na,bio,x,1\n,bio,x,2\n", 3, "account", 1, ""),
    ("profile_edits.csv", "account,field,value,ts\na,,x,1\n", 2, "field", 2, ""),
    ("profile_edits.csv", "value,account,field,ts\nx,a,bio,12:00\n", 2, "ts", 4, "12:00"),
    ("accounts.csv", "account,created_at\na,1\nb,soon\n", 3, "created_at", 2, "soon"),
    ("accounts.csv", "created_at,account\n1,\n", 2, "account", 2, ""),
    ("payments.csv", "id,src,dst,amount,ts\np1,a,b,1,9223372036854775807\n", 2, "ts", 5, "9223372036854775807"),
    ("accounts.csv", "account,created_at\na,-9223372036854775807\n", 2, "created_at", 2, "-9223372036854775807"),
    ("interactions.csv", "src,dst,kind,ts\na,b,like,0000-12-31T23:59:59Z\n", 2, "ts", 4, "0000-12-31T23:59:59Z"),
    ("profile_edits.csv", "account,field,value,ts\na,bio,x,253402300800\n", 2, "ts", 4, "253402300800"),
  ])
  func badValueNamesFileLineColumnAndField(
    file: String, contents: String, line: Int, column: String, field: Int, value: String
  ) throws {
    var files = ["payments.csv": "id,src,dst,amount,ts\n"]
    files[file] = contents
    let result = try #require(try loadError(files))
    let path = filePath(result.directory, file)
    guard case let .badValue(ePath, eLine, eColumn, eField, eValue, reason) = result.error else {
      Issue.record("expected badValue, got \(result.error)")
      return
    }
    #expect(ePath == path)
    #expect(eLine == line)
    #expect(eColumn == column)
    #expect(eField == field)
    #expect(eValue == value)
    #expect(!reason.isEmpty)
    let description = result.error.description
    #expect(description.hasPrefix("\(path):\(line):"))
    #expect(description.contains("\"\(column)\""))
    #expect(description.contains("field \(field)"))
  }

  @Test func unterminatedQuoteIsMalformedCSVAtTheOpeningLine() throws {
    let result = try #require(
      try loadError(["interactions.csv": "src,dst,kind,ts\na,b,like,1\nc,\"d,like,2\ne,f,like,3\n"]))
    let path = filePath(result.directory, "interactions.csv")
    guard case let .malformedCSV(.malformed(ePath, line, field, _)) = result.error else {
      Issue.record("expected malformedCSV, got \(result.error)")
      return
    }
    #expect(ePath == path)
    #expect(line == 3)
    #expect(field == 2)
    #expect(result.error.description.hasPrefix("\(path):3:"))
  }

  @Test func emptyFileIsRejected() throws {
    let result = try #require(try loadError(["payments.csv": "id,src,dst,amount,ts\n", "interactions.csv": ""]))
    let path = filePath(result.directory, "interactions.csv")
    #expect(result.error == .emptyFile(path: path))
    #expect(result.error.description.hasPrefix("\(path):1:"))
    let blank = try #require(try loadError(["profile_edits.csv": "\n\r\n\n"]))
    #expect(blank.error == .emptyFile(path: filePath(blank.directory, "profile_edits.csv")))
  }

  @Test func longValuesAreCutShortInMessages() {
    let error = SignalSetError.badValue(
      path: "d/p.csv", line: 9, column: "amount", field: 4, value: String(repeating: "9", count: 100), reason: "is bad")
    #expect(
      error.description == "d/p.csv:9: column \"amount\" (field 4): \"\(String(repeating: "9", count: 60))…\" is bad")
  }

  /// The signal files are read at once, each against the accounts of
  /// `accounts.csv`; accounts that only signals name must still get the
  /// indices of a read in file order (payments, interactions, edits).
  @Test func filesReadAtOnceNumberUnlistedAccountsAsOneReadInFileOrder() throws {
    var rng = SplitMix64(seed: 23)
    func account() -> String { "a\(rng.next() % 400)" }
    var accounts = "account\n", payments = "id,src,dst,amount,ts\n"
    var interactions = "src,dst,kind,ts\n", edits = "account,field,value,ts\n"
    var expected = SignalSet()
    for i in 0..<50 {  // a few listed accounts, the rest only in signals
      accounts += "a\(i * 8)\n"
      expected.accounts.index(of: "a\(i * 8)")
    }
    for i in 0..<600 {
      let (s, t) = (account(), account())
      payments += "p\(i),\(s),\(t),1,\(i)\n"
      expected.addPayment(id: "p\(i)", source: s, target: t, amount: Amount(micros: 1_000_000), time: Int64(i))
    }
    for i in 0..<600 {
      let (s, t) = (account(), "b\(rng.next() % 300)")
      interactions += "\(s),\(t),follow,\(i)\n"
      expected.addInteraction(source: s, target: t, kind: "follow", time: Int64(i))
    }
    for i in 0..<600 {
      let a = i % 3 == 0 ? "c\(i)" : (i % 3 == 1 ? account() : "b\(rng.next() % 300)")
      edits += "\(a),bio,v\(i % 7),\(i)\n"
      expected.addProfileEdit(account: a, field: "bio", value: "v\(i % 7)", time: Int64(i))
    }
    let set = try withSignalSet([
      "accounts.csv": accounts, "payments.csv": payments, "interactions.csv": interactions,
      "profile_edits.csv": edits,
    ]) { try SignalSet(contentsOf: $0) }
    #expect(SetSnapshot(set) == SetSnapshot(expected))
    #expect(set.accounts.count == expected.accounts.count && set.accounts.count > 700)
    #expect(set.payments.source == expected.payments.source && set.interactions.target == expected.interactions.target)
    #expect(set.profileEdits.account == expected.profileEdits.account)
  }

  /// Files read at once still report the error a read in file order meets
  /// first: a bad payment before a bad edit.
  @Test func filesReadAtOnceReportTheFirstFilesError() throws {
    let failure = try loadError([
      "payments.csv": "id,src,dst,amount,ts\np1,a,b,lots,1\n",
      "interactions.csv": "src,dst,kind,ts\na,b,follow,1\n",
      "profile_edits.csv": "account,field,value,ts\na,bio,hi,never\n",
    ])
    let (directory, error) = try #require(failure)
    #expect("\(error)".contains(filePath(directory, "payments.csv")), "\(error)")
    #expect(!"\(error)".contains("profile_edits.csv"), "\(error)")
  }
}

@Suite("GroundTruth") struct GroundTruthTests {
  @Test func readsLabelsCSV() throws {
    let truth = try withSignalSet([
      "payments.csv": "id,src,dst,amount,ts\n",
      "labels.csv":
        "label,account,note\nfake_profile,u1,x\nbought_engagement,u2,\ncircular_payment,u1,\nfake_profile,u3,\n",
    ]) { try GroundTruth(directory: $0) }
    #expect(
      truth.accountsByKind == [
        .fakeProfile: ["u1", "u3"], .boughtEngagement: ["u2"], .circularPayment: ["u1"],
      ])
    #expect(truth.labelledAccounts == ["u1", "u2", "u3"])
  }

  @Test func honestLabelsAreKnownBenignAccountsNotAKind() throws {
    let truth = try withSignalSet([
      "payments.csv": "id,src,dst,amount,ts\n",
      "labels.csv": "account,label\nu1,bought_engagement\nu2,honest\nu3,honest\n",
    ]) { try GroundTruth(directory: $0) }
    #expect(truth.accountsByKind == [.boughtEngagement: ["u1"]])
    #expect(truth.honestAccounts == ["u2", "u3"])
    #expect(truth.labelledAccounts == ["u1"])
  }

  @Test func aDirectoryWithoutLabelsIsAllHonest() throws {
    let truth = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\n"]) { try GroundTruth(directory: $0) }
    #expect(truth == GroundTruth())
    #expect(truth.labelledAccounts.isEmpty)
  }

  @Test func labelsAreNeverReadAsSignals() throws {
    let set = try withSignalSet([
      "payments.csv": "id,src,dst,amount,ts\n", "labels.csv": "account,label\nghost,fake_profile\n",
    ]) { try SignalSet(contentsOf: $0) }
    #expect(set.accounts.count == 0)
  }

  @Test func unknownLabelIsRejectedWithLineAndColumn() throws {
    try withSignalSet([
      "payments.csv": "id,src,dst,amount,ts\n",
      "labels.csv": "account,label\nu1,fake_profile\nu2,Fake_Profile\n",
    ]) { directory in
      let path = filePath(directory, "labels.csv")
      #expect {
        try GroundTruth(directory: directory)
      } throws: { error in
        guard case let SignalSetError.badValue(p, line, column, field, value, _) = error else { return false }
        return p == path && line == 3 && column == "label" && field == 2 && value == "Fake_Profile"
      }
    }
  }

  @Test func missingLabelColumnIsRejected() throws {
    _ = try withSignalSet(["payments.csv": "id,src,dst,amount,ts\n", "labels.csv": "account,kind\nu1,fake_profile\n"]) {
      directory in
      #expect(throws: SignalSetError.missingColumn(path: filePath(directory, "labels.csv"), column: "label")) {
        try GroundTruth(directory: directory)
      }
    }
  }
}
