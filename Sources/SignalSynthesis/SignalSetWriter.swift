import Foundation
import SignalGraph
import SplitMix

/// Writes a generated `SynthWorld` as the contract's CSV files.
///
/// Internal account indices are mapped through a seeded random permutation
/// to ids `u000000`, `u000001`, …, so the files reveal nothing of the
/// generator's layout. About 2 % of timestamps are written as ISO-8601.
///
///     let world = SyntheticSignalSet(scale: .tiny, seed: 1).generate()
///     var writer = SignalSetWriter(world: world, seed: 1)
///     try writer.writeAccounts(to: URL(fileURLWithPath: "/tmp/tiny-1/accounts.csv"))
struct SignalSetWriter {
  private let createdAt: [UInt32]
  /// Internal index → number in the account id.
  private let publicNumber: [UInt32]
  private let idDigits: Int
  private var iso: SplitMix64
  private static let isoShare = 0.02

  init(world: SynthWorld, seed: UInt64) {
    createdAt = world.createdAt
    var rng = SplitMix64(seed: seed ^ 0xA5A5_5A5A_C3C3_3C3C)
    var numbers = (0..<UInt32(world.accountCount)).map { $0 }
    rng.shuffle(&numbers)
    publicNumber = numbers
    var digits = 1
    var n = max(world.accountCount - 1, 1)
    while n >= 10 {
      n /= 10
      digits += 1
    }
    idDigits = max(6, digits)
    iso = rng.fork()
  }

  func account(_ index: UInt32, _ csv: inout CSVWriter) {
    csv.raw([UInt8(ascii: "u")])
    csv.decimal(UInt64(publicNumber[Int(index)]), minimumDigits: idDigits)
  }

  private func accountNumber(_ number: Int, _ csv: inout CSVWriter) {
    csv.raw([UInt8(ascii: "u")])
    csv.decimal(UInt64(number), minimumDigits: idDigits)
  }

  private mutating func timestamp(_ ts: UInt32, _ csv: inout CSVWriter) {
    csv.timestamp(ts, iso: iso.chance(Self.isoShare))
  }

  /// `account,created_at`, in id order.
  mutating func writeAccounts(to url: URL) throws(SignalSetWriterError) {
    var csv = try CSVWriter(url: url, header: ["account", "created_at"])
    var internalOf = [UInt32](repeating: 0, count: publicNumber.count)
    for (index, number) in publicNumber.enumerated() { internalOf[Int(number)] = UInt32(index) }
    for number in internalOf.indices {
      accountNumber(number, &csv)
      csv.comma()
      timestamp(createdAt[Int(internalOf[number])], &csv)
      try csv.endRow()
    }
    try csv.close()
  }

  /// `id,src,dst,amount,ts`, in time order; ids are `p1`, `p2`, ….
  mutating func writePayments(_ payments: [SynthPayment], to url: URL) throws(SignalSetWriterError) {
    var csv = try CSVWriter(url: url, header: ["id", "src", "dst", "amount", "ts"])
    for (i, payment) in payments.enumerated() {
      csv.raw([UInt8(ascii: "p")])
      csv.decimal(UInt64(i + 1))
      csv.comma()
      account(payment.src, &csv)
      csv.comma()
      account(payment.dst, &csv)
      csv.comma()
      csv.cents(payment.cents)
      csv.comma()
      timestamp(payment.ts, &csv)
      try csv.endRow()
    }
    try csv.close()
  }

  /// `src,dst,kind,ts`, in time order.
  mutating func writeInteractions(_ interactions: [SynthInteraction], to url: URL) throws(SignalSetWriterError) {
    var csv = try CSVWriter(url: url, header: ["src", "dst", "kind", "ts"])
    let follow = SynthInteraction.Kind.follow.bytes
    let like = SynthInteraction.Kind.like.bytes
    for interaction in interactions {
      account(interaction.src, &csv)
      csv.comma()
      account(interaction.dst, &csv)
      csv.comma()
      csv.raw(interaction.kind == .follow ? follow : like)
      csv.comma()
      timestamp(interaction.ts, &csv)
      try csv.endRow()
    }
    try csv.close()
  }

  /// `account,field,value,ts`, in time order; values quoted when needed.
  mutating func writeProfileEdits(_ edits: [SynthProfileEdit], to url: URL) throws(SignalSetWriterError) {
    var csv = try CSVWriter(url: url, header: ["account", "field", "value", "ts"])
    var renderer = ProfileValueRenderer()
    let fieldNames: [[UInt8]] = [.employer, .school, .phone, .device, .address, .bio]
      .map { (f: SynthProfileEdit.Field) in f.bytes }
    for edit in edits {
      account(edit.account, &csv)
      csv.comma()
      csv.raw(fieldNames[Int(edit.field.rawValue)])
      csv.comma()
      csv.field(renderer.render(edit.field, edit.value))
      csv.comma()
      timestamp(edit.ts, &csv)
      try csv.endRow()
    }
    try csv.close()
  }

  /// `account,label`, sorted by account then label (in ``ManipulationKind``
  /// order), without duplicates. Returns the distinct labelled accounts,
  /// overall and per kind.
  mutating func writeLabels(
    _ labels: [SynthWorld.Label], to url: URL
  ) throws(SignalSetWriterError) -> (labeledAccounts: Int, perKind: [ManipulationKind: Int]) {
    let kinds = ManipulationKind.allCases
    var keys = labels.map { UInt64(publicNumber[Int($0.account)]) << 8 | UInt64(kinds.firstIndex(of: $0.kind)!) }
    keys.sort()
    var csv = try CSVWriter(url: url, header: ["account", "label"])
    var perKind: [ManipulationKind: Int] = [:]
    for kind in kinds { perKind[kind] = 0 }
    var distinct = 0
    var previous: UInt64? = nil
    for key in keys where key != previous {
      if previous.map({ $0 >> 8 }) != key >> 8 { distinct += 1 }
      previous = key
      let kind = kinds[Int(key & 0xFF)]
      perKind[kind, default: 0] += 1
      accountNumber(Int(key >> 8), &csv)
      csv.comma()
      csv.raw(Array(kind.rawValue.utf8))
      try csv.endRow()
    }
    try csv.close()
    return (distinct, perKind)
  }

  /// `account,crowd`, one row per distinct account and crowd, sorted by account.
  mutating func writeCrowds(
    _ members: [(account: UInt32, crowd: SynthCrowd)], to url: URL
  ) throws(SignalSetWriterError) {
    var keys = members.map { UInt64(publicNumber[Int($0.account)]) << 8 | UInt64($0.crowd.rawValue) }
    keys.sort()
    var csv = try CSVWriter(url: url, header: ["account", "crowd"])
    var previous: UInt64? = nil
    for key in keys where key != previous {
      previous = key
      accountNumber(Int(key >> 8), &csv)
      csv.comma()
      csv.raw(Array(SynthCrowd(rawValue: UInt8(key & 0xFF))!.name.utf8))
      try csv.endRow()
    }
    try csv.close()
  }

  /// `account,farm,style,role`, one row per farm member, sorted by farm, then role, then account.
  func writeFarms(_ members: [SynthFarmMember], to url: URL) throws(SignalSetWriterError) {
    let order = members.indices.sorted {
      let a = members[$0]
      let b = members[$1]
      return (a.farm, a.role.rawValue, publicNumber[Int(a.account)])
        < (b.farm, b.role.rawValue, publicNumber[Int(b.account)])
    }
    var csv = try CSVWriter(url: url, header: ["account", "farm", "style", "role"])
    for index in order {
      let member = members[index]
      account(member.account, &csv)
      csv.comma()
      csv.decimal(UInt64(member.farm))
      csv.comma()
      csv.raw(Array(member.style.utf8))
      csv.comma()
      csv.raw(Array(member.role.name.utf8))
      try csv.endRow()
    }
    try csv.close()
  }
}
