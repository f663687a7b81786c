import Foundation

/// Writes one CSV file through a byte buffer, flushing it in large chunks.
///
/// Rows are built by appending raw bytes and digits, never by formatting a
/// `String` per row, which keeps writing millions of rows I/O-bound.
/// Fields that contain a comma, a double quote or a line break are quoted as
/// RFC 4180 asks (`say "hi", world` becomes `"say ""hi"", world"`).
///
///     var csv = try CSVWriter(url: URL(fileURLWithPath: "/tmp/accounts.csv"), header: ["account", "created_at"])
///     csv.field(Array("u000001".utf8)); csv.comma(); csv.timestamp(1767225600, iso: false)
///     try csv.endRow()
///     try csv.close()
package struct CSVWriter {
  private let handle: FileHandle
  private let path: String
  private var buffer: [UInt8] = []
  private static let flushThreshold = 1 << 20

  /// The number of data rows written so far (the header is not counted).
  private(set) var rows = 0

  /// Creates (or truncates) the file at `url` and writes the header row.
  package init(url: URL, header: [String]) throws(SignalSetWriterError) {
    path = url.path
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw .cannotOpenFile(path: path, reason: "the file could not be created")
    }
    do {
      handle = try FileHandle(forWritingTo: url)
    } catch {
      throw .cannotOpenFile(path: path, reason: "\(error)")
    }
    buffer.reserveCapacity(Self.flushThreshold + 4096)
    for (i, name) in header.enumerated() {
      if i > 0 { comma() }
      field(Array(name.utf8))
    }
    // An empty header means a headerless file (the NDJSON event stream).
    if !header.isEmpty { buffer.append(UInt8(ascii: "\n")) }
  }

  /// Appends a field separator.
  package mutating func comma() {
    buffer.append(UInt8(ascii: ","))
  }

  /// Ends the current row, flushing the buffer when it is large.
  package mutating func endRow() throws(SignalSetWriterError) {
    buffer.append(UInt8(ascii: "\n"))
    rows += 1
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Appends bytes known to need no quoting (ids, digits).
  package mutating func raw<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
    buffer.append(contentsOf: bytes)
  }

  /// Appends a text field, quoting it if it holds a comma, quote or newline.
  ///
  /// - Complexity: O(*n*) in the field's length.
  package mutating func field<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
    var needsQuotes = false
    for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
      needsQuotes = true
      break
    }
    guard needsQuotes else {
      buffer.append(contentsOf: bytes)
      return
    }
    buffer.append(0x22)
    for b in bytes {
      if b == 0x22 { buffer.append(0x22) }
      buffer.append(b)
    }
    buffer.append(0x22)
  }

  /// Appends `value` in decimal, left-padded with zeros to `minimumDigits`.
  package mutating func decimal(_ value: UInt64, minimumDigits: Int = 1) {
    var digits = 1
    var t = value
    while t >= 10 {
      t /= 10
      digits += 1
    }
    let width = Swift.max(digits, minimumDigits)
    buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
    var i = buffer.count - 1
    var n = value
    repeat {
      buffer[i] = UInt8(ascii: "0") + UInt8(n % 10)
      n /= 10
      i -= 1
    } while n > 0
  }

  /// Appends a signed integer in decimal (`-5`, `1661991600`).
  mutating func integer(_ value: Int64) {
    if value < 0 { buffer.append(UInt8(ascii: "-")) }
    decimal(value.magnitude)
  }

  /// Appends `amount` as ``Amount`` describes it: at least two and at most
  /// six decimals (`120.50`, `0.000001`), with no `String` made.
  mutating func amount(_ amount: Amount) {
    let micros = UInt64(amount.micros)
    decimal(micros / 1_000_000)
    buffer.append(UInt8(ascii: "."))
    var fraction = micros % 1_000_000
    var places = 6
    while places > 2 && fraction % 10 == 0 {
      fraction /= 10
      places -= 1
    }
    decimal(fraction, minimumDigits: places)
  }

  /// Appends a money amount given in cents as a decimal with two places
  /// (`12050` becomes `120.50`).
  package mutating func cents(_ value: UInt64) {
    decimal(value / 100)
    buffer.append(UInt8(ascii: "."))
    decimal(value % 100, minimumDigits: 2)
  }

  /// Appends a timestamp as integer Unix seconds, or as ISO-8601 UTC
  /// (`2026-03-01T12:00:00Z`) when `iso` is `true`.
  package mutating func timestamp(_ unixSeconds: UInt32, iso: Bool) {
    guard iso else {
      decimal(UInt64(unixSeconds))
      return
    }
    let seconds = Int(unixSeconds)
    let (year, month, day) = Timestamp.civilDate(fromDays: Int64(seconds / 86_400))
    let secondOfDay = seconds % 86_400
    decimal(UInt64(year), minimumDigits: 4)
    buffer.append(UInt8(ascii: "-"))
    decimal(UInt64(month), minimumDigits: 2)
    buffer.append(UInt8(ascii: "-"))
    decimal(UInt64(day), minimumDigits: 2)
    buffer.append(UInt8(ascii: "T"))
    decimal(UInt64(secondOfDay / 3600), minimumDigits: 2)
    buffer.append(UInt8(ascii: ":"))
    decimal(UInt64(secondOfDay / 60 % 60), minimumDigits: 2)
    buffer.append(UInt8(ascii: ":"))
    decimal(UInt64(secondOfDay % 60), minimumDigits: 2)
    buffer.append(UInt8(ascii: "Z"))
  }

  /// Writes what is buffered and closes the file.
  package mutating func close() throws(SignalSetWriterError) {
    try flush()
    do {
      try handle.close()
    } catch {
      throw .cannotWriteFile(path: path, reason: "\(error)")
    }
  }

  private mutating func flush() throws(SignalSetWriterError) {
    guard !buffer.isEmpty else { return }
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw .cannotWriteFile(path: path, reason: "\(error)")
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
