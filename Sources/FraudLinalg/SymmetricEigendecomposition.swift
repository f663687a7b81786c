import CLapack

/// The eigen-decomposition `A = Q Λ Qᵀ` of a real symmetric matrix, computed
/// by LAPACK `dsyevr` (the MRRR algorithm).
///
/// Eigenvalues are returned in **ascending** order, the order LAPACK produces,
/// with eigenvector `i` in column `i` of ``eigenvectors``. Ask for only the
/// `largest` few eigenpairs to save work on big matrices; they are still in
/// ascending order, so the largest is last.
///
///     let a = Matrix(rowMajor: [[2, 1],
///                               [1, 2]])
///     let eig = try SymmetricEigendecomposition(a)
///     print(eig.eigenvalues)            // [1.0, 3.0]
///     let top = try SymmetricEigendecomposition(a, largest: 1)
///     print(top.eigenvalues)            // [3.0]
///
/// Only the lower triangle of `A` is read; the upper triangle is assumed to
/// mirror it.
///
/// - Complexity: O(n³) to reduce to tridiagonal form, plus O(n·k) per
///   requested eigenpair.
public struct SymmetricEigendecomposition: Sendable {
  /// The eigenvalues, in ascending order.
  public let eigenvalues: [Double]

  /// The orthonormal eigenvectors as columns (n × count), column `i` paired
  /// with `eigenvalues[i]`.
  public let eigenvectors: Matrix

  /// Decomposes the symmetric matrix `a`.
  ///
  /// - Parameters:
  ///   - a: A square symmetric matrix; only its lower triangle is used.
  ///   - largest: If given, compute only this many eigenpairs, those with the
  ///     largest eigenvalues (still in ascending order). `nil` computes all.
  /// - Throws: ``LinalgError/didNotConverge(routine:info:)`` if LAPACK's
  ///   internal iteration fails, ``LinalgError/invalidArgument(routine:position:)``
  ///   for NaN input.
  public init(_ a: Matrix, largest: Int? = nil) throws {
    precondition(a.rows == a.columns, "eigen-decomposition needs a square matrix, got \(a.rows)×\(a.columns)")
    let n = a.rows
    let wanted = largest ?? n
    precondition(wanted >= 0 && wanted <= n, "cannot compute \(wanted) eigenpairs of a \(n)×\(n) matrix")
    if n == 0 || wanted == 0 {
      eigenvalues = []
      eigenvectors = Matrix(rows: n, columns: 0)
      return
    }
    var work = a.elements
    var nn = blasInt(n), lda = blasInt(n), ldz = blasInt(n)
    var vl = 0.0, vu = 0.0
    var il = blasInt(n - wanted + 1), iu = blasInt(n)
    var abstol = 0.0
    var found: Int32 = 0
    var w = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: n * wanted)
    var isuppz = [Int32](repeating: 0, count: 2 * wanted)
    var info: Int32 = 0
    let range = wanted == n ? "A" : "I"

    // Workspace query.
    var lwork: Int32 = -1, liwork: Int32 = -1
    var workSize = 0.0
    var iworkSize: Int32 = 0
    dsyevr_(
      "V", range, "L", &nn, &work, &lda, &vl, &vu, &il, &iu, &abstol, &found,
      &w, &z, &ldz, &isuppz, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1, 1)
    try checkLAPACK("dsyevr", info)
    lwork = Int32(workSize.rounded(.up))
    liwork = iworkSize
    var scratch = [Double](repeating: 0, count: Int(lwork))
    var iscratch = [Int32](repeating: 0, count: Int(liwork))
    dsyevr_(
      "V", range, "L", &nn, &work, &lda, &vl, &vu, &il, &iu, &abstol, &found,
      &w, &z, &ldz, &isuppz, &scratch, &lwork, &iscratch, &liwork, &info, 1, 1, 1)
    try checkLAPACK("dsyevr", info)
    let m = Int(found)
    eigenvalues = Array(w[0..<m])
    eigenvectors = Matrix(rows: n, columns: m, columnMajor: Array(z[0..<(n * m)]))
  }
}

/// Maps a LAPACK `info` code to a thrown ``LinalgError``: negative means an
/// illegal argument, positive a routine-specific numerical failure, which
/// the callers that can tell more (Cholesky) handle before calling this.
@inline(__always)
func checkLAPACK(_ routine: String, _ info: Int32) throws(LinalgError) {
  if info < 0 { throw .invalidArgument(routine: routine, position: Int(-info)) }
  if info > 0 { throw .didNotConverge(routine: routine, info: Int(info)) }
}
