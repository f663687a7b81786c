import Foundation

extension SignalSet {
  /// The file names of a signal-set directory, as the contract lists them.
  public enum FileName {
    public static let accounts = "accounts.csv"
    public static let payments = "payments.csv"
    public static let interactions = "interactions.csv"
    public static let profileEdits = "profile_edits.csv"
    public static let labels = "labels.csv"
  }

  /// Reads the signal-set directory at `directory`: `accounts.csv` (optional),
  /// `payments.csv`, `interactions.csv` and `profile_edits.csv`, at least one
  /// of the last three. `labels.csv` is never read here.
  ///
  /// Columns may come in any order and unknown columns are ignored. Any bad
  /// input stops the reading with a ``SignalSetError`` naming the file, the
  /// 1-based line and the column; nothing half-read is returned.
  ///
  /// - Complexity: O(*n*) in the size of the files, streaming: memory grows
  ///   with the signals kept, not with the files.
  public init(contentsOf directory: String, progress: ProgressReporter = .silent) throws {
    self.init()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw SignalSetError.notASignalSet(path: directory, reason: "no such directory")
    }
    func path(_ name: String) -> String? {
      let p = (directory as NSString).appendingPathComponent(name)
      return FileManager.default.fileExists(atPath: p) ? p : nil
    }
    let signalFiles = [FileName.payments, FileName.interactions, FileName.profileEdits]
    guard signalFiles.contains(where: { path($0) != nil }) else {
      throw SignalSetError.notASignalSet(
        path: directory, reason: "it holds none of \(signalFiles.joined(separator: ", "))")
    }
    if let p = path(FileName.accounts) { try readAccounts(p, progress) }
    try readSignals(
      payments: path(FileName.payments), interactions: path(FileName.interactions),
      profileEdits: path(FileName.profileEdits), progress)
    progress.finish()
  }

  private mutating func readAccounts(_ path: String, _ progress: ProgressReporter) throws {
    try TableFile(path: path).forEachRow(required: ["account"], optional: ["created_at"]) { row in
      let a = accounts.index(of: try row.nonEmpty(0, what: "an account id"))
      if row.has(1) { accounts.setCreatedAt(try row.time(1), for: a) }
      progress.tick(path, accounts.count)
    }
  }

  /// One signal file read on its own: its table, with provisional indices
  /// for the accounts it names that `accounts.csv` did not list.
  private enum Part: Sendable {
    case payments(PaymentTable, UnlistedAccounts)
    case interactions(InteractionTable, UnlistedAccounts)
    case profileEdits(ProfileEditTable, UnlistedAccounts)
  }

  /// Reads the signal files at once, one per core (each against the account
  /// table as `accounts.csv` left it), then adds the accounts only they name
  /// in file order (payments, interactions, profile edits) and reports the
  /// first bad input in that order: indices and errors are those of reading
  /// the files one after another.
  private mutating func readSignals(
    payments: String?, interactions: String?, profileEdits: String?, _ progress: ProgressReporter
  ) throws {
    let known = accounts.ids
    typealias Reader = @Sendable () throws -> Part
    var readers: [Reader] = []
    if let payments {
      readers.append { try Self.readPayments(payments, UnlistedAccounts(known: known), progress) }
    }
    if let interactions {
      readers.append { try Self.readInteractions(interactions, UnlistedAccounts(known: known), progress) }
    }
    if let profileEdits {
      readers.append { try Self.readProfileEdits(profileEdits, UnlistedAccounts(known: known), progress) }
    }
    for part in try ParallelWork.results(of: readers).map({ try $0.get() }) {
      switch part {
      case .payments(var table, let unlisted):
        let final = accounts.adopt(unlisted)
        UnlistedAccounts.resolve(&table.source, with: final)
        UnlistedAccounts.resolve(&table.target, with: final)
        self.payments = table
      case .interactions(var table, let unlisted):
        let final = accounts.adopt(unlisted)
        UnlistedAccounts.resolve(&table.source, with: final)
        UnlistedAccounts.resolve(&table.target, with: final)
        self.interactions = table
      case .profileEdits(var table, let unlisted):
        UnlistedAccounts.resolve(&table.account, with: accounts.adopt(unlisted))
        self.profileEdits = table
      }
    }
  }

  private static func readPayments(
    _ path: String, _ accounts: UnlistedAccounts, _ progress: ProgressReporter
  ) throws -> Part {
    var accounts = accounts
    var payments = PaymentTable()
    try TableFile(path: path).forEachRow(required: ["id", "src", "dst", "amount", "ts"]) { row in
      let id = try row.nonEmpty(0, what: "a payment id")
      let s = accounts.index(of: try row.nonEmpty(1, what: "an account id"))
      let t = accounts.index(of: try row.nonEmpty(2, what: "an account id"))
      let amount = try row.amount(3)
      let time = try row.time(4)
      payments.ids.append(id)
      payments.appendColumns(source: s, target: t, amount: amount, time: time)
      progress.tick(path, payments.count)
    }
    return .payments(payments, accounts)
  }

  private static func readInteractions(
    _ path: String, _ accounts: UnlistedAccounts, _ progress: ProgressReporter
  ) throws -> Part {
    var accounts = accounts
    var interactions = InteractionTable()
    try TableFile(path: path).forEachRow(required: ["src", "dst", "kind", "ts"], optional: ["rating"]) { row in
      let s = accounts.index(of: try row.nonEmpty(0, what: "an account id"))
      let t = accounts.index(of: try row.nonEmpty(1, what: "an account id"))
      let kindBytes = try row.nonEmpty(2, what: "a kind (follow, like, …)")
      guard kindBytes.allSatisfy(Self.isKindByte) else {
        throw row.bad(2, "is not a kind: use a lower-case word such as follow or like")
      }
      let kind = interactions.kinds.intern(kindBytes)
      let time = try row.time(3)
      let rating = row.has(4) ? try row.rating(4) : nil
      interactions.append(source: s, target: t, kind: kind, time: time, rating: rating)
      progress.tick(path, interactions.count)
    }
    return .interactions(interactions, accounts)
  }

  private static func readProfileEdits(
    _ path: String, _ accounts: UnlistedAccounts, _ progress: ProgressReporter
  ) throws -> Part {
    var accounts = accounts
    var profileEdits = ProfileEditTable()
    try TableFile(path: path).forEachRow(required: ["account", "field", "value", "ts"]) { row in
      let a = accounts.index(of: try row.nonEmpty(0, what: "an account id"))
      let field = profileEdits.fields.intern(try row.nonEmpty(1, what: "a field name"))
      let value = profileEdits.values.intern(row.bytes(2))
      let time = try row.time(3)
      profileEdits.append(account: a, field: field, value: value, time: time)
      progress.tick(path, profileEdits.count)
    }
    return .profileEdits(profileEdits, accounts)
  }

  /// Kinds are lower-case ASCII words: letters, digits, `_` and `-`.
  static func isKindByte(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
  }
}
