/// The ways a LAPACK factorisation can fail on valid input.
///
/// Shape mismatches are programming errors and trap with a precondition;
/// these errors are the numerical outcomes a caller may want to handle, such
/// as a covariance matrix that turns out singular.
///
///     let covariance = Matrix(rowMajor: [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
///     do {
///       let chol = try CholeskyFactorization(covariance)
///     } catch let error as LinalgError {
///       print(error)   // "matrix is not positive definite: leading minor 3 is not positive"
///     }
public enum LinalgError: Error, Equatable, Sendable {
  /// Cholesky factorisation failed: the leading principal minor of the
  /// given order (1-based) is not positive, so the matrix is not positive
  /// definite.
  case notPositiveDefinite(leadingMinor: Int)

  /// An iterative LAPACK routine did not converge; `info` is LAPACK's code.
  case didNotConverge(routine: String, info: Int)

  /// LAPACK rejected argument number `position` (1-based), which means a
  /// wrapper in this module passed something wrong, or the input contained
  /// NaN or infinity.
  case invalidArgument(routine: String, position: Int)
}
