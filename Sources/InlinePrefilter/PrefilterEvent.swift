/// An event as the pre-filter's checks see it: its accounts (and a profile
/// edit's field) already interned in ``PrefilterNames``. Interactions that
/// are not endorsements never reach the checks.
enum PrefilterEvent {
  /// A payment of `micros` from `source` to `target`.
  case payment(source: Int32, target: Int32, micros: Int64)
  /// An endorsement (by ``PrefilterConfiguration/endorsement``) of `target` by `endorser`.
  case endorsement(endorser: Int32, target: Int32)
  /// `account` set field `field` (named `fieldName`) to `value`.
  case profileEdit(account: Int32, field: Int32, fieldName: String, value: String)

  /// The kinds of ``PrefilterEvent``, for ``PrefilterCheck/watches``.
  enum Kind: Int, CaseIterable {
    case payment, endorsement, profileEdit
  }

  /// The event's kind.
  var kind: Kind {
    switch self {
    case .payment: return .payment
    case .endorsement: return .endorsement
    case .profileEdit: return .profileEdit
    }
  }
}
