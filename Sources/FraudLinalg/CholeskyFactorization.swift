import CLapack
import Foundation

/// The Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite
/// matrix, computed by LAPACK `dpotrf`, with solves by `dpotrs`.
///
/// Factor once, then solve for as many right-hand sides as needed:
///
///     let a = Matrix(rowMajor: [[4, 2],
///                               [2, 3]])
///     let chol = try CholeskyFactorization(a)
///     let x = chol.solve([2, 1])     // a · x == [2, 1]
///
/// Only the lower triangle of `A` is read.
///
/// - Complexity: O(n³ / 3) to factor, O(n²) per right-hand side to solve.
public struct CholeskyFactorization: Sendable {
  /// The lower-triangular factor `L` (its upper triangle is zero).
  public let lower: Matrix

  /// Factors the symmetric positive definite matrix `a`.
  ///
  /// - Throws: ``LinalgError/notPositiveDefinite(leadingMinor:)`` naming the
  ///   first leading minor that is not positive.
  public init(_ a: Matrix) throws {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix, got \(a.rows)×\(a.columns)")
    let n = a.rows
    var factor = a.elements
    if n > 0 {
      var nn = blasInt(n), lda = blasInt(n), info: Int32 = 0
      dpotrf_("L", &nn, &factor, &lda, &info, 1)
      if info > 0 { throw LinalgError.notPositiveDefinite(leadingMinor: Int(info)) }
      try checkLAPACK("dpotrf", info)
      for j in 1..<max(n, 1) {
        for i in 0..<j { factor[i + j * n] = 0 }
      }
    }
    lower = Matrix(rows: n, columns: n, columnMajor: factor)
  }

  /// The order n of the factored matrix.
  public var dimension: Int { lower.rows }

  /// Solves `A X = B` for a block of right-hand sides.
  ///
  /// - Precondition: `b.rows == dimension`.
  /// - Complexity: O(n² · b.columns)
  public func solve(_ b: Matrix) -> Matrix {
    precondition(b.rows == dimension, "solve: A is \(dimension)×\(dimension) but B has \(b.rows) rows")
    if dimension == 0 || b.columns == 0 { return b }
    var x = b.elements
    var nn = blasInt(dimension), nrhs = blasInt(b.columns), lda = blasInt(dimension)
    var ldb = blasInt(dimension), info: Int32 = 0
    lower.elements.withUnsafeBufferPointer { lp in
      dpotrs_("L", &nn, &nrhs, lp.baseAddress, &lda, &x, &ldb, &info, 1)
    }
    precondition(info == 0, "dpotrs rejected argument \(-info)")
    return Matrix(rows: b.rows, columns: b.columns, columnMajor: x)
  }

  /// Solves `A x = b` for one right-hand side.
  ///
  /// - Complexity: O(n²)
  public func solve(_ b: [Double]) -> [Double] {
    solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
  }

  /// The determinant's logarithm, `2 Σ log Lᵢᵢ`, useful for Gaussian
  /// likelihoods without overflow.
  ///
  /// - Complexity: O(n)
  public var logDeterminant: Double {
    (0..<dimension).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
  }
}
