/// The ids a sweep released (``PrefilterNames/release(idleBefore:)``), as
/// membership masks (`accounts[id]`), `nil` where none was: each check drops
/// what names them before the ids are reused.
struct ReleasedIds {
  /// Released account ids.
  var accounts: [Bool]?
  /// Released profile value ids.
  var values: [Bool]?
  /// Released profile field ids.
  var fields: [Bool]?

  /// Whether nothing was released.
  var isEmpty: Bool { accounts == nil && values == nil && fields == nil }
}
