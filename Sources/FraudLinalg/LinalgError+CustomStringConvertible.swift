extension LinalgError: CustomStringConvertible {
  /// A sentence explaining the failure to a person.
  public var description: String {
    switch self {
    case .notPositiveDefinite(let minor):
      return "matrix is not positive definite: leading minor \(minor) is not positive"
    case .didNotConverge(let routine, let info):
      return "LAPACK \(routine) did not converge (info=\(info))"
    case .invalidArgument(let routine, let position):
      return "LAPACK \(routine) rejected argument \(position) (check for NaN or infinite entries)"
    }
  }
}
