/// Checking that bytes are well-formed UTF-8, as the contract requires of
/// every CSV file: a repaired byte would make two different ids print the
/// same, and neither could then be found by the id a person types.
package enum UTF8Validation {
  /// The offset of the first byte of `bytes` that does not start a
  /// well-formed UTF-8 sequence, or `nil` when all of them are UTF-8.
  ///
  /// - Complexity: O(*n*); ASCII runs cost one comparison a byte.
  package static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case let .valid(scalar): offset += scalar.count
      case .error: return offset
      case .emptyInput: return nil
      }
    }
  }
}
