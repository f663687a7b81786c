import CLapack

/// The thin singular value decomposition `A = U Σ Vᵀ` of a dense matrix,
/// computed by LAPACK `dgesdd` (divide and conquer).
///
/// For an m × n matrix with r = min(m, n), ``u`` is m × r, ``v`` is n × r,
/// both with orthonormal columns, and ``singularValues`` holds the r
/// non-negative singular values in **descending** order.
///
///     let a = Matrix(rowMajor: [[3, 0],
///                               [0, 4],
///                               [0, 0]])
///     let svd = try SingularValueDecomposition(a)
///     print(svd.singularValues)   // [4.0, 3.0]
///
/// For the few leading singular triplets of a large *sparse* matrix use
/// ``TruncatedSVD`` instead.
///
/// - Complexity: O(m · n · min(m, n)).
public struct SingularValueDecomposition: Sendable {
  /// The left singular vectors as columns, m × min(m, n).
  public let u: Matrix

  /// The singular values, non-negative and in descending order.
  public let singularValues: [Double]

  /// The right singular vectors as columns, n × min(m, n).
  public let v: Matrix

  /// Decomposes `a`.
  ///
  /// - Throws: ``LinalgError/didNotConverge(routine:info:)`` if the
  ///   divide-and-conquer iteration fails, ``LinalgError/invalidArgument(routine:position:)``
  ///   for NaN input.
  public init(_ a: Matrix) throws {
    let (u, s, vt) = try thinSVD(a.elements, rows: a.rows, columns: a.columns)
    self.u = u
    self.singularValues = s
    self.v = vt.transposed()
  }
}

/// `dgesdd` with `JOBZ = "S"` on a column-major `rows × columns` buffer:
/// returns U (rows × r), the singular values and Vᵀ (r × columns).
func thinSVD(_ elements: [Double], rows m: Int, columns n: Int) throws(LinalgError)
  -> (u: Matrix, s: [Double], vt: Matrix)
{
  let r = min(m, n)
  if r == 0 {
    return (Matrix(rows: m, columns: 0), [], Matrix(rows: 0, columns: n))
  }
  var a = elements
  var mm = blasInt(m), nn = blasInt(n), lda = blasInt(m), ldu = blasInt(m), ldvt = blasInt(r)
  var s = [Double](repeating: 0, count: r)
  var u = [Double](repeating: 0, count: m * r)
  var vt = [Double](repeating: 0, count: r * n)
  var iwork = [Int32](repeating: 0, count: 8 * r)
  var info: Int32 = 0
  var lwork: Int32 = -1
  var workSize = 0.0
  dgesdd_("S", &mm, &nn, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &workSize, &lwork, &iwork, &info, 1)
  try checkLAPACK("dgesdd", info)
  lwork = Int32(workSize.rounded(.up))
  var work = [Double](repeating: 0, count: Int(lwork))
  dgesdd_("S", &mm, &nn, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
  try checkLAPACK("dgesdd", info)
  return (Matrix(rows: m, columns: r, columnMajor: u), s, Matrix(rows: r, columns: n, columnMajor: vt))
}
