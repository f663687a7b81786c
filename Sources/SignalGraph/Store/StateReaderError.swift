/// Why saved state cannot be read back.
@_spi(Checkpoint)
public enum StateReaderError: Error, Equatable {
  /// The bytes end before the state does.
  case truncated
  /// The bytes do not describe a state this build writes.
  case malformed
  /// The bytes differ from those sealed by ``StateWriter/sealed()``.
  case checksumMismatch
  /// The bytes could not be read from where they are kept (the reason in words).
  case unreadable(String)
}
