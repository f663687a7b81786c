import CLapack

/// The thin QR factorisation `A = Q R` of an m × n matrix, computed by
/// LAPACK `dgeqrf` (Householder reflections) and `dorgqr` (explicit Q).
///
/// With r = min(m, n), ``q`` is m × r with orthonormal columns and ``r`` is
/// r × n upper triangular (upper trapezoidal when n > m).
///
///     let a = Matrix(rowMajor: [[1, 1],
///                               [1, 0],
///                               [0, 1]])
///     let qr = try QRFactorization(a)
///     // BLAS.gemm(qr.q, qr.r) ≈ a, and qrᵀq ≈ I
///
/// - Complexity: O(m · n · min(m, n)).
public struct QRFactorization: Sendable {
  /// The orthonormal factor, m × min(m, n).
  public let q: Matrix

  /// The upper-triangular factor, min(m, n) × n.
  public let r: Matrix

  /// Factors `a`.
  ///
  /// - Throws: ``LinalgError/invalidArgument(routine:position:)`` only if
  ///   LAPACK rejects the input (it does not fail on rank-deficient input).
  public init(_ a: Matrix) throws {
    let m = a.rows, n = a.columns, k = min(m, n)
    var packed = a.elements
    var tau = [Double](repeating: 0, count: k)
    try householderQR(&packed, rows: m, columns: n, tau: &tau)
    var r = Matrix(rows: k, columns: n)
    for j in 0..<n {
      for i in 0..<min(j + 1, k) { r[i, j] = packed[i + j * m] }
    }
    // dorgqr overwrites the first k columns with Q.
    packed.removeLast((n - k) * m)
    try formQ(&packed, rows: m, columns: k, tau: tau)
    self.q = Matrix(rows: m, columns: k, columnMajor: packed)
    self.r = r
  }
}

/// Replaces the columns of the column-major `rows × columns` block (with
/// `rows >= columns`) held at the start of `a` by an orthonormal basis of
/// their span: the Q of its thin QR factorisation (LAPACK `dgeqrf` +
/// `dorgqr`). Entries of `a` past `rows * columns` are left alone.
func orthonormalizeColumns(_ a: inout [Double], rows m: Int, columns n: Int) throws(LinalgError) {
  precondition(m >= n && a.count >= m * n, "orthonormalizeColumns needs a tall block")
  if n == 0 { return }
  var tau = [Double](repeating: 0, count: n)
  try householderQR(&a, rows: m, columns: n, tau: &tau)
  try formQ(&a, rows: m, columns: n, tau: tau)
}

/// `dgeqrf` with a workspace query: Householder vectors below the diagonal,
/// R on and above it, scalar factors in `tau`.
/// Only the leading `rows * columns` entries of `a` are used.
func householderQR(_ a: inout [Double], rows m: Int, columns n: Int, tau: inout [Double]) throws(LinalgError) {
  if m == 0 || n == 0 { return }
  var mm = blasInt(m), nn = blasInt(n), lda = blasInt(m), info: Int32 = 0
  var lwork: Int32 = -1
  var workSize = 0.0
  dgeqrf_(&mm, &nn, &a, &lda, &tau, &workSize, &lwork, &info)
  try checkLAPACK("dgeqrf", info)
  lwork = max(1, Int32(workSize.rounded(.up)))
  var work = [Double](repeating: 0, count: Int(lwork))
  dgeqrf_(&mm, &nn, &a, &lda, &tau, &work, &lwork, &info)
  try checkLAPACK("dgeqrf", info)
}

/// `dorgqr` with a workspace query: turns the first `columns` Householder
/// vectors left by `householderQR` into the explicit m × columns Q.
func formQ(_ a: inout [Double], rows m: Int, columns n: Int, tau: [Double]) throws(LinalgError) {
  if m == 0 || n == 0 { return }
  var mm = blasInt(m), nn = blasInt(n), kk = blasInt(n), lda = blasInt(m), info: Int32 = 0
  var lwork: Int32 = -1
  var workSize = 0.0
  dorgqr_(&mm, &nn, &kk, &a, &lda, tau, &workSize, &lwork, &info)
  try checkLAPACK("dorgqr", info)
  lwork = max(1, Int32(workSize.rounded(.up)))
  var work = [Double](repeating: 0, count: Int(lwork))
  dorgqr_(&mm, &nn, &kk, &a, &lda, tau, &work, &lwork, &info)
  try checkLAPACK("dorgqr", info)
}

/// Orthonormalises the leading column-major `rows × columns` block of `a`
/// (rows ≥ columns) with LAPACK's recursive QR `dgeqrt3`, which runs in
/// level-3 BLAS even for a few columns, where `dgeqrf` falls back to
/// column-at-a-time level-2 code. The explicit thin Q is then one triangular
/// multiply: with Q = I − V T Vᵀ, its first n columns are E − V (T V₁ᵀ), where
/// V₁ is the unit lower triangular top of V and E the first n columns of I.
///
/// Returns R (columns × columns) when `returningR` is set. Measured 1.1-1.4×
/// faster than `dgeqrf` + `dorgqr` on the 200 000 × 20 blocks of a
/// ``TruncatedSVD`` pass (both are memory-bound there).
func orthonormalizeColumnsRecursive(
  _ a: inout [Double], rows m: Int, columns n: Int,
  returningR: Bool = false
) throws(LinalgError) -> Matrix? {
  precondition(m >= n && a.count >= m * n, "orthonormalizeColumnsRecursive needs a tall block")
  if n == 0 { return returningR ? Matrix(rows: 0, columns: 0) : nil }
  var mm = blasInt(m), nn = blasInt(n), lda = blasInt(m), ldt = blasInt(n), info: Int32 = 0
  var t = [Double](repeating: 0, count: n * n)
  dgeqrt3_(&mm, &nn, &a, &lda, &t, &ldt, &info)
  try checkLAPACK("dgeqrt3", info)
  var r: Matrix? = nil
  if returningR {
    var upper = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0...j { upper.elements[i + j * n] = a[i + j * m] } }
    r = upper
  }
  a.withUnsafeMutableBufferPointer { ap in
    // W = T V₁ᵀ, in place in t (V₁ read from a's unit lower triangle).
    cblas_dtrmm(
      Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_RIGHT), Int32(FS_CBLAS_LOWER), Int32(FS_CBLAS_TRANS),
      Int32(FS_CBLAS_UNIT), nn, nn, 1, ap.baseAddress, lda, &t, ldt)
    // Make V explicit: ones on the diagonal, zeros above.
    for j in 0..<n {
      for i in 0..<j { ap[i + j * m] = 0 }
      ap[j + j * m] = 1
    }
    // V ← −V W (W upper triangular), then add E.
    cblas_dtrmm(
      Int32(FS_CBLAS_COL_MAJOR), Int32(FS_CBLAS_RIGHT), Int32(FS_CBLAS_UPPER), Int32(FS_CBLAS_NO_TRANS),
      Int32(FS_CBLAS_NON_UNIT), mm, nn, -1, t, ldt, ap.baseAddress, lda)
    for j in 0..<n { ap[j + j * m] += 1 }
  }
  return r
}
